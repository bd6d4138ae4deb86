import { createTriplets, InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { agreement } from './agreement.js';

describe('agreement', () => {
  it('counts rows with the same odd one out, in any pair order (4 rows by hand)', () => {
    const a = createTriplets([[0, 1, 2], [3, 4, 5], [6, 7, 8], [1, 5, 9]]);
    const b = createTriplets([[1, 0, 2], [3, 5, 4], [7, 8, 6], [5, 1, 9]]);
    // Row 1: 2 vs 2 agree; row 2: 5 vs 4 differ; row 3: 8 vs 6 differ; row 4: 9 vs 9 agree.
    expect(agreement(a, b)).toEqual({ agree: 2, total: 4, fraction: 0.5 });
    expect(agreement(a, a)).toEqual({ agree: 4, total: 4, fraction: 1 });
  });

  it('names the first row whose sets differ, 1-based', () => {
    const a = createTriplets([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    const b = createTriplets([[0, 1, 2], [3, 4, 5], [6, 7, 9]]);
    expect(() => agreement(a, b)).toThrow(InvalidArgumentError);
    expect(() => agreement(a, b)).toThrow(/^row 3 \(line 3\): expected the same set in a and b, got "6 7 8 vs 6 7 9"$/);
  });

  it('needs equal counts; an empty comparison has a NaN fraction', () => {
    expect(() => agreement(createTriplets([[0, 1, 2]]), createTriplets([]))).toThrow(ShapeError);
    expect(agreement(createTriplets([]), createTriplets([]))).toEqual({ agree: 0, total: 0, fraction: NaN });
  });
});
