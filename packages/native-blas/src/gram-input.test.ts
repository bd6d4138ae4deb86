import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { checkGramInput } from './gram-input.js';

describe('checkGramInput (the checks gram runs before calling the BLAS; no BLAS needed)', () => {
  it('accepts rows × cols finite float64 values', () => {
    expect(() => checkGramInput(Float64Array.from([1, -2, 0, 4e300, -0, 5]), 3, 2)).not.toThrow();
  });

  it('wrong lengths: one-line ShapeError with both counts', () => {
    expect(() => checkGramInput(new Float64Array(5), 3, 2)).toThrow(new ShapeError('x has 5 elements, expected 3×2 = 6'));
    expect(() => checkGramInput(new Float64Array(7), 3, 2)).toThrow(ShapeError);
  });

  it('non-finite values: InvalidArgumentError naming the first one’s row and column', () => {
    expect(() => checkGramInput(Float64Array.from([1, 2, 3, Number.NaN, 5, Number.NaN]), 3, 2)).toThrow(
      new InvalidArgumentError('x (row 1, column 1)', 'a finite number', Number.NaN),
    );
    expect(() => checkGramInput(Float64Array.from([Number.NEGATIVE_INFINITY, 0]), 1, 2)).toThrow('x (row 0, column 0): expected a finite number, got -Infinity');
  });

  it.each([
    ['rows', 0, 2],
    ['rows', 1.5, 2],
    ['rows', Number.NaN, 2],
    ['cols', 2, -1],
    ['cols', 2, 2 ** 31],
    ['cols', 2, '2'],
  ])('a bad dimension (%s: %p × %p) is an InvalidArgumentError', (name, rows, cols) => {
    expect(() => checkGramInput(new Float64Array(4), rows, cols)).toThrow(expect.objectContaining({ _tag: 'InvalidArgumentError', argument: name }));
  });

  it('anything but a Float64Array is an InvalidArgumentError (no silent conversion)', () => {
    expect(() => checkGramInput(Float32Array.from([1, 2]), 1, 2)).toThrow(new InvalidArgumentError('x', 'a Float64Array', Float32Array.from([1, 2])));
    expect(() => checkGramInput([1, 2], 1, 2)).toThrow(InvalidArgumentError);
  });
});
