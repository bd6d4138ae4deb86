import { createTriplets, InvalidArgumentError, matrixToRows } from '@conceptlab/core';
import { measuredSimilarity } from './measured-similarity.js';

// Four answers on {0, 1, 2}: kept pairs 01, 01, 02, 12.
const answered = createTriplets([[0, 1, 2], [1, 0, 2], [0, 2, 1], [1, 2, 0]]);

describe('measuredSimilarity', () => {
  it('matches the hand computation on 3 objects (+ one never shown)', () => {
    const { similarity, counts, unmeasured, unmeasuredPairs } = measuredSimilarity(answered, 4, { unmeasured: 'nan' });
    expect([unmeasured, unmeasuredPairs]).toEqual(['nan', 3]);
    // S01 = 2/4, S02 = 1/4, S12 = 1/4; object 3 never appears → NaN off the diagonal (unmeasured: 'nan').
    const S = matrixToRows(similarity);
    expect(S.slice(0, 3).map((r) => r.slice(0, 3))).toEqual([
      [1, 0.5, 0.25],
      [0.5, 1, 0.25],
      [0.25, 0.25, 1],
    ]);
    expect(S[3][3]).toBe(1);
    for (let i = 0; i < 3; i++) {
      expect(S[3][i]).toBeNaN();
      expect(S[i][3]).toBeNaN();
    }
    expect(matrixToRows(counts)).toEqual([
      [4, 4, 4, 0],
      [4, 4, 4, 0],
      [4, 4, 4, 0],
      [0, 0, 0, 0],
    ]);
  });

  it("fills never-shown pairs with 0 by default, as the authors' script", () => {
    const res = measuredSimilarity(answered, 4);
    expect(res.unmeasured).toBe('zero');
    expect(res.unmeasuredPairs).toBe(3);
    expect(matrixToRows(res.similarity)[3]).toEqual([0, 0, 0, 1]);
    expect(matrixToRows(res.similarity)[1]).toEqual([0.5, 1, 0.25, 0]);
    expect(() => measuredSimilarity(answered, 4, { unmeasured: 'skip' as never })).toThrow(/unmeasured/);
  });

  it('restricts to a subset, in the given order', () => {
    const { similarity, counts } = measuredSimilarity(answered, 4, { objects: [2, 0] });
    expect(matrixToRows(similarity)).toEqual([[1, 0.25], [0.25, 1]]);
    expect(matrixToRows(counts)).toEqual([[4, 4], [4, 4]]);
  });

  it('rejects out-of-range rows and bad subsets', () => {
    expect(() => measuredSimilarity(answered, 2)).toThrow(/answered row 1 \(line 1\)/);
    expect(() => measuredSimilarity(answered, 4, { objects: [0, 0] })).toThrow(InvalidArgumentError);
    expect(() => measuredSimilarity(answered, 4, { objects: [4] })).toThrow(/objects\[0\]/);
    expect(() => measuredSimilarity(answered, 1e12, { objects: [0, 1, 2] })).toThrow('nObjects: expected an integer in [1, 2147483647], got 1000000000000');
  });
});
