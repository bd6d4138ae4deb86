import { createTriplets, InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { answeredFromPositions } from './answered-from-positions.js';

describe('answeredFromPositions', () => {
  it('moves the object at the chosen position last and keeps the pair in presentation order', () => {
    const sets = createTriplets([[5, 6, 7], [5, 6, 7], [5, 6, 7], [9, 2, 4]]);
    const a = answeredFromPositions(sets, Uint8Array.of(0, 1, 2, 1));
    expect(Array.from(a.data)).toEqual([6, 7, 5, 5, 7, 6, 5, 6, 7, 9, 4, 2]);
  });

  it('rejects bad positions and lengths', () => {
    const sets = createTriplets([[5, 6, 7], [1, 2, 3]]);
    expect(() => answeredFromPositions(sets, Uint8Array.of(0, 3))).toThrow(InvalidArgumentError);
    expect(() => answeredFromPositions(sets, Uint8Array.of(0, 3))).toThrow(/choicePos row 2 \(line 2\): expected a position 0, 1 or 2, got 3/);
    expect(() => answeredFromPositions(sets, Uint8Array.of(0))).toThrow(ShapeError);
  });
});
