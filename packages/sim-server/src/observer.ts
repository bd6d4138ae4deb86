import { InvalidArgumentError } from '@conceptlab/core';
import { embeddingObserver, type ObjectMatrix, type Observer } from '@conceptlab/triplet-sampler';

export interface SimObserverOptions {
  /** Softmax temperature T > 0 of the SPoSE choice rule (default 1). Ignored with `argmax`. */
  readonly temperature?: number;
  /** Always keep the most similar pair (exact ties broken by the rng) instead of sampling. Default false. */
  readonly argmax?: boolean;
}

/**
 * The SPoSE choice rule over an embedding (objects × dims), as the server's observer: triplet-sampler's
 * {@link embeddingObserver} (p(pair xy kept) = softmax over the three pairs of x·y / T; the odd one out is the
 * object outside the kept pair; with `argmax` the most similar pair is always kept), with the whole embedding
 * checked up front, since a server answers any triplet. Sampling draws one uniform double per request.
 *
 * @throws InvalidArgumentError for an embedding with non-finite values or a bad temperature.
 */
export function simObserver(embedding: ObjectMatrix, options: SimObserverOptions = {}): Observer {
  const argmax = options.argmax ?? false;
  const temperature = options.temperature ?? 1;
  if (!(typeof temperature === 'number' && Number.isFinite(temperature) && temperature > 0)) {
    throw new InvalidArgumentError('temperature', 'a finite number > 0', temperature);
  }
  if (!(embedding && (embedding.data instanceof Float32Array || embedding.data instanceof Float64Array)) || embedding.data.length !== embedding.rows * embedding.cols) {
    throw new InvalidArgumentError('embedding', 'a Matrix with Float32Array or Float64Array data of rows·cols values', embedding);
  }
  for (let i = 0; i < embedding.data.length; i++) {
    if (!Number.isFinite(embedding.data[i])) {
      throw new InvalidArgumentError('embedding', 'finite values', `${embedding.data[i]} at row ${Math.floor(i / embedding.cols)}, column ${i % embedding.cols}`);
    }
  }
  return embeddingObserver(embedding, { temperature, argmax });
}
