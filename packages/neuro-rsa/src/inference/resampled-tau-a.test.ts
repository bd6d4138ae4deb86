import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@conceptlab/core';
import { expectClose } from '../../../../test-support/expect-close.js';
import { bootstrapConditions } from './bootstrap.js';
import { compareVectors } from './compare.js';
import { resampledTauA } from './resampled-tau-a.js';
import { rdmFromVector, type Rdm } from '../rdm/rdm.js';
import { subsampleVector } from '../rdm/subsample.js';
import { noisy, randomRdm } from '../../test/random-rdms.js';

/** tau-a of the model against each RDM on the resampled vectors (the general path), from sorted picks. */
function direct(model: Rdm, others: readonly Rdm[], picks: Int32Array): number[] {
  const len = (picks.length * (picks.length - 1)) / 2;
  const mv = subsampleVector(model, picks, new Float64Array(len));
  return others.map((o) => compareVectors(mv, subsampleVector(o, picks, new Float64Array(len)), 'tau-a'));
}

function countsOf(picks: Int32Array, n: number): Int32Array {
  const c = new Int32Array(n);
  for (const p of picks) c[p]!++;
  return c;
}

/** An RDM over n conditions with integer dissimilarities in [0, levels): many ties. */
function tiedRdm(n: number, seed: number, levels: number): Rdm {
  const rng = createRng(seed, 5);
  return rdmFromVector(Array.from({ length: (n * (n - 1)) / 2 }, () => rng.nextInt(levels)));
}

describe('resampledTauA (the weighted-pairs path of bootstrapConditions for tau-a)', () => {
  it('hand-computed: 3 conditions, condition 0 picked twice', () => {
    // d(0,1)=1, d(0,2)=2, d(1,2)=3 for the model; 3, 2, 1 for the other. Picks {0, 0, 1}: the resampled
    // vectors over positions (0,0'), (0,1), (0',1) are [NaN, 1, 1] and [NaN, 3, 3] → two tied pairs, tau-a 0.
    // Picks {0, 1, 2}: [1, 2, 3] vs [3, 2, 1] → 3 discordant pairs of 3: tau-a −1.
    // Picks {0, 1, 1, 2} (weights d01:2, d02:1, d12:2, m = 5, 10 pairs): S = Σ w_e w_f sgn·sgn over
    // (01,02): 2·1·(−1), (01,12): 2·2·(−1), (02,12): 1·2·(−1) = −8 → tau-a = −8/10.
    const model = rdmFromVector([1, 2, 3]);
    const other = rdmFromVector([3, 2, 1]);
    const fn = resampledTauA(model, [other])!;
    const out = new Float64Array(1);
    fn(Int32Array.from([2, 1, 0]), out);
    expect(out[0]).toBe(0);
    fn(Int32Array.from([1, 1, 1]), out);
    expect(out[0]).toBe(-1);
    fn(Int32Array.from([1, 2, 1]), out);
    expect(out[0]).toBe(-0.8);
    expect(direct(model, [other], Int32Array.from([0, 1, 1, 2]))[0]).toBe(-0.8);
    // One distinct condition: no pair left → NaN, as compareVectors.
    fn(Int32Array.from([3, 0, 0]), out);
    expect(out[0]).toBeNaN();
  });

  it("matches numpy/scipy doing rsatoolbox's subsample_pattern + _tau_a (reference/rsa_speed_reference.json) within 1e-14", () => {
    // python3 reference/rsa_speed_reference.py > reference/rsa_speed_reference.json (numpy 2.4, scipy 1.17):
    // 12 conditions, a model with tied values, 3 data RDMs (one tied), 25 sorted resamples.
    const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/rsa_speed_reference.json'), 'utf8')).bootstrapTauA as {
      n: number;
      model: number[];
      data: number[][];
      picks: number[][];
      tauA: number[][];
    };
    const model = rdmFromVector(ref.model);
    const data = ref.data.map((d) => rdmFromVector(d));
    const fn = resampledTauA(model, data)!;
    const out = new Float64Array(data.length);
    ref.picks.forEach((p, r) => {
      fn(countsOf(Int32Array.from(p), ref.n), out);
      expectClose(out, ref.tauA[r]!, { abs: 1e-14 });
    });
  });

  it('the same bits as tau-a on the resampled vectors: continuous values, and many ties in both RDMs', () => {
    const n = 23;
    const cases: [Rdm, Rdm[]][] = [
      [randomRdm(n, 1), [noisy(randomRdm(n, 1), 2, 0.3), randomRdm(n, 3)]],
      [tiedRdm(n, 4, 3), [tiedRdm(n, 5, 4), tiedRdm(n, 6, 2), randomRdm(n, 7)]],
      [randomRdm(n, 8), [tiedRdm(n, 9, 5)]],
    ];
    const rng = createRng(12);
    for (const [model, others] of cases) {
      const fn = resampledTauA(model, others)!;
      const out = new Float64Array(others.length);
      for (let r = 0; r < 60; r++) {
        const picks = Int32Array.from({ length: n }, () => rng.nextInt(n)).sort();
        fn(countsOf(picks, n), out);
        const ref = direct(model, others, picks);
        for (let s = 0; s < others.length; s++) expect(Object.is(out[s], ref[s])).toBe(true);
      }
    }
  });

  it('declines RDMs with a NaN (bootstrapConditions then takes the general path, same result as before)', () => {
    const model = randomRdm(9, 1);
    const withNaN = rdmFromVector(Array.from(noisy(model, 2, 0.2).vector, (v, k) => (k === 4 ? Number.NaN : v)));
    expect(resampledTauA(model, [withNaN])).toBeNull();
    expect(resampledTauA(withNaN, [model])).toBeNull();
    const res = bootstrapConditions(model, [withNaN], 'tau-a', { samples: 20, seed: 3 });
    const rng = createRng(3);
    for (let r = 0; r < 20; r++) {
      const picks = Int32Array.from({ length: 9 }, () => rng.nextInt(9)).sort();
      expect(Object.is(res.samples[r], direct(model, [withNaN], picks)[0])).toBe(true);
    }
  });

  it('bootstrapConditions tau-a: every sample equals the mean over brains of tau-a on the resampled vectors', () => {
    const n = 17;
    const model = tiedRdm(n, 20, 6);
    const brains = [noisy(randomRdm(n, 21), 22, 0.2), tiedRdm(n, 23, 3), randomRdm(n, 24)];
    const res = bootstrapConditions(model, brains, 'tau-a', { samples: 40, seed: 5 });
    const rng = createRng(5);
    for (let r = 0; r < 40; r++) {
      const picks = Int32Array.from({ length: n }, () => rng.nextInt(n)).sort();
      let sum = 0;
      for (const v of direct(model, brains, picks)) sum += v;
      expect(Object.is(res.samples[r], sum / brains.length)).toBe(true);
    }
  });
});
