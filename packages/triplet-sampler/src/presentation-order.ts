import type { Rng } from '@conceptlab/core';

/** The six orders of three items, as index triples. */
export const ORDERS_3: readonly (readonly [number, number, number])[] = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

/** Shuffle every row of a triplet array in place: each row gets a uniformly random order (one draw per row). */
export function shuffleRows(data: Int32Array, rng: Rng): void {
  const count = data.length / 3;
  for (let t = 0; t < count; t++) {
    const o = 3 * t;
    const x = data[o], y = data[o + 1], z = data[o + 2];
    switch (rng.nextInt(6)) {
      case 0: break;
      case 1: data[o + 1] = z; data[o + 2] = y; break;
      case 2: data[o] = y; data[o + 1] = x; break;
      case 3: data[o] = y; data[o + 1] = z; data[o + 2] = x; break;
      case 4: data[o] = z; data[o + 1] = x; data[o + 2] = y; break;
      default: data[o] = z; data[o + 2] = x; break;
    }
  }
}
