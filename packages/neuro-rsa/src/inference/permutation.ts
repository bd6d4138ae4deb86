import { createRng, InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { compareRdms, compareVectors, type CompareMethod, type CompareOptions } from './compare.js';
import { checkRdm, rdmIndex, rdmLength, type Rdm } from '../rdm/rdm.js';

/** Options of {@link permutationTest}. */
export interface PermutationOptions extends CompareOptions {
  /** Number of random permutations (a positive integer; default 1000). */
  readonly permutations?: number;
  /** Seed of the `createRng` stream that draws the permutations (default 0). */
  readonly seed?: number;
}

/** Result of {@link permutationTest}. */
export interface PermutationResult {
  /** compare(model, brain) on the unpermuted RDMs. */
  readonly value: number;
  /** One-sided p = (1 + #{permuted ≥ value}) / (1 + permutations); NaN when `value` is NaN. */
  readonly p: number;
}

/**
 * One-sided condition-label permutation test of the model–brain RDM similarity: each permutation π
 * (uniform, from `createRng(seed).permutation(n)`) relabels the model's conditions on rows and
 * columns alike, d'(i, j) = d(π(i), π(j)), and the permuted model is compared with the brain.
 * p = (1 + #{permuted ≥ observed}) / (1 + permutations). A permuted value counts as ≥ the observed
 * one within 1e-12·max(1, |observed|), so that reorderings giving the same similarity up to
 * rounding are counted (e.g. the identity permutation).
 *
 * @throws InvalidArgumentError with fewer than 3 conditions or bad options.
 * @throws ShapeError when the RDMs have different numbers of conditions.
 */
export function permutationTest(
  model: Rdm,
  brain: Rdm,
  method: CompareMethod,
  options: PermutationOptions = {},
): PermutationResult {
  const { permutations = 1000, seed = 0 } = options;
  checkRdm(model, 'model');
  checkRdm(brain, 'brain');
  const n = model.n;
  if (brain.n !== n) throw new ShapeError(`RDMs over different numbers of conditions: model has ${n}, brain has ${brain.n}`);
  if (n < 3) throw new InvalidArgumentError('model', 'an RDM over at least 3 conditions', n);
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new InvalidArgumentError('permutations', 'a positive integer', permutations);
  }
  if (!Number.isInteger(seed)) throw new InvalidArgumentError('seed', 'an integer', seed);

  const value = compareRdms(model, brain, method, options);
  if (Number.isNaN(value)) return { value, p: Number.NaN };
  const threshold = value - 1e-12 * Math.max(1, Math.abs(value));
  const rng = createRng(seed);
  const permuted = new Float64Array(rdmLength(n));
  let count = 0;
  for (let r = 0; r < permutations; r++) {
    const pi = rng.permutation(n);
    let k = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) permuted[k++] = model.vector[rdmIndex(n, pi[i]!, pi[j]!)]!;
    }
    if (compareVectors(permuted, brain.vector, method, options) >= threshold) count++;
  }
  return { value, p: (1 + count) / (1 + permutations) };
}
