import { createTriplets, InvalidArgumentError, matrixFromRows, ShapeError, type ProgressEvent } from '@conceptlab/core';
import { dimsNeeded } from './dims-needed.js';
import { evaluateTriplets } from './evaluate.js';
import { pearson } from '@conceptlab/core/stats';

// 9 objects × 4 dims. Object 0 uses exactly 2 dims (1: weight 2, 3: weight 1); objects 2 and 3 one dim each;
// object 8 two dims and no triplets.
const X = matrixFromRows([
  [0, 2, 0, 1], // 0
  [0, 0, 0, 2], // 1: shares only dim 3 with 0
  [0, 1, 0, 0], // 2
  [1, 0, 0, 0], // 3
  [0, 0, 1, 0], // 4
  [0, 0.5, 0, 1.5], // 5
  [1, 0.2, 0, 0], // 6
  [0, 0, 1, 0.8], // 7
  [0.3, 0, 0.4, 0], // 8
]);
// Answered as the full embedding predicts (odd one out last), without ties. With only dim 1, object 0 gets
// (0,1,7) and (0,1,6) wrong: s01 drops from 2 to 0.
const T = createTriplets([
  [0, 1, 7], // s01 = 2 > s17 = 1.6 > s07 = 0.8
  [0, 2, 3], // s02 = 2
  [0, 5, 6], // s05 = 2.5
  [0, 1, 6], // s01 = 2 > s06 = 0.4
  [2, 0, 4], // s02 = 2
]);

const col = (r: number, j: number, D = 4) => X.data[r * D + j];

describe('dimsNeeded', () => {
  it('finds that 2 dims suffice for an object that uses exactly 2', () => {
    const res = dimsNeeded(X, T, { objects: [0] });
    expect(res.dims).toBe(4);
    expect(res.method).toBe('per-object');
    expect(res.triplets[0]).toBe(5);
    expect(res.fullAccuracy[0]).toBe(1);
    // m = 1: 3 of 5 right; m ≥ 2: the full row.
    expect(Array.from(res.accuracy.data)).toEqual([0.6, 1, 1, 1]);
    // The same number from evaluateTriplets on a hand-reduced embedding (object 0 keeps dim 1 only).
    const reduced = { ...X, data: X.data.slice() };
    reduced.data[3] = 0;
    const own = createTriplets([[0, 1, 7], [0, 2, 3], [0, 5, 6], [0, 1, 6], [2, 0, 4]]);
    expect(evaluateTriplets(reduced, own).accuracy).toBe(0.6);
    // r² at m = 1: rows over j = 1..8 of 2·x_j1 + x_j3 (full) and 2·x_j1 (dim 1 only).
    const js = [1, 2, 3, 4, 5, 6, 7, 8];
    const full = js.map((j) => 2 * col(j, 1) + col(j, 3));
    const one = js.map((j) => 2 * col(j, 1));
    expect(res.r2.data[0]).toBeCloseTo(pearson(full, one) ** 2, 14);
    expect(res.r2.data[0]).toBeLessThan(0.95);
    expect(Array.from(res.r2.data.subarray(1))).toEqual([1, 1, 1]);
    // Margin above chance at m = 1: 0.6 − 1/3 < 0.95 · (1 − 1/3) → 2 dims for both quantiles.
    expect(res.quantiles).toEqual([0.95, 0.99]);
    expect(res.accuracyDims.map((a) => a[0])).toEqual([2, 2]);
    expect(res.varianceDims.map((a) => a[0])).toEqual([2, 2]);
  });

  it('summarizes over objects (median, mean) and leaves undefined objects out', () => {
    const res = dimsNeeded(X, T, { objects: [0, 2, 3, 8], quantiles: [0.95] });
    // Objects 2 and 3 have a single non-zero dim: 1 dim is their full row. Object 8 has no triplets.
    expect(Array.from(res.accuracyDims[0])).toEqual([2, 1, 1, NaN]);
    // Object 8: dims by weight 2 (0.4), 0 (0.3); r² with dim 2 only, by hand.
    const js = [0, 1, 2, 3, 4, 5, 6, 7];
    const r2 = pearson(js.map((j) => 0.3 * col(j, 0) + 0.4 * col(j, 2)), js.map((j) => 0.4 * col(j, 2))) ** 2;
    expect(res.r2.data[3 * 4]).toBeCloseTo(r2, 14);
    const v8 = r2 >= 0.95 ? 1 : 2;
    expect(Array.from(res.varianceDims[0])).toEqual([2, 1, 1, v8]);
    expect(res.summary).toHaveLength(1);
    expect(res.summary[0].quantile).toBe(0.95);
    expect(res.summary[0].accuracy).toEqual({ median: 1, mean: 4 / 3, objects: 3 });
    const vs = [2, 1, 1, v8].sort();
    expect(res.summary[0].variance).toEqual({ median: (vs[1] + vs[2]) / 2, mean: (4 + v8) / 4, objects: 4 });
    expect(res.triplets[3]).toBe(0);
    expect(res.fullAccuracy[3]).toBeNaN();
  });

  it('uses only the margin above chance and reports NaN without one', () => {
    // Object 1 is in (0,1,7) and (0,1,6), both right with the full embedding; its only dim is complete at m = 1.
    // Reversed answers make its full accuracy 0: no margin above chance → NaN.
    const wrong = createTriplets([[0, 7, 1], [0, 6, 1]]);
    const res = dimsNeeded(X, wrong, { objects: [1] });
    expect(res.fullAccuracy[0]).toBe(0);
    expect(res.accuracyDims[0][0]).toBeNaN();
    expect(res.summary[0].accuracy.objects).toBe(0);
    expect(res.summary[0].accuracy.median).toBeNaN();
  });

  it('analyses all objects by default, leaves the embedding unchanged and reports progress', () => {
    const before = X.data.slice();
    const events: ProgressEvent[] = [];
    const res = dimsNeeded(X, T, { onProgress: (e) => events.push(e) });
    expect(Array.from(res.objects)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect([res.accuracy.rows, res.accuracy.cols]).toEqual([9, 4]);
    expect(X.data).toEqual(before);
    expect(events[events.length - 1]).toMatchObject({ phase: 'end', done: 9, unit: 'objects' });
    // Per-object counts of triplets from the index.
    expect(Array.from(res.triplets)).toEqual([5, 2, 2, 1, 1, 1, 2, 1, 0]);
    // Same answer for an object analysed alone or among all.
    const alone = dimsNeeded(X, T, { objects: [5] });
    expect(Array.from(alone.accuracy.data)).toEqual(Array.from(res.accuracy.data.subarray(5 * 4, 6 * 4)));
    expect(Array.from(alone.r2.data)).toEqual(Array.from(res.r2.data.subarray(5 * 4, 6 * 4)));
  });

  it('rejects bad input', () => {
    expect(() => dimsNeeded(X, createTriplets([[0, 1, 9]]))).toThrow(InvalidArgumentError);
    expect(() => dimsNeeded(X, T, { quantiles: [0] })).toThrow(/quantiles/);
    expect(() => dimsNeeded(X, T, { quantiles: [1.5] })).toThrow(/quantiles/);
    expect(() => dimsNeeded(X, T, { objects: [0, 0] })).toThrow(/distinct/);
    expect(() => dimsNeeded(X, T, { seed: -1 })).toThrow(/seed/);
    expect(() => dimsNeeded({ rows: 9, cols: 4, data: new Float64Array(3) }, T)).toThrow(ShapeError);
  });
});
