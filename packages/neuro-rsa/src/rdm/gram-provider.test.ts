import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { expectClose } from '../../../../test-support/expect-close.js';
import { computeRdm } from './measures.js';
import { computeRdmParallel } from './parallel-rdm.js';

// A plain Gram product standing in for an injected provider such as @conceptlab/native-blas (neuro-rsa depends on none).
const plainGram = (x: Float64Array, rows: number, cols: number): Float64Array => {
  const g = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < rows; j++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += x[i * cols + c]! * x[j * cols + c]!;
      g[i * rows + j] = s;
    }
  }
  return g;
};

describe("euclideanSums: 'gram' with an injected Gram provider", () => {
  // python3 reference/rsa_speed_reference.py > reference/rsa_speed_reference.json (numpy 2.4): rsatoolbox's
  // calc_rdm_euclidean formula ((‖x_i‖² + ‖x_j‖²) − 2·np.dot(X, Xᵀ)) / p on 7 × 9 patterns whose rows 5 and 6 are 1e-7 apart.
  const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/rsa_speed_reference.json'), 'utf8')).euclideanGram as { patterns: number[][]; gram: number[] };
  const x = { rows: 7, cols: 9, data: Float64Array.from(ref.patterns.flat()) };

  it('hand-computed: rows [0, 0] and [3, 4] are 25/2 apart; the provider gets the patterns and their shape', () => {
    const calls: [Float64Array, number, number][] = [];
    const gram = (d: Float64Array, r: number, c: number): Float64Array => (calls.push([d, r, c]), plainGram(d, r, c));
    const two = { rows: 2, cols: 2, data: Float64Array.from([0, 0, 3, 4]) };
    expect(computeRdm(two, 'euclidean', { euclideanSums: 'gram', gram }).vector).toEqual(Float64Array.from([12.5]));
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe(two.data); // a Float64Array is passed as it is, not copied
    expect(calls[0]!.slice(1)).toEqual([2, 2]);
  });

  it("matches numpy doing rsatoolbox's formula within 1e-12 relative plus the close pair's cancellation (1e-15·max‖x‖²/p)", () => {
    const got = computeRdm(x, 'euclidean', { euclideanSums: 'gram', gram: plainGram }).vector;
    const scale = (1e-15 * Math.max(...ref.patterns.map((r) => r.reduce((s, v) => s + v * v, 0)))) / 9;
    expectClose(got, ref.gram, { rel: 1e-12, abs: scale });
  });

  it('uses only the upper triangle and the diagonal; other typed arrays reach the provider as a float64 copy', () => {
    const upperOnly = (d: Float64Array, r: number, c: number): Float64Array => {
      const g = plainGram(d, r, c);
      for (let i = 1; i < r; i++) for (let j = 0; j < i; j++) g[i * r + j] = Number.NaN;
      return g;
    };
    const ints = { rows: 3, cols: 2, data: Int32Array.from([0, 0, 3, 4, 6, 8]) };
    expect(computeRdm(ints, 'euclidean', { euclideanSums: 'gram', gram: upperOnly }).vector).toEqual(Float64Array.from([12.5, 50, 12.5]));
  });

  it('computeRdmParallel with a provider is computeRdm with it (the provider runs its own threads)', async () => {
    const want = computeRdm(x, 'euclidean', { euclideanSums: 'gram', gram: plainGram });
    const got = await computeRdmParallel(x, 'euclidean', { threads: 2, euclideanSums: 'gram', gram: plainGram });
    expect(got).toEqual(want);
  });

  it('is refused (one-line typed errors) outside the euclidean Gram form, when not a function, or when it returns the wrong shape', () => {
    expect(() => computeRdm(x, 'euclidean', { gram: plainGram })).toThrow(new InvalidArgumentError('gram', "to be given only with method 'euclidean' and euclideanSums: 'gram'", 'function'));
    expect(() => computeRdm(x, 'correlation', { euclideanSums: 'gram', gram: plainGram })).toThrow(InvalidArgumentError);
    expect(() => computeRdm(x, 'euclidean', { euclideanSums: 'gram', gram: 'blas' as never })).toThrow(InvalidArgumentError);
    expect(() => computeRdm(x, 'euclidean', { euclideanSums: 'gram', gram: () => new Float64Array(48) })).toThrow(
      new ShapeError('gram returned a Float64Array of 48, expected a 7×7 Float64Array (49 values)'),
    );
    expect(() => computeRdm(x, 'euclidean', { euclideanSums: 'gram', gram: () => [1] as never })).toThrow(ShapeError);
    return expect(computeRdmParallel(x, 'cosine', { threads: 2, gram: plainGram })).rejects.toThrow(InvalidArgumentError);
  });

  it("the provider's own error propagates unchanged", () => {
    const boom = new RangeError('no BLAS');
    expect(() => computeRdm(x, 'euclidean', { euclideanSums: 'gram', gram: () => { throw boom; } })).toThrow(boom);
  });
});
