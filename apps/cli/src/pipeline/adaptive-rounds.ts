/**
 * `conceptlab run --design adaptive` (ours): the design loop of issue 15, composed from triplet-sampler's
 * `selectBatch` and spose-embed's `fitSeeds`. A uniform validation set (the held-out set, never chosen by the
 * model) and a uniform round 0 are sampled; each later round fits an ensemble on every training answer so far
 * (warm-started from the round before), chooses its sets with the rule and has them answered (journalled, so a
 * killed round continues). Each round is a stage (`round-0` … `round-(R−1)`) keyed on the round before; the
 * `annotate` stage then joins the rounds into the run's usual train/validation files, and the rest of the
 * pipeline runs unchanged.
 */
import { availableParallelism } from 'node:os';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { concatTriplets, createRng, readNpyMatrix, writeFileAtomic, writeNpyMatrix, type Matrix, type ProgressListener, type Triplets } from '@conceptlab/core';
import { exportJournal, summarizeJournal, type AnnotateSummary } from '@conceptlab/llm-annotator';
import { evaluateTriplets, fitSeeds, FAST_LR_SCHEDULE, seedDir } from '@conceptlab/spose-embed';
import { sampleUniform, selectBatch, type AcquisitionRule, type BatchSelection } from '@conceptlab/triplet-sampler';
import { readAnsweredFile, readTripletsFile, writeTripletsFile } from '../io.js';
import { adaptiveRoundSizes, scheduledFit, type AdaptiveDesignConfig, type RunConfig } from './run-config.js';
import { stageKey } from './stage.js';
import { checkAnswered } from './annotation-complete.js';

/** The stage of round k of an adaptive design. */
export type RoundStageName = `round-${number}`;

/** What one round asked, how its sets were chosen and what its answers cost. */
export interface AdaptiveRoundSummary {
  readonly round: number;
  /** Training sets asked in this round. */
  readonly asked: number;
  /** Every set asked up to and including this round: the training sets of rounds 0 … this one and the uniform validation set. */
  readonly askedSoFar: number;
  /**
   * The fit that chose this round's sets (null for the uniform round 0): the training triplets it saw (rounds before
   * this one), its members, and member 0's odd-one-out accuracy on the uniform validation set (held out: never
   * fitted on, never chosen by the model).
   */
  readonly fit: {
    readonly trainedOn: number;
    readonly members: readonly { readonly seed: number; readonly dims: number }[];
    readonly epochs: number;
    readonly batchSize: number;
    readonly warmStart: boolean;
    readonly heldOutAccuracy: number;
  } | null;
  /** selectBatch's summary (null for round 0): the rule, the mean score of the chosen sets vs the pool's (model rules), the per-object cap and rows over it. */
  readonly selection: {
    readonly rule: AcquisitionRule;
    readonly selection: BatchSelection | null;
    readonly meanScore: number | null;
    readonly poolMeanScore: number | null;
    readonly poolSize: number;
    readonly maxPerObject: number | null;
    readonly overCap: number;
  } | null;
  /** The round's journal (round 0's also holds the validation set): rows and what they cost, over every call that wrote it. */
  readonly annotation: AdaptiveAnnotation;
}

/** A journal's rows, tokens and estimated cost (summarizeJournal: every call that wrote it, a resumed one included). */
export interface AdaptiveAnnotation {
  readonly answered: number;
  readonly unparsed: number;
  readonly failed: number;
  readonly total: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Estimated USD; null when the model has no known price. */
  readonly costUsd: number | null;
  readonly httpAttempts: number;
}

/** The adaptive design in results.json (`design`, beside objects/train/validation). */
export interface AdaptiveDesignSummary {
  /** `adaptive (ours): <rule>, R rounds, ensemble E`. */
  readonly method: string;
  /** Which set every held-out number was measured on. */
  readonly heldOut: string;
  readonly budget: number;
  readonly rounds: readonly AdaptiveRoundSummary[];
  /** The rounds' annotation summed. */
  readonly annotation: AdaptiveAnnotation;
}

/** What the pipeline hands the adaptive stages. */
export interface AdaptiveContext {
  readonly config: RunConfig;
  readonly adaptive: AdaptiveDesignConfig;
  readonly out: string;
  readonly n: number;
  /** The run's files that the adaptive design writes (the same as a run without it) and the journal of round 0. */
  readonly files: { readonly design: string; readonly journal: string; readonly answers: string; readonly train: string; readonly validation: string };
  readonly stage: <T>(name: 'sample' | 'annotate' | RoundStageName, key: string, fn: () => Promise<T> | T) => Promise<T>;
  /** annotate() into a journal with the run's observer settings (resumable). */
  readonly annotateInto: (journal: string, triplets: Triplets, seed: number) => Promise<AnnotateSummary>;
  /** Can the endpoint be reached (before a round's requests)? */
  readonly preflight: () => Promise<void>;
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
}

/** Where round k's files are: `<out>/rounds/round-k/`. */
export function roundDir(out: string, round: number): string {
  return join(out, 'rounds', `round-${round}`);
}

/** The uniform validation sets of an adaptive run (also the last rows of its design.txt). */
export function validationDesignFile(out: string): string {
  return join(out, 'rounds', 'validation-design.txt');
}

/** The seeds of the fits of each round: the first E of fit.seeds (0 … E − 1 when it has fewer); one for uniform and coverage. */
export function ensembleSeeds(config: RunConfig, a: AdaptiveDesignConfig): number[] {
  const e = a.rule === 'uncertainty' || a.rule === 'information-gain' ? a.ensemble : 1;
  return config.fit.seeds.length >= e ? config.fit.seeds.slice(0, e) : Array.from({ length: e }, (_, i) => i);
}

/** `adaptive (ours): <rule>, R rounds, ensemble E` (E: the fits per round, 1 for uniform and coverage). */
export function adaptiveMethod(config: RunConfig, a: AdaptiveDesignConfig): string {
  return `adaptive (ours): ${a.rule}, ${a.rounds} rounds, ensemble ${ensembleSeeds(config, a).length}`;
}

const HELD_OUT = 'the uniform validation set: sampled with round 0, never fitted on by a round fit and never chosen by the model';

function journalCost(journal: string): AdaptiveAnnotation {
  const s = summarizeJournal(journal);
  return {
    answered: s.answered,
    unparsed: s.unparsed,
    failed: s.failed,
    total: s.total,
    promptTokens: s.promptTokens,
    completionTokens: s.completionTokens,
    costUsd: s.costUsd ?? null,
    httpAttempts: s.httpAttempts,
  };
}

function sumCosts(parts: readonly AdaptiveAnnotation[]): AdaptiveAnnotation {
  const sum = (k: 'answered' | 'unparsed' | 'failed' | 'total' | 'promptTokens' | 'completionTokens' | 'httpAttempts') => parts.reduce((s, p) => s + p[k], 0);
  return {
    answered: sum('answered'),
    unparsed: sum('unparsed'),
    failed: sum('failed'),
    total: sum('total'),
    promptTokens: sum('promptTokens'),
    completionTokens: sum('completionTokens'),
    costUsd: parts.every((p) => p.costUsd !== null) ? parts.reduce((s, p) => s + p.costUsd!, 0) : null,
    httpAttempts: sum('httpAttempts'),
  };
}

/**
 * The adaptive design's stages: `sample` (the uniform validation and round-0 sets), `round-0` … `round-(R−1)`
 * and `annotate` (the rounds joined into answers/train.txt and answers/validation.txt, design.txt all sets asked:
 * the training sets in round order, then the validation sets). Returns the `annotate` stage's key (what the
 * fit and later stages are keyed on), its result and the design summary for results.json.
 */
export async function runAdaptiveDesign(ctx: AdaptiveContext): Promise<{
  kAnnotate: string;
  annotation: { answered: number; unparsed: number; failed: number; total: number };
  design: { objects: number; train: number; validation: number } & AdaptiveDesignSummary;
}> {
  const { config, adaptive: a, out, n, files } = ctx;
  const sizes = adaptiveRoundSizes(a, config.design.validationFraction);
  const seed = config.design.seed;

  // 1. The uniform sets: round 0's training sets, then the validation sets (disjoint: one draw of distinct sets, in random order).
  const kSample = stageKey(config.design, n);
  await ctx.stage('sample', kSample, () => {
    const all = sampleUniform({ nObjects: n, count: sizes.rounds[0]! + sizes.validation, seed });
    const cut = 3 * sizes.rounds[0]!;
    mkdirSync(roundDir(out, 0), { recursive: true });
    writeTripletsFile(join(roundDir(out, 0), 'design.txt'), { count: sizes.rounds[0]!, data: all.data.slice(0, cut) });
    writeTripletsFile(validationDesignFile(out), { count: sizes.validation, data: all.data.slice(cut) });
    // As a run without the adaptive design: training rows first, then validation rows (the annotate stage rewrites it with every round).
    writeTripletsFile(files.design, all);
    return { objects: n, train: sizes.rounds[0]!, validation: sizes.validation };
  });

  // 2. Round 0: the uniform sets and the validation set answered in one journal (annotations.sqlite, as a run without the adaptive design).
  const validationSets = (): Triplets => readTripletsFile(validationDesignFile(out), n);
  const roundSets = (k: number): Triplets => readTripletsFile(join(roundDir(out, k), 'design.txt'), n);
  let key = stageKey(kSample, config.baseUrl, config.model, config.mode, config.images ?? null, config.annotate);
  const summaries: AdaptiveRoundSummary[] = [];
  summaries.push(await ctx.stage('round-0', key, async (): Promise<AdaptiveRoundSummary> => {
    await ctx.preflight();
    const summary = await ctx.annotateInto(files.journal, concatTriplets([roundSets(0), validationSets()]), seed);
    checkAnswered(summary, 'round 0');
    exportJournal(files.journal, { out: roundDir(out, 0), format: 'spose', split: [{ name: 'answers.txt', rows: sizes.rounds[0]! }, { name: 'validation.txt', rows: Infinity }] });
    return { round: 0, asked: sizes.rounds[0]!, askedSoFar: sizes.rounds[0]! + sizes.validation, fit: null, selection: null, annotation: journalCost(files.journal) };
  }));

  // 3. Rounds 1 … R−1: fit on every training answer so far, choose, answer.
  const members = ensembleSeeds(config, a);
  const model = a.rule === 'uncertainty' || a.rule === 'information-gain';
  for (let k = 1; k < a.rounds; k++) {
    key = stageKey(key, config.fit);
    const asked = summaries[k - 1]!.askedSoFar;
    summaries.push(await ctx.stage(`round-${k}`, key, async (): Promise<AdaptiveRoundSummary> => {
      await ctx.preflight();
      const dir = roundDir(out, k);
      const train = concatTriplets(Array.from({ length: k }, (_, j) => readAnsweredFile(join(roundDir(out, j), 'answers.txt'), 'spose', n).triplets));
      const validation = readAnsweredFile(join(roundDir(out, 0), 'validation.txt'), 'spose', n).triplets;
      // The run's schedule for the training triplets so far (--epochs/--batch when given); fast unless the run's is the paper's.
      const schedule = config.fit.schedule === 'fast' ? 'fast' : 'paper';
      const s = scheduledFit(schedule, train.count, { epochs: a.roundEpochs, batch: a.roundBatchSize });
      const fitDir = join(dir, 'fit');
      // Each member on its own worker thread when there are several and the machine has the cores (fitSeeds runs
      // one seed with threads > 1 on a worker); warm-started from the same member of the round before.
      const threads = members.length > 1 && availableParallelism() > 1 ? 2 : 1;
      const fits = await Promise.all(members.map((m) => {
        const initialWeights = k > 1 ? Float32Array.from(readNpyMatrix(join(seedDir(join(roundDir(out, k - 1), 'fit'), m), RAW_WEIGHTS)).data) : undefined;
        return fitSeeds({
          train,
          hyper: { nObjects: n, dims: config.fit.dims, lambda: config.fit.lambda, lr: s.lr },
          seeds: [m],
          epochs: s.epochs,
          batchSize: s.batchSize,
          ...(schedule === 'fast' ? { lrSchedule: FAST_LR_SCHEDULE } : {}),
          ...(initialWeights ? { initialWeights } : {}),
          outDir: fitDir,
          resume: true,
          checkpointEvery: Math.max(1, Math.ceil(s.epochs / 10)),
          threads,
          onProgress: ctx.onProgress,
          signal: ctx.signal,
        }).then((r) => r[0]!);
      }));
      for (const f of fits) {
        const w: Matrix<Float32Array> = { rows: n, cols: config.fit.dims, data: f.fit.weights };
        writeNpyMatrix(join(seedDir(fitDir, f.seed), RAW_WEIGHTS), w);
      }
      const ensemble = fits.map((f) => f.embedding);
      const heldOutAccuracy = evaluateTriplets(ensemble[0]!, validation, { seed }).accuracy;

      // Never a set asked before: round 0's, the validation set's and every earlier round's.
      const askedSets = concatTriplets([validationSets(), ...Array.from({ length: k }, (_, j) => roundSets(j))]);
      const batch = selectBatch({
        nObjects: n,
        count: sizes.rounds[k]!,
        rule: a.rule,
        seed: createRng(seed, ROUND_STREAM + k),
        asked: askedSets,
        ...(model ? { ensemble } : {}),
        onProgress: ctx.onProgress,
      });
      const selection = {
        rule: batch.rule,
        selection: batch.selection,
        meanScore: batch.meanScore,
        poolMeanScore: batch.poolMeanScore,
        poolSize: batch.poolSize,
        maxPerObject: batch.maxPerObject,
        overCap: batch.overCap,
      };
      writeTripletsFile(join(dir, 'design.txt'), batch.triplets);
      const fit = { trainedOn: train.count, members: fits.map((f) => ({ seed: f.seed, dims: f.embedding.cols })), epochs: s.epochs, batchSize: s.batchSize, warmStart: k > 1, heldOutAccuracy };
      writeFileAtomic(join(dir, 'select.json'), JSON.stringify({ round: k, ...selection, count: batch.triplets.count, fit, heldOut: HELD_OUT }, null, 2) + '\n');

      const journal = join(dir, 'annotations.sqlite');
      const summary = await ctx.annotateInto(journal, batch.triplets, seed);
      checkAnswered(summary, `round ${k}`);
      exportJournal(journal, { out: dir, format: 'spose', split: [{ name: 'answers.txt', rows: Infinity }] });
      return { round: k, asked: batch.triplets.count, askedSoFar: asked + batch.triplets.count, fit, selection, annotation: journalCost(journal) };
    }));
  }

  // 4. The rounds joined: the run's usual files, so the fit and every later stage run as without the adaptive design.
  const kAnnotate = stageKey(key, 'rounds joined');
  const annotation = await ctx.stage('annotate', kAnnotate, () => {
    const text = (f: string) => {
      const t = readFileSync(f, 'utf8');
      return t === '' || t.endsWith('\n') ? t : t + '\n';
    };
    const rounds = Array.from({ length: a.rounds }, (_, k) => k);
    writeTripletsFile(files.design, concatTriplets([...rounds.map(roundSets), validationSets()]));
    mkdirSync(files.answers, { recursive: true });
    writeFileAtomic(files.train, rounds.map((k) => text(join(roundDir(out, k), 'answers.txt'))).join(''));
    writeFileAtomic(files.validation, text(join(roundDir(out, 0), 'validation.txt')));
    const total = sumCosts(summaries.map((r) => r.annotation));
    return { answered: total.answered, unparsed: total.unparsed, failed: total.failed, total: total.total };
  });

  return {
    kAnnotate,
    annotation,
    design: {
      objects: n,
      train: sizes.train,
      validation: sizes.validation,
      method: adaptiveMethod(config, a),
      heldOut: HELD_OUT,
      budget: a.budget,
      rounds: summaries,
      annotation: sumCosts(summaries.map((r) => r.annotation)),
    },
  };
}

/** Each round fit's raw weights (objects × dims, float32, before pruning): the next round's warm start. */
export const RAW_WEIGHTS = 'raw-weights.npy';

/** The PRNG stream of round k's selection is ROUND_STREAM + k (seeded with design.seed). */
const ROUND_STREAM = 1000;
