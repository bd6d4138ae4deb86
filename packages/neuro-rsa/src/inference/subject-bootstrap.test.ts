import { createRng, InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { percentile } from '@conceptlab/core/stats';
import { bootstrapConditions } from './bootstrap.js';
import { compareRdms, compareVectors } from './compare.js';
import { bootstrapPairTests, comparePairsByBootstrap } from './model-comparison.js';
import { rdmToMatrix, type Rdm } from '../rdm/rdm.js';
import { bootstrapModels } from './subject-bootstrap.js';
import { noisy, randomRdm } from '../../test/random-rdms.js';

const n = 8;
const truth = randomRdm(n, 1);
const models = [truth, noisy(truth, 9, 0.6), randomRdm(n, 5)];
const subjects = [noisy(truth, 2, 0.3), noisy(truth, 3, 0.3), noisy(truth, 4, 0.3), noisy(truth, 6, 0.3)];

/** Reference subsampling written from rsatoolbox's subsample_pattern: full matrix, NaN diagonal, picked rows/columns. */
function subsample(r: Rdm, picks: number[]): number[] {
  const d = rdmToMatrix(r).data;
  const out: number[] = [];
  for (let p = 0; p < picks.length; p++) for (let q = p + 1; q < picks.length; q++) out.push(picks[p] === picks[q] ? NaN : d[picks[p]! * n + picks[q]!]!);
  return out;
}

describe('bootstrapModels', () => {
  test("'subjects': each evaluation is the mean over the drawn subjects (rsatoolbox bootstrap_sample_rdm)", () => {
    const res = bootstrapModels(models, subjects, 'spearman', { over: 'subjects', samples: 40, seed: 3 });
    const rng = createRng(3);
    for (let r = 0; r < 40; r++) {
      const drawn = subjects.map(() => rng.nextInt(subjects.length));
      models.forEach((m, k) => {
        const v = drawn.reduce((s, t) => s + compareRdms(m, subjects[t]!, 'spearman'), 0) / drawn.length;
        expect(res.evaluations[r * 3 + k]).toBeCloseTo(v, 14);
      });
    }
    models.forEach((m, k) => expect(res.mean[k]).toBeCloseTo(subjects.reduce((s, b) => s + compareRdms(m, b, 'spearman'), 0) / 4, 14));
  });

  test("'conditions' draws exactly as bootstrapConditions", () => {
    const res = bootstrapModels(models, subjects, 'corr', { over: 'conditions', samples: 30, seed: 5 });
    models.forEach((m, k) => {
      const single = bootstrapConditions(m, subjects, 'corr', { samples: 30, seed: 5 });
      for (let r = 0; r < 30; r++) expect(res.evaluations[r * 3 + k]).toBe(single.samples[r]);
      expect(res.ciLow[k]).toBe(single.ciLow);
      expect(res.ciHigh[k]).toBe(single.ciHigh);
    });
  });

  test("'both': subjects then conditions (rsatoolbox bootstrap_sample), also for a _cov comparator", () => {
    for (const method of ['tau-a', 'corr_cov'] as const) {
      const res = bootstrapModels(models, subjects, method, { over: 'both', samples: 25, seed: 8 });
      const rng = createRng(8);
      for (let r = 0; r < 25; r++) {
        const drawn = subjects.map(() => rng.nextInt(subjects.length));
        const picks = Array.from({ length: n }, () => rng.nextInt(n)).sort((x, y) => x - y);
        models.forEach((m, k) => {
          const ms = subsample(m, picks);
          const v = drawn.reduce((s, t) => s + compareVectors(ms, subsample(subjects[t]!, picks), method), 0) / drawn.length;
          if (Number.isNaN(v)) expect(res.evaluations[r * 3 + k]).toBeNaN();
          else expect(res.evaluations[r * 3 + k]).toBeCloseTo(v, 13);
        });
      }
    }
  });

  test('percentile CIs, bracketing, reproducibility', () => {
    const a = bootstrapModels(models, subjects, 'corr', { over: 'both', samples: 200, seed: 1 });
    const b = bootstrapModels(models, subjects, 'corr', { over: 'both', samples: 200, seed: 1 });
    const c = bootstrapModels(models, subjects, 'corr', { over: 'both', samples: 200, seed: 2 });
    expect(a).toEqual(b);
    expect(Array.from(a.evaluations)).not.toEqual(Array.from(c.evaluations));
    for (let k = 0; k < 3; k++) {
      const col = Array.from({ length: 200 }, (_, r) => a.evaluations[r * 3 + k]!).filter(Number.isFinite);
      expect(a.ciLow[k]).toBe(percentile(col, 2.5));
      expect(a.ciHigh[k]).toBe(percentile(col, 97.5));
      expect(a.ciLow[k]).toBeLessThanOrEqual(a.mean[k]!);
      expect(a.ciHigh[k]).toBeGreaterThanOrEqual(a.mean[k]!);
    }
  });

  test('bad arguments', () => {
    expect(() => bootstrapModels([], subjects, 'corr')).toThrow(InvalidArgumentError);
    expect(() => bootstrapModels(models, [], 'corr')).toThrow(InvalidArgumentError);
    expect(() => bootstrapModels(models, subjects, 'corr', { over: 'images' as never })).toThrow(InvalidArgumentError);
    expect(() => bootstrapModels(models, subjects, 'corr', { samples: 0 })).toThrow(InvalidArgumentError);
    expect(() => bootstrapModels(models, [randomRdm(5, 1)], 'corr')).toThrow(ShapeError);
  });
});

describe('model comparison', () => {
  test('bootstrapPairTests equals a literal numpy port of rsatoolbox bootstrap_pair_tests', () => {
    // 4 samples × 3 models. Models 0/1: 2 of 3 non-tied samples have e0 < e1 → p = 2·(1/3)·3/4 + 1/4 = 0.75;
    // model 2 is always below: p = 0 · 3/4 + 1/4 = 0.25.
    const ev = [1, 2, 0.5, 2, 1, 0.1, 3, 5, 0.2, 4, 4, 0.3];
    expect(Array.from(bootstrapPairTests(ev, 3))).toEqual([1, 0.75, 0.25, 0.75, 1, 0.25, 0.25, 0.25, 1]);
    expect(() => bootstrapPairTests([1, 2, 3], 2)).toThrow(ShapeError);
  });

  test('comparePairsByBootstrap: differences, CIs of differences, BH over pairs', () => {
    const res = bootstrapModels(models, subjects, 'corr', { over: 'both', samples: 300, seed: 4 });
    const pairs = comparePairsByBootstrap(res);
    expect(pairs.map((p) => [p.a, p.b])).toEqual([[0, 1], [0, 2], [1, 2]]);
    for (const p of pairs) {
      expect(p.difference).toBeCloseTo(res.mean[p.a]! - res.mean[p.b]!, 15);
      expect(p.ciLow).toBeLessThanOrEqual(p.ciHigh);
      expect(p.p).toBeGreaterThanOrEqual(1 / 300);
      expect(p.pAdjusted).toBeGreaterThanOrEqual(p.p);
    }
    // the true model beats the random one in every resample → the smallest possible p
    const best = pairs.find((p) => p.a === 0 && p.b === 2)!;
    expect(best.difference).toBeGreaterThan(0);
    expect(best.ciLow).toBeGreaterThan(0);
    expect(best.significant).toBe(true);
    expect(() => comparePairsByBootstrap(bootstrapModels([truth], subjects, 'corr', { samples: 5 }))).toThrow(InvalidArgumentError);
  });
});
