import type { Triplets } from '@conceptlab/core';

/** Pair counts: a dense n×n table for small n, a map above (a THINGS-sized table is 13.7 MB). */
interface PairCounts {
  get(a: number, b: number): number;
  add(a: number, b: number): void;
}

const DENSE_PAIRS_UP_TO = 4096;

function pairCounts(n: number): PairCounts {
  if (n <= DENSE_PAIRS_UP_TO) {
    const t = new Uint32Array(n * n);
    return {
      get: (a, b) => t[a < b ? a * n + b : b * n + a],
      add: (a, b) => { t[a < b ? a * n + b : b * n + a]++; },
    };
  }
  const m = new Map<number, number>();
  return {
    get: (a, b) => m.get(a < b ? a * n + b : b * n + a) ?? 0,
    add: (a, b) => { const k = a < b ? a * n + b : b * n + a; m.set(k, (m.get(k) ?? 0) + 1); },
  };
}

/**
 * The coverage rule: `count` indices into `pool` (3 object indices per candidate) chosen greedily, each time the
 * candidate with the smallest cost = (uses of its three objects)·(C + 1) + (uses of its three pairs), where uses
 * count the `asked` sets and the candidates chosen so far and C bounds the pair term (so objects come first and
 * pairs break ties); equal costs go to the earlier candidate (the pool's order is random). Costs only grow as
 * candidates are chosen, so a lazy heap (recompute the top; take it if it is still the smallest) gives exactly the
 * greedy choice in O(pool·log pool) rather than O(pool·count).
 */
export function coverageOrder(pool: Int32Array, n: number, count: number, asked: Triplets | undefined): Int32Array {
  const size = pool.length / 3;
  const obj = new Float64Array(n);
  const pairs = pairCounts(n);
  if (asked) {
    const d = asked.data;
    for (let t = 0; t < asked.count; t++) {
      const a = d[3 * t], b = d[3 * t + 1], c = d[3 * t + 2];
      obj[a]++; obj[b]++; obj[c]++;
      pairs.add(a, b); pairs.add(a, c); pairs.add(b, c);
    }
  }
  // The pair term is at most 3·(asked + count); scaling objects by more keeps them first.
  const scale = 3 * ((asked?.count ?? 0) + count) + 1;
  const cost = (i: number): number => {
    const a = pool[3 * i], b = pool[3 * i + 1], c = pool[3 * i + 2];
    return (obj[a] + obj[b] + obj[c]) * scale + pairs.get(a, b) + pairs.get(a, c) + pairs.get(b, c);
  };
  // Binary min-heap of candidates keyed by (stale cost, index).
  const heap = new Int32Array(size);
  const key = new Float64Array(size);
  for (let i = 0; i < size; i++) { heap[i] = i; key[i] = cost(i); }
  let len = size;
  const less = (x: number, y: number): boolean => key[x] < key[y] || (key[x] === key[y] && x < y);
  const down = (p: number): void => {
    for (;;) {
      const l = 2 * p + 1, r = l + 1;
      let m = p;
      if (l < len && less(heap[l], heap[m])) m = l;
      if (r < len && less(heap[r], heap[m])) m = r;
      if (m === p) return;
      const t = heap[p]; heap[p] = heap[m]; heap[m] = t;
      p = m;
    }
  };
  for (let p = (len >> 1) - 1; p >= 0; p--) down(p);
  const out = new Int32Array(count);
  let m = 0;
  while (m < count && len > 0) {
    const top = heap[0];
    const fresh = cost(top);
    if (fresh !== key[top]) {
      key[top] = fresh;
      down(0);
      continue;
    }
    out[m++] = top;
    const a = pool[3 * top], b = pool[3 * top + 1], c = pool[3 * top + 2];
    obj[a]++; obj[b]++; obj[c]++;
    pairs.add(a, b); pairs.add(a, c); pairs.add(b, c);
    heap[0] = heap[--len];
    down(0);
  }
  return out;
}
