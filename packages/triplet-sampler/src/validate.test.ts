import { createTriplets, InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { rowLabel } from './row-label.js';
import { checkInteger, checkTriplets, checkTripletsAgainstRows, checkTripletsShape } from './validate.js';

describe('validation helpers', () => {
  it('labels rows 1-based as row N (line N)', () => {
    expect(rowLabel(0)).toBe('row 1 (line 1)');
  });

  it('checks integers and ranges', () => {
    expect(checkInteger('k', 3, 0, 5)).toBe(3);
    expect(() => checkInteger('k', 6, 0, 5)).toThrow(/k: expected an integer in \[0, 5\], got 6/);
    expect(() => checkInteger('k', Number.NaN)).toThrow(/k: expected an integer ≥ 0/);
  });

  it('checks triplet shapes, rows and matrix rows', () => {
    expect(() => checkTripletsShape('t', { count: 2, data: new Int32Array(3) })).toThrow(ShapeError);
    expect(() => checkTripletsShape('t', { count: 1, data: [1, 2, 3] as unknown as Int32Array })).toThrow(InvalidArgumentError);
    expect(() => checkTriplets('t', createTriplets([[0, 1, 2], [0, 1, 1]]))).toThrow(/t row 2 \(line 2\)/);
    expect(() => checkTripletsAgainstRows('sets', createTriplets([[0, 1, 4]]), 4, 'embedding')).toThrow(ShapeError);
  });
});
