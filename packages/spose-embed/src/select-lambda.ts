import { ConceptlabError, InvalidArgumentError, type ProgressListener, type Triplets } from '@conceptlab/core';
import type { SposeHyperParams } from './config.js';
import { fitSpose, type FitOptions, type FitResult, type StopReason } from './fit.js';

/**
 * Options of {@link selectLambda}: the options of one fit (fitSpose's, as a library user passes them) without λ,
 * plus the candidate λ values. Runs are fitted in memory (no outDir, checkpoints or resume).
 */
export interface SelectLambdaOptions extends Omit<FitOptions, 'hyper' | 'validation' | 'initialWeights' | 'outDir' | 'checkpointEvery' | 'resume' | 'overwrite' | 'onProgress'> {
  /** The candidate λ values: at least 2, each finite and > 0, no two equal (any order). */
  readonly candidates: readonly number[];
  /** Held-out triplets the candidates are scored on (required: the criterion is their cross-entropy). */
  readonly validation: Triplets;
  /** nObjects plus any hyper-parameters other than λ that differ from DEFAULT_HYPER (λ comes from `candidates`). */
  readonly hyper: Partial<Omit<SposeHyperParams, 'nObjects' | 'lambda'>> & { readonly nObjects: number };
  /** Progress of each candidate's fit (task "select λ <λ> (<i> of <n>), seed <seed>", unit "triplets"). */
  readonly onProgress?: ProgressListener;
}

/** One candidate's run, as scored on the validation triplets after its last epoch. */
export interface LambdaCandidate {
  readonly lambda: number;
  /** Mean cross-entropy of the validation triplets at the run's final weights (the criterion; NaN when it diverged). */
  readonly valCrossEntropy: number;
  /** Validation accuracy at the same weights (reported beside the criterion; ties broken with evaluationSeed). */
  readonly valAccuracy: number;
  /** Dimensions whose maximum weight is > 0.1 at the end. */
  readonly activeDims: number;
  /** Epochs the run trained. */
  readonly epochs: number;
  readonly stopReason: StopReason;
  /** Why and when the run stopped, in words (fitSpose's summary.stopDetail). */
  readonly stopDetail: string | null;
  /** Wall-clock seconds of the run (not reproducible, unlike everything else). */
  readonly seconds: number;
}

/** The result of {@link selectLambda}. */
export interface LambdaSelection {
  /** What the choice minimised. */
  readonly criterion: typeof LAMBDA_SELECTION_CRITERION;
  /** The chosen λ: the lowest validation cross-entropy (exact ties: the larger λ). */
  readonly lambda: number;
  /** Every candidate, in the order given. */
  readonly candidates: readonly LambdaCandidate[];
  /** Index of the chosen candidate in `candidates`. */
  readonly chosenIndex: number;
  /** The seed every candidate was fitted with. */
  readonly seed: number;
  /** The chosen candidate's fit (weights, records, config). */
  readonly fit: FitResult;
}

/** The criterion {@link selectLambda} minimises, by name (recorded in its result and the CLI's lambda-selection.json). */
export const LAMBDA_SELECTION_CRITERION = 'validation cross-entropy' as const;

/** No candidate λ produced a usable run (every one diverged): there is nothing to choose. */
export class LambdaSelectionError extends ConceptlabError {
  readonly _tag = 'LambdaSelectionError' as const;
  constructor(message: string) {
    super(message);
    this.name = 'LambdaSelectionError';
  }
}

/** Validate the candidates: an array of at least 2 finite positive numbers, no two equal. */
function checkCandidates(candidates: unknown): readonly number[] {
  if (!Array.isArray(candidates)) throw new InvalidArgumentError('candidates', 'an array of λ values', candidates);
  if (candidates.length < 2) throw new InvalidArgumentError('candidates', 'at least 2 λ values to choose from', candidates.length === 0 ? 'none' : `only ${candidates[0]}`);
  for (const c of candidates) {
    if (typeof c !== 'number' || !Number.isFinite(c) || !(c > 0)) throw new InvalidArgumentError('candidates', 'finite λ values > 0', c);
  }
  const dup = candidates.find((c, i) => candidates.indexOf(c) !== i);
  if (dup !== undefined) throw new InvalidArgumentError('candidates', `distinct λ values (${dup} is given twice)`, candidates.join(','));
  return candidates as number[];
}

/**
 * Choose λ by cross-validation, as the SPoSE work chose it (Hebart et al. 2020): fit one run per candidate λ on the
 * training triplets — the same seed, data order, epochs, batch size, stopping rule and every other setting, only λ
 * differs — score each on the validation triplets by the mean cross-entropy at the run's final weights (the
 * `valCrossEntropy` fitSpose records after its last epoch, computed by evaluateTriplets; its accuracy is reported
 * beside it), and choose the lowest. An exact tie goes to the larger λ (the sparser model). A run that diverged is
 * recorded but cannot be chosen.
 *
 * The candidates are fitted one after another in this thread (one seed: the paper chose λ once, then fitted all its
 * seeds with it). Each is deterministic, so the chosen candidate's fit is bit for bit the run fitSpose gives with
 * the chosen λ and the same options.
 *
 * @throws InvalidArgumentError for bad candidates (fewer than 2, not finite, ≤ 0, repeated), missing validation
 *   triplets or a λ in `hyper` — all before any fit — and fitSpose's errors for the other options;
 *   LambdaSelectionError when every candidate diverged; rejects with `signal.reason` when aborted.
 */
export async function selectLambda(options: SelectLambdaOptions): Promise<LambdaSelection> {
  if (!options || typeof options !== 'object') throw new InvalidArgumentError('options', 'an object');
  const { candidates: given, validation, hyper, onProgress, ...rest } = options;
  const candidates = checkCandidates(given);
  if (!validation || !(validation.data instanceof Int32Array) || validation.count < 1 || validation.data.length !== 3 * validation.count) {
    throw new InvalidArgumentError('validation', 'held-out Triplets (at least one): the candidates are scored on them', validation && validation.count === 0 ? 'none' : validation);
  }
  if (!hyper || typeof hyper !== 'object') throw new InvalidArgumentError('hyper', 'an object with nObjects', hyper);
  if ('lambda' in hyper && (hyper as { lambda?: unknown }).lambda !== undefined) {
    throw new InvalidArgumentError('hyper.lambda', 'no λ (the candidates are the λ values)', (hyper as { lambda?: unknown }).lambda);
  }

  const records: LambdaCandidate[] = [];
  let best: { index: number; fit: FitResult } | null = null;
  for (let i = 0; i < candidates.length; i++) {
    const lambda = candidates[i];
    const task = `select λ ${lambda} (${i + 1} of ${candidates.length}), seed ${rest.seed}`;
    const t0 = performance.now();
    const fit = await fitSpose({
      ...rest,
      validation,
      hyper: { ...hyper, lambda },
      onProgress: onProgress && ((e) => onProgress({ ...e, task })),
    });
    const last = fit.records[fit.records.length - 1];
    const usable = fit.stopReason !== 'diverged' && last !== undefined && Number.isFinite(last.valCrossEntropy);
    const record: LambdaCandidate = {
      lambda,
      valCrossEntropy: usable ? last.valCrossEntropy! : NaN,
      valAccuracy: last?.valAccuracy ?? NaN,
      activeDims: last?.activeDims ?? 0,
      epochs: fit.records.length,
      stopReason: fit.stopReason,
      stopDetail: fit.summary.stopDetail,
      seconds: (performance.now() - t0) / 1000,
    };
    records.push(record);
    if (!usable) continue;
    const b = best && records[best.index];
    if (!b || record.valCrossEntropy < b.valCrossEntropy || (record.valCrossEntropy === b.valCrossEntropy && lambda > b.lambda)) {
      best = { index: i, fit };
    }
  }
  if (!best) throw new LambdaSelectionError(`select λ: every candidate diverged (${candidates.join(', ')}): nothing to choose (try a smaller learning rate)`);
  return { criterion: LAMBDA_SELECTION_CRITERION, lambda: candidates[best.index], candidates: records, chosenIndex: best.index, seed: rest.seed, fit: best.fit };
}
