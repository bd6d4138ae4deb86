import { InvalidArgumentError } from '@conceptlab/core';
import type { LrSchedule } from './lr-schedule.js';

/** The named training schedules: `paper` (the paper's and the SPoSE reference's) and `fast` (ours). */
export type ScheduleName = 'paper' | 'fast';
export const SCHEDULE_NAMES: readonly ScheduleName[] = ['paper', 'fast'];

/** A schedule resolved for a training set: what fitSpose needs besides the data and λ. */
export interface Schedule {
  readonly name: ScheduleName;
  readonly batchSize: number;
  readonly lr: number;
  readonly epochs: number;
  readonly lrSchedule: LrSchedule;
  /** How it was chosen, in words (results and reports name it). */
  readonly method: string;
}

/** `fast` uses batch 1000 from this many training triplets up (fewer dense Adam passes per epoch), else 100. */
export const FAST_LARGE_BATCH_FROM = 500_000;
/** `fast` takes at least this many Adam steps … */
export const FAST_MIN_STEPS = 16_000;
/** … and at least this many epochs. */
export const FAST_MIN_EPOCHS = 8;
/** `fast`'s peak learning rate (10× the paper's 0.001), reached after one warm-up epoch. */
export const FAST_LR = 0.01;
/** `fast`'s learning-rate schedule: a one-epoch linear warm-up, then a cosine decay to 0 over the run's epochs. */
export const FAST_LR_SCHEDULE: LrSchedule = { kind: 'cosine', warmupEpochs: 1, floor: 0 };

/**
 * The schedule `name` for `trainCount` training triplets.
 * - `paper`: batch 100, Adam lr 0.001 constant, 500 epochs (Du et al. 2025; the SPoSE reference).
 * - `fast` (ours, chosen by measurement; spose-embed README "Schedules"): batch 1000 from
 *   {@link FAST_LARGE_BATCH_FROM} training triplets up, else 100; lr 0.01 with a one-epoch linear warm-up and
 *   a cosine decay to 0; as many epochs as give at least {@link FAST_MIN_STEPS} steps, and at least
 *   {@link FAST_MIN_EPOCHS} (THINGS scale, 4.2M triplets: 8 epochs; 54,000 triplets: 30 epochs; capped at 500).
 */
export function resolveSchedule(name: ScheduleName, trainCount: number): Schedule {
  if (!Number.isSafeInteger(trainCount) || trainCount < 1) throw new InvalidArgumentError('trainCount', 'a positive number of training triplets', trainCount);
  if (name === 'paper') {
    return { name, batchSize: 100, lr: 0.001, epochs: 500, lrSchedule: { kind: 'constant' }, method: "the paper's: batch 100, Adam lr 0.001 constant, 500 epochs" };
  }
  if (name !== 'fast') throw new InvalidArgumentError('schedule', SCHEDULE_NAMES.map((s) => `"${s}"`).join(' or '), name);
  const batchSize = Math.min(trainCount >= FAST_LARGE_BATCH_FROM ? 1000 : 100, trainCount);
  const steps = Math.floor(trainCount / batchSize);
  const epochs = Math.min(500, Math.max(FAST_MIN_EPOCHS, Math.ceil(FAST_MIN_STEPS / steps)));
  return {
    name,
    batchSize,
    lr: FAST_LR,
    epochs,
    lrSchedule: FAST_LR_SCHEDULE,
    method: `ours ("fast"): batch ${batchSize}, Adam lr ${FAST_LR} after a 1-epoch linear warm-up, cosine decay to 0 over ${epochs} epochs`,
  };
}
