import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  InvalidArgumentError,
  loadThingsDirectory,
  readNpyMatrix,
  writeFileAtomic,
  writeNpyMatrix,
  type ConceptSet,
  type Matrix,
  type ProgressListener,
  type Triplets,
} from '@conceptlab/core';
import { annotate, DEFAULT_PROMPT, exportJournal, resolvePrompt } from '@conceptlab/llm-annotator';
import { accuracyCi, r48, r48Curve, evaluateTriplets, fitSeeds, mergeRuns, predictedSimilarity, refitEmbedding, seedDir, FAST_LR_SCHEDULE, writeEmbedding, EMBEDDING_BASENAME } from '@conceptlab/spose-embed';
import { measuredSimilarity, sampleR48, sampleUniform, splitTriplets } from '@conceptlab/triplet-sampler';
import { readObjects48 } from '../commands/objects48.js';
import { readAnsweredFile, readTripletsFile, writeTripletsFile } from '../io.js';
import { settleRunConfig, writeRunConfig, type RunConfig } from './run-config.js';
import { runStage, stageKey } from './stage.js';
import { interpret } from '@conceptlab/interpret-dims';
import { runFacts } from './run-facts.js';
import { preflight } from './preflight.js';
import { validateRun } from './validate-run.js';
import { compareWithCategories, compareWithHuman, type CategoryComparison, type HumanComparison } from './compare-stage.js';
import { checkAnswered } from './annotation-complete.js';
import { runAdaptiveDesign, type AdaptiveDesignSummary, type RoundStageName } from './adaptive-rounds.js';

/** The stages of `conceptlab run`, in order (an adaptive design adds `round-0` … `round-(R−1)` between sample and annotate). */
export const STAGES = ['sample', 'annotate', 'r48-annotate', 'fit', 'merge', 'evaluate', 'refit', 'similarity', 'compare', 'r48', 'report'] as const;
export type StageName = (typeof STAGES)[number] | RoundStageName;

/** What `runPipeline` reports as it goes (stderr lines in the CLI). */
export interface PipelineEvents {
  /** A stage starts, or is skipped because its output is complete. */
  readonly onStage?: (stage: StageName, status: 'start' | 'skipped' | 'done', seconds?: number) => void;
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
  /**
   * Where to send requests when that differs from `config.baseUrl` — the demo's local server, on a free
   * port that changes between runs. `config.baseUrl` is then the endpoint's recorded name (in the config
   * and the journal), so an interrupted demo resumes against a new port.
   */
  readonly baseUrl?: string;
}

/** The run's headline numbers and where its files are (`<out>/results.json`). */
export interface PipelineResult {
  readonly out: string;
  readonly config: RunConfig;
  readonly files: Record<string, string>;
  /** The design's sizes; with `--design adaptive` (ours) also its method, held-out set and rounds ({@link AdaptiveDesignSummary}). */
  readonly design: { readonly objects: number; readonly train: number; readonly validation: number } & Partial<AdaptiveDesignSummary>;
  readonly annotation: { readonly answered: number; readonly unparsed: number; readonly failed: number; readonly total: number };
  readonly fit: readonly { readonly seed: number; readonly dims: number; readonly valAccuracy: number | null; readonly epochs: number }[];
  /** The merge; `reproducibility` names how the top-k dims were scored (the authors' own-run-included by default). */
  readonly merged: { readonly dims: number; readonly pooled: number; readonly afterPruning: number; readonly reproducibility: string };
  /**
   * Odd-one-out accuracy of the merged embedding on the held-out (validation) triplets. `ci95` is the paper's
   * half-width (figure 2h: 1.96·SD of the per-object accuracies / √objects; `ciMethod` names it);
   * `binomialCi95` is the half-width over triplets, a second CI.
   */
  readonly heldOut: {
    readonly accuracy: number;
    readonly ci95: number;
    readonly ciMethod: string;
    readonly binomialCi95: number;
    readonly count: number;
    readonly objectsSeen: number;
    readonly chance: number;
  };
  /**
   * With `merge.refitEpochs` (ours, not the paper's): the merged embedding refitted for that many epochs on the
   * training triplets, dims fixed (`embedding-refit.npy`), and its held-out accuracy beside the merged one's.
   * Every other analysis uses the merged embedding, as the paper.
   */
  readonly refit?: RefitResultSummary;
  readonly categories?: CategoryComparison;
  readonly human?: HumanComparison;
  /** r48 on the 48-object design, when the run has one (`--objects48`). */
  readonly r48?: R48Result;
  /** The interpretation report: where it is, and its category classification when the concepts have categories. */
  readonly report: { readonly html: string; readonly dims: string; readonly classification?: { readonly accuracy: number; readonly chance: number; readonly categories: number } };
  /** Seconds per stage in this call (0 for skipped stages) and whether it was skipped. */
  readonly stages: Record<string, { readonly seconds: number; readonly skipped: boolean }>;
}

export const RESULTS_FILE = 'results.json';

/** What the refit stage measured (see {@link PipelineResult.refit}). */
export interface RefitResultSummary {
  readonly epochs: number;
  readonly accuracy: number;
  readonly ci95: number;
  readonly ciMethod: string;
  readonly count: number;
  readonly file: string;
  readonly method: string;
}

/** What the r48 stages measured (the numbers also go to `<out>/r48.json`). */
export interface R48Result {
  readonly objects: number;
  /** Design rows drawn, removed as sets of the run's own design, and answered. */
  readonly drawn: number;
  readonly removed: number;
  readonly answered: number;
  readonly unparsed: number;
  /** Pearson r of the predicted (48-object context) and measured similarity's lower triangles. */
  readonly r: number;
  readonly pairs: number;
  /** Pairs of the 48 never shown together (measured similarity 0, as the authors). */
  readonly unmeasuredPairs: number;
  readonly ci: { readonly low: number; readonly high: number; readonly method: string; readonly bootstrap: number } | null;
  /** r48 with the first d dims of the merged embedding (the paper's Fig. 2a curve); null where undefined. */
  readonly curve: readonly { readonly dims: number; readonly r: number | null }[];
  /** How each number was computed. */
  readonly method: { readonly design: string; readonly measured: string; readonly predicted: string; readonly ci: string };
}

/**
 * `conceptlab run`: sample triplets → annotate them with the observer (journalled, resumable) → fit SPoSE
 * with several seeds → merge them with the paper's procedure → held-out accuracy → predicted similarity →
 * RSA with the category model and a human reference. Each stage records its completion in
 * `<out>/stages/`, so a run that is stopped continues where it stopped; the annotation journal and the
 * SPoSE checkpoints make the two long stages resume midway.
 */
export async function runPipeline(requested: RunConfig, outDir: string, events: PipelineEvents = {}): Promise<PipelineResult> {
  const out = resolve(outDir);
  const config = settleRunConfig(out, requested);
  // Every parameter and input file is checked before the folder is touched or a request is sent.
  const { concepts } = validateRun(config, events.baseUrl);
  mkdirSync(out, { recursive: true });
  writeRunConfig(out, config);
  const n = concepts.concepts.length;
  const stages: Record<string, { seconds: number; skipped: boolean }> = {};
  const stage = async <T>(name: StageName, key: string, fn: () => Promise<T> | T): Promise<T> => {
    events.signal?.throwIfAborted();
    events.onStage?.(name, 'start');
    const o = await runStage(out, name, key, fn);
    stages[name] = { seconds: o.skipped ? 0 : o.seconds, skipped: o.skipped };
    events.onStage?.(name, o.skipped ? 'skipped' : 'done', o.seconds);
    return o.result;
  };
  const files = {
    design: join(out, 'design.txt'),
    journal: join(out, 'annotations.sqlite'),
    r48Design: join(out, 'design-r48.txt'),
    r48Journal: join(out, 'annotations-r48.sqlite'),
    r48Answers: join(out, 'answers', 'r48.txt'),
    r48: join(out, 'r48.json'),
    answers: join(out, 'answers'),
    train: join(out, 'answers', 'train.txt'),
    validation: join(out, 'answers', 'validation.txt'),
    fit: join(out, 'fit'),
    embedding: join(out, `${EMBEDDING_BASENAME}.npy`),
    refitEmbedding: join(out, `${EMBEDDING_BASENAME}-refit.npy`),
    similarity: join(out, 'similarity.npy'),
    report: join(out, 'report', 'report.html'),
    results: join(out, RESULTS_FILE),
    ...(config.design.adaptive ? { rounds: join(out, 'rounds') } : {}),
  };

  /** Ask the model about `triplets` through the OpenAI-compatible client, journalled in `journal` (resumable). */
  const annotateInto = (journal: string, triplets: Triplets, seed: number) =>
    annotate({
      baseUrl: events.baseUrl ?? config.baseUrl,
      ...(events.baseUrl ? { endpointName: config.baseUrl } : {}),
      model: config.model,
      apiKeyEnv: config.apiKeyEnv,
      concepts,
      triplets,
      journalFile: journal,
      mode: config.mode,
      imagesDir: config.images,
      prompt: resolvePrompt(DEFAULT_PROMPT[config.mode], config.mode),
      temperature: config.annotate.temperature,
      concurrency: config.annotate.concurrency,
      maxAttempts: config.annotate.maxAttempts,
      seed,
      resume: existsSync(journal),
      onProgress: events.onProgress,
      signal: events.signal,
    });

  // 1–2. The adaptive design (ours): its own sample, round and annotate stages, the same files afterwards.
  const adaptive = config.design.adaptive;
  const adaptiveRun = adaptive === undefined ? undefined : await runAdaptiveDesign({
    config,
    adaptive,
    out,
    n,
    files,
    stage,
    annotateInto,
    preflight: () => preflight(events.baseUrl ?? config.baseUrl, config.apiKeyEnv),
    onProgress: events.onProgress,
    signal: events.signal,
  });

  // 1. The design: object sets, training rows first, then validation rows.
  const kSample = stageKey(config.design, n);
  const design = adaptiveRun ? adaptiveRun.design : await stage('sample', kSample, () => {
    const all: Triplets = config.design.file
      ? readTripletsFile(config.design.file, n)
      : sampleUniform({ nObjects: n, count: config.design.triplets!, seed: config.design.seed });
    const split = splitTriplets(all, { fractions: { train: 1 - config.design.validationFraction, validation: config.design.validationFraction }, seed: config.design.seed });
    const joined = new Int32Array(all.count * 3);
    joined.set(split.train.data, 0);
    joined.set(split.validation.data, split.train.count * 3);
    writeTripletsFile(files.design, { count: all.count, data: joined });
    return { objects: n, train: split.train.count, validation: split.validation.count };
  });

  // 2. Annotation through the OpenAI-compatible client, journalled; exported as SPoSE train/validation files.
  const kAnnotate = adaptiveRun ? adaptiveRun.kAnnotate : stageKey(kSample, config.baseUrl, config.model, config.mode, config.images ?? null, config.annotate);
  const annotation = adaptiveRun ? adaptiveRun.annotation : await stage('annotate', kAnnotate, async () => {
    await preflight(events.baseUrl ?? config.baseUrl, config.apiKeyEnv);
    const triplets = readTripletsFile(files.design, n);
    const summary = await annotateInto(files.journal, triplets, config.design.seed);
    checkAnswered(summary);
    exportJournal(files.journal, { out: files.answers, format: 'spose', split: [{ name: 'train.txt', rows: design.train }, { name: 'validation.txt', rows: Infinity }] });
    return { answered: summary.answered, unparsed: summary.unparsed, failed: summary.failed, total: summary.total };
  });

  // 2b. The 48-object design (optional): sampled without the run's own sets, answered by the same model.
  let kR48Annotate: string | undefined;
  let r48Answers: { drawn: number; removed: number; answered: number; unparsed: number } | undefined;
  if (config.r48) {
    const cr = config.r48;
    kR48Annotate = stageKey(kAnnotate, cr);
    r48Answers = await stage('r48-annotate', kR48Annotate, async () => {
      const objects48 = readObjects48(cr.objects48, n, config.concepts);
      const own = readTripletsFile(files.design, n);
      const d = sampleR48({ objects48, nObjects: n, count: cr.triplets, seed: cr.seed, exclude: own });
      writeTripletsFile(files.r48Design, d.triplets);
      const summary = await annotateInto(files.r48Journal, d.triplets, cr.seed);
      if (summary.aborted) throw new InvalidArgumentError('run', 'to finish annotating the r48 design; it was interrupted (run the same command again to continue)', 'interrupted');
      if (summary.failed > 0 || summary.pending > 0) {
        throw new InvalidArgumentError('annotate (r48)', `every question answered; ${summary.failed} failed and ${summary.pending} are pending (run again to retry them)`, `${summary.answered} answered`);
      }
      exportJournal(files.r48Journal, { out: files.answers, format: 'spose', split: [{ name: 'r48.txt', rows: Infinity }] });
      return { drawn: d.drawn, removed: d.removed, answered: summary.answered, unparsed: summary.unparsed };
    });
  }

  // 3. SPoSE, one run per seed, resuming from checkpoints.
  const kFit = stageKey(kAnnotate, config.fit);
  const fit = await stage('fit', kFit, async () => {
    const train = readAnsweredFile(files.train, 'spose', n).triplets;
    const validation = readAnsweredFile(files.validation, 'spose', n).triplets;
    const runs = await fitSeeds({
      train,
      validation: validation.count > 0 ? validation : undefined,
      hyper: { nObjects: n, dims: config.fit.dims, lambda: config.fit.lambda, lr: config.fit.lr },
      seeds: config.fit.seeds,
      epochs: config.fit.epochs,
      batchSize: config.fit.batchSize,
      ...(config.fit.schedule === 'fast' ? { lrSchedule: FAST_LR_SCHEDULE } : {}),
      outDir: files.fit,
      resume: true,
      checkpointEvery: Math.max(1, Math.ceil(config.fit.epochs / 10)),
      onProgress: events.onProgress,
      signal: events.signal,
    });
    return runs.map((r) => ({ seed: r.seed, dims: r.embedding.cols, valAccuracy: r.fit.summary.valAccuracy, epochs: r.fit.records.length }));
  });

  // 4. The paper's merge of the seeds.
  // The refit is its own stage: changing it reruns only the refit and the report.
  const { refitEpochs: _refitEpochs, ...mergeParams } = config.merge;
  const kMerge = stageKey(kFit, mergeParams);
  const merged = await stage('merge', kMerge, () => {
    const runs = config.fit.seeds.map((s) => readNpyMatrix(join(seedDir(files.fit, s), `${EMBEDDING_BASENAME}.npy`)));
    const m = mergeRuns(runs, { threshold: config.merge.threshold, top: config.merge.top, excludeOwnRun: config.merge.excludeOwnRun ?? false });
    writeEmbedding(join(out, EMBEDDING_BASENAME), m.embedding);
    writeFileAtomic(join(out, 'merge.json'), JSON.stringify({ method: m.method, dims: m.dims, pooled: m.pooled, afterPruning: m.afterPruning }, null, 2) + '\n');
    return { dims: m.embedding.cols, pooled: m.pooled, afterPruning: m.afterPruning, reproducibility: m.method.reproducibility };
  });

  const embedding = (): Matrix<Float64Array> => readNpyMatrix(files.embedding);

  // 5. Held-out odd-one-out accuracy (ties broken at random, seeded).
  const heldOut = await stage('evaluate', stageKey(kMerge), () => {
    const validation = readAnsweredFile(files.validation, 'spose', n).triplets;
    if (validation.count === 0) throw new InvalidArgumentError('design.validationFraction', 'a fraction leaving at least one validation triplet', config.design.validationFraction);
    const e = evaluateTriplets(embedding(), validation, { seed: config.design.seed });
    const ci = accuracyCi(validation, e.correct, n);
    return {
      accuracy: e.accuracy,
      ci95: ci.paper.halfWidth,
      ciMethod: ci.paper.method,
      binomialCi95: ci.binomial.halfWidth,
      count: e.count,
      objectsSeen: ci.paper.objectsSeen,
      chance: 1 / 3,
    };
  });

  // 5b. Ours, when asked: the merged embedding refitted for a few epochs (dims fixed), and its held-out accuracy.
  const refitEpochs = config.merge.refitEpochs;
  const refit = refitEpochs === undefined ? undefined : await stage('refit', stageKey(kMerge, refitEpochs), async (): Promise<RefitResultSummary> => {
    const train = readAnsweredFile(files.train, 'spose', n).triplets;
    const validation = readAnsweredFile(files.validation, 'spose', n).triplets;
    const r = await refitEmbedding({
      embedding: embedding(),
      train,
      hyper: { lambda: config.fit.lambda, lr: config.fit.lr },
      seed: config.fit.seeds[0]!,
      epochs: refitEpochs,
      batchSize: config.fit.batchSize,
      // The fast schedule's decay needs its warm-up epoch and at least one more.
      ...(config.fit.schedule === 'fast' && refitEpochs >= 2 ? { lrSchedule: FAST_LR_SCHEDULE } : {}),
      onProgress: events.onProgress,
      signal: events.signal,
    });
    writeEmbedding(join(out, `${EMBEDDING_BASENAME}-refit`), r.embedding);
    const e = evaluateTriplets(r.embedding, validation, { seed: config.design.seed });
    const ci = accuracyCi(validation, e.correct, n);
    return {
      epochs: refitEpochs,
      accuracy: e.accuracy,
      ci95: ci.paper.halfWidth,
      ciMethod: ci.paper.method,
      count: e.count,
      file: files.refitEmbedding,
      method: `ours: the merged embedding refitted for ${refitEpochs} epochs on the training triplets (dims fixed, seed ${config.fit.seeds[0]}, λ ${config.fit.lambda}, lr ${config.fit.lr}${config.fit.schedule === 'fast' && refitEpochs >= 2 ? ', the fast schedule\'s warm-up and cosine decay' : ''}); every other analysis uses the merged embedding`,
    };
  });

  // 6. Predicted similarity over all objects.
  await stage('similarity', stageKey(kMerge), () => {
    const s = predictedSimilarity(embedding(), { onProgress: events.onProgress });
    writeNpyMatrix(files.similarity, s);
    return { objects: s.rows };
  });

  // 7. RSA with the category model and, when given, a human reference.
  const compared = await stage('compare', stageKey(kMerge, config.human ?? null), () => {
    const s = readNpyMatrix(files.similarity);
    return {
      categories: concepts.categories ? compareWithCategories(s, concepts) : undefined,
      human: config.human ? compareWithHuman(s, config.human, n) : undefined,
    };
  });

  // 7b. r48: the merged embedding's predicted similarity of the 48 (48-object context) vs the measured one.
  let r48Result: R48Result | undefined;
  if (config.r48 && r48Answers && kR48Annotate) {
    const cr = config.r48, answers = r48Answers;
    r48Result = await stage('r48', stageKey(kMerge, kR48Annotate), () => {
      const objects48 = readObjects48(cr.objects48, n, config.concepts);
      const answered = readAnsweredFile(files.r48Answers, 'spose', n).triplets;
      const measured = measuredSimilarity(answered, n, { objects: objects48 });
      const emb = embedding();
      const res = r48(emb, objects48, measured.similarity, { bootstrap: 1000, seed: cr.seed });
      const curve = r48Curve(emb, objects48, measured.similarity);
      const value: R48Result = {
        objects: objects48.length,
        ...answers,
        r: res.r,
        pairs: res.pairs,
        unmeasuredPairs: measured.unmeasuredPairs,
        ci: res.ci ? { low: res.ci.low, high: res.ci.high, method: res.ci.method, bootstrap: res.ci.bootstrap } : null,
        curve: curve.points,
        method: {
          design: `two of the ${objects48.length} + one other object, i.i.d. draws (the authors'), sets of the run's design removed`,
          measured: 'kept-pair counts / co-occurrence, 0 for pairs never shown together (the authors\')',
          predicted: `SPoSE choice rule in the ${objects48.length}-object context, sum ÷ ${objects48.length} (the authors')`,
          ci: res.method.ci === 'paper' ? 'tanh(atanh r ± 1.96·SD of bootstrap z), 1,000 pair bootstraps (the authors\')' : res.method.ci,
        },
      };
      writeFileAtomic(files.r48, JSON.stringify(value, null, 2) + '\n');
      return value;
    });
  }

  // 8. The report: every dimension explained (interpret-dims), with this run's parameters and headline numbers.
  const headlineSoFar = { design, annotation, fit, merged, heldOut, ...(refit ? { refit } : {}), ...compared, ...(r48Result ? { r48: r48Result } : {}) };
  const report = await stage('report', stageKey(kMerge, config.human ?? null, config.interpret, kR48Annotate ?? null, refitEpochs ?? null), async () => {
    const r = await interpret({
      embedding: embedding(),
      concepts: concepts.concepts,
      categories: concepts.categories,
      similarity: readNpyMatrix(files.similarity),
      outDir: join(out, 'report'),
      top: config.interpret.top,
      seed: config.interpret.seed,
      title: `conceptlab run: ${config.model} on ${concepts.concepts.length} concepts`,
      facts: runFacts(config, headlineSoFar),
      onProgress: events.onProgress,
    });
    return {
      html: files.report,
      dims: join(out, 'report', 'dims.json'),
      ...(r.classification ? { classification: { accuracy: r.classification.accuracy, chance: r.classification.chance.mean, categories: r.classification.names.length } } : {}),
    };
  });

  const result: PipelineResult = {
    out,
    config,
    files,
    design,
    annotation,
    fit,
    merged,
    heldOut,
    ...(refit ? { refit } : {}),
    ...(compared.categories ? { categories: compared.categories } : {}),
    ...(compared.human ? { human: compared.human } : {}),
    ...(r48Result ? { r48: r48Result } : {}),
    report,
    stages,
  };
  writeFileAtomic(files.results, JSON.stringify(result, null, 2) + '\n');
  return result;
}

/** The concept set a config names (for callers that need it after the run). */
export function runConcepts(config: RunConfig): ConceptSet {
  return loadThingsDirectory(config.concepts);
}
