import type { Concept, Matrix } from '@conceptlab/core';

/** The small fixture of reference/references.py: X[i][d] = max(0, sin(1.3 i + 2.1 d)), n × D. */
export function smallEmbedding(n = 20, D = 4): Matrix<Float64Array> {
  const data = new Float64Array(n * D);
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) data[i * D + d] = Math.max(0, Math.sin(1.3 * i + 2.1 * d));
  return { rows: n, cols: D, data };
}

/** Concepts o0, o1, … with words w0, w1, …. */
export function fakeConcepts(n: number): Concept[] {
  return Array.from({ length: n }, (_, i) => ({ index: i, id: `o${i}`, word: `w${i}`, definition: `thing ${i}`, prompt: `w${i} (thing ${i})` }));
}

/** Euclidean distances between rows. */
export function euclideanDistances(x: Matrix<Float64Array>): Matrix<Float64Array> {
  const n = x.rows, D = x.cols;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let d = 0; d < D; d++) s += (x.data[i * D + d] - x.data[j * D + d]) ** 2;
    out[i * n + j] = Math.sqrt(s);
  }
  return { rows: n, cols: n, data: out };
}

/**
 * A small clustered embedding: `groups` groups of `per` objects over `dims` non-negative dims; group g loads on
 * dim g (mod dims) plus a little of the others. Deterministic. Categories "g0", "g1", … match the groups.
 */
export function clusteredFixture(groups = 4, per = 12, dims = 5): { embedding: Matrix<Float64Array>; concepts: Concept[]; categories: { names: string[]; membership: Matrix<Uint8Array> } } {
  const n = groups * per;
  const data = new Float64Array(n * dims);
  const mem = new Uint8Array(n * groups);
  for (let i = 0; i < n; i++) {
    const g = Math.floor(i / per);
    mem[i * groups + g] = 1;
    for (let d = 0; d < dims; d++) {
      const base = d === g % dims ? 1.5 : 0;
      data[i * dims + d] = Math.max(0, base + 0.3 * Math.sin(1.7 * i + 0.9 * d) - 0.05);
    }
  }
  const concepts = Array.from({ length: n }, (_, i) => ({ index: i, id: `obj${i}`, word: `object ${i} <g${Math.floor(i / per)}>`, definition: '', prompt: '' }));
  return { embedding: { rows: n, cols: dims, data }, concepts, categories: { names: Array.from({ length: groups }, (_, g) => `g${g}`), membership: { rows: n, cols: groups, data: mem } } };
}
