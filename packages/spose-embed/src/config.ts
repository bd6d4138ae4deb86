import { InvalidArgumentError } from '@conceptlab/core';

/** How similarity between two objects is computed from their embedding rows. */
export type SimilarityKind = 'dot' | 'euclidean';

/**
 * How non-negativity and sparsity are imposed.
 * - `soft` (the reference, default): loss += 0.01·Σ relu(−W) + (λ / nObjects)·Σ|W|, all through the Adam gradient.
 * - `proximal`: the penalties leave the gradient; after every Adam step W ← max(0, W − lr·λ/nObjects)
 *   (the proximal operator of the L1 penalty on the non-negative orthant).
 */
export type PositivityKind = 'soft' | 'proximal';

/** The hyper-parameters an engine needs for one optimisation step (the SPoSE reference's defaults). */
export interface SposeHyperParams {
  readonly nObjects: number;
  /** Initial number of dimensions (reference: 100). */
  readonly dims: number;
  /** λ (paper: 0.004 ChatGPT, 0.0035 Gemini, 0.008 the SPoSE README example). */
  readonly lambda: number;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** Softmax temperature T (reference: 1). */
  readonly temperature: number;
  readonly similarity: SimilarityKind;
  readonly positivity: PositivityKind;
  /** Weight of the positivity penalty Σ relu(−W) (reference: 0.01). */
  readonly positivityWeight: number;
}

export const DEFAULT_HYPER: Omit<SposeHyperParams, 'nObjects'> = {
  dims: 100,
  lambda: 0.008,
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  temperature: 1,
  similarity: 'dot',
  positivity: 'soft',
  positivityWeight: 0.01,
};

/** Validate hyper-parameters, throwing InvalidArgumentError naming the bad one. */
export function checkHyperParams(h: SposeHyperParams): void {
  const posInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(name, 'a positive integer', v);
  };
  posInt('nObjects', h.nObjects);
  posInt('dims', h.dims);
  if (!(h.lambda >= 0) || !Number.isFinite(h.lambda)) throw new InvalidArgumentError('lambda', 'a finite number ≥ 0', h.lambda);
  if (!(h.lr > 0) || !Number.isFinite(h.lr)) throw new InvalidArgumentError('lr', 'a positive number', h.lr);
  if (!(h.beta1 >= 0 && h.beta1 < 1)) throw new InvalidArgumentError('beta1', 'a number in [0, 1)', h.beta1);
  if (!(h.beta2 >= 0 && h.beta2 < 1)) throw new InvalidArgumentError('beta2', 'a number in [0, 1)', h.beta2);
  if (!(h.eps > 0)) throw new InvalidArgumentError('eps', 'a positive number', h.eps);
  if (!(h.temperature > 0) || !Number.isFinite(h.temperature)) throw new InvalidArgumentError('temperature', 'a positive number', h.temperature);
  if (h.similarity !== 'dot' && h.similarity !== 'euclidean') throw new InvalidArgumentError('similarity', '"dot" or "euclidean"', h.similarity);
  if (h.positivity !== 'soft' && h.positivity !== 'proximal') throw new InvalidArgumentError('positivity', '"soft" or "proximal"', h.positivity);
  if (!(h.positivityWeight >= 0)) throw new InvalidArgumentError('positivityWeight', 'a number ≥ 0', h.positivityWeight);
}
