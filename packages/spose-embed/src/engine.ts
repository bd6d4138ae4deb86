import type { SposeHyperParams } from './config.js';

/**
 * The complete optimisation state of one SPoSE run: weights W (nObjects × dims, row-major: object o's
 * embedding is W[o·dims … o·dims + dims)), Adam's first and second moments, and the number of Adam steps
 * taken. Checkpoints store exactly this (plus the data order's RNG state), so a resumed run continues
 * bit-for-bit.
 */
export interface EngineState {
  readonly weights: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly step: number;
}

/** The loss of one batch, evaluated at the weights before the step. total = crossEntropy + positivity + l1. */
export interface StepLoss {
  /** Mean over the batch of −log p(first two objects are the pair). */
  readonly crossEntropy: number;
  /** positivityWeight · Σ relu(−W) (0 in the proximal variant). */
  readonly positivity: number;
  /** (λ / nObjects) · Σ |W| (reported, but not differentiated, in the proximal variant). */
  readonly l1: number;
  readonly total: number;
  /** Triplets in the batch whose first two objects had the largest similarity (ties count as wrong). */
  readonly correct: number;
}

/**
 * A training engine: takes Adam steps on batches of triplets. Batches are flat Int32Arrays of 3·B object
 * indices, each triplet `i j k` with k the odd one out (the similar pair first), as in SPoSE files.
 *
 * Engines are deterministic: the same hyper-parameters, state and batches give the same result.
 */
export interface TrainingEngine {
  readonly name: string;
  readonly hyper: SposeHyperParams;
  /**
   * One optimisation step on the batch; returns the batch's loss before the update. `lrScale` (default 1)
   * multiplies the learning rate of this step only: a learning-rate schedule's factor (see lr-schedule.ts).
   */
  step(batch: Int32Array, lrScale?: number): StepLoss;
  /** A copy of the current state. */
  getState(): EngineState;
  /**
   * True for engines whose device memory can only be read asynchronously (tfjs on WebGPU): their `step`
   * and `getState` throw, and `stepAsync` / `getStateAsync` do the work. fitSpose checks this flag.
   */
  readonly asyncOnly?: boolean;
  /**
   * `step`, with the loss read asynchronously. The step itself is queued (and its order fixed) before this
   * returns, so several may be in flight: awaiting them later gives the same numbers as awaiting each.
   */
  stepAsync?(batch: Int32Array, lrScale?: number): Promise<StepLoss>;
  /** `getState`, read asynchronously. */
  getStateAsync?(): Promise<EngineState>;
  /** Replace the state (copies; lengths must match nObjects × dims). */
  setState(state: EngineState): void;
  /** Free native resources (tfjs tensors); the engine is unusable afterwards. */
  dispose(): void;
}
