import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTriplets, InvalidArgumentError, matrixFromRows, ShapeError } from '@conceptlab/core';
import { measuredSimilarity } from '@conceptlab/triplet-sampler';
import { expectClose } from '../../../test-support/expect-close.js';
import { predictedSimilarity48, r48 } from './r48.js';
import { r48Curve } from './r48-curve.js';

// numpy port of the authors' r48 scripts (draw_figure2b_rsm_*.m, draw_figure2a_step2_*.m):
// python3 packages/spose-embed/reference/r48_reference.py > packages/spose-embed/reference/r48_reference.json
const REF = JSON.parse(readFileSync(join(__dirname, '../reference/r48_reference.json'), 'utf8')) as {
  nObjects: number; dims: number; embedding: number[]; objects48: number[]; answered: number[][];
  bootstrap: number; seed: number; predicted48: number[]; r48: number; ciLow: number; ciHigh: number; curve: number[];
};
const E = { rows: REF.nObjects, cols: REF.dims, data: Float64Array.from(REF.embedding) };
const measured48 = () => measuredSimilarity(createTriplets(REF.answered), REF.nObjects, { objects: REF.objects48 }).similarity;

describe('predictedSimilarity48', () => {
  it('hand-computed: the paper divides the sum over the 4 − 2 third objects by 4; `mean` by 2', () => {
    // x0 = x1 = (1, 0), x2 = x3 = (0, 1): for pair (0, 1) both third objects give e/(e + 1 + 1).
    const X = matrixFromRows([[1, 0], [1, 0], [0, 1], [0, 1], [5, 5]]);
    const e = Math.E;
    const paper = predictedSimilarity48(X, [0, 1, 2, 3]);
    const mean = predictedSimilarity48(X, [0, 1, 2, 3], { scale: 'mean' });
    expectClose(paper.data[1], (2 * e) / (e + 2) / 4, { abs: 1e-15 });
    expectClose(mean.data[1], e / (e + 2), { abs: 1e-15 });
    // Pair (0, 2): k = 1 gives s02 = 0 against s01 = 1, s21 = 0 → 1/(1 + e + 1); k = 3 gives 1/(1 + 1 + e).
    expectClose(paper.data[2], 2 / (e + 2) / 4, { abs: 1e-15 });
    expect([paper.data[0], mean.data[5]]).toEqual([1, 1]);
  });
});

describe('r48', () => {
  it("equals the numpy port of the authors' script: predicted ÷48, r, and the Fisher-z CI from the same resamples", () => {
    const res = r48(E, REF.objects48, measured48(), { bootstrap: REF.bootstrap, seed: REF.seed });
    expect(res.method).toEqual({ scale: 'paper', context: 'objects48', ci: 'paper' });
    expect(res.pairs).toBe(1128);
    expectClose(res.predicted.data, REF.predicted48, { abs: 1e-13 });
    expectClose(res.r, REF.r48, { abs: 1e-12 });
    expect(res.ci).not.toBeNull();
    expectClose([res.ci!.low, res.ci!.high], [REF.ciLow, REF.ciHigh], { abs: 1e-9 });
    expect(res.ci!.used).toBe(1000);
  });

  it('the ÷46 mean gives the same r (a constant factor); the percentile CI is a named alternative', () => {
    const M = measured48();
    const paper = r48(E, REF.objects48, M, { bootstrap: 200, seed: 3 });
    const mean = r48(E, REF.objects48, M, { bootstrap: 200, seed: 3, scale: 'mean' });
    expectClose(mean.r, paper.r, { abs: 1e-13 });
    expectClose(mean.predicted.data[1] * (46 / 48), paper.predicted.data[1], { rel: 1e-14 });
    const pct = r48(E, REF.objects48, M, { bootstrap: 200, seed: 3, ci: 'percentile' });
    expect(pct.method.ci).toBe('percentile');
    expect(pct.ci!.method).toBe('percentile');
    // Same resamples, other summary: both about ±1.96/√(1128 − 3) wide in z, not equal.
    expect(pct.ci!.low).not.toBe(paper.ci!.low);
    const width = (c: { low: number; high: number }) => Math.atanh(c.high) - Math.atanh(c.low);
    expect(width(pct.ci!) / width(paper.ci!)).toBeGreaterThan(0.8);
    expect(width(pct.ci!) / width(paper.ci!)).toBeLessThan(1.25);
    expect(r48(E, REF.objects48, M, { bootstrap: 0 }).ci).toBeNull();
  });

  it('rejects what has no r48', () => {
    const constant = { rows: 48, cols: 48, data: new Float64Array(48 * 48).fill(0.5) };
    expect(() => r48(E, REF.objects48, constant)).toThrow(InvalidArgumentError);
    expect(() => r48(E, REF.objects48.slice(0, 10), measured48())).toThrow(ShapeError);
    expect(() => r48(E, [0, 1, 1], measured48())).toThrow(/distinct/);
    expect(() => r48(E, [0, 1, 999], measured48())).toThrow(/objects48\[2\]/);
    expect(() => r48(E, REF.objects48, measured48(), { scale: 'x' as never })).toThrow(/scale/);
  });
});

describe('r48Curve', () => {
  it("equals the numpy port of the authors' curve (first d columns, d = 1 … D)", () => {
    const c = r48Curve(E, REF.objects48, measured48());
    expect(c.points.map((p) => p.dims)).toEqual([1, 2, 3, 4, 5, 6]);
    expectClose(c.points.map((p) => p.r ?? NaN), REF.curve, { abs: 1e-12 });
    expect(c.method).toEqual({ scale: 'paper', context: 'objects48', columns: 'leading' });
    expect(r48Curve(E, REF.objects48, measured48(), { maxDims: 2 }).points).toHaveLength(2);
  });

  it('reports null, not NaN, where the leading columns are all zero on the 48', () => {
    // Column 0 zero: with one dim every predicted pair is 1/3·46/48, a constant → r undefined.
    const X = { rows: E.rows, cols: E.cols, data: E.data.slice() };
    for (let i = 0; i < X.rows; i++) X.data[i * X.cols] = 0;
    const c = r48Curve(X, REF.objects48, measured48(), { maxDims: 2 });
    expect(c.points[0].r).toBeNull();
    expect(typeof c.points[1].r).toBe('number');
    expect(() => r48Curve(E, REF.objects48, measured48(), { maxDims: 7 })).toThrow(/maxDims/);
  });
});
