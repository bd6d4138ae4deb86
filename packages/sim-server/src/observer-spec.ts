import { InvalidArgumentError, readNpyMatrix, ShapeError, type Concept, type ConceptSet } from '@conceptlab/core';
import type { Observer } from '@conceptlab/triplet-sampler';
import { simObserver } from './observer.js';
import { wordVectorObserver, type WordVectorObserverOptions } from './word-vectors.js';

export interface ObserverSpecOptions {
  /** `sim` only: the SPoSE temperature (default 1). */
  readonly temperature?: number;
  /** `sim` only: keep the most similar pair (ties broken by the request's rng). */
  readonly argmax?: boolean;
  /** Passed to {@link wordVectorObserver} (embeddings file, cache directory). */
  readonly wordVectors?: Omit<WordVectorObserverOptions, 'temperature' | 'argmax'>;
}

/** The observer specs understood by {@link parseObserverSpec}, for help texts. */
export const OBSERVER_SPECS = ['sim:FILE.npy', 'word-vectors'] as const;

/**
 * An observer from a CLI string:
 * - `sim:FILE.npy` — {@link simObserver} over the embedding in FILE (objects × dims; a row for every concept index);
 * - `word-vectors` — {@link wordVectorObserver} over the concepts: the most similar pair by cosine is kept.
 *   `temperature` and `argmax` do not apply (a CLI's default temperature of 1 on cosines in [−1, 1] would
 *   make it nearly uniform); sampling on cosines is available through `wordVectorObserver({ temperature })`.
 *
 * @throws InvalidArgumentError for another spec; FileError/ParseError for an unreadable .npy; ShapeError for
 *   an embedding without a row for every concept.
 */
export function parseObserverSpec(spec: string, concepts: ConceptSet | readonly Concept[], options: ObserverSpecOptions = {}): Observer {
  const list: readonly Concept[] = 'concepts' in concepts ? concepts.concepts : concepts;
  if (spec === 'word-vectors') {
    return wordVectorObserver(list, { ...options.wordVectors });
  }
  if (spec.startsWith('sim:') && spec.length > 4) {
    const file = spec.slice(4);
    const embedding = readNpyMatrix(file);
    const need = list.reduce((m, c) => Math.max(m, c.index + 1), 0);
    if (embedding.rows < need) {
      throw new ShapeError(`${file}: the embedding has ${embedding.rows} rows, but the concept set needs a row for every concept index (${need})`);
    }
    return simObserver(embedding, { temperature: options.temperature, argmax: options.argmax });
  }
  throw new InvalidArgumentError('observer', `one of ${OBSERVER_SPECS.map((s) => `'${s}'`).join(', ')}`, spec);
}
