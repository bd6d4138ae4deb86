import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@conceptlab/core';
import { expectClose } from '../../../test-support/expect-close.js';
import type { MergedDim } from './merge.js';
import { reproducibilityStats } from './reproducibility-stats.js';

/** Minimal merged dims with the given reproducibility (the rank test reads only that). */
function dimsOf(rep: readonly number[]): MergedDim[] {
  return rep.map((r, i) => ({ run: 0, column: i, reproducibility: r, ciLow: null, ciHigh: null, ciStatus: 'ok', zInfinite: false, runR: [r], sum: 0 }));
}

interface PortRankTest {
  name: string;
  reproducibility: number[];
  ind: number[];
  rRank: number;
  p: number;
  sdZ: number;
  sdZSpread: number;
  used: number;
  low: number;
  high: number;
}
/** reference/merge_step2_port.py (numpy; command in its header): rank tests with numpy's generator. */
const port = JSON.parse(readFileSync(join(__dirname, '..', 'reference', 'merge_step2_port.json'), 'utf8')) as { rankTests: PortRankTest[] };

describe('reproducibilityStats', () => {
  test('hand-computed: k = 3, reproducibility (0.2, 0.9, 0.5) → ind (2, 3, 1), r_rank = −0.5, p → 5/6', () => {
    // corr of two permutations of 1…3 = (Σ a·b − 12)/2. With ind = (2, 3, 1), r_perm over the 6 permutations:
    // −0.5, 0.5, −1, 1, −0.5, 0.5 → P(r_perm ≥ −0.5) = 5/6 exactly.
    const N = 60_000;
    const s = reproducibilityStats(dimsOf([0.2, 0.9, 0.5]), { permutations: N, bootstraps: 200, seed: 3 });
    expect(s.rankTest.ind).toEqual([2, 3, 1]);
    expect(s.rankTest.rRank).toBe(-0.5);
    const expected = (1 + (5 / 6) * N) / (1 + N);
    const se = Math.sqrt(((5 / 6) * (1 / 6)) / N);
    expectClose(s.rankTest.permutation.p, expected, { abs: 5 * se });
    expect(s.rankTest.permutation.p).toBe((1 + s.rankTest.permutation.atLeast) / (1 + N));
    expect(s.dims.map((d) => d.dim)).toEqual([1, 2, 3]);
  });

  test('ties keep dim order (stable); all tied at 1 (the paper method with every run a reference) → r_rank = 1, CI null and named', () => {
    const s = reproducibilityStats(dimsOf([1, 1, 1, 1]), { permutations: 1000, bootstraps: 100 });
    expect(s.rankTest.ind).toEqual([1, 2, 3, 4]);
    expect(s.rankTest.rRank).toBeCloseTo(1, 15);
    expect(s.rankTest.bootstrap.low).toBeNull();
    expect(s.rankTest.bootstrap.status).toBe('not-computable: |r_rank| = 1');
  });

  test.each(port.rankTests.map((t) => [t.name, t] as const))('numpy port: %s (ind, r_rank to 1e-12; p and CI within Monte-Carlo spread)', (_n, t) => {
    const s = reproducibilityStats(dimsOf(t.reproducibility), { seed: 11 });
    expect(s.rankTest.ind).toEqual(t.ind);
    expectClose(s.rankTest.rRank, t.rRank, { abs: 1e-12 });
    // Two independent estimates of p from 100,000 permutations each: SE of the difference √2·√(p(1−p)/1e5); 5 SE.
    const nPerm = s.rankTest.permutation.permutations;
    expect(nPerm).toBe(100_000);
    expectClose(s.rankTest.permutation.p, t.p, { abs: 5 * Math.SQRT2 * Math.sqrt((t.p * (1 - t.p)) / nPerm) });
    // CI: recover SD(atanh r_b) from the lower bound and compare with the port's within 5·√2 × its Monte-Carlo
    // spread (sdZSpread: SD of the estimate over 200 repeats in the port; atanh r_b is heavy-tailed for small k).
    const z = Math.atanh(s.rankTest.rRank);
    const sdZ = (z - Math.atanh(s.rankTest.bootstrap.low!)) / 1.96;
    expectClose(sdZ, t.sdZ, { abs: 5 * Math.SQRT2 * t.sdZSpread });
    expectClose((Math.atanh(s.rankTest.bootstrap.high!) - z) / 1.96, sdZ, { rel: 1e-9 });
    expect(s.rankTest.bootstrap.status).toBe('ok');
  });

  test('bit-reproducible for a seed; another seed gives other draws', () => {
    const rep = port.rankTests[1].reproducibility;
    const a = reproducibilityStats(dimsOf(rep), { permutations: 5000, seed: 4 });
    const b = reproducibilityStats(dimsOf(rep), { permutations: 5000, seed: 4 });
    const c = reproducibilityStats(dimsOf(rep), { permutations: 5000, seed: 5 });
    expect(b).toEqual(a);
    expect(c.rankTest.bootstrap.low).not.toBe(a.rankTest.bootstrap.low);
  });

  test('rejects fewer than 3 dims and bad counts', () => {
    expect(() => reproducibilityStats(dimsOf([0.5, 0.4]))).toThrow(InvalidArgumentError);
    expect(() => reproducibilityStats(dimsOf([0.5, 0.4, 0.3]), { permutations: 0 })).toThrow(/permutations/);
    expect(() => reproducibilityStats(dimsOf([0.5, 0.4, 0.3]), { bootstraps: 1 })).toThrow(/bootstraps/);
    expect(() => reproducibilityStats(dimsOf([0.5, 0.4, 0.3]), { bootstraps: 1e12 })).toThrow('bootstraps: expected an integer in [2, 2^31 − 1] (the resamples one typed array holds), got 1000000000000');
  });
});
