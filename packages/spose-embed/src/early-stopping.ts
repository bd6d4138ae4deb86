import { InvalidArgumentError } from '@conceptlab/core';
import { linearRegression } from './stats/student-t.js';

/** The SPoSE reference's convergence rule (train.py): a linear regression over recent epoch losses. */
export interface EarlyStoppingOptions {
  /** Number of most recent epoch training losses regressed on 0 … window − 1 (default 50). */
  readonly window?: number;
  /** Stop when the slope's two-sided p-value exceeds this (default 0.1). */
  readonly pThreshold?: number;
}

export const DEFAULT_EARLY_STOPPING: Required<EarlyStoppingOptions> = { window: 50, pThreshold: 0.1 };

export interface EarlyStoppingCheck {
  readonly stop: boolean;
  readonly slope: number;
  readonly pValue: number;
}

/** Validated options with defaults filled in. */
export function resolveEarlyStopping(options: EarlyStoppingOptions = {}): Required<EarlyStoppingOptions> {
  const window = options.window ?? DEFAULT_EARLY_STOPPING.window;
  const pThreshold = options.pThreshold ?? DEFAULT_EARLY_STOPPING.pThreshold;
  if (!Number.isInteger(window) || window < 3) throw new InvalidArgumentError('earlyStopping.window', 'an integer ≥ 3', window);
  if (!(pThreshold > 0 && pThreshold < 1)) throw new InvalidArgumentError('earlyStopping.pThreshold', 'a number in (0, 1)', pThreshold);
  return { window, pThreshold };
}

/**
 * The reference's rule, applied after each epoch to the per-epoch training losses so far: once more
 * than `window` epochs are done (the reference's `(epoch + 1) > window_size`), regress the last
 * `window` losses on 0 … window − 1 (scipy.stats.linregress) and stop when the slope is > 0 (the loss
 * rises) or its p-value is > pThreshold (no significant trend left: converged). A NaN loss in the window
 * stops too (the comparisons are written so that NaN means "stop").
 *
 * Returns undefined while there are not yet more than `window` losses.
 */
export function checkEarlyStopping(losses: ArrayLike<number>, options: EarlyStoppingOptions = {}): EarlyStoppingCheck | undefined {
  const { window, pThreshold } = resolveEarlyStopping(options);
  if (losses.length <= window) return undefined;
  const recent = Array.from({ length: window }, (_, i) => losses[losses.length - window + i]);
  const { slope, pValue } = linearRegression(recent);
  return { stop: !(slope <= 0) || !(pValue <= pThreshold), slope, pValue };
}
