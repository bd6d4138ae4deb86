import { createProgress, InvalidArgumentError, type ProgressListener, type Rng, type Triplets } from '@conceptlab/core';
import type { ObjectMatrix } from '../choice-probabilities.js';
import { choose3, MAX_OBJECTS } from '../combinatorics.js';
import { sampleDistinctCodes } from '../distinct-codes.js';
import { shuffleRows } from '../presentation-order.js';
import { uniformSpace } from '../sample-uniform.js';
import { resolveRng, type SeedOrRng } from '../seed.js';
import { decodeSet, distinctSetCodes } from '../set-code.js';
import { checkInteger, checkTriplets } from '../validate.js';
import { acquisitionScores, checkAcquisitionRule, checkEnsemble, type AcquisitionRule } from './acquisition.js';
import { coverageOrder } from './coverage.js';

/** How a model rule turns scores into a batch: the best scores, or a draw ∝ score (Gumbel top-k). */
export type BatchSelection = 'top' | 'stochastic';

export interface SelectBatchOptions {
  /** Number of objects (3 ≤ nObjects ≤ 208,063). */
  readonly nObjects: number;
  /** Number of new sets to choose (≥ 1). */
  readonly count: number;
  readonly rule: AcquisitionRule;
  /** Seeds the candidate pool, the stochastic selection and the presentation order. */
  readonly seed: SeedOrRng;
  /** The fitted embeddings (objects × dims each) the model rules score with: ≥ 1 for uncertainty, ≥ 2 for information-gain. */
  readonly ensemble?: readonly ObjectMatrix[];
  /** The choice rule's softmax temperature (default 1, as SPoSE fits). */
  readonly temperature?: number;
  /** The sets asked so far (any order within a row): never asked again; coverage evens out their counts. */
  readonly asked?: Triplets;
  /**
   * Candidates drawn uniformly from the sets not yet asked, from which the batch is chosen (default
   * min(10·count, all that are left)). Not used by `uniform`, whose batch is itself a uniform draw.
   */
  readonly poolSize?: number;
  /**
   * Diversity of the model rules: no object in more than this many of the batch's sets (default
   * ⌈2 · 3·count / nObjects⌉, twice an object's share), so a batch is not all about the same few objects.
   */
  readonly maxPerObject?: number;
  /** Model rules: `top` (default) takes the best scores; `stochastic` draws ∝ score (Kirsch et al. 2023). */
  readonly selection?: BatchSelection;
  /** Progress events (task "select batch", unit "candidates"). */
  readonly onProgress?: ProgressListener;
}

export interface SelectedBatch {
  /** The chosen sets, unanswered, each in a random presentation order, rows in random order. */
  readonly triplets: Triplets;
  readonly rule: AcquisitionRule;
  /** `top` or `stochastic` for the model rules, null for uniform and coverage. */
  readonly selection: BatchSelection | null;
  /** The rule's score of each chosen row in nats (model rules); null for uniform and coverage. */
  readonly scores: Float64Array | null;
  /** Mean score of the chosen rows and of the whole pool (model rules; else null): how much the rule gained. */
  readonly meanScore: number | null;
  readonly poolMeanScore: number | null;
  /** Candidates drawn (uniform: the count). */
  readonly poolSize: number;
  /** The per-object cap of the model rules (null for uniform and coverage). */
  readonly maxPerObject: number | null;
  /** Rows taken above the cap because the pool had too few candidates within it (0 unless the pool is small). */
  readonly overCap: number;
}

/**
 * Choose the next `count` odd-one-out sets of an adaptive design: a round of the loop "fit, choose, answer,
 * refit". A pool of candidates is drawn uniformly from the sets not asked yet; the rule picks from it:
 * - `uniform`: the pool is the batch (uniformly random new sets: the baseline);
 * - `coverage`: greedily, the candidate whose objects and pairs have been asked least so far (counting the asked
 *   sets and the batch chosen so far; objects first, pairs break near-ties) — a balanced design without a model;
 * - `uncertainty` / `information-gain`: candidates scored by {@link acquisitionScores} with the ensemble, taken
 *   best first (or drawn ∝ score with `selection: 'stochastic'`), skipping a candidate that would put an object in
 *   more than `maxPerObject` sets of the batch.
 * A set is never chosen twice, nor one of `asked`. Bit-for-bit reproducible for a seed.
 *
 * Batch acquisition follows the crowd-kernel idea of asking, about every object, the question whose answer
 * the current model is least sure of in an informative way (Tamuz et al. 2011), with the BALD score of
 * Houlsby et al. (2011) and the stochastic batch selection of Kirsch et al. (2023).
 *
 * @throws InvalidArgumentError for bad options (before any work): an unknown rule, a count above the sets left,
 *   a missing or inconsistent ensemble for a model rule, an asked row outside the objects, a pool smaller than
 *   the count.
 */
export function selectBatch(options: SelectBatchOptions): SelectedBatch {
  const n = checkInteger('nObjects', options.nObjects, 3, MAX_OBJECTS);
  const count = checkInteger('count', options.count, 1);
  const rule = checkAcquisitionRule('rule', options.rule);
  const rng = resolveRng(options.seed);
  if (options.asked !== undefined) checkTriplets('asked', options.asked, n);
  const model = rule === 'uncertainty' || rule === 'information-gain';
  if (model) {
    checkEnsemble(rule, options.ensemble);
    const rows = options.ensemble![0].rows;
    if (rows !== n) throw new InvalidArgumentError('ensemble', `embeddings of nObjects = ${n} objects`, `${rows} rows`);
  }
  const selection = options.selection ?? 'top';
  if (selection !== 'top' && selection !== 'stochastic') throw new InvalidArgumentError('selection', 'top or stochastic', selection);
  const excluded = options.asked ? distinctSetCodes(options.asked.data, n) : new Float64Array(0);
  const left = choose3(n) - excluded.length;
  if (count > left) throw new InvalidArgumentError('count', `at most the ${left} sets over ${n} objects not asked yet`, count);
  const poolSize = rule === 'uniform' ? count : options.poolSize === undefined ? Math.min(10 * count, left) : checkInteger('poolSize', options.poolSize, count, left);
  const maxPerObject = options.maxPerObject === undefined ? Math.max(1, Math.ceil((2 * 3 * count) / n)) : checkInteger('maxPerObject', options.maxPerObject, 1);

  const progress = createProgress('select batch', options.onProgress, { total: poolSize, unit: 'candidates' });
  const pool = sampleDistinctCodes(uniformSpace(n), poolSize, rng, excluded);
  const poolSets = new Int32Array(3 * poolSize);
  for (let i = 0; i < poolSize; i++) decodeSet(pool[i], n, poolSets, 3 * i);

  let chosen: Int32Array;
  let scores: Float64Array | null = null;
  let meanScore: number | null = null, poolMeanScore: number | null = null;
  let overCap = 0;
  if (rule === 'uniform') {
    chosen = Int32Array.from({ length: count }, (_, i) => i);
  } else if (rule === 'coverage') {
    chosen = coverageOrder(poolSets, n, count, options.asked);
  } else {
    const all = acquisitionScores(rule, { count: poolSize, data: poolSets }, options.ensemble!, { temperature: options.temperature });
    progress.update(poolSize);
    const keys = selection === 'top' ? all : gumbelKeys(all, rng);
    const order = Int32Array.from({ length: poolSize }, (_, i) => i).sort((a, b) => keys[b] - keys[a] || a - b);
    const uses = new Int32Array(n);
    const taken = new Uint8Array(poolSize);
    chosen = new Int32Array(count);
    let m = 0;
    for (let r = 0; r < poolSize && m < count; r++) {
      const i = order[r], o = 3 * i;
      const a = poolSets[o], b = poolSets[o + 1], c = poolSets[o + 2];
      if (uses[a] >= maxPerObject || uses[b] >= maxPerObject || uses[c] >= maxPerObject) continue;
      uses[a]++; uses[b]++; uses[c]++;
      taken[i] = 1;
      chosen[m++] = i;
    }
    // A pool too small for the cap: fill with the best of the rest, and say how many.
    for (let r = 0; r < poolSize && m < count; r++) {
      const i = order[r];
      if (taken[i]) continue;
      chosen[m++] = i;
      overCap++;
    }
    scores = Float64Array.from(chosen, (i) => all[i]);
    meanScore = scores.reduce((s, x) => s + x, 0) / count;
    poolMeanScore = all.reduce((s, x) => s + x, 0) / poolSize;
  }

  const data = new Int32Array(3 * count);
  for (let t = 0; t < count; t++) data.set(poolSets.subarray(3 * chosen[t], 3 * chosen[t] + 3), 3 * t);
  // Rows in random order (the pool's order is random already for uniform), each in a random presentation order.
  if (rule !== 'uniform') {
    const perm = rng.permutation(count);
    const rows = data.slice();
    for (let t = 0; t < count; t++) data.set(rows.subarray(3 * perm[t], 3 * perm[t] + 3), 3 * t);
    if (scores) scores = Float64Array.from(perm, (p) => scores![p]);
  }
  shuffleRows(data, rng);
  progress.end();
  return {
    triplets: { count, data },
    rule,
    selection: model ? selection : null,
    scores,
    meanScore,
    poolMeanScore,
    poolSize,
    maxPerObject: model ? maxPerObject : null,
    overCap,
  };
}

/** Keys whose top-k is a draw without replacement with p ∝ score (Gumbel top-k); a zero score comes last. */
function gumbelKeys(scores: Float64Array, rng: Rng): Float64Array {
  const keys = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const u = rng.nextFloat();
    const g = -Math.log(-Math.log(u > 0 ? u : Number.MIN_VALUE));
    keys[i] = scores[i] > 0 ? Math.log(scores[i]) + g : -Infinity;
  }
  return keys;
}
