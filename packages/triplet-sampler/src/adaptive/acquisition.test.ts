import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, matrixFromRows, ShapeError, type Triplets } from '@conceptlab/core';
import { expectClose } from '../../../../test-support/expect-close.js';
import { acquisitionScores } from './acquisition.js';

// python3 packages/triplet-sampler/reference/acquisition_reference.py > …/acquisition_reference.json (numpy/scipy)
const REF = JSON.parse(readFileSync(join(__dirname, '../../reference/acquisition_reference.json'), 'utf8')) as {
  nObjects: number;
  members: number[][][];
  candidates: number[][];
  cases: { temperature: number; members: number; uncertainty: number[]; informationGain: number[] }[];
};

const set = (...rows: [number, number, number][]): Triplets => ({ count: rows.length, data: Int32Array.from(rows.flat()) });

// Member A: a = b = (1, 0), c = (0, 1): similarities ab 1, ac 0, bc 0, so p_A = (e, 1, 1)/(e + 2).
// Member B: a = c = (1, 0), b = (0, 1): ab 0, ac 1, bc 0, so p_B = (1, e, 1)/(e + 2).
const A = matrixFromRows([[1, 0], [1, 0], [0, 1]]);
const B = matrixFromRows([[1, 0], [0, 1], [1, 0]]);

describe('acquisitionScores', () => {
  it('hand-computed: entropy of one member, of the mean of two, and their mutual information', () => {
    // H(p_A) = −(0.57612·ln 0.57612 + 2·0.21194·ln 0.21194) = 0.975328; p̄ = (0.39403, 0.39403, 0.21194), H(p̄) = 1.062758;
    // BALD = H(p̄) − (H(p_A) + H(p_B))/2 = 1.062758 − 0.975328 = 0.087430 (H(p_B) = H(p_A) by symmetry).
    expectClose(acquisitionScores('uncertainty', set([0, 1, 2]), [A]), [0.9753278291662221], { abs: 1e-14 });
    expectClose(acquisitionScores('uncertainty', set([0, 1, 2]), [A, B]), [1.0627582414794619], { abs: 1e-14 });
    expectClose(acquisitionScores('information-gain', set([0, 1, 2]), [A, B]), [0.08743041231323978], { abs: 1e-14 });
  });

  it('gives ln 3 uncertainty and no information where every pair is equally similar, and none where the members agree', () => {
    const zero = matrixFromRows([[0, 0], [0, 0], [0, 0]]);
    expectClose(acquisitionScores('uncertainty', set([0, 1, 2]), [zero]), [Math.log(3)], { abs: 1e-15 });
    expect(Array.from(acquisitionScores('information-gain', set([0, 1, 2]), [zero, zero]))).toEqual([0]);
    expect(Array.from(acquisitionScores('information-gain', set([0, 1, 2], [2, 0, 1]), [A, A]))).toEqual([0, 0]);
  });

  it('does not depend on the order of a set’s objects', () => {
    const orders = set([0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]);
    for (const rule of ['uncertainty', 'information-gain'] as const) {
      const s = acquisitionScores(rule, orders, [A, B]);
      expectClose(s, new Array(6).fill(s[0]), { abs: 1e-15 });
    }
  });

  it('matches numpy/scipy on random sparse members with different dims, T = 1 and 0.5, 1–3 members', () => {
    const members = REF.members.map((m) => matrixFromRows(m));
    const candidates = set(...(REF.candidates as [number, number, number][]));
    for (const c of REF.cases) {
      const ens = members.slice(0, c.members);
      expectClose(acquisitionScores('uncertainty', candidates, ens, { temperature: c.temperature }), c.uncertainty, { abs: 1e-12 });
      if (c.members >= 2) {
        expectClose(acquisitionScores('information-gain', candidates, ens, { temperature: c.temperature }), c.informationGain, { abs: 1e-12 });
      }
    }
  });

  it('refuses a rule without a model, too few members, mismatched members, bad rows and non-finite weights', () => {
    expect(() => acquisitionScores('coverage' as never, set([0, 1, 2]), [A])).toThrow(/rule: expected uncertainty or information-gain, got "coverage"/);
    expect(() => acquisitionScores('information-gain', set([0, 1, 2]), [A])).toThrow(/ensemble: expected at least 2 embedding\(s\) for information-gain/);
    expect(() => acquisitionScores('uncertainty', set([0, 1, 2]), [])).toThrow(InvalidArgumentError);
    expect(() => acquisitionScores('uncertainty', set([0, 1, 2]), [A, matrixFromRows([[1], [2]])])).toThrow(/ensemble\[1\]: expected 3 objects/);
    expect(() => acquisitionScores('uncertainty', set([0, 1, 3]), [A])).toThrow(ShapeError);
    expect(() => acquisitionScores('uncertainty', set([0, 1, 1]), [A])).toThrow(InvalidArgumentError);
    expect(() => acquisitionScores('uncertainty', set([0, 1, 2]), [matrixFromRows([[Number.NaN], [1], [1]])])).toThrow(/candidates row 1: expected finite similarities/);
    expect(() => acquisitionScores('uncertainty', set([0, 1, 2]), [A], { temperature: 0 })).toThrow(/temperature/);
  });
});
