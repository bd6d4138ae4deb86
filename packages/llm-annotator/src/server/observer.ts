import { InvalidArgumentError, type Rng } from '@conceptlab/core';
import { choiceProbabilities, type ObjectMatrix } from '@conceptlab/triplet-sampler';

/** A position in a presented triplet: 0, 1 or 2. */
export type Position = 0 | 1 | 2;

/** Concept indices of a presented triplet, in presentation order. */
export type PresentedTriplet = readonly [number, number, number];

/**
 * A simulated annotator: given the three objects of a request (concept indices in presentation order) and
 * the request's rng, the position of the odd one out. Must draw randomness only from `rng`, so that the
 * same request (same rng) always gets the same answer.
 */
export interface Observer {
  /** A short description for logs and `--json` output, e.g. `sim(T=1)`. */
  readonly name: string;
  /** How many objects (rows) the observer can answer for; the server checks it covers every concept. */
  readonly objects: number;
  choose(objects: PresentedTriplet, rng: Rng): Position;
}

export interface SimObserverOptions {
  /** Softmax temperature T > 0 of the SPoSE choice rule (default 1). Ignored with `argmax`. */
  readonly temperature?: number;
  /** Always keep the most similar pair (exact ties broken by the rng) instead of sampling. Default false. */
  readonly argmax?: boolean;
}

/** The odd one out when the pair with index `pair` of [ab, ac, bc] is kept. */
export function oddOfPair(pair: number): Position {
  return pair === 0 ? 2 : pair === 1 ? 1 : 0;
}

/**
 * The index in [ab, ac, bc] of the largest of three similarities; exact ties broken uniformly by `rng`
 * (one draw, only when there is a tie).
 */
export function argmaxPair(sab: number, sac: number, sbc: number, rng: Rng): number {
  const m = Math.max(sab, sac, sbc);
  const ties: number[] = [];
  if (sab === m) ties.push(0);
  if (sac === m) ties.push(1);
  if (sbc === m) ties.push(2);
  return ties.length === 1 ? ties[0] : ties[rng.nextInt(ties.length)];
}

/** Draw a pair index from probabilities [p(ab), p(ac), p(bc)] with one uniform double. */
export function samplePair(p: readonly [number, number, number], rng: Rng): number {
  const u = rng.nextFloat();
  return u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
}

function dot(m: ObjectMatrix, a: number, b: number): number {
  const d = m.data, p = m.cols, oa = a * p, ob = b * p;
  let s = 0;
  for (let f = 0; f < p; f++) s += d[oa + f] * d[ob + f];
  return s;
}

function checkIndices(objects: PresentedTriplet, rows: number): void {
  for (const v of objects) {
    if (!Number.isInteger(v) || v < 0 || v >= rows) throw new InvalidArgumentError('objects', `indices in [0, ${rows - 1}]`, v);
  }
}

/**
 * The SPoSE choice rule over an embedding (objects × dims): p(pair xy kept) = softmax over the three
 * pairs of x·y / T ({@link choiceProbabilities}); the odd one out is the object outside the kept pair.
 * With `argmax` the most similar pair is always kept. Sampling draws one uniform double per request.
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
  return {
    name: argmax ? 'sim(argmax)' : `sim(T=${temperature})`,
    objects: embedding.rows,
    choose(objects, rng) {
      checkIndices(objects, embedding.rows);
      const [a, b, c] = objects;
      if (argmax) return oddOfPair(argmaxPair(dot(embedding, a, b), dot(embedding, a, c), dot(embedding, b, c), rng));
      return oddOfPair(samplePair(choiceProbabilities(embedding, a, b, c, temperature), rng));
    },
  };
}
