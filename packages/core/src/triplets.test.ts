import { assertValidTriplets, concatTriplets, countObjects, createTriplets, findTripletProblem, selectTriplets, tripletAt, tripletsToRows } from './triplets.js';
import { InvalidArgumentError, ShapeError } from './errors.js';

describe('Triplets', () => {
  const t = createTriplets([
    [0, 1, 2],
    [3, 4, 5],
    [2, 0, 4],
  ]);

  test('layout and accessors', () => {
    expect(t.count).toBe(3);
    expect(Array.from(t.data)).toEqual([0, 1, 2, 3, 4, 5, 2, 0, 4]);
    expect(tripletAt(t, 2)).toEqual([2, 0, 4]);
    expect(countObjects(t)).toBe(6);
    expect(tripletsToRows(selectTriplets(t, [2, 0]))).toEqual([
      [2, 0, 4],
      [0, 1, 2],
    ]);
    expect(concatTriplets([t, t]).count).toBe(6);
  });

  test('validation finds the first bad row', () => {
    expect(findTripletProblem(t, 6)).toBeUndefined();
    expect(findTripletProblem(t, 5)).toEqual({ row: 1, expected: 'object indices in [0, 4]', found: '5' });
    const dup = createTriplets([[0, 1, 2], [1, 1, 2]]);
    expect(findTripletProblem(dup)).toEqual({ row: 1, expected: 'three distinct objects', found: '1 1 2' });
    expect(() => assertValidTriplets(dup)).toThrow(InvalidArgumentError);
    expect(() => assertValidTriplets(createTriplets([[0, -1, 2]]))).toThrow(/non-negative/);
  });

  test('shape errors', () => {
    expect(() => createTriplets(new Int32Array(4))).toThrow(ShapeError);
    expect(() => createTriplets([[0, 1]])).toThrow(ShapeError);
    expect(() => createTriplets([[0, 1, 2.5]])).toThrow(InvalidArgumentError);
    expect(() => selectTriplets(t, [3])).toThrow(InvalidArgumentError);
  });
});
