import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, matrixToRows, readMatrixText, readNpy, ShapeError } from '@conceptlab/core';
import { countActiveDims, formatEmbeddingText, formatFloat32, pruneAndSort, rankDimensions, writeEmbedding } from './export.js';

// 4 objects × 5 dims. Column maxima: 0.5, 0.05, 0.3, 0.1, 0.9 → dim 1 (≤ 0.1) and dim 3 (= 0.1, not > 0.1) go.
// Reference (default) L1 norms Σ|w|: d0 = 0.5 + 0.2 + 0.3 = 1.0, d2 = 0.9 + 0.01 = 0.91, d4 = 0.9 + 0.2 = 1.1 → order 4, 0, 2.
// Clamped L1 norms Σ max(w, 0): d0 = 0.7, d2 = 0.9, d4 = 0.9 (tie with d2 → original order) → order 2, 4, 0.
const W = Float32Array.from([
  [0.5, 0.05, 0.3, 0.1, 0.9],
  [0.2, 0.01, 0.3, 0.0, -0.2],
  [-0.3, 0.0, 0.3, 0.1, 0.0],
  [0.0, 0.02, -0.01, 0.05, 0.0],
].flat());

describe('pruneAndSort', () => {
  test('default (the reference): keeps dims whose max > 0.1, sorts by Σ|w| descending, exports |w|', () => {
    const r = rankDimensions(W, 4, 5);
    expect(r.method).toBe('reference');
    expect(Array.from(r.order)).toEqual([4, 0, 2]);
    expect(Array.from(r.l1)).toEqual([expect.closeTo(1.1, 6), expect.closeTo(1.0, 6), expect.closeTo(0.91, 6)]);
    expect(matrixToRows(pruneAndSort(W, 4, 5))).toEqual([
      [0.9, 0.5, 0.3],
      [0.2, 0.2, 0.3],
      [0, 0.3, 0.3],
      [0, 0, 0.01],
    ].map((row) => row.map(Math.fround)));
    expect(() => rankDimensions(W, 4, 5, { method: 'abs' as 'reference' })).toThrow(InvalidArgumentError);
  });

  test("method 'clamped' (ours): keeps dims whose max > 0.1, sorts by Σ max(w, 0) descending, clamps negatives to 0", () => {
    const r = rankDimensions(W, 4, 5, { method: 'clamped' });
    expect(Array.from(r.order)).toEqual([2, 4, 0]);
    expect(Array.from(r.l1)).toEqual([expect.closeTo(0.9, 6), expect.closeTo(0.9, 6), expect.closeTo(0.7, 6)]);
    const m = pruneAndSort(W, 4, 5, { method: 'clamped' });
    expect(m.rows).toBe(4);
    expect(m.cols).toBe(3);
    expect(m.data).toBeInstanceOf(Float32Array);
    expect(matrixToRows(m)).toEqual([
      [0.3, 0.9, 0.5],
      [0.3, 0, 0.2],
      [0.3, 0, 0],
      [0, 0, 0],
    ].map((row) => row.map(Math.fround)));
    expect(countActiveDims(W, 4, 5)).toBe(3);
  });

  test('the threshold option; nothing kept gives 0 columns', () => {
    expect(Array.from(rankDimensions(W, 4, 5, { threshold: 0.05, method: 'clamped' }).order)).toEqual([2, 4, 0, 3]);
    expect(Array.from(rankDimensions(W, 4, 5, { threshold: 0, method: 'clamped' }).order)).toEqual([2, 4, 0, 3, 1]);
    expect(Array.from(rankDimensions(W, 4, 5, { threshold: 0 }).order)).toEqual([4, 0, 2, 3, 1]);
    const none = pruneAndSort(W, 4, 5, { threshold: 1 });
    expect(none.cols).toBe(0);
    expect(none.data.length).toBe(0);
  });

  test('bad shapes', () => {
    expect(() => pruneAndSort(W, 4, 4)).toThrow(ShapeError);
    expect(() => pruneAndSort(W, 0, 5)).toThrow(InvalidArgumentError);
    expect(() => rankDimensions(W, 4, 5, { threshold: NaN })).toThrow(InvalidArgumentError);
  });
});

describe('embedding files', () => {
  test('formatFloat32 writes the shortest decimal that reads back to the same float32', () => {
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(Math.fround(1 / 3))).toBe('0.33333334');
    expect(formatFloat32(Math.fround(1e-7))).toBe('1e-7');
    expect(formatFloat32(0)).toBe('0');
    expect(formatFloat32(-2.5)).toBe('-2.5');
    expect(formatFloat32(NaN)).toBe('nan');
    expect(formatFloat32(-Infinity)).toBe('-inf');
    const rng = (i: number) => Math.fround(Math.sin(i * 12.9898) * 43758.5453 % 1);
    for (let i = 1; i < 2000; i++) {
      const x = rng(i) * 10 ** ((i % 12) - 6);
      const f = Math.fround(x);
      expect(Math.fround(Number(formatFloat32(f)))).toBe(f);
    }
  });

  test('writeEmbedding writes .npy and the reference text layout, both reading back exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spose-export-'));
    try {
      const m = pruneAndSort(W, 4, 5, { method: 'clamped' });
      const files = writeEmbedding(join(dir, 'sub', 'embedding.txt'), m);
      expect(files).toEqual([join(dir, 'sub', 'embedding.npy'), join(dir, 'sub', 'embedding.txt')]);
      const npy = readNpy(files[0]);
      expect(npy.dtype).toBe('f4');
      expect(npy.shape).toEqual([4, 3]);
      expect(Array.from(npy.data as Float32Array)).toEqual(Array.from(m.data));
      const text = readFileSync(files[1], 'utf8');
      expect(text).toBe('0.3 0.9 0.5\n0.3 0 0.2\n0.3 0 0\n0 0 0\n');
      expect(Array.from(readMatrixText(files[1]).data, Math.fround)).toEqual(Array.from(m.data));
      expect(writeEmbedding(join(dir, 'only'), m, { formats: ['npy'] })).toEqual([join(dir, 'only.npy')]);
      expect(() => writeEmbedding(join(dir, 'x'), m, { formats: ['csv' as 'npy'] })).toThrow(InvalidArgumentError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('float64 embeddings are written with full float64 precision', () => {
    expect(formatEmbeddingText({ rows: 1, cols: 2, data: Float64Array.of(0.1, 1 / 3) })).toBe('0.1 0.3333333333333333\n');
    expect(formatEmbeddingText({ rows: 0, cols: 2, data: new Float64Array(0) })).toBe('');
  });
});
