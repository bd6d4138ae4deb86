/**
 * One SPoSE run: Adam on shuffled mini-batches of training triplets for a number of epochs, with
 * per-epoch records, optional validation, the reference's early-stopping rule, results.json,
 * checkpoints and bit-for-bit resume.
 */
import { join } from 'node:path';
import {
  assertValidTriplets,
  createProgress,
  createRng,
  InvalidArgumentError,
  writeFileAtomic,
  type ProgressListener,
  type Triplets,
} from '@conceptlab/core';
import { checkpointExists, fingerprintOf, removeStaleTempFiles, hashBytes, readCheckpoint, writeCheckpoint, type FingerprintFields } from './checkpoint.js';
import { checkHyperParams, DEFAULT_HYPER, type SposeHyperParams } from './config.js';
import { createCpuEngine } from './cpu-engine.js';
import { checkEarlyStopping, resolveEarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
import { checkPlateau, resolvePlateauStopping, type PlateauStoppingOptions } from './plateau-stopping.js';
import type { EngineState, StepLoss, TrainingEngine } from './engine.js';
import { evaluateTriplets } from './evaluate.js';
import { countActiveDims, DEFAULT_PRUNE_THRESHOLD } from './export.js';
import { initWeights } from './init.js';
import { describeLrSchedule, lrScaleAt, resolveLrSchedule, type LrSchedule } from './lr-schedule.js';

/** Builds the engine of a run from its hyper-parameters and initial weights (the CPU engine by default). */
export type EngineFactory = (hyper: SposeHyperParams, init: Float32Array) => TrainingEngine;

export interface FitOptions {
  /** Answered training triplets (odd one out last), 0-based objects < hyper.nObjects. */
  readonly train: Triplets;
  /** Held-out triplets, evaluated after every epoch (accuracy and cross-entropy). */
  readonly validation?: Triplets;
  /** nObjects plus any hyper-parameters that differ from DEFAULT_HYPER. */
  readonly hyper: Partial<Omit<SposeHyperParams, 'nObjects'>> & { readonly nObjects: number };
  /** Seeds the initial weights (createRng(seed, 0)) and the data order (createRng(seed, 1)). */
  readonly seed: number;
  /**
   * A warm start: the initial weights (nObjects × dims, row-major, finite) instead of N(0.1, 0.01²) from the seed
   * — e.g. a merged embedding refitted for a few epochs (see refitEmbedding). Its sha256 joins the resume
   * fingerprint and `config.init`.
   */
  readonly initialWeights?: Float32Array;
  /** Maximum number of epochs (default 500). */
  readonly epochs?: number;
  /** Triplets per Adam step (default 100); the last partial batch of every epoch is dropped. */
  readonly batchSize?: number;
  /** How the learning rate changes over the run (default constant, the paper's; see lr-schedule.ts). */
  readonly lrSchedule?: LrSchedule;
  /** Default: `(hyper, init) => createCpuEngine(hyper, init)` (the fastest available kernel). */
  readonly createEngine?: EngineFactory;
  /**
   * When to stop before `epochs`: the reference's rule on the training loss (an {@link EarlyStoppingOptions}
   * object, see checkEarlyStopping), conceptlab's `{ rule: 'plateau' }` on the validation cross-entropy and the
   * active dims (see checkPlateau; needs validation triplets), or false (default): train all epochs.
   */
  readonly earlyStopping?: EarlyStoppingOptions | PlateauStoppingOptions | false;
  /** Tie-breaking seed of the validation accuracy (default 0), fixed for the whole run. */
  readonly evaluationSeed?: number;
  /** Directory for results.json (every epoch) and checkpoints. */
  readonly outDir?: string;
  /** Write a checkpoint every k epochs (default 10 with outDir); one is always written when the run ends. */
  readonly checkpointEvery?: number;
  /** Continue from outDir's checkpoint when there is one (refused when its settings differ). */
  readonly resume?: boolean;
  /** Start afresh even though outDir holds a checkpoint (it is replaced). */
  readonly overwrite?: boolean;
  /** Progress events (task "fit seed <seed>", unit "triplets"), with epoch details. */
  readonly onProgress?: ProgressListener;
  /** Minimum milliseconds between progress updates (default 250; 0 = after every epoch). */
  readonly progressIntervalMs?: number;
  /** Aborting rejects the promise with the signal's reason; the last checkpoint stays for a resume. */
  readonly signal?: AbortSignal;
}

export interface EpochRecord {
  /** 1-based. */
  readonly epoch: number;
  /** Adam steps taken so far. */
  readonly step: number;
  /** Mean over the epoch's steps of the total loss (the reference's train loss). */
  readonly loss: number;
  readonly crossEntropy: number;
  readonly positivity: number;
  readonly l1: number;
  /**
   * Share of the epoch's training triplets predicted, at the weights before each step; ties counted by
   * `config.trainAccuracyTies` (default the SPoSE reference's rule: see TrainAccuracyTies).
   */
  readonly trainAccuracy: number;
  /** Validation accuracy (exact ties broken with evaluationSeed) and cross-entropy; null without validation. */
  readonly valAccuracy: number | null;
  readonly valCrossEntropy: number | null;
  /** Dimensions whose maximum weight is > 0.1 (the reference's "non-negative dimensions"). */
  readonly activeDims: number;
  /** Wall-clock seconds of the epoch (training and evaluation). Not reproducible, unlike everything else. */
  readonly seconds: number;
  /** The reference rule's regression, when it was checked this epoch. */
  readonly earlyStopping?: { readonly slope: number; readonly pValue: number };
  /** The plateau rule's check, when it was checked this epoch (see checkPlateau). */
  readonly plateau?: { readonly improvement: number; readonly dimsChange: number };
}

export type StopReason = 'completed' | 'early-stopping' | 'diverged';

/** Everything needed to reproduce a run (stored in results.json and checkpoint.json). */
export interface FitConfig {
  readonly hyper: SposeHyperParams;
  readonly seed: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly stepsPerEpoch: number;
  /** The learning-rate schedule in words ('constant': the paper's). */
  readonly lrSchedule: string;
  readonly engine: string;
  readonly earlyStopping: Required<EarlyStoppingOptions> | Required<PlateauStoppingOptions> | false;
  readonly evaluationSeed: number;
  readonly trainCount: number;
  /** sha256 of the training triplets (int32 little-endian, row-major). */
  readonly trainHash: string;
  readonly validationCount: number;
  readonly validationHash: string | null;
  readonly checkpointEvery: number | null;
  readonly init: string;
  readonly dataOrder: string;
  /** How the training accuracy counted ties (the engine's: the tfjs engine counts strict maxima only). */
  readonly trainAccuracyTies: 'reference' | 'strict';
}

export interface FitSummary {
  readonly status: 'running' | StopReason;
  readonly epochsDone: number;
  readonly steps: number;
  readonly loss: number | null;
  readonly trainAccuracy: number | null;
  readonly valAccuracy: number | null;
  readonly bestValAccuracy: number | null;
  readonly bestValEpoch: number | null;
  readonly activeDims: number | null;
  /** Epoch (1-based) the run was resumed after, or null. */
  readonly resumedAfterEpoch: number | null;
  /** Why and when the run stopped, in words (null while running). */
  readonly stopDetail: string | null;
}

export interface FitResult {
  /** Final raw weights (nObjects × dims, row-major; negatives not clamped: see pruneAndSort). */
  readonly weights: Float32Array;
  readonly nObjects: number;
  readonly dims: number;
  /** The final optimisation state (weights, Adam moments, step). */
  readonly state: EngineState;
  readonly records: readonly EpochRecord[];
  readonly stopReason: StopReason;
  readonly config: FitConfig;
  readonly summary: FitSummary;
}

export const RESULTS_FILE = 'results.json';
const DEFAULT_CHECKPOINT_EVERY = 10;
const YIELD_MS = 50;
/** Steps of an asyncOnly engine (tfjs on WebGPU) queued ahead of the oldest loss still being read. */
const ASYNC_STEPS_IN_FLIGHT = 8;

/** Validate options, fill defaults and build the run's config (hashing the data). */
function prepare(options: FitOptions) {
  if (!options || typeof options !== 'object') throw new InvalidArgumentError('options', 'an object');
  const hyper: SposeHyperParams = { ...DEFAULT_HYPER, ...options.hyper };
  checkHyperParams(hyper);
  const n = hyper.nObjects;
  const { train } = options;
  if (!train || !(train.data instanceof Int32Array) || train.data.length !== 3 * train.count) {
    throw new InvalidArgumentError('train', 'Triplets (an Int32Array of 3·count indices)', train);
  }
  if (train.count === 0) throw new InvalidArgumentError('train', 'at least one triplet', 0);
  assertValidTriplets(train, n, 'train');
  const validation = options.validation && options.validation.count > 0 ? options.validation : undefined;
  if (validation) assertValidTriplets(validation, n, 'validation');
  const seed = options.seed;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError('seed', 'a non-negative safe integer', seed);
  const epochs = options.epochs ?? 500;
  if (!Number.isSafeInteger(epochs) || epochs < 1) throw new InvalidArgumentError('epochs', 'a positive integer', epochs);
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > train.count) {
    throw new InvalidArgumentError('batchSize', `an integer in [1, ${train.count}] (the number of training triplets)`, batchSize);
  }
  const lrSchedule = resolveLrSchedule(options.lrSchedule, epochs);
  const initialWeights = options.initialWeights;
  if (initialWeights !== undefined) {
    if (!(initialWeights instanceof Float32Array) || initialWeights.length !== n * hyper.dims) {
      throw new InvalidArgumentError('initialWeights', `a Float32Array of nObjects × dims = ${n} × ${hyper.dims} values`, initialWeights instanceof Float32Array ? `${initialWeights.length} values` : initialWeights);
    }
    const bad = initialWeights.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new InvalidArgumentError('initialWeights', 'finite values', `${initialWeights[bad]} at object ${Math.floor(bad / hyper.dims)}, dim ${bad % hyper.dims}`);
  }
  const evaluationSeed = options.evaluationSeed ?? 0;
  if (!Number.isSafeInteger(evaluationSeed) || evaluationSeed < 0) throw new InvalidArgumentError('evaluationSeed', 'a non-negative safe integer', evaluationSeed);
  const es = options.earlyStopping;
  const earlyStopping: FitConfig['earlyStopping'] = !es ? false : 'rule' in es && es.rule === 'plateau' ? resolvePlateauStopping(es) : resolveEarlyStopping(es as EarlyStoppingOptions);
  if (earlyStopping && 'rule' in earlyStopping && !validation) {
    throw new InvalidArgumentError('earlyStopping', "validation triplets with the plateau rule (it watches the validation cross-entropy), or the reference's rule", 'no validation triplets');
  }
  const outDir = options.outDir;
  if (outDir !== undefined && (typeof outDir !== 'string' || outDir === '')) throw new InvalidArgumentError('outDir', 'a directory path', outDir);
  if (options.resume && outDir === undefined) throw new InvalidArgumentError('resume', 'an outDir to resume from');
  const checkpointEvery = outDir === undefined ? null : options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  if (checkpointEvery !== null && (!Number.isSafeInteger(checkpointEvery) || checkpointEvery < 1)) {
    throw new InvalidArgumentError('checkpointEvery', 'a positive integer number of epochs', checkpointEvery);
  }
  const progressIntervalMs = options.progressIntervalMs ?? 250;
  if (!(progressIntervalMs >= 0)) throw new InvalidArgumentError('progressIntervalMs', 'a number ≥ 0', progressIntervalMs);
  return { hyper, train, validation, seed, initialWeights, epochs, batchSize, lrSchedule, evaluationSeed, earlyStopping, outDir, checkpointEvery, progressIntervalMs };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Fit one SPoSE embedding.
 *
 * Procedure (the reference's): W₀ ~ N(0.1, 0.01²) from `createRng(seed, 0)` (initWeights); every epoch
 * a fresh permutation of the training triplets from `createRng(seed, 1)` (used sequentially; its state
 * is checkpointed), cut into ⌊count / batchSize⌋ batches (the rest is dropped), one engine step per
 * batch. After each epoch: a record (mean step losses, train accuracy, validation accuracy and
 * cross-entropy via evaluateTriplets at the raw weights, active dims), results.json, a checkpoint every
 * `checkpointEvery` epochs and at the end, then the early-stopping rule. A non-finite epoch loss ends
 * the run ('diverged').
 *
 * Resume: with `resume` and a checkpoint in outDir, the run continues from it and produces the same
 * bytes as an uninterrupted run; a checkpoint made with another λ, dims, seed, batch size, engine,
 * data, … is refused with CheckpointMismatchError. A finished checkpoint is returned as is (a
 * 'completed' one continues when `epochs` is larger).
 *
 * The loop yields to the event loop about every 50 ms, so `signal` and progress work while it runs.
 *
 * @throws InvalidArgumentError for bad options or triplets (naming the row: "train row 12"),
 *   CheckpointMismatchError, ParseError/FileError for unreadable checkpoints; rejects with
 *   `signal.reason` when aborted.
 */
export async function fitSpose(options: FitOptions): Promise<FitResult> {
  const o = prepare(options);
  const { hyper, train, validation, seed, epochs, batchSize, outDir } = o;
  const n = hyper.nObjects, D = hyper.dims;
  const stepsPerEpoch = Math.floor(train.count / batchSize);
  const createEngine = options.createEngine ?? ((h: SposeHyperParams, init: Float32Array) => createCpuEngine(h, init));
  const signal = options.signal;
  signal?.throwIfAborted();

  const engine = createEngine(hyper, o.initialWeights ? Float32Array.from(o.initialWeights) : initWeights(n, D, seed));
  try {
    const cpu = engine.name === 'cpu';
    if (!cpu && hyper.similarity === 'euclidean-distance') {
      throw new InvalidArgumentError('hyper.similarity', `"dot" or "euclidean-squared" with the ${engine.name} engine ("euclidean-distance" needs the cpu engine)`, hyper.similarity);
    }
    const asyncOnly = engine.asyncOnly === true;
    if (asyncOnly && (engine.stepAsync === undefined || engine.getStateAsync === undefined)) {
      throw new InvalidArgumentError('engine', 'an asyncOnly engine with stepAsync and getStateAsync', engine.name);
    }
    const readState = (): Promise<EngineState> | EngineState => (asyncOnly ? engine.getStateAsync!() : engine.getState());
    const trainHash = hashBytes(train.data);
    const initHash = o.initialWeights ? hashBytes(o.initialWeights) : null;
    const validationHash = validation ? hashBytes(validation.data) : null;
    const config: FitConfig = {
      hyper,
      seed,
      epochs,
      batchSize,
      stepsPerEpoch,
      lrSchedule: describeLrSchedule(o.lrSchedule, epochs),
      engine: engine.name,
      earlyStopping: o.earlyStopping,
      evaluationSeed: o.evaluationSeed,
      trainCount: train.count,
      trainHash,
      validationCount: validation?.count ?? 0,
      validationHash,
      checkpointEvery: o.checkpointEvery,
      init: initHash ? `warm start: the given weights (float32 sha256 ${initHash})` : 'N(0.1, 0.01²) from createRng(seed, 0), row-major (initWeights)',
      dataOrder: 'each epoch a permutation of the training triplets from createRng(seed, 1), used sequentially; last partial batch dropped',
      trainAccuracyTies: cpu ? hyper.trainAccuracyTies : 'strict',
    };
    // What must match for a resume to continue bit-for-bit (epochs and checkpointEvery may change).
    const fields: FingerprintFields = {
      nObjects: n,
      dims: D,
      lambda: hyper.lambda,
      lr: hyper.lr,
      beta1: hyper.beta1,
      beta2: hyper.beta2,
      eps: hyper.eps,
      temperature: hyper.temperature,
      similarity: hyper.similarity,
      positivity: hyper.positivity,
      positivityWeight: hyper.positivityWeight,
      seed,
      batchSize,
      engine: engine.name,
      trainCount: train.count,
      trainHash,
      validationHash,
      evaluationSeed: o.evaluationSeed,
      earlyStopping: stoppingFingerprint(o.earlyStopping),
      // Only warm starts and schedules carry these, so the fingerprints of earlier runs stay as they were.
      ...(initHash ? { initHash } : {}),
      ...(o.lrSchedule.kind !== 'constant' ? { lrSchedule: describeLrSchedule(o.lrSchedule, epochs) } : {}),
    };
    const fingerprint = fingerprintOf(fields);

    const rng = createRng(seed, 1);
    const records: EpochRecord[] = [];
    let resumedAfterEpoch: number | null = null;
    let finished: StopReason | null = null;
    // Temp files of an earlier process killed mid-write (kill -9, a terminated worker) go before this run writes.
    if (outDir !== undefined) removeStaleTempFiles(outDir);
    if (outDir !== undefined && checkpointExists(outDir)) {
      if (options.resume) {
        const cp = readCheckpoint<FitConfig, EpochRecord>(outDir, fields, n, D);
        engine.setState(cp.state);
        rng.setState(cp.rngState);
        records.push(...cp.records.map(reviveRecord));
        resumedAfterEpoch = cp.epoch;
        if (cp.finished === 'early-stopping' || cp.finished === 'diverged' || (cp.finished === 'completed' && cp.epoch >= epochs)) {
          finished = cp.finished as StopReason;
        }
      } else if (!options.overwrite) {
        throw new InvalidArgumentError('outDir', 'a directory without a checkpoint (pass resume to continue that run, or overwrite to replace it)', outDir);
      }
    }

    const progress = createProgress(`fit seed ${seed}`, options.onProgress, {
      total: epochs * stepsPerEpoch * batchSize,
      unit: 'triplets',
      minIntervalMs: o.progressIntervalMs,
    });
    const summarize = (status: FitSummary['status']): FitSummary => summary(records, status, engine, resumedAfterEpoch, o.earlyStopping);
    const writeResults = (status: FitSummary['status']) => {
      if (outDir === undefined) return;
      const json = { format: 'conceptlab-spose-results', version: 1, config, summary: summarize(status), epochs: records };
      writeFileAtomic(join(outDir, RESULTS_FILE), JSON.stringify(json, null, 1) + '\n');
    };
    const checkpoint = (state: EngineState, stop: StopReason | null) => {
      if (outDir === undefined) return;
      writeCheckpoint(outDir, { config, fingerprint, fingerprintFields: fields, epoch: records.length, state, rngState: Array.from(rng.getState()), records, finished: stop }, n, D);
    };

    const data = train.data;
    const order = new Int32Array(train.count);
    const batch = new Int32Array(3 * batchSize);
    const totalSteps = epochs * stepsPerEpoch;
    const warmupSteps = o.lrSchedule.kind === 'cosine' ? o.lrSchedule.warmupEpochs * stepsPerEpoch : 0;
    const evalOptions = { seed: o.evaluationSeed, temperature: hyper.temperature, similarity: hyper.similarity };
    let lastYield = performance.now();
    let stopReason: StopReason = finished ?? 'completed';
    let state: EngineState | null = null;
    const pending: Promise<StepLoss>[] = [];

    for (let epoch = records.length + 1; finished === null && epoch <= epochs; epoch++) {
      signal?.throwIfAborted();
      const t0 = performance.now();
      // The same numbers as rng.permutation(count), without a new array per epoch.
      for (let i = 0; i < order.length; i++) order[i] = i;
      rng.shuffle(order);
      let sumTotal = 0, sumCe = 0, sumPos = 0, sumL1 = 0, correct = 0;
      const add = (loss: StepLoss): void => {
        sumTotal += loss.total;
        sumCe += loss.crossEntropy;
        sumPos += loss.positivity;
        sumL1 += loss.l1;
        correct += loss.correct;
      };
      for (let s = 0; s < stepsPerEpoch; s++) {
        const base = s * batchSize;
        for (let b = 0; b < batchSize; b++) {
          const t = 3 * order[base + b];
          batch[3 * b] = data[t];
          batch[3 * b + 1] = data[t + 1];
          batch[3 * b + 2] = data[t + 2];
        }
        const scale = o.lrSchedule.kind === 'constant' ? 1 : lrScaleAt(o.lrSchedule, (epoch - 1) * stepsPerEpoch + s, totalSteps, warmupSteps);
        if (asyncOnly) {
          // Steps are queued in order as they are asked for; their losses are read a window behind, in order
          // (so the sums are the same numbers as reading each at once), while the device works on.
          const p = engine.stepAsync!(batch, scale);
          p.catch(() => undefined); // awaited below: no unhandled rejection while earlier steps are read
          pending.push(p);
          if (pending.length >= ASYNC_STEPS_IN_FLIGHT) add(await pending.shift()!);
        } else {
          add(scale === 1 ? engine.step(batch) : engine.step(batch, scale));
        }
        if ((s & 7) === 7 && performance.now() - lastYield > YIELD_MS) {
          progress.update(((epoch - 1) * stepsPerEpoch + s + 1) * batchSize);
          await yieldToEventLoop();
          signal?.throwIfAborted();
          lastYield = performance.now();
        }
      }
      while (pending.length > 0) add(await pending.shift()!);
      state = await readState();
      const val = validation ? evaluateTriplets({ rows: n, cols: D, data: state.weights }, validation, evalOptions) : null;
      let rec: EpochRecord = {
        epoch,
        step: state.step,
        loss: sumTotal / stepsPerEpoch,
        crossEntropy: sumCe / stepsPerEpoch,
        positivity: sumPos / stepsPerEpoch,
        l1: sumL1 / stepsPerEpoch,
        trainAccuracy: correct / (stepsPerEpoch * batchSize),
        valAccuracy: val ? val.accuracy : null,
        valCrossEntropy: val ? val.crossEntropy : null,
        activeDims: countActiveDims(state.weights, n, D, DEFAULT_PRUNE_THRESHOLD),
        seconds: 0,
      };
      if (!Number.isFinite(rec.loss)) {
        finished = 'diverged';
      } else if (o.earlyStopping && 'rule' in o.earlyStopping) {
        const all = [...records, rec];
        const check = checkPlateau(all.map((r) => r.valCrossEntropy ?? NaN), all.map((r) => r.activeDims), o.earlyStopping);
        if (check) {
          rec = { ...rec, plateau: { improvement: check.improvement, dimsChange: check.dimsChange } };
          if (check.stop) finished = 'early-stopping';
        }
      } else if (o.earlyStopping) {
        const check = checkEarlyStopping([...records.map((r) => r.loss), rec.loss], o.earlyStopping);
        if (check) {
          rec = { ...rec, earlyStopping: { slope: check.slope, pValue: check.pValue } };
          if (check.stop) finished = 'early-stopping';
        }
      }
      rec = { ...rec, seconds: (performance.now() - t0) / 1000 };
      records.push(rec);
      if (finished === null && epoch === epochs) finished = 'completed';
      if (finished !== null) stopReason = finished;
      writeResults(finished ?? 'running');
      if (o.checkpointEvery !== null && (finished !== null || epoch % o.checkpointEvery === 0)) checkpoint(state, finished);
      progress.update(epoch * stepsPerEpoch * batchSize, epochDetail(rec));
    }

    state ??= await readState();
    if (resumedAfterEpoch !== null && records.length === resumedAfterEpoch) {
      // Nothing left to train (a finished checkpoint): make results.json agree with it.
      writeResults(stopReason);
    }
    const last = records[records.length - 1];
    progress.end(last ? epochDetail(last) : undefined);
    return { weights: state.weights, nObjects: n, dims: D, state, records, stopReason, config, summary: summarize(stopReason) };
  } finally {
    engine.dispose();
  }
}

function epochDetail(r: EpochRecord): Record<string, number | string> {
  const d: Record<string, number | string> = { epoch: r.epoch, loss: r.loss, trainAccuracy: r.trainAccuracy, dims: r.activeDims };
  if (r.valAccuracy !== null) d.valAccuracy = r.valAccuracy;
  return d;
}

/** JSON turns NaN into null; restore it in the numeric fields of a record read back from a checkpoint. */
function reviveRecord(r: EpochRecord): EpochRecord {
  const num = (x: number | null) => (x === null ? NaN : x);
  return { ...r, loss: num(r.loss), crossEntropy: num(r.crossEntropy), positivity: num(r.positivity), l1: num(r.l1) };
}

/** The resume fingerprint's text of a stopping rule (the reference's text unchanged, so its old checkpoints resume). */
function stoppingFingerprint(es: FitConfig['earlyStopping']): string | false {
  if (!es) return false;
  if ('rule' in es) return `plateau window ${es.window}, min improvement ${es.minImprovement}, dims tolerance ${es.dimsTolerance}`;
  return `window ${es.window}, p > ${es.pThreshold}`;
}

/** Why and when a run stopped, in words: the rule and the numbers of its last check. */
function stopDetail(status: FitSummary['status'], records: readonly EpochRecord[], es: FitConfig['earlyStopping']): string | null {
  const last = records[records.length - 1];
  const e = last?.epoch ?? 0;
  if (status === 'running') return null;
  if (status === 'completed') return `completed all ${e} epochs`;
  if (status === 'diverged') return `diverged: the loss was not finite at epoch ${e}`;
  const p = last?.plateau;
  if (es && 'rule' in es && p) {
    const imp = Number.isFinite(p.improvement) ? p.improvement.toPrecision(3) : String(p.improvement);
    return `plateau at epoch ${e}: the best validation cross-entropy improved by ${imp} (< ${es.minImprovement}) over the last ${es.window} epochs and the active dims changed by ${p.dimsChange} (≤ ${es.dimsTolerance}; ${last.activeDims} dims)`;
  }
  const check = last?.earlyStopping;
  if (es && !('rule' in es) && check) {
    return `the reference's rule at epoch ${e}: the last ${es.window} epoch losses' slope ${check.slope.toPrecision(3)} ${check.slope > 0 ? '> 0' : `has p = ${check.pValue.toPrecision(3)} > ${es.pThreshold}`}`;
  }
  return `stopped early at epoch ${e}`;
}

function summary(records: readonly EpochRecord[], status: FitSummary['status'], engine: TrainingEngine, resumedAfterEpoch: number | null, es: FitConfig['earlyStopping']): FitSummary {
  const last = records[records.length - 1];
  let best: EpochRecord | undefined;
  for (const r of records) if (r.valAccuracy !== null && (best === undefined || r.valAccuracy > best.valAccuracy!)) best = r;
  return {
    status,
    epochsDone: records.length,
    steps: last?.step ?? 0,
    loss: last?.loss ?? null,
    trainAccuracy: last?.trainAccuracy ?? null,
    valAccuracy: last?.valAccuracy ?? null,
    bestValAccuracy: best?.valAccuracy ?? null,
    bestValEpoch: best?.epoch ?? null,
    activeDims: last?.activeDims ?? null,
    resumedAfterEpoch,
    stopDetail: stopDetail(status, records, es),
  };
}
