import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTriplets, matrixToRows } from '@conceptlab/core';
import { expectClose } from '../../../test-support/expect-close.js';
import { measuredSimilarityHalves } from './measured-similarity-halves.js';

// numpy port of the authors' measured-similarity script:
// python3 packages/triplet-sampler/reference/measured_similarity_reference.py > …/measured_similarity_reference.json
const REF = JSON.parse(readFileSync(join(__dirname, '../reference/measured_similarity_reference.json'), 'utf8')) as {
  nObjects: number;
  answered: number[][];
  full: number[];
  firstHalf: number[];
  secondHalf: number[];
};

describe('measuredSimilarityHalves', () => {
  it('hand-computed: 3 rows split 1 | 2 in file order', () => {
    // Row 1 keeps 01; rows 2–3 keep 02 and 12. Halves: [row 1] and [rows 2, 3].
    const res = measuredSimilarityHalves(createTriplets([[0, 1, 2], [0, 2, 1], [1, 2, 0]]), 3);
    expect(res.split).toBe('file-order');
    expect(res.halfCounts).toEqual([1, 2]);
    expect(matrixToRows(res.firstHalf.similarity)).toEqual([[1, 1, 0], [1, 1, 0], [0, 0, 1]]);
    expect(matrixToRows(res.secondHalf.similarity)).toEqual([[1, 0, 0.5], [0, 1, 0.5], [0.5, 0.5, 1]]);
    expect(matrixToRows(res.full.similarity)).toEqual([[1, 1 / 3, 1 / 3], [1 / 3, 1, 1 / 3], [1 / 3, 1 / 3, 1]]);
  });

  it("equals the numpy port of the authors' script (full and halves, 301 rows, one object never shown)", () => {
    const res = measuredSimilarityHalves(createTriplets(REF.answered), REF.nObjects);
    expect(res.halfCounts).toEqual([150, 151]);
    expectClose(res.full.similarity.data, REF.full, { abs: 1e-15 });
    expectClose(res.firstHalf.similarity.data, REF.firstHalf, { abs: 1e-15 });
    expectClose(res.secondHalf.similarity.data, REF.secondHalf, { abs: 1e-15 });
    expect(res.full.unmeasuredPairs).toBe(11); // object 11 with each of the others
  });

  it('passes options through (NaN for unmeasured pairs, a subset) and rejects bad rows', () => {
    const res = measuredSimilarityHalves(createTriplets(REF.answered), REF.nObjects, { objects: [11, 0], unmeasured: 'nan' });
    expect(res.firstHalf.similarity.data[1]).toBeNaN();
    expect(res.full.unmeasured).toBe('nan');
    expect(() => measuredSimilarityHalves(createTriplets([[0, 1, 5]]), 3)).toThrow(/answered row 1/);
  });
});
