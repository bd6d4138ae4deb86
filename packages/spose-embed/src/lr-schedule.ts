import { InvalidArgumentError } from '@conceptlab/core';

/**
 * How the learning rate changes over a run, as a factor of `hyper.lr` at each Adam step.
 * - `constant` (the paper and the SPoSE reference): factor 1 at every step.
 * - `cosine` (ours): a linear warm-up over the first `warmupEpochs` epochs (factor (t+1)/W at step t), then
 *   a half cosine from 1 down to `floor` at the last step of epoch `epochs`:
 *   floor + (1 − floor)·½·(1 + cos(π·(t − W)/(T − W))), T = epochs·stepsPerEpoch, W = warmupEpochs·stepsPerEpoch.
 *   The decay is set by the run's `epochs`: a run stopped early by a stopping rule ends before the floor.
 */
export type LrSchedule =
  | { readonly kind: 'constant' }
  | { readonly kind: 'cosine'; readonly warmupEpochs?: number; readonly floor?: number };

/** A schedule with every field filled in. */
export type ResolvedLrSchedule = { readonly kind: 'constant' } | { readonly kind: 'cosine'; readonly warmupEpochs: number; readonly floor: number };

export const CONSTANT_LR: ResolvedLrSchedule = { kind: 'constant' };

/** Validate a schedule and fill its defaults (warm-up 0 epochs, floor 0). */
export function resolveLrSchedule(s: LrSchedule | undefined, epochs: number): ResolvedLrSchedule {
  if (s === undefined) return CONSTANT_LR;
  if (!s || typeof s !== 'object') throw new InvalidArgumentError('lrSchedule', '{ kind: "constant" } or { kind: "cosine", warmupEpochs?, floor? }', s);
  if (s.kind === 'constant') return CONSTANT_LR;
  if (s.kind !== 'cosine') throw new InvalidArgumentError('lrSchedule.kind', '"constant" or "cosine"', (s as { kind: unknown }).kind);
  const warmupEpochs = s.warmupEpochs ?? 0;
  if (!Number.isSafeInteger(warmupEpochs) || warmupEpochs < 0 || warmupEpochs >= epochs) {
    throw new InvalidArgumentError('lrSchedule.warmupEpochs', `an integer in [0, ${epochs - 1}] (fewer than the run's ${epochs} epochs)`, warmupEpochs);
  }
  const floor = s.floor ?? 0;
  if (!(floor >= 0 && floor <= 1)) throw new InvalidArgumentError('lrSchedule.floor', 'a fraction of the learning rate in [0, 1]', floor);
  return { kind: 'cosine', warmupEpochs, floor };
}

/** The factor of the learning rate at 0-based step `t` of a run of `totalSteps` steps, `warmupSteps` of them warm-up. */
export function lrScaleAt(s: ResolvedLrSchedule, t: number, totalSteps: number, warmupSteps: number): number {
  if (s.kind === 'constant') return 1;
  if (t < warmupSteps) return (t + 1) / warmupSteps;
  const span = totalSteps - 1 - warmupSteps;
  const x = span > 0 ? Math.min(1, (t - warmupSteps) / span) : 1;
  return s.floor + (1 - s.floor) * 0.5 * (1 + Math.cos(Math.PI * x));
}

/** The schedule in words (results.json, the resume fingerprint). */
export function describeLrSchedule(s: ResolvedLrSchedule, epochs: number): string {
  if (s.kind === 'constant') return 'constant';
  return `cosine over ${epochs} epochs to ${s.floor}·lr` + (s.warmupEpochs > 0 ? `, linear warm-up ${s.warmupEpochs} epoch${s.warmupEpochs === 1 ? '' : 's'}` : '');
}
