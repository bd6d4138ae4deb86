import type { Rng } from '@conceptlab/core';

/**
 * Which pair of a presented set (x, y, z) to keep: 0 = xy, 1 = xz, 2 = yz. Writes the answered row —
 * the pair in presentation order, then the odd one out — to out[o..o+2].
 */
export function writeAnswer(out: Int32Array, o: number, x: number, y: number, z: number, pair: number): void {
  if (pair === 0) { out[o] = x; out[o + 1] = y; out[o + 2] = z; }
  else if (pair === 1) { out[o] = x; out[o + 1] = z; out[o + 2] = y; }
  else { out[o] = y; out[o + 1] = z; out[o + 2] = x; }
}

/** The index (0..2) of the largest of three values; exact ties are broken uniformly at random. */
export function argmax3(s0: number, s1: number, s2: number, rng: Rng): number {
  const m = Math.max(s0, s1, s2);
  const n = (s0 === m ? 1 : 0) + (s1 === m ? 1 : 0) + (s2 === m ? 1 : 0);
  if (n === 1) return s0 === m ? 0 : s1 === m ? 1 : 2;
  let pick = rng.nextInt(n);
  if (s0 === m && pick-- === 0) return 0;
  if (s1 === m && pick-- === 0) return 1;
  return 2;
}
