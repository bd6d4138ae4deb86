import { ConceptlabError, InvalidArgumentError, type Matrix } from '@conceptlab/core';
import type { SposeHyperParams } from './config.js';
import type { SposeEmbedding } from './export.js';
import { fitSpose, type FitOptions, type FitResult } from './fit.js';

/** Options of {@link refitEmbedding}: a fit whose start is the given embedding (its objects and dims fixed). */
export interface RefitOptions extends Omit<FitOptions, 'initialWeights' | 'hyper' | 'epochs'> {
  /** The embedding to refit (objects × dims, e.g. the merged embedding of many runs); finite values. */
  readonly embedding: Matrix<Float32Array | Float64Array>;
  /** Hyper-parameters other than nObjects and dims (those are the embedding's), as for fitSpose. */
  readonly hyper?: Partial<Omit<SposeHyperParams, 'nObjects' | 'dims'>>;
  /** Epochs of the refit (default 25): a few passes, not a new fit. */
  readonly epochs?: number;
}

export interface RefitResult {
  /**
   * The refitted embedding: the same objects and dims in the same order (a dim is not pruned or re-sorted, so
   * each column still names the merged dim it started from), negative weights set to 0 as SPoSE's export does.
   */
  readonly embedding: SposeEmbedding;
  /** The fit (records per epoch, config with the warm start's hash, stop reason). */
  readonly fit: FitResult;
}

/** A refit whose loss stopped being finite: there is no refitted embedding (lower lr or λ). */
export class RefitDivergedError extends ConceptlabError {
  readonly _tag = 'RefitDivergedError' as const;
  readonly epoch: number;
  constructor(epoch: number, loss: number) {
    super(`refit diverged: the loss was ${loss} at epoch ${epoch}; no refitted embedding (try a lower lr or λ)`);
    this.name = 'RefitDivergedError';
    this.epoch = epoch;
  }
}

/** Default epochs of {@link refitEmbedding}. */
export const DEFAULT_REFIT_EPOCHS = 25;

/**
 * Refit an embedding on the training triplets for a few epochs, starting from its weights (fitSpose with
 * `initialWeights`, dims = the embedding's columns). This is conceptlab's step after the paper's merge: the merged
 * dims come from different runs and were never trained together, so the merged embedding predicts held-out choices
 * worse than each run did; a short refit lets them settle while each column keeps its identity. Not the paper's
 * procedure (its merged embedding is used as merged).
 *
 * @throws InvalidArgumentError for an empty or non-finite embedding, or any fitSpose option error;
 *   RefitDivergedError when the loss stops being finite.
 */
export async function refitEmbedding(options: RefitOptions): Promise<RefitResult> {
  const { embedding, hyper, epochs, ...rest } = options;
  if (!embedding || !Number.isInteger(embedding.rows) || !Number.isInteger(embedding.cols) || embedding.data?.length !== embedding.rows * embedding.cols) {
    throw new InvalidArgumentError('embedding', 'a Matrix (rows × cols values)', embedding);
  }
  if (embedding.rows < 3 || embedding.cols < 1) throw new InvalidArgumentError('embedding', 'at least 3 objects and 1 dim', `${embedding.rows} × ${embedding.cols}`);
  const fit = await fitSpose({
    ...rest,
    hyper: { ...hyper, nObjects: embedding.rows, dims: embedding.cols },
    epochs: epochs ?? DEFAULT_REFIT_EPOCHS,
    initialWeights: Float32Array.from(embedding.data),
  });
  if (fit.stopReason === 'diverged') {
    const last = fit.records[fit.records.length - 1];
    throw new RefitDivergedError(last?.epoch ?? 0, last?.loss ?? NaN);
  }
  const data = Float32Array.from(fit.weights, (w) => (w > 0 ? w : 0));
  return { embedding: { rows: embedding.rows, cols: embedding.cols, data }, fit };
}
