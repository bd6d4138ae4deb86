import { createRng, InvalidArgumentError, matlabPrctile, sampleSd, ShapeError } from '@conceptlab/core';

export const SHUFFLED_LABEL_CHANCE_METHOD = 'paper: shuffle labels against fixed predictions';

/** The authors' chance level of a classifier (compute_chance_level.m): accuracies as fractions (×100 = their percent). */
export interface ShuffledLabelChance {
  readonly method: typeof SHUFFLED_LABEL_CHANCE_METHOD;
  readonly permutations: number;
  readonly seed: number;
  /** Mean accuracy over the shuffles: the chance level. */
  readonly mean: number;
  /** MATLAB `prctile` 2.5 and 97.5 of the shuffle accuracies (the authors' 95% interval). */
  readonly lower: number;
  readonly upper: number;
  /** (upper − lower)/2: the half-width the authors' bar shows. */
  readonly halfWidth: number;
  /** Sample SD of the shuffle accuracies. */
  readonly sd: number;
  /** The exact expectation of a shuffle's accuracy, Σ_c n_c·m_c / N² (n_c true, m_c predicted labels of class c). */
  readonly expected: number;
}

/**
 * Chance level the authors' way (Du et al. 2025, helper_functions/compute_chance_level.m; authors-procedures
 * item 3): the classifier's predictions stay fixed; the TRUE labels are shuffled `permutations` times
 * (default 1,000; a uniform random permutation each time, `createRng(seed, 0)`), each scoring
 * mean(shuffled == predicted). Chance = the mean; the interval = MATLAB prctile 2.5 / 97.5. The classifier is
 * not re-run. Bit-reproducible for a seed.
 *
 * @throws ShapeError when the arrays differ in length; InvalidArgumentError for no objects, non-integer labels, or bad permutations/seed.
 */
export function shuffledLabelChance(predicted: ArrayLike<number>, labels: ArrayLike<number>, options: { permutations?: number; seed?: number } = {}): ShuffledLabelChance {
  const permutations = options.permutations ?? 1000;
  const seed = options.seed ?? 0;
  const n = labels.length;
  if (predicted.length !== n) throw new ShapeError(`${predicted.length} predictions but ${n} labels`);
  if (n < 1) throw new InvalidArgumentError('labels', 'at least one object', n);
  if (!Number.isInteger(permutations) || permutations < 1) throw new InvalidArgumentError('permutations', 'a positive integer', permutations);
  for (let t = 0; t < n; t++) {
    if (!Number.isInteger(labels[t])) throw new InvalidArgumentError(`labels[${t}]`, 'an integer label', labels[t]);
    if (!Number.isInteger(predicted[t])) throw new InvalidArgumentError(`predicted[${t}]`, 'an integer label', predicted[t]);
  }
  const rng = createRng(seed, 0);
  const acc = new Float64Array(permutations);
  for (let p = 0; p < permutations; p++) {
    const perm = rng.permutation(n);
    let hit = 0;
    for (let t = 0; t < n; t++) if (labels[perm[t]] === predicted[t]) hit++;
    acc[p] = hit / n;
  }
  let mean = 0;
  for (const a of acc) mean += a;
  mean /= permutations;
  const nTrue = new Map<number, number>(), nPred = new Map<number, number>();
  for (let t = 0; t < n; t++) {
    nTrue.set(labels[t], (nTrue.get(labels[t]) ?? 0) + 1);
    nPred.set(predicted[t], (nPred.get(predicted[t]) ?? 0) + 1);
  }
  let expected = 0;
  for (const [c, k] of nTrue) expected += k * (nPred.get(c) ?? 0);
  expected /= n * n;
  const lower = matlabPrctile(acc, 2.5), upper = matlabPrctile(acc, 97.5);
  return { method: SHUFFLED_LABEL_CHANCE_METHOD, permutations, seed, mean, lower, upper, halfWidth: (upper - lower) / 2, sd: permutations > 1 ? sampleSd(acc) : 0, expected };
}
