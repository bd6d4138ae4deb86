import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { expectClose } from '../../../../test-support/expect-close.js';
import { rdmFromVector } from '../rdm/rdm.js';
import { bootstrapConditions } from './bootstrap.js';
import { compareRdms } from './compare.js';
import { evaluateModels } from './evaluate-models.js';
import { comparePairsByBootstrap } from './model-comparison.js';
import { rdmNoiseCeiling } from './noise-ceiling.js';
import { bootstrapModels } from './subject-bootstrap.js';
import { noisy, randomRdm } from '../../test/random-rdms.js';

const n = 8;
const truth = randomRdm(n, 1);
const models = [truth, noisy(truth, 9, 0.6), randomRdm(n, 5)];
const subjects = [noisy(truth, 2, 0.3), noisy(truth, 3, 0.3), noisy(truth, 4, 0.3), noisy(truth, 6, 0.3)];

describe('evaluateModels', () => {
  test("eval_fixed equals a numpy/scipy port of rsatoolbox's (reference/evaluate_models_reference.json): values, mean, SE for cosine, corr, spearman to 1e-12", () => {
    const ref = JSON.parse(readFileSync(join(__dirname, '..', '..', 'reference', 'evaluate_models_reference.json'), 'utf8'));
    const refModels = (ref.models as number[][]).map((v) => rdmFromVector(v));
    const refSubjects = (ref.subjects as number[][]).map((v) => rdmFromVector(v));
    for (const method of ['cosine', 'corr', 'spearman'] as const) {
      const want = ref.methods[method];
      const ev = evaluateModels(refSubjects, refModels, { method });
      expectClose(ev.values.flat(), (want.values as number[][]).flat(), { abs: 1e-12 });
      expectClose(Array.from(ev.mean), want.mean, { abs: 1e-12 });
      expectClose(Array.from(ev.standardError), want.standardError, { abs: 1e-12 });
    }
  });

  test("eval_fixed: values[model][subject], their mean and standard error; rsatoolbox's default comparator 'cosine'", () => {
    const ev = evaluateModels(subjects, models);
    expect(ev.method).toBe('cosine');
    models.forEach((m, i) => {
      const row = subjects.map((s) => compareRdms(m, s, 'cosine'));
      expect(ev.values[i]).toEqual(row);
      const mean = row.reduce((a, b) => a + b, 0) / row.length;
      expect(ev.mean[i]).toBe(mean);
      const sd = Math.sqrt(row.reduce((a, b) => a + (b - mean) ** 2, 0) / (row.length - 1));
      expect(ev.standardError[i]).toBeCloseTo(sd / 2, 15);
    });
    expect(ev.bootstrap).toBeUndefined();
    expect(ev.noiseCeiling).toBeUndefined();
    expect(ev.pairs).toBeUndefined();
    expect(ev.normalized).toBeUndefined();
    expect(Number.isNaN(evaluateModels([subjects[0]!], models).standardError[0])).toBe(true);
  });

  test('bootstrap, noise ceiling and pairwise tests are those of bootstrapModels, rdmNoiseCeiling and comparePairsByBootstrap', () => {
    const ev = evaluateModels(subjects, models, {
      method: 'spearman',
      bootstrap: { over: 'both', samples: 60, seed: 4 },
      noiseCeiling: { pooling: 'mean' },
      compareModels: { fdr: 0.1 },
    });
    const boot = bootstrapModels(models, subjects, 'spearman', { over: 'both', samples: 60, seed: 4 });
    expect(ev.bootstrap).toEqual({ over: 'both', samples: 60, seed: 4, ciLow: boot.ciLow, ciHigh: boot.ciHigh, evaluations: boot.evaluations });
    expect(Array.from(ev.mean)).toEqual(Array.from(boot.mean));
    expect(ev.noiseCeiling).toEqual({ ...rdmNoiseCeiling(subjects, 'spearman', { pooling: 'mean' }), pooling: 'mean' });
    expect(ev.pairs).toEqual(comparePairsByBootstrap(boot, 0.1));
    expect(ev.fdr).toBe(0.1);
  });

  test("over 'conditions' gives each model the CI of bootstrapConditions with the same seed (the repro's step 5)", () => {
    const ev = evaluateModels(subjects, models, { method: 'tau-a', bootstrap: { over: 'conditions', samples: 50, seed: 1 }, noiseCeiling: true });
    models.forEach((m, i) => {
      const b = bootstrapConditions(m, subjects, 'tau-a', { samples: 50, seed: 1 });
      expect(ev.bootstrap!.ciLow[i]).toBe(b.ciLow);
      expect(ev.bootstrap!.ciHigh[i]).toBe(b.ciHigh);
      expect(ev.mean[i]).toBe(b.mean);
    });
    expect(ev.noiseCeiling).toEqual({ ...rdmNoiseCeiling(subjects, 'tau-a'), pooling: 'rsatoolbox' });
  });

  test('normalize: values and CIs divided by a noise-ceiling bound (computed even without noiseCeiling) or a number', () => {
    const ev = evaluateModels(subjects, models, { method: 'corr', bootstrap: { over: 'subjects', samples: 30, seed: 2 }, normalize: 'lower' });
    const lower = rdmNoiseCeiling(subjects, 'corr').lower;
    expect(ev.noiseCeiling?.lower).toBe(lower);
    expect(ev.normalized!.by).toBe('lower');
    expect(ev.normalized!.ceiling).toBe(lower);
    expect(ev.normalized!.values).toEqual(ev.values.map((row) => row.map((v) => v / lower)));
    expect(ev.normalized!.ci![1]).toEqual({ mean: ev.mean[1]! / lower, low: ev.bootstrap!.ciLow[1]! / lower, high: ev.bootstrap!.ciHigh[1]! / lower });
    const byNumber = evaluateModels(subjects, models, { method: 'corr', normalize: 0.5 });
    expect(byNumber.normalized).toEqual({ by: 0.5, ceiling: 0.5, values: byNumber.values.map((row) => row.map((v) => v / 0.5)) });
    expect(byNumber.noiseCeiling).toBeUndefined();
  });

  test('bad input is a typed error', () => {
    expect(() => evaluateModels([], models)).toThrow(InvalidArgumentError);
    expect(() => evaluateModels(subjects, [])).toThrow(InvalidArgumentError);
    expect(() => evaluateModels(subjects, [randomRdm(5, 1)])).toThrow(ShapeError);
    expect(() => evaluateModels(subjects, models, { compareModels: { fdr: 0.05 } })).toThrow(InvalidArgumentError);
    expect(() => evaluateModels(subjects, [truth], { bootstrap: { over: 'subjects', samples: 5, seed: 0 }, compareModels: { fdr: 0.05 } })).toThrow(InvalidArgumentError);
    expect(() => evaluateModels(subjects, models, { normalize: -1 })).toThrow(InvalidArgumentError);
    expect(() => evaluateModels([truth], models, { noiseCeiling: true })).toThrow(InvalidArgumentError);
  });
});
