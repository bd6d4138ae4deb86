import { createRng, InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { compareRdms } from './compare.js';
import { permutationTest } from './permutation.js';
import { rdmFromMatrix, rdmFromVector, rdmToMatrix, type Rdm } from '../rdm/rdm.js';

function randomRdm(n: number, seed: number): Rdm {
  const rng = createRng(seed, 7);
  return rdmFromVector(Array.from({ length: (n * (n - 1)) / 2 }, () => rng.nextFloat()));
}

describe('permutationTest', () => {
  it('counts permuted statistics ≥ observed with the seeded permutations (matrix reference)', () => {
    const model = randomRdm(6, 1);
    const brain = randomRdm(6, 2);
    const res = permutationTest(model, brain, 'spearman', { permutations: 200, seed: 5 });
    // Independent reference: permute the full matrix's rows and columns.
    const rng = createRng(5);
    const m = rdmToMatrix(model);
    const observed = compareRdms(model, brain, 'spearman');
    let count = 0;
    for (let r = 0; r < 200; r++) {
      const pi = rng.permutation(6);
      const data = new Float64Array(36);
      for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) data[i * 6 + j] = m.data[pi[i]! * 6 + pi[j]!]!;
      if (compareRdms(rdmFromMatrix({ rows: 6, cols: 6, data }), brain, 'spearman') >= observed - 1e-12) count++;
    }
    expect(res.value).toBe(observed);
    expect(res.p).toBe((1 + count) / 201);
  });

  it('n = 3 identical RDMs: only the identity-like relabelings reach rho = 1 (p ≈ 1/6)', () => {
    const r = rdmFromVector([1, 2, 3]);
    const res = permutationTest(r, r, 'spearman', { permutations: 6000, seed: 1 });
    expect(res.value).toBeCloseTo(1, 15);
    expect(res.p).toBeGreaterThan(0.14);
    expect(res.p).toBeLessThan(0.19);
  });

  it('gives a small p for a matching model with many conditions', () => {
    const brain = randomRdm(12, 3);
    const res = permutationTest(brain, brain, 'corr', { permutations: 999 });
    expect(Number.isInteger(Math.round(res.p * 1000 * 1e6) / 1e6)).toBe(true); // (1 + count) / 1000
    expect(res.p).toBeLessThan(0.01);
  });

  it('is reproducible by seed', () => {
    const a = randomRdm(7, 4);
    const b = randomRdm(7, 5);
    const r1 = permutationTest(a, b, 'corr', { permutations: 300, seed: 9 });
    const r2 = permutationTest(a, b, 'corr', { permutations: 300, seed: 9 });
    expect(r1).toEqual(r2);
    expect(r1.p).toBeGreaterThanOrEqual(1 / 301);
    expect(r1.p).toBeLessThanOrEqual(1);
  });

  it('rejects bad arguments', () => {
    const a = randomRdm(5, 1);
    expect(() => permutationTest(a, randomRdm(4, 1), 'corr')).toThrow(ShapeError);
    expect(() => permutationTest(rdmFromVector([1]), rdmFromVector([2]), 'corr')).toThrow(InvalidArgumentError);
    expect(() => permutationTest(a, a, 'corr', { permutations: 0 })).toThrow(InvalidArgumentError);
    expect(() => permutationTest(a, a, 'corr', { permutations: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => permutationTest(a, a, 'corr', { seed: 0.5 })).toThrow(InvalidArgumentError);
    expect(() => permutationTest(a, a, 'nope' as never)).toThrow(InvalidArgumentError);
  });
});
