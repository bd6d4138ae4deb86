import { createRng, InvalidArgumentError, matrixFromRows, ShapeError, type Matrix, type ProgressEvent } from '@conceptlab/core';
import { expectClose } from '../../../test-support/expect-close.js';
import { predictedSimilarity } from './predicted-similarity.js';

/** The definition, term by term, with a per-triple max subtracted (stable for any range). */
function naive(X: Matrix<Float32Array | Float64Array>, objects: number[], context: number[], T = 1): number[][] {
  const D = X.cols;
  const dot = (a: number, b: number) => {
    let s = 0;
    for (let d = 0; d < D; d++) s += X.data[a * D + d] * X.data[b * D + d];
    return s / T;
  };
  return objects.map((i) =>
    objects.map((j) => {
      if (i === j) return 1;
      let sum = 0, count = 0;
      for (const k of context) {
        if (k === i || k === j) continue;
        const sij = dot(i, j), sik = dot(i, k), sjk = dot(j, k);
        const mx = Math.max(sij, sik, sjk);
        sum += Math.exp(sij - mx) / (Math.exp(sij - mx) + Math.exp(sik - mx) + Math.exp(sjk - mx));
        count++;
      }
      return count ? sum / count : NaN;
    }),
  );
}

function randomEmbedding(n: number, D: number, seed: number, scale = 1, sparsity = 0.5): Matrix<Float64Array> {
  const rng = createRng(seed);
  const data = new Float64Array(n * D);
  for (let t = 0; t < data.length; t++) data[t] = rng.nextFloat() < sparsity ? 0 : rng.nextFloat() * scale;
  return { rows: n, cols: D, data };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Square S against the rows of `ref`, |Δ| ≤ tol (NaN only where ref is NaN), through the shared expectClose. */
function expectMatrixClose(S: Matrix<Float64Array>, ref: number[][], tol: number): void {
  expect([S.rows, S.cols]).toEqual([ref.length, ref.length]);
  expectClose(S.data, ref.flat(), { abs: tol });
}

/** The detail of the final progress event: which shift was used and how many pairs took the exact path. */
function run(X: Matrix<Float32Array | Float64Array>, opts: Parameters<typeof predictedSimilarity>[1] = {}) {
  let detail: ProgressEvent['detail'];
  const S = predictedSimilarity(X, { ...opts, onProgress: (e) => { if (e.phase === 'end') detail = e.detail; } });
  return { S, detail: detail! };
}

describe('predictedSimilarity', () => {
  it('matches the hand computation on 3 objects', () => {
    // x0 = (1, 0), x1 = (1, 0), x2 = (0, 1): s01 = 1, s02 = s12 = 0. With 3 objects each pair has one k.
    // S01 = e/(e + 1 + 1); S02 = 1/(1 + e + 1) (k = 1: s02 = 0, s01 = 1, s21 = 0); S12 likewise.
    const X = matrixFromRows([[1, 0], [1, 0], [0, 1]]);
    const S = predictedSimilarity(X);
    const e = Math.E;
    expectMatrixClose(S, [
      [1, e / (e + 2), 1 / (e + 2)],
      [e / (e + 2), 1, 1 / (e + 2)],
      [1 / (e + 2), 1 / (e + 2), 1],
    ], 1e-15);
    // Temperature 2 halves every s: S01 = e^0.5 / (e^0.5 + 2).
    const S2 = predictedSimilarity(X, { temperature: 2 });
    expect(S2.data[1]).toBeCloseTo(Math.sqrt(e) / (Math.sqrt(e) + 2), 15);
  });

  it('matches the naive triple loop on random embeddings (1e-12)', () => {
    for (const [n, D, seed] of [[7, 3, 1], [23, 5, 2], [40, 8, 3]] as const) {
      const X = randomEmbedding(n, D, seed, 1.5);
      const { S, detail } = run(X);
      expect(detail.shift).toBe('global');
      expectMatrixClose(S, naive(X, range(n), range(n)), 1e-12);
    }
    // Float32 weights and a temperature.
    const X64 = randomEmbedding(30, 6, 4, 2);
    const X32 = { rows: 30, cols: 6, data: Float32Array.from(X64.data) };
    expectMatrixClose(predictedSimilarity(X32, { temperature: 0.7 }), naive(X32, range(30), range(30), 0.7), 1e-12);
  });

  it('is symmetric with a unit diagonal, values in (0, 1)', () => {
    const n = 50;
    const S = predictedSimilarity(randomEmbedding(n, 10, 5));
    for (let a = 0; a < n; a++) {
      expect(S.data[a * n + a]).toBe(1);
      for (let b = 0; b < n; b++) {
        expect(S.data[a * n + b]).toBe(S.data[b * n + a]);
        if (a !== b) {
          expect(S.data[a * n + b]).toBeGreaterThan(0);
          expect(S.data[a * n + b]).toBeLessThan(1);
        }
      }
    }
  });

  it('restricts rows/columns to `objects` and averages over `context` only (k ∉ {i, j})', () => {
    const n = 25;
    const X = randomEmbedding(n, 5, 6);
    const objects = [17, 3, 9, 0, 22];
    const context = [1, 3, 5, 7, 9, 11, 13, 15, 24];
    // Objects partly inside the context (3, 9), partly outside (17, 0, 22).
    expectMatrixClose(predictedSimilarity(X, { objects, context }), naive(X, objects, context), 1e-12);
    expectMatrixClose(predictedSimilarity(X, { objects: Int32Array.from(objects) }), naive(X, objects, range(n)), 1e-12);
    expectMatrixClose(predictedSimilarity(X, { context }), naive(X, range(n), context), 1e-12);
    // The subset of the full matrix is the matrix of the subset (context = all).
    const full = predictedSimilarity(X);
    const sub = predictedSimilarity(X, { objects });
    for (let a = 0; a < objects.length; a++) {
      for (let b = 0; b < objects.length; b++) expect(sub.data[a * 5 + b]).toBeCloseTo(full.data[objects[a] * n + objects[b]], 13);
    }
  });

  it('gives NaN for a pair with no third object in the context', () => {
    const X = randomEmbedding(5, 3, 7);
    const S = predictedSimilarity(X, { objects: [0, 1, 2], context: [0, 1] });
    const ref = naive(X, [0, 1, 2], [0, 1]);
    expect(S.data[1]).toBeNaN(); // pair (0, 1): context ⊆ {0, 1}
    expectMatrixClose(S, ref, 1e-12);
  });

  it('stays finite and exact with large weights (per-row shift, exact fallback)', () => {
    // Range of s far beyond 700: the global shift would underflow.
    const X = randomEmbedding(20, 4, 8, 40, 0.3);
    const { S, detail } = run(X);
    expect(detail.shift).toBe('per-row');
    for (const v of S.data) expect(Number.isFinite(v)).toBe(true);
    expectMatrixClose(S, naive(X, range(20), range(20)), 1e-12);

    // A huge common offset with a small spread: the global shift handles it (no overflow of exp).
    const Y = randomEmbedding(15, 3, 9, 0.5, 0);
    const big = { rows: 15, cols: 4, data: new Float64Array(15 * 4) };
    for (let i = 0; i < 15; i++) {
      for (let d = 0; d < 3; d++) big.data[i * 4 + d] = Y.data[i * 3 + d];
      big.data[i * 4 + 3] = 40; // adds 1,600 to every s
    }
    const r2 = run(big);
    expect(r2.detail.shift).toBe('global');
    expectMatrixClose(r2.S, naive(big, range(15), range(15)), 1e-12);

    // Per-row shifts without any exact pair: s_ij (i ≠ j) ranges over ~108…930 (> 690 apart), but every pair's
    // own s_ij lies within 690 of its rows' largest s (worst: s(9, 31) = 279 against 930).
    const chain = matrixFromRows([[9, 0.2], [12, 0], [16, 0.5], [21, 0.1], [26, 0.3], [30, 0], [31, 0.4]]);
    const r3 = run(chain);
    expect(r3.detail.shift).toBe('per-row');
    expect(r3.detail.exactPairs).toBe(0);
    expectMatrixClose(r3.S, naive(chain, range(7), range(7)), 1e-12);

    // Two groups far apart: the cross-group pairs (s_ij ≈ 0, row maxima ≈ 900) take the exact path.
    const groups = matrixFromRows([[30, 0, 0.1], [30.2, 0, 0.3], [29.9, 0, 0], [0, 1, 0.2], [0, 1.2, 0], [0, 0.8, 0.5]]);
    const r5 = run(groups);
    expect(r5.detail.shift).toBe('per-row');
    expect(r5.detail.exactPairs).toBe(9);
    expectMatrixClose(r5.S, naive(groups, range(6), range(6)), 1e-12);

    // Extreme: a row whose own pairs sit ~10⁴ below its largest s (exact path, terms overflow to ∞ → 0).
    const extreme = matrixFromRows([[100, 0], [100, 1], [0, 1], [0, 2], [1, 1]]);
    const r4 = run(extreme);
    expect(r4.detail.exactPairs).toBeGreaterThan(0);
    for (const v of r4.S.data) expect(Number.isFinite(v)).toBe(true);
    expectMatrixClose(r4.S, naive(extreme, range(5), range(5)), 1e-12);
  });

  it('reports progress in pairs', () => {
    const events: ProgressEvent[] = [];
    predictedSimilarity(randomEmbedding(70, 3, 10), { onProgress: (e) => events.push(e) });
    expect(events[0].phase).toBe('start');
    const end = events[events.length - 1];
    expect(end.phase).toBe('end');
    expect(end.done).toBe((70 * 69) / 2);
    expect(end.unit).toBe('pairs');
  });

  it('rejects bad input', () => {
    const X = randomEmbedding(5, 2, 11);
    expect(() => predictedSimilarity(X, { temperature: 0 })).toThrow(InvalidArgumentError);
    expect(() => predictedSimilarity(X, { objects: [0, 5] })).toThrow(/objects\[1\]/);
    expect(() => predictedSimilarity(X, { context: [1, 1] })).toThrow(/distinct/);
    expect(() => predictedSimilarity(X, { objects: [0.5] })).toThrow(InvalidArgumentError);
    expect(() => predictedSimilarity({ rows: 5, cols: 2, data: new Float64Array(9) })).toThrow(ShapeError);
    // 46,341² values exceed one typed array: the typed error before any allocation, not a RangeError.
    expect(() => predictedSimilarity({ rows: 46_341, cols: 1, data: new Float64Array(46_341).fill(1) })).toThrow(
      'objects: expected at most 2^31 − 1 values in the objects × objects result and the objects × context products (one typed array each), got "46341 objects, 46341 context objects"',
    );
    const bad = randomEmbedding(3, 2, 12);
    bad.data[3] = NaN;
    expect(() => predictedSimilarity(bad)).toThrow(/embedding\[1\]\[1\]/);
  });
});
