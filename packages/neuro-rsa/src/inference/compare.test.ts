import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { ranks } from '@conceptlab/core/stats';
import { compareRdms, compareVectors, type CompareMethod } from './compare.js';
import { rdmFromVector } from '../rdm/rdm.js';

/** The same deterministic vectors as the numpy/scipy reference script (k = 0 … m−1). */
function vecs(m: number): { x: number[]; y: number[]; z: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  const z: number[] = [];
  for (let k = 0; k < m; k++) {
    x.push(((k * 7919) % 101) % 13); // many ties
    y.push(((k * 104729) % 97) / 7.0); // some ties
    z.push(((k * 7919) % 1009) / 1009.0 + ((k * 31) % 7)); // few ties
  }
  return { x, y, z };
}
function withNaN(a: number[], b: number[]): [number[], number[]] {
  return [a.map((v, k) => (k % 17 === 3 ? NaN : v)), b.map((v, k) => (k % 23 === 5 ? NaN : v))];
}

type Ref = Record<'corr' | 'cosine' | 'spearman' | 'kendall' | 'tau-a' | 'rho-a', number>;
// scipy 1.17: pearsonr, a·b/(|a||b|), spearmanr, kendalltau (tau-b); tau-a by brute-force sign sums;
// rho-a = rsatoolbox's 12·Σ(ra−r̄)(rb−r̄)/(m³−m) on rankdata ranks. NaN pairs dropped first.
const REF: Record<string, Ref> = {
  xy: { corr: 0.0077818426765036705, cosine: 0.731191986606337, spearman: 0.00879407973642459, kendall: 0.014789220313897625, 'tau-a': 0.014180602006688962, 'rho-a': 0.008767430749230547 },
  xz: { corr: 0.005966820782607946, cosine: 0.7343034605216924, spearman: 0.005623940439188532, kendall: 0.0030817306692691184, 'tau-a': 0.0029654403567447047, 'rho-a': 0.005607173413037923 },
  yz: { corr: 0.007165339863988343, cosine: 0.7487441035608928, spearman: 0.006823077575789466, kendall: 0.008502884361101448, 'tau-a': 0.0084726867335563, 'rho-a': 0.006822742474916389 },
  xyNaN: { corr: 0.038396228219239034, cosine: 0.7413067268300165, spearman: 0.03867471612039621, kendall: 0.03548827898584452, 'tau-a': 0.03403552251135894, 'rho-a': 0.03855730378865127 },
  yzNaN: { corr: 0.013033922713166888, cosine: 0.7526045780473127, spearman: 0.011691356852700759, kendall: 0.012158632942254275, 'tau-a': 0.01211620542475561, 'rho-a': 0.011690756312767588 },
};

const { x, y, z } = vecs(300);
const inputs: Record<string, [number[], number[]]> = { xy: [x, y], xz: [x, z], yz: [y, z], xyNaN: withNaN(x, y), yzNaN: withNaN(y, z) };

describe.each(Object.keys(REF))('%s (300 values, with ties)', (name) => {
  test.each(Object.keys(REF[name]!) as (keyof Ref)[])('%s matches scipy/numpy within 1e-12', (method) => {
    const [a, b] = inputs[name]!;
    expect(Math.abs(compareVectors(a, b, method) - REF[name]![method])).toBeLessThanOrEqual(1e-12);
  });
});

test("kendall on 4,186 pairs (a 92-image RDM's size) matches scipy.stats.kendalltau", () => {
  const v = vecs(4186);
  const t0 = Date.now();
  expect(Math.abs(compareVectors(v.x, v.y, 'kendall') - 0.019735119544025688)).toBeLessThanOrEqual(1e-12);
  expect(Math.abs(compareVectors(v.y, v.z, 'tau-b') - 0.0017295516541983808)).toBeLessThanOrEqual(1e-12);
  expect(Date.now() - t0).toBeLessThan(1000);
});

test("without ties rho-a equals 1 − 6Σd²/(m³−m) and Spearman's rho", () => {
  // scipy: both 0.007101412237913754 (formula 0.007101412237913718), spearmanr 0.0071014122379137535
  const a = z.slice(0, 300);
  const b = Array.from({ length: 300 }, (_, k) => ((k * 7919) % 1013) / 1013.0);
  expect(Math.abs(compareVectors(a, b, 'rho-a') - 0.007101412237913754)).toBeLessThanOrEqual(1e-12);
  expect(Math.abs(compareVectors(a, b, 'spearman') - 0.0071014122379137535)).toBeLessThanOrEqual(1e-12);
});

test("spearman's ranks (core/stats ranks) give tied values their average rank (scipy rankdata)", () => {
  expect(Array.from(ranks([10, 20, 10, 30, 20, 10]))).toEqual([2, 4.5, 2, 6, 4.5, 2]);
});

test('identical RDMs compare as 1 under every method', () => {
  const r = rdmFromVector([3, 1, 4, 1, 5, 9, 2, 6, 5, 3]);
  for (const m of ['corr', 'cosine', 'spearman', 'kendall', 'tau-b'] as CompareMethod[]) {
    expect(compareRdms(r, r, m)).toBeCloseTo(1, 14);
  }
  // tau-a and rho-a are below 1 with ties (3 tied pairs — 1s, 3s, 5s — out of 45 for tau-a)
  expect(compareRdms(r, r, 'tau-a')).toBeCloseTo(42 / 45, 14);
});

test('compareRdms rejects mismatched RDMs and unknown methods', () => {
  const a = rdmFromVector([1, 2, 3]);
  expect(() => compareRdms(a, rdmFromVector([1, 2, 3, 4, 5, 6]), 'corr')).toThrow(ShapeError);
  expect(() => compareRdms(a, a, 'pearson' as CompareMethod)).toThrow(InvalidArgumentError);
});

test('a constant vector gives NaN for kendall (as scipy) and 0 for corr (as rsatoolbox)', () => {
  expect(compareVectors([1, 1, 1, 1], [1, 2, 3, 4], 'kendall')).toBeNaN();
  expect(compareVectors([1, 1, 1, 1], [1, 2, 3, 4], 'corr')).toBe(0);
});
