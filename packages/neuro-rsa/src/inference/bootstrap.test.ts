import { createRng, InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { percentile } from '@conceptlab/core/stats';
import { bootstrapConditions } from './bootstrap.js';
import { compareRdms, compareVectors } from './compare.js';
import { rdmFromVector, rdmToMatrix, type Rdm } from '../rdm/rdm.js';
import { noisy, randomRdm } from '../../test/random-rdms.js';

// The bootstrap CIs use @conceptlab/core/stats' percentile (numpy 'linear'); these are the cases they rely on.
describe('percentile (core/stats, as used for the CIs)', () => {
  it('matches np.percentile (linear)', () => {
    const v = [3.1, -2.0, 7.5, 0.25, 10.0, 4.4, 4.4];
    // numpy 2.4: np.percentile(v, q)
    const ref: [number, number][] = [
      [0, -2.0], [2.5, -1.6625], [25, 1.675], [33.3, 3.0942999999999996], [50, 4.4], [90, 8.5], [97.5, 9.625], [100, 10.0],
    ];
    for (const [q, r] of ref) expect(percentile(v, q)).toBeCloseTo(r, 13);
    expect(percentile([0.1, 0.2, 0.3], 50)).toBe(0.2);
    expect(percentile([1], 97.5)).toBe(1);
    expect(percentile([1, NaN], 50)).toBeNaN();
  });

  it('rejects bad arguments; no values is NaN (the rule of core/stats; the CIs here use it only when a finite sample exists)', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], -1)).toThrow(InvalidArgumentError);
    expect(() => percentile([1], 101)).toThrow(InvalidArgumentError);
    expect(() => percentile([1], NaN)).toThrow(InvalidArgumentError);
  });
});

describe('bootstrapConditions', () => {
  const model = randomRdm(8, 1);
  const brains = [noisy(model, 2, 0.3), noisy(model, 3, 0.3), noisy(model, 4, 0.3)];

  it('mean is the subject mean of compare on the full data', () => {
    const res = bootstrapConditions(model, brains, 'spearman', { samples: 10 });
    const expected = brains.reduce((s, b) => s + compareRdms(model, b, 'spearman'), 0) / brains.length;
    expect(res.mean).toBeCloseTo(expected, 15);
  });

  it('resamples conditions as rsatoolbox (matrix reference with NaN diagonal)', () => {
    const res = bootstrapConditions(model, brains, 'corr', { samples: 50, seed: 11 });
    const rng = createRng(11);
    const n = 8;
    const mats = [model, ...brains].map((r) => rdmToMatrix(r).data);
    for (let r = 0; r < 50; r++) {
      const picks = Array.from({ length: n }, () => rng.nextInt(n)).sort((a, b) => a - b);
      // Sub-matrix with the diagonal set to NaN, upper triangle, NaN pairs dropped.
      const sub = mats.map((d) => {
        const out: number[] = [];
        for (let p = 0; p < n; p++)
          for (let q = p + 1; q < n; q++) out.push(picks[p] === picks[q] ? NaN : d[picks[p]! * n + picks[q]!]!);
        return out;
      });
      const stat = brains.reduce((s, _, k) => s + compareVectors(sub[0]!, sub[k + 1]!, 'corr'), 0) / brains.length;
      expect(res.samples[r]).toBeCloseTo(stat, 12);
    }
    expect(res.ciLow).toBe(percentile(res.samples, 2.5));
    expect(res.ciHigh).toBe(percentile(res.samples, 97.5));
  });

  it('identical model and brain give samples of 1', () => {
    const res = bootstrapConditions(model, [model], 'corr', { samples: 100, seed: 2 });
    expect(res.mean).toBeCloseTo(1, 14);
    res.samples.forEach((s) => expect(s).toBeCloseTo(1, 12));
    expect(res.ciLow).toBeCloseTo(1, 12);
    expect(res.ciHigh).toBeCloseTo(1, 12);
  });

  it('brackets the full-data mean and is reproducible by seed', () => {
    const a = bootstrapConditions(model, brains, 'spearman', { samples: 300, seed: 7 });
    const b = bootstrapConditions(model, brains, 'spearman', { samples: 300, seed: 7 });
    const c = bootstrapConditions(model, brains, 'spearman', { samples: 300, seed: 8 });
    expect(a).toEqual(b);
    expect(Array.from(a.samples)).not.toEqual(Array.from(c.samples));
    expect(a.samples).toHaveLength(300);
    expect(a.ciLow).toBeLessThan(a.mean);
    expect(a.ciHigh).toBeGreaterThan(a.mean);
    expect(bootstrapConditions(model, brains, 'corr').samples).toHaveLength(1000);
  });

  it('stores NaN for degenerate resamples and ignores them in the interval', () => {
    // n = 3: picking one condition three times leaves no pair; two distinct conditions leave ≤ 2
    // identical pairs, so only some samples are finite.
    const m3 = rdmFromVector([1, 2, 3]);
    const res = bootstrapConditions(m3, [rdmFromVector([1, 3, 2])], 'corr', { samples: 200, seed: 1 });
    const finite = res.samples.filter((s) => Number.isFinite(s));
    expect(finite.length).toBeLessThan(200);
    expect(res.ciLow).toBe(finite.length ? percentile(finite, 2.5) : NaN);
  });

  it('rejects bad arguments', () => {
    expect(() => bootstrapConditions(model, [], 'corr')).toThrow(InvalidArgumentError);
    expect(() => bootstrapConditions(model, [randomRdm(5, 1)], 'corr')).toThrow(ShapeError);
    expect(() => bootstrapConditions(rdmFromVector([1]), [rdmFromVector([1])], 'corr')).toThrow(InvalidArgumentError);
    expect(() => bootstrapConditions(model, brains, 'corr', { samples: 0 })).toThrow(InvalidArgumentError);
    expect(() => bootstrapConditions(model, brains, 'corr', { seed: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => bootstrapConditions(model, brains, 'nope' as never)).toThrow(InvalidArgumentError);
  });
});
