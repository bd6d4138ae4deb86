import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectClose } from '../../../../test-support/expect-close.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { benjaminiHochberg, logGamma, median, percentile, percentileSorted, ranks, symmetricEigen } from './index.js';

// numpy/scipy reference values: packages/core/reference/stats_reference.py → stats_reference.json
const REF = JSON.parse(readFileSync(join(__dirname, '../../reference/stats_reference.json'), 'utf8')) as {
  percentile_linear_sin1000: Record<string, number>;
  percentile_linear_sin7: Record<string, number>;
  median_sin1000: number;
  median_sin7: number;
  ranks_ties: { x: number[]; ranks: number[] };
  bh: { p: number[]; q: number[] };
  gammaln: { x: number; value: number }[];
  eigh: { a: number[]; values: number[]; absVectors: number[] };
};
const sin = (n: number) => Array.from({ length: n }, (_, i) => Math.sin(1.7 * i));

describe('percentile (numpy default, method="linear")', () => {
  test('hand-computed: position (n − 1)·q/100', () => {
    expect(percentile([40, 10, 30, 20], 50)).toBe(25); // position 1.5
    expect(percentile([40, 10, 30, 20], 25)).toBe(17.5); // position 0.75
    expect(percentile([40, 10, 30, 20], 0)).toBe(10);
    expect(percentile([40, 10, 30, 20], 100)).toBe(40);
    expect(percentile([7], 2.5)).toBe(7);
    expect(percentileSorted([1, 2, 3, 4], 25)).toBe(1.75);
  });
  test('np.percentile (linear) of 7 sorted values (moved from spose-embed similarity-fit)', () => {
    const z = [0.3, -1.2, 0.05, 2.2, 0.9, 0.91, 1.7].sort((a, b) => a - b);
    expect(percentileSorted(z, 2.5)).toBeCloseTo(-1.0125, 14);
    expect(percentileSorted(z, 97.5)).toBeCloseTo(2.125, 14);
    expect(percentileSorted(z, 50)).toBe(0.9);
    expect(percentileSorted([], 50)).toBeNaN();
  });
  test('equals np.percentile on 1,000 and 7 values at 9 percentiles (inputs differ from numpy’s sin by an ulp)', () => {
    const tol = { abs: 1e-15 };
    for (const [q, v] of Object.entries(REF.percentile_linear_sin1000)) expectClose(percentile(sin(1000), Number(q)), v, tol);
    for (const [q, v] of Object.entries(REF.percentile_linear_sin7)) expectClose(percentile(sin(7), Number(q)), v, tol);
    const sorted = Float64Array.from(sin(1000)).sort();
    for (const [q, v] of Object.entries(REF.percentile_linear_sin1000)) expectClose(percentileSorted(sorted, Number(q)), v, tol);
  });
  test('degenerate: NaN in the input or no values → NaN; q outside [0, 100] throws', () => {
    expect(percentile([1, NaN, 3], 50)).toBeNaN();
    expect(percentile([], 50)).toBeNaN();
    expect(percentileSorted([], 50)).toBeNaN();
    expect(() => percentile([1, 2], 101)).toThrow(InvalidArgumentError);
    expect(() => percentileSorted([1, 2], -1)).toThrow(/percentile in \[0, 100\]/);
  });
});

describe('median', () => {
  test('hand-computed: odd and even counts, unsorted input left as it is', () => {
    const x = [5, 1, 4, 2];
    expect(median(x)).toBe(3);
    expect(x).toEqual([5, 1, 4, 2]);
    expect(median([3, 1, 2])).toBe(2);
    expect(median(Float32Array.from([0.5]))).toBe(0.5);
  });
  test('equals np.median', () => {
    expectClose(median(sin(1000)), REF.median_sin1000, { abs: 1e-15 });
    expectClose(median(sin(7)), REF.median_sin7, { abs: 1e-15 });
  });
  test('degenerate: no values or a NaN → NaN', () => {
    expect(median([])).toBeNaN();
    expect(median([1, NaN, 2])).toBeNaN();
  });
});

describe('ranks (scipy.stats.rankdata, average ties)', () => {
  test('hand-computed', () => {
    expect(Array.from(ranks([10, 30, 20, 20]))).toEqual([1, 4, 2.5, 2.5]);
    expect(Array.from(ranks([3, 3, 3]))).toEqual([2, 2, 2]);
    expect(ranks([]).length).toBe(0);
  });
  test('equals rankdata on 40 values with many ties', () => {
    expect(Array.from(ranks(REF.ranks_ties.x))).toEqual(REF.ranks_ties.ranks);
  });
  test('degenerate: a NaN makes every rank NaN (nan_policy="propagate")', () => {
    expect(Array.from(ranks([1, NaN, 2])).every(Number.isNaN)).toBe(true);
  });
});

describe('benjaminiHochberg', () => {
  test('equals scipy.stats.false_discovery_control(p, method="bh")', () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.5, 0.2, 0.001, 0.04]);
    const want = [0.035, 0.056, 0.056, 0.5, 0.23333333333333336, 0.007, 0.056];
    expectClose(q, want, { abs: 1e-14 });
    expectClose(benjaminiHochberg(Float64Array.from(REF.bh.p)), REF.bh.q, { abs: 1e-15 });
  });
  test('hand-computed: q₍ᵢ₎ = min over j ≥ i of p₍ⱼ₎·m/j, capped at 1', () => {
    expect(benjaminiHochberg([0.02, 0.01])).toEqual([0.02, 0.02]);
    expect(benjaminiHochberg([0.9, 0.8, 0.7])).toEqual([0.9, 0.9, 0.9]);
    expect(benjaminiHochberg([])).toEqual([]);
  });
  test('a p-value outside [0, 1] (NaN included) is an error naming its index', () => {
    expect(() => benjaminiHochberg([0.1, 1.2])).toThrow(InvalidArgumentError);
    expect(() => benjaminiHochberg([NaN])).toThrow(/p\[0\]/);
  });
});

describe('logGamma', () => {
  test('hand-computed: ln Γ(1) = ln Γ(2) = 0, Γ(5) = 24, Γ(½) = √π', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-14);
    expectClose(logGamma(5), Math.log(24), { rel: 1e-14 });
    expectClose(logGamma(0.5), 0.5 * Math.log(Math.PI), { rel: 1e-14 });
  });
  test.each(REF.gammaln)('equals scipy.special.gammaln($x)', ({ x, value }) => {
    if (value === 0) expect(Math.abs(logGamma(x))).toBeLessThan(1e-14);
    else expectClose(logGamma(x), value, { rel: 1e-13, abs: 1e-15 }); // abs: near the zeros at 1 and 2
  });
  test('x ≤ 0 or NaN throws', () => {
    expect(() => logGamma(0)).toThrow(InvalidArgumentError);
    expect(() => logGamma(NaN)).toThrow(InvalidArgumentError);
  });
});

describe('symmetricEigen (cyclic Jacobi)', () => {
  test('hand-computed: [[2, 1], [1, 2]] has eigenvalues 3 and 1, vectors (1, 1)/√2 and (1, −1)/√2', () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expectClose(values, [3, 1], { abs: 1e-15 });
    expectClose([Math.abs(vectors[0]), Math.abs(vectors[2])], [Math.SQRT1_2, Math.SQRT1_2], { abs: 1e-15 });
    expect(vectors[0] * vectors[2]).toBeGreaterThan(0); // first column ∝ (1, 1)
    expect(vectors[1] * vectors[3]).toBeLessThan(0); // second ∝ (1, −1)
  });
  test('equals numpy.linalg.eigh on a 12 × 12 symmetric matrix (values; vectors up to sign)', () => {
    const { values, vectors } = symmetricEigen(REF.eigh.a, 12);
    expectClose(values, REF.eigh.values, { abs: 1e-12 });
    expectClose(Array.from(vectors, Math.abs), REF.eigh.absVectors, { abs: 1e-10 });
  });
  test('A·v = λ·v and the input is left as it is', () => {
    const a = Float64Array.from(REF.eigh.a);
    const { values, vectors } = symmetricEigen(a, 12);
    expect(Array.from(a)).toEqual(REF.eigh.a);
    for (let j = 0; j < 12; j++) {
      for (let i = 0; i < 12; i++) {
        let av = 0;
        for (let k = 0; k < 12; k++) av += a[i * 12 + k] * vectors[k * 12 + j];
        expectClose(av, values[j] * vectors[i * 12 + j], { abs: 1e-12 });
      }
    }
  });
  test('a length that is not k·k is a ShapeError', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(ShapeError);
  });
});
