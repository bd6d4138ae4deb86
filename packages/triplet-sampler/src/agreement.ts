import { InvalidArgumentError, ShapeError, type Triplets } from '@conceptlab/core';
import { rowLabel } from './row-label.js';
import { checkTriplets } from './validate.js';

export interface Agreement {
  /** Rows where both chose the same odd one out. */
  readonly agree: number;
  /** Rows compared. */
  readonly total: number;
  /** agree / total (NaN when there are no rows). */
  readonly fraction: number;
}

/** Whether rows t of a and b hold the same three objects, in any order. */
function sameSet(a: Int32Array, b: Int32Array, o: number): boolean {
  const x = a[o], y = a[o + 1], z = a[o + 2];
  const p = b[o], q = b[o + 1], r = b[o + 2];
  return (p === x || p === y || p === z) && (q === x || q === y || q === z) && (r === x || r === y || r === z);
}

/**
 * How often two answered triplet lists (e.g. a model and humans, or two models) chose the same odd one
 * out (the last column), row by row. Row t of both lists must hold the same unordered set; the order
 * of the pair does not matter.
 *
 * @throws ShapeError when the counts differ; InvalidArgumentError naming the first row whose sets differ
 *   (1-based: "row N (line N)") or a malformed row.
 */
export function agreement(a: Triplets, b: Triplets): Agreement {
  checkTriplets('a', a);
  checkTriplets('b', b);
  if (a.count !== b.count) throw new ShapeError(`agreement: a has ${a.count} rows, b has ${b.count}`);
  const da = a.data, db = b.data;
  let agree = 0;
  for (let t = 0; t < a.count; t++) {
    const o = 3 * t;
    if (!sameSet(da, db, o)) {
      throw new InvalidArgumentError(`${rowLabel(t)}`, `the same set in a and b`, `${da[o]} ${da[o + 1]} ${da[o + 2]} vs ${db[o]} ${db[o + 1]} ${db[o + 2]}`);
    }
    if (da[o + 2] === db[o + 2]) agree++;
  }
  return { agree, total: a.count, fraction: a.count === 0 ? NaN : agree / a.count };
}
