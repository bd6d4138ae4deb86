import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTriplets, InvalidArgumentError, matrixFromRows, type Matrix } from '@conceptlab/core';
import { measuredSimilarityHalves } from '@conceptlab/triplet-sampler';
import { expectClose } from '../../../test-support/expect-close.js';
import { humanConsistency, type SimilarityHalves } from './human-consistency.js';

// numpy port of the authors' draw_figure5a_human_behavioral_consistency_barplot.m:
// python3 packages/spose-embed/reference/consistency_reference.py > packages/spose-embed/reference/consistency_reference.json
const REF = JSON.parse(readFileSync(join(__dirname, '../reference/consistency_reference.json'), 'utf8')) as {
  nObjects: number; objects48: number[]; modelAnswers: number[][]; humanAnswers: number[][]; bootstrap: number; seed: number;
  rModelHuman: number; rModelModel: number; rHumanHuman: number; rho: number;
  rModelHumanCi: [number, number]; rHumanHumanCi: [number, number]; rhoCi: [number, number];
};

/** The authors' measured RDM48s (1 − S) of an answer list: full and file-order halves. */
function rdms(answers: number[][]): SimilarityHalves {
  const h = measuredSimilarityHalves(createTriplets(answers), REF.nObjects, { objects: REF.objects48 });
  const rdm = (m: Matrix<Float64Array>) => ({ ...m, data: m.data.map((v) => 1 - v) });
  return { full: rdm(h.full.similarity), firstHalf: rdm(h.firstHalf.similarity), secondHalf: rdm(h.secondHalf.similarity) };
}

describe('humanConsistency', () => {
  it("equals the numpy port of the authors' script: r_mh, r_mm, r_hh, ρ and the shifted CI", () => {
    const res = humanConsistency(rdms(REF.modelAnswers), rdms(REF.humanAnswers), { bootstrap: REF.bootstrap, seed: REF.seed });
    expectClose([res.rModelHuman, res.rModelModel, res.rHumanHuman, res.rho], [REF.rModelHuman, REF.rModelModel, REF.rHumanHuman, REF.rho], { abs: 1e-12 });
    expectClose([res.rModelHumanCi!.low, res.rModelHumanCi!.high], REF.rModelHumanCi, { abs: 1e-9 });
    expectClose([res.rHumanHumanCi!.low, res.rHumanHumanCi!.high], REF.rHumanHumanCi, { abs: 1e-9 });
    expectClose([res.rhoCi!.low, res.rhoCi!.high], REF.rhoCi, { abs: 1e-9 });
    expect(res.method).toEqual({ ci: 'paper', correlationCi: 'paper', reliability: 'split-half, no Spearman-Brown' });
    expect(res.pairs).toBe(1128);
  });

  it('hand-computed ρ and both CI forms on 4 objects', () => {
    // Lower triangles (column-major) given directly; r is invariant to 1 − x, so these stand for RDMs or RSMs.
    const sym = (v: number[]) => {
      const M = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
      let t = 0;
      for (let j = 0; j < 4; j++) for (let i = j + 1; i < 4; i++) { M[i][j] = M[j][i] = v[t++]; }
      return matrixFromRows(M);
    };
    const model = { full: sym([1, 2, 3, 4, 5, 7]), firstHalf: sym([1, 2, 3, 4, 5, 6]), secondHalf: sym([1, 2, 3, 4, 6, 5]) };
    const human = { full: sym([2, 1, 3, 4, 5, 7]), firstHalf: sym([1, 2, 3, 5, 4, 6]), secondHalf: sym([1, 2, 3, 4, 5, 6]) };
    // (1,2,3,4,5,7) vs (2,1,3,4,5,7): both means 11/3, Sxx = Syy = 104 − 6·(11/3)² = 70/3, Sxy = 103 − 242/3 = 67/3.
    const res = humanConsistency(model, human, { bootstrap: 50, seed: 1 });
    expectClose(res.rModelHuman, 67 / 70, { abs: 1e-14 });
    // Halves: (1,2,3,4,5,6) vs (1,2,3,4,6,5): Σdev² = 17.5, Σdev·dev = 17.5 − 1 = 16.5 → 33/35, for both.
    expectClose([res.rModelModel, res.rHumanHuman], [33 / 35, 33 / 35], { abs: 1e-14 });
    expectClose(res.rho, (67 / 70) / (33 / 35), { abs: 1e-14 });
    const shift = res.rho - res.rModelHuman;
    const mh = res.rModelHumanCi!, rc = res.rhoCi!;
    expectClose([rc.low, rc.high], [mh.low + shift, mh.high + shift], { abs: 1e-15 });
    const resc = humanConsistency(model, human, { bootstrap: 50, seed: 1, ci: 'rescaled' });
    expectClose([resc.rhoCi!.low, resc.rhoCi!.high], [mh.low * (35 / 33), mh.high * (35 / 33)], { abs: 1e-14 });
    expect(resc.method.ci).toBe('rescaled');
  });

  it('rejects an undefined ρ', () => {
    const c = matrixFromRows([[0, 1, 2], [1, 0, 3], [2, 3, 0]]);
    const anti = matrixFromRows([[0, 3, 2], [3, 0, 1], [2, 1, 0]]);
    // Model halves anti-correlated (r_mm = −1): √(r_mm·r_hh) undefined.
    expect(() => humanConsistency({ full: c, firstHalf: c, secondHalf: anti }, { full: c, firstHalf: c, secondHalf: c })).toThrow(/r_mm·r_hh/);
    expect(() => humanConsistency({ full: c, firstHalf: c, secondHalf: c }, { full: c, firstHalf: c, secondHalf: c }, { bootstrap: 1 })).toThrow(InvalidArgumentError);
  });
});
