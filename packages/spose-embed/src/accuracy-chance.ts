import { createRng, InvalidArgumentError, matlabPrctile, mean } from '@conceptlab/core';

export const ACCURACY_CHANCE_METHOD = 'random labels: mean and MATLAB prctile 2.5/97.5 of mean(pred == label) over draws, label uniform on the 3 pairs per triplet';

export interface AccuracyChanceOptions {
  /** Number of random label draws (default 1,000, as the authors). */
  readonly draws?: number;
  /** Seed: the draws use createRng(seed, 1) (tie-breaks in evaluateTriplets use stream 0). Default 0. */
  readonly seed?: number;
}

export interface AccuracyChance {
  readonly method: typeof ACCURACY_CHANCE_METHOD;
  readonly draws: number;
  /** Mean chance accuracy (proportion; about 1/3). */
  readonly mean: number;
  /** MATLAB prctile 2.5 and 97.5 of the draws. */
  readonly low: number;
  readonly high: number;
}

/**
 * The authors' chance level of an odd-one-out accuracy (figure 2h script, shared/docs/authors-procedures.md
 * item 4 step 6): keep the model's predicted pairs fixed (evaluateTriplets' `predicted`), draw a random label
 * in {0, 1, 2} for every triplet, score mean(predicted == label); repeat `draws` times; report the mean and
 * MATLAB's prctile 2.5 / 97.5. Bit-reproducible for a seed (MATLAB's stream is not reproduced).
 *
 * @throws InvalidArgumentError for no predictions, a prediction outside {0, 1, 2}, or bad options.
 */
export function accuracyChance(predicted: ArrayLike<number>, options: AccuracyChanceOptions = {}): AccuracyChance {
  const draws = options.draws ?? 1000;
  if (!Number.isSafeInteger(draws) || draws < 1) throw new InvalidArgumentError('draws', 'a positive integer', draws);
  const N = predicted.length;
  if (N === 0) throw new InvalidArgumentError('predicted', 'at least one prediction', 0);
  for (let t = 0; t < N; t++) {
    const v = predicted[t];
    if (v !== 0 && v !== 1 && v !== 2) throw new InvalidArgumentError(`predicted[${t}]`, '0, 1 or 2', v);
  }
  const rng = createRng(options.seed ?? 0, 1);
  const acc = new Float64Array(draws);
  for (let b = 0; b < draws; b++) {
    let hits = 0;
    for (let t = 0; t < N; t++) if (rng.nextInt(3) === predicted[t]) hits++;
    acc[b] = hits / N;
  }
  return { method: ACCURACY_CHANCE_METHOD, draws, mean: mean(acc), low: matlabPrctile(acc, 2.5), high: matlabPrctile(acc, 97.5) };
}
