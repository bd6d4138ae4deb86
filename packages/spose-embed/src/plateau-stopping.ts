import { InvalidArgumentError } from '@conceptlab/core';

/**
 * conceptlab's convergence rule ("plateau"): stop when the quality a user reads stops changing — the held-out
 * (validation) cross-entropy has stopped improving AND the active dimensionality has stopped moving. The SPoSE
 * reference's rule (a regression on the training loss, {@link EarlyStoppingOptions}) watches neither: under the
 * L1 penalty the training loss keeps falling slowly while dims are pruned, and it says nothing about held-out fit.
 */
export interface PlateauStoppingOptions {
  readonly rule: 'plateau';
  /** Epochs W over which nothing may change (default 10). */
  readonly window?: number;
  /**
   * Smallest decrease of the best validation cross-entropy (nats per triplet) that counts as an improvement
   * (default 0.001): the best of the last W epochs must beat the best before them by at least this.
   */
  readonly minImprovement?: number;
  /** Largest spread (max − min) of the active dims over the last W + 1 epochs that counts as unchanged (default 0). */
  readonly dimsTolerance?: number;
}

export const DEFAULT_PLATEAU_STOPPING: Required<PlateauStoppingOptions> = { rule: 'plateau', window: 10, minImprovement: 0.001, dimsTolerance: 0 };

/** One check of the plateau rule after an epoch. */
export interface PlateauCheck {
  readonly stop: boolean;
  /** Best validation cross-entropy before the window minus the best within it (> 0: the window improved). */
  readonly improvement: number;
  /** max − min of the active dims over the last W + 1 epochs. */
  readonly dimsChange: number;
}

/** Validated options with defaults filled in. */
export function resolvePlateauStopping(options: PlateauStoppingOptions): Required<PlateauStoppingOptions> {
  const window = options.window ?? DEFAULT_PLATEAU_STOPPING.window;
  const minImprovement = options.minImprovement ?? DEFAULT_PLATEAU_STOPPING.minImprovement;
  const dimsTolerance = options.dimsTolerance ?? DEFAULT_PLATEAU_STOPPING.dimsTolerance;
  if (!Number.isInteger(window) || window < 1 || window > 100_000) throw new InvalidArgumentError('earlyStopping.window', 'an integer in [1, 100000]', window);
  if (!(minImprovement >= 0) || !Number.isFinite(minImprovement)) throw new InvalidArgumentError('earlyStopping.minImprovement', 'a finite number ≥ 0', minImprovement);
  if (!Number.isInteger(dimsTolerance) || dimsTolerance < 0) throw new InvalidArgumentError('earlyStopping.dimsTolerance', 'an integer ≥ 0', dimsTolerance);
  return { rule: 'plateau', window, minImprovement, dimsTolerance };
}

/**
 * The plateau rule after epoch e = `valCrossEntropy.length` (the per-epoch series so far, oldest first, equal
 * lengths). Checked once more than W epochs are done: with `before` the epochs 1 … e − W and `window` the epochs
 * e − W + 1 … e,
 * - improvement = min(valCE over before) − min(valCE over window);
 * - dimsChange = max − min of activeDims over epochs e − W … e (W + 1 values: unchanged for W epochs);
 * - stop when improvement < minImprovement and dimsChange ≤ dimsTolerance.
 * A NaN cross-entropy is no improvement. Returns undefined while e ≤ W.
 *
 * @throws InvalidArgumentError when the two series differ in length or the options are invalid.
 */
export function checkPlateau(valCrossEntropy: ArrayLike<number>, activeDims: ArrayLike<number>, options: PlateauStoppingOptions): PlateauCheck | undefined {
  const { window, minImprovement, dimsTolerance } = resolvePlateauStopping(options);
  const e = valCrossEntropy.length;
  if (activeDims.length !== e) throw new InvalidArgumentError('activeDims', `one value per epoch (${e})`, activeDims.length);
  if (e <= window) return undefined;
  let bestBefore = Infinity, bestWithin = Infinity;
  for (let i = 0; i < e; i++) {
    const v = valCrossEntropy[i];
    if (!(v === v)) continue;
    if (i < e - window) bestBefore = Math.min(bestBefore, v);
    else bestWithin = Math.min(bestWithin, v);
  }
  // No finite value in the window: no improvement; none before it (but some within): the window improved.
  const improvement = bestWithin === Infinity ? -Infinity : bestBefore === Infinity ? Infinity : bestBefore - bestWithin;
  let lo = Infinity, hi = -Infinity;
  for (let i = e - window - 1; i < e; i++) {
    lo = Math.min(lo, activeDims[i]);
    hi = Math.max(hi, activeDims[i]);
  }
  const dimsChange = hi - lo;
  return { stop: !(improvement >= minImprovement) && dimsChange <= dimsTolerance, improvement, dimsChange };
}
