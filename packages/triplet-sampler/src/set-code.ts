import { sortUnique } from './distinct-codes.js';

/**
 * Unordered triplet sets as single numbers: the set {a, b, c} with a < b < c over n objects has the
 * code a·n² + b·n + c, an exact double for n ≤ 208,063. Codes order sets lexicographically, so
 * sorting codes sorts sets and equal codes are equal sets.
 */

/** The code of the unordered set {x, y, z} (any order) over n objects. */
export function setCode(x: number, y: number, z: number, n: number): number {
  let a = x, b = y, c = z, t: number;
  if (a > b) { t = a; a = b; b = t; }
  if (b > c) { t = b; b = c; c = t; }
  if (a > b) { t = a; a = b; b = t; }
  return (a * n + b) * n + c;
}

/** Write the sorted set of `code` (a < b < c) into out[o], out[o+1], out[o+2]. */
export function decodeSet(code: number, n: number, out: Int32Array, o: number): void {
  const c = code % n;
  const ab = (code - c) / n;
  const b = ab % n;
  out[o] = (ab - b) / n;
  out[o + 1] = b;
  out[o + 2] = c;
}

/** The codes of every row of a triplet array (length 3·count) over n objects. */
export function setCodes(data: Int32Array, n: number): Float64Array {
  const count = data.length / 3;
  const out = new Float64Array(count);
  for (let t = 0; t < count; t++) out[t] = setCode(data[3 * t], data[3 * t + 1], data[3 * t + 2], n);
  return out;
}

/** The distinct codes of the rows of a triplet array over n objects, sorted: each unordered set once. */
export function distinctSetCodes(data: Int32Array, n: number): Float64Array {
  const codes = setCodes(data, n);
  return codes.slice(0, sortUnique(codes));
}
