import { InvalidArgumentError } from '@conceptlab/core';

/**
 * How similarity between two objects is computed from their embedding rows.
 * - `dot` (the paper and the SPoSE reference's default): x·y.
 * - `euclidean-distance` (the SPoSE reference's `--distance_metric euclidean`, utils.compute_similarities):
 *   −‖x − y‖. Its gradient at x = y (distance 0, where torch's would be NaN) is taken as 0.
 * - `euclidean-squared` (ours): −‖x − y‖² (the tfjs engine implements this one only).
 * The former name `euclidean` (which meant the squared form) is gone: say which one you mean. The CLI's
 * `--similarity euclidean` means the reference's `euclidean-distance`.
 */
export type SimilarityKind = 'dot' | 'euclidean-distance' | 'euclidean-squared';

export const SIMILARITY_KINDS: readonly SimilarityKind[] = ['dot', 'euclidean-distance', 'euclidean-squared'];

/** The squared form. */
export function isSquaredEuclidean(kind: SimilarityKind): boolean {
  return kind === 'euclidean-squared';
}

/**
 * How the per-epoch TRAINING accuracy counts ties (the validation accuracy breaks them at random instead):
 * - `reference` (default; the SPoSE reference's utils.accuracy_: `argmax`, which takes the first maximum,
 *   unless all three are equal): correct when s_ij ≥ s_ik and s_ij ≥ s_jk, unless s_ij = s_ik = s_jk.
 *   We compare the similarities (float64 sums of float32 weights); the reference compares float32 softmax
 *   probabilities, which can also tie where the similarities differ by less than float32 resolution.
 * - `strict` (ours before): correct only when s_ij is strictly the largest; every tie counts as wrong.
 */
export type TrainAccuracyTies = 'reference' | 'strict';

/** The λ values the paper and the SPoSE README used, by name (shared/docs/methods.md "SPoSE"). */
export const LAMBDA_PRESETS = {
  /** Du et al. 2025: the text model (ChatGPT-3.5) embedding. */
  'du2024-text': 0.004,
  /** Du et al. 2025: the vision model (Gemini Pro Vision) embedding. */
  'du2024-vision': 0.0035,
  /** The SPoSE README's example (ViCCo-Group/SPoSE), also the paper's ROI-SPoSE analyses. */
  'spose-readme': 0.008,
} as const;
export type LambdaPreset = keyof typeof LAMBDA_PRESETS;

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
  /** λ (default 0.004, the paper's text-model value; see LAMBDA_PRESETS). */
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
  /** How the training accuracy counts ties (default 'reference'); does not change the weights. */
  readonly trainAccuracyTies: TrainAccuracyTies;
}

export const DEFAULT_HYPER: Omit<SposeHyperParams, 'nObjects'> = {
  dims: 100,
  lambda: LAMBDA_PRESETS['du2024-text'],
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  temperature: 1,
  similarity: 'dot',
  positivity: 'soft',
  positivityWeight: 0.01,
  trainAccuracyTies: 'reference',
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
  if (!SIMILARITY_KINDS.includes(h.similarity)) throw new InvalidArgumentError('similarity', '"dot", "euclidean-distance" or "euclidean-squared"', h.similarity);
  if (h.trainAccuracyTies !== 'reference' && h.trainAccuracyTies !== 'strict') throw new InvalidArgumentError('trainAccuracyTies', '"reference" or "strict"', h.trainAccuracyTies);
  if (h.positivity !== 'soft' && h.positivity !== 'proximal') throw new InvalidArgumentError('positivity', '"soft" or "proximal"', h.positivity);
  if (!(h.positivityWeight >= 0)) throw new InvalidArgumentError('positivityWeight', 'a number ≥ 0', h.positivityWeight);
}
