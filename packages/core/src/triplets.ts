import { InvalidArgumentError, ShapeError } from './errors.js';

/**
 * An n×3 list of object triplets, row-major in an Int32Array: row t is
 * `(data[3t], data[3t+1], data[3t+2])`, 0-based object indices.
 *
 * For answered triplets the last column is the odd one out and the first two are the similar pair
 * (the SPoSE convention). For unanswered sets the order is the presentation order.
 */
export interface Triplets {
  readonly count: number;
  readonly data: Int32Array;
}

/** Wrap a flat Int32Array (length 3n), or copy nested rows. Values are not range-checked here. */
export function createTriplets(data: Int32Array | ReadonlyArray<readonly [number, number, number] | readonly number[]>): Triplets {
  if (data instanceof Int32Array) {
    if (data.length % 3 !== 0) throw new ShapeError(`triplet data has ${data.length} values, not a multiple of 3`);
    return { count: data.length / 3, data };
  }
  const out = new Int32Array(data.length * 3);
  for (let t = 0; t < data.length; t++) {
    const r = data[t];
    if (r.length !== 3) throw new ShapeError(`triplet ${t} has ${r.length} values; expected 3`);
    for (let c = 0; c < 3; c++) {
      const v = r[c];
      if (!Number.isInteger(v)) throw new InvalidArgumentError(`triplet ${t}`, 'integer object indices', v);
      out[t * 3 + c] = v;
    }
  }
  return { count: data.length, data: out };
}

/** Row t as a plain tuple. */
export function tripletAt(t: Triplets, i: number): [number, number, number] {
  const o = i * 3;
  return [t.data[o], t.data[o + 1], t.data[o + 2]];
}

/** Nested plain arrays (for JSON and tests). */
export function tripletsToRows(t: Triplets): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < t.count; i++) out.push(tripletAt(t, i));
  return out;
}

/** Select rows by index (a new Triplets). */
export function selectTriplets(t: Triplets, rows: ArrayLike<number>): Triplets {
  const out = new Int32Array(rows.length * 3);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    if (!Number.isInteger(i) || i < 0 || i >= t.count) throw new InvalidArgumentError('row', `an integer in [0, ${t.count})`, i);
    out.set(t.data.subarray(i * 3, i * 3 + 3), r * 3);
  }
  return { count: rows.length, data: out };
}

/** Concatenate triplet lists. */
export function concatTriplets(parts: readonly Triplets[]): Triplets {
  let n = 0;
  for (const p of parts) n += p.count;
  const out = new Int32Array(n * 3);
  let o = 0;
  for (const p of parts) {
    out.set(p.data, o);
    o += p.data.length;
  }
  return { count: n, data: out };
}

/** A problem with one triplet row, 0-based `row`. */
export interface TripletProblem {
  readonly row: number;
  readonly expected: string;
  readonly found: string;
}

/**
 * The first problem in `t`, if any: an index outside [0, nObjects) or an object repeated within a row.
 * File readers turn this into a file:line {@link ParseError}.
 */
export function findTripletProblem(t: Triplets, nObjects?: number): TripletProblem | undefined {
  const d = t.data;
  for (let i = 0; i < t.count; i++) {
    const a = d[3 * i], b = d[3 * i + 1], c = d[3 * i + 2];
    for (const v of [a, b, c]) {
      if (v < 0 || (nObjects !== undefined && v >= nObjects)) {
        return {
          row: i,
          expected: nObjects !== undefined ? `object indices in [0, ${nObjects - 1}]` : 'non-negative object indices',
          found: String(v),
        };
      }
    }
    if (a === b || a === c || b === c) {
      return { row: i, expected: 'three distinct objects', found: `${a} ${b} ${c}` };
    }
  }
  return undefined;
}

/** Throw if `t` has an out-of-range index or a repeated object in a row. */
export function assertValidTriplets(t: Triplets, nObjects?: number, what = 'triplets'): void {
  const p = findTripletProblem(t, nObjects);
  if (p) throw new InvalidArgumentError(`${what} row ${p.row}`, p.expected, p.found);
}

/** 1 + the largest index used (0 for an empty list). */
export function countObjects(t: Triplets): number {
  let m = -1;
  for (let i = 0; i < t.data.length; i++) if (t.data[i] > m) m = t.data[i];
  return m + 1;
}
