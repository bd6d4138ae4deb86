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
import { evaluateTriplets, fitSeeds, mergeRuns, predictedSimilarity, seedDir, writeEmbedding, EMBEDDING_BASENAME } from '@conceptlab/spose-embed';
import { sampleUniform, splitTriplets } from '@conceptlab/triplet-sampler';
import { readAnsweredFile, readTripletsFile, writeTripletsFile } from '../io.js';
import { settleRunConfig, writeRunConfig, type RunConfig } from './run-config.js';
import { runStage, stageKey } from './stage.js';
import { interpret } from '@conceptlab/interpret-dims';
import { runFacts } from './run-facts.js';
import { preflight } from './preflight.js';
import { compareWithCategories, compareWithHuman, type CategoryComparison, type HumanComparison } from './compare-stage.js';

/** The stages of `conceptlab run`, in order. */
export const STAGES = ['sample', 'annotate', 'fit', 'merge', 'evaluate', 'similarity', 'compare', 'report'] as const;
export type StageName = (typeof STAGES)[number];

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
  readonly design: { readonly objects: number; readonly train: number; readonly validation: number };
  readonly annotation: { readonly answered: number; readonly unparsed: number; readonly failed: number; readonly total: number };
  readonly fit: readonly { readonly seed: number; readonly dims: number; readonly valAccuracy: number | null; readonly epochs: number }[];
  readonly merged: { readonly dims: number; readonly pooled: number; readonly afterPruning: number };
  /** Odd-one-out accuracy of the merged embedding on the held-out (validation) triplets, with a 95% CI over triplets. */
  readonly heldOut: { readonly accuracy: number; readonly ci95: number; readonly count: number; readonly chance: number };
  readonly categories?: CategoryComparison;
  readonly human?: HumanComparison;
  /** The interpretation report: where it is, and its category classification when the concepts have categories. */
  readonly report: { readonly html: string; readonly dims: string; readonly classification?: { readonly accuracy: number; readonly chance: number; readonly categories: number } };
  /** Seconds per stage in this call (0 for skipped stages) and whether it was skipped. */
  readonly stages: Record<string, { readonly seconds: number; readonly skipped: boolean }>;
}

export const RESULTS_FILE = 'results.json';

/**
 * `conceptlab run`: sample triplets → annotate them with the observer (journalled, resumable) → fit SPoSE
 * with several seeds → merge them with the paper's procedure → held-out accuracy → predicted similarity →
 * RSA with the category model and a human reference. Each stage records its completion in
 * `<out>/stages/`, so a run that is stopped continues where it stopped; the annotation journal and the
 * SPoSE checkpoints make the two long stages resume midway.
 */
export async function runPipeline(requested: RunConfig, outDir: string, events: PipelineEvents = {}): Promise<PipelineResult> {
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const config = settleRunConfig(out, requested);
  writeRunConfig(out, config);
  const concepts = loadThingsDirectory(config.concepts);
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
    answers: join(out, 'answers'),
    train: join(out, 'answers', 'train.txt'),
    validation: join(out, 'answers', 'validation.txt'),
    fit: join(out, 'fit'),
    embedding: join(out, `${EMBEDDING_BASENAME}.npy`),
    similarity: join(out, 'similarity.npy'),
    report: join(out, 'report', 'report.html'),
    results: join(out, RESULTS_FILE),
  };

  // 1. The design: object sets, training rows first, then validation rows.
  const kSample = stageKey(config.design, n);
  const design = await stage('sample', kSample, () => {
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
  const kAnnotate = stageKey(kSample, config.baseUrl, config.model, config.mode, config.images ?? null, config.annotate);
  const annotation = await stage('annotate', kAnnotate, async () => {
    await preflight(events.baseUrl ?? config.baseUrl, config.apiKeyEnv);
    const triplets = readTripletsFile(files.design, n);
    const summary = await annotate({
      baseUrl: events.baseUrl ?? config.baseUrl,
      ...(events.baseUrl ? { endpointName: config.baseUrl } : {}),
      model: config.model,
      apiKeyEnv: config.apiKeyEnv,
      concepts,
      triplets,
      journalFile: files.journal,
      mode: config.mode,
      imagesDir: config.images,
      prompt: resolvePrompt(DEFAULT_PROMPT[config.mode], config.mode),
      temperature: config.annotate.temperature,
      concurrency: config.annotate.concurrency,
      maxAttempts: config.annotate.maxAttempts,
      seed: config.design.seed,
      resume: existsSync(files.journal),
      onProgress: events.onProgress,
      signal: events.signal,
    });
    if (summary.aborted) throw new InvalidArgumentError('run', 'to finish annotating; it was interrupted (run the same command again to continue)', 'interrupted');
    if (summary.failed > 0 || summary.pending > 0) {
      throw new InvalidArgumentError(
        'annotate',
        `every question answered; ${summary.failed} failed and ${summary.pending} are pending (run again to retry them; see \`conceptlab annotate summary --journal ${files.journal}\`)`,
        `${summary.answered} answered`,
      );
    }
    exportJournal(files.journal, { out: files.answers, format: 'spose', split: [{ name: 'train.txt', rows: design.train }, { name: 'validation.txt', rows: Infinity }] });
    return { answered: summary.answered, unparsed: summary.unparsed, failed: summary.failed, total: summary.total };
  });

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
      outDir: files.fit,
      resume: true,
      checkpointEvery: Math.max(1, Math.ceil(config.fit.epochs / 10)),
      onProgress: events.onProgress,
      signal: events.signal,
    });
    return runs.map((r) => ({ seed: r.seed, dims: r.embedding.cols, valAccuracy: r.fit.summary.valAccuracy, epochs: r.fit.records.length }));
  });

  // 4. The paper's merge of the seeds.
  const kMerge = stageKey(kFit, config.merge);
  const merged = await stage('merge', kMerge, () => {
    const runs = config.fit.seeds.map((s) => readNpyMatrix(join(seedDir(files.fit, s), `${EMBEDDING_BASENAME}.npy`)));
    const m = mergeRuns(runs, { threshold: config.merge.threshold, top: config.merge.top });
    writeEmbedding(join(out, EMBEDDING_BASENAME), m.embedding);
    writeFileAtomic(join(out, 'merge.json'), JSON.stringify({ dims: m.dims, pooled: m.pooled, afterPruning: m.afterPruning }, null, 2) + '\n');
    return { dims: m.embedding.cols, pooled: m.pooled, afterPruning: m.afterPruning };
  });

  const embedding = (): Matrix<Float64Array> => readNpyMatrix(files.embedding);

  // 5. Held-out odd-one-out accuracy (ties broken at random, seeded).
  const heldOut = await stage('evaluate', stageKey(kMerge), () => {
    const validation = readAnsweredFile(files.validation, 'spose', n).triplets;
    if (validation.count === 0) throw new InvalidArgumentError('design.validationFraction', 'a fraction leaving at least one validation triplet', config.design.validationFraction);
    const e = evaluateTriplets(embedding(), validation, { seed: config.design.seed });
    return { accuracy: e.accuracy, ci95: 1.96 * Math.sqrt((e.accuracy * (1 - e.accuracy)) / e.count), count: e.count, chance: 1 / 3 };
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

  // 8. The report: every dimension explained (interpret-dims), with this run's parameters and headline numbers.
  const headlineSoFar = { design, annotation, fit, merged, heldOut, ...compared };
  const report = await stage('report', stageKey(kMerge, config.human ?? null, config.interpret), async () => {
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
    ...(compared.categories ? { categories: compared.categories } : {}),
    ...(compared.human ? { human: compared.human } : {}),
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
