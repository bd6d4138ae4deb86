import { InvalidArgumentError, type Rng, type Triplets } from '@conceptlab/core';
import { softmax3 } from './choice-probabilities.js';
import { argmax3, writeAnswer } from './pick-pair.js';
import { rowLabel } from './row-label.js';
import { resolveRng, type SeedOrRng } from './seed.js';
import { checkTripletsAgainstRows } from './validate.js';

/** A position in a presented triplet: 0, 1 or 2. */
export type Position = 0 | 1 | 2;

/** Object indices of a presented triplet, in presentation order. */
export type PresentedTriplet = readonly [number, number, number];

/**
 * A simulated participant: given the three objects of a presented triplet (object indices in presentation
 * order) and a random source, the position of the odd one out. It draws randomness only from `rng`, so the
 * same triplet with the same rng state always gets the same answer (seeded, reproducible bit for bit).
 *
 * Implemented by {@link embeddingObserver} and {@link featureObserver} here (and so by `answerByEmbedding`
 * and `answerByFeatures`), and by the simulation server's observers (@conceptlab/sim-server).
 */
export interface Observer {
  /** A short description for logs and JSON output, e.g. `sim(T=1)`. */
  readonly name: string;
  /** How many objects (rows) the observer can answer for: indices 0 … objects − 1. */
  readonly objects: number;
  /** The odd one out of `objects`. @throws InvalidArgumentError for indices it has no object for. */
  choose(objects: PresentedTriplet, rng: Rng): Position;
}

/** The odd one out when the pair with index `pair` of [ab, ac, bc] is kept. */
function oddOfPair(pair: number): Position {
  return pair === 0 ? 2 : pair === 1 ? 1 : 0;
}

const SCRATCH = new Float64Array(3);

/**
 * The choice rule every simulated observer applies to the similarities of the three pairs (ab, ac, bc) of a
 * presented triplet (a, b, c): with a `temperature` T, the kept pair is drawn with p(pair) = softmax(s/T) over
 * the three similarities (one uniform double from `rng`; the SPoSE choice rule when s are dot products); without
 * one, the most similar pair is kept (exact ties broken uniformly, one draw only when there is a tie). The odd
 * one out is the object outside the kept pair.
 */
export function oddOneOut(sab: number, sac: number, sbc: number, rng: Rng, temperature?: number): Position {
  if (temperature === undefined) return oddOfPair(argmax3(sab, sac, sbc, rng));
  const p = SCRATCH;
  softmax3(sab, sac, sbc, temperature, p);
  const u = rng.nextFloat();
  return oddOfPair(u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2);
}

/**
 * Answer every presented set with `observer`: the kept pair in presentation order, then the odd one out.
 * `observer.choose` gets one rng (from `seed`) for the whole run, row after row.
 *
 * @throws ShapeError naming the row for an object the observer has no row for; InvalidArgumentError for
 *   repeated or negative objects, or an observer that refuses a row (named by its row).
 */
export function answerByObserver(sets: Triplets, observer: Observer, options: { readonly seed: SeedOrRng }): Triplets {
  checkTripletsAgainstRows('sets', sets, observer.objects, observer.name);
  return answerRows(sets, observer, resolveRng(options.seed));
}

/** The loop of {@link answerByObserver} once its input is checked (an observer's refusal named by row). */
export function answerRows(sets: Triplets, observer: Observer, rng: Rng): Triplets {
  const d = sets.data;
  const out = new Int32Array(d.length);
  for (let t = 0; t < sets.count; t++) {
    const o = 3 * t;
    const x = d[o], y = d[o + 1], z = d[o + 2];
    let odd: Position;
    try {
      odd = observer.choose([x, y, z], rng);
    } catch (e) {
      if (e instanceof InvalidArgumentError && e.argument === 'objects') {
        // "objects: expected …" → "sets row N (line N): expected …"
        throw new InvalidArgumentError(`sets ${rowLabel(t)}`, e.message.slice('objects: expected '.length));
      }
      throw e;
    }
    writeAnswer(out, o, x, y, z, 2 - odd);
  }
  return { count: sets.count, data: out };
}
