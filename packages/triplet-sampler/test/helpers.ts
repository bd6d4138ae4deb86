import type { Triplets } from '@conceptlab/core';

/** FNV-1a (32-bit) over the int32 values of `data`, as 8 hex digits: a short fingerprint to pin seeded outputs. */
export function fingerprint(data: Int32Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) {
    let v = data[i];
    for (let b = 0; b < 4; b++) {
      h ^= v & 0xff;
      h = Math.imul(h, 0x01000193);
      v >>>= 8;
    }
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The sorted set of row t, as "a,b,c". */
export function setKey(t: Triplets, row: number): string {
  return Array.from(t.data.subarray(3 * row, 3 * row + 3))
    .sort((x, y) => x - y)
    .join(',');
}

/** Pair-use counts of a design, as a symmetric n×n Int32Array. */
export function pairUses(t: Triplets, n: number): Int32Array {
  const u = new Int32Array(n * n);
  for (let r = 0; r < t.count; r++) {
    const [x, y, z] = t.data.subarray(3 * r, 3 * r + 3);
    for (const [a, b] of [[x, y], [x, z], [y, z]]) {
      u[a * n + b]++;
      u[b * n + a]++;
    }
  }
  return u;
}

/** Max − min over the off-diagonal entries of a symmetric n×n count array. */
export function spread(u: Int32Array, n: number): number {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const v = u[i * n + j];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max - min;
}

/** Every row holds three distinct indices in [0, n). */
export function allRowsValid(t: Triplets, n: number): boolean {
  for (let r = 0; r < t.count; r++) {
    const x = t.data[3 * r], y = t.data[3 * r + 1], z = t.data[3 * r + 2];
    if (x === y || x === z || y === z) return false;
    if (Math.min(x, y, z) < 0 || Math.max(x, y, z) >= n) return false;
  }
  return true;
}

/** Number of distinct unordered sets among the rows. */
export function distinctSets(t: Triplets): number {
  const s = new Set<string>();
  for (let r = 0; r < t.count; r++) s.add(setKey(t, r));
  return s.size;
}
