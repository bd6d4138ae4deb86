import { choose2, choose3, MAX_OBJECTS } from './combinatorics.js';
import { decodeSet, distinctSetCodes, setCode, setCodes } from './set-code.js';

describe('set codes', () => {
  it('codes a sorted set as a·n² + b·n + c, in any order', () => {
    expect(setCode(3, 1, 2, 10)).toBe(123);
    for (const [x, y, z] of [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1]]) expect(setCode(x, y, z, 10)).toBe(123);
    expect(Array.from(setCodes(Int32Array.of(4, 0, 9, 9, 4, 0), 10))).toEqual([49, 49]);
  });

  it('lists each unordered set once, sorted: distinctSetCodes', () => {
    // Rows {0,4,9} twice (two orders), {1,2,3}, {0,1,2}: codes 49, 123, 12 over n = 10.
    expect(Array.from(distinctSetCodes(Int32Array.of(4, 0, 9, 3, 2, 1, 9, 4, 0, 0, 1, 2), 10))).toEqual([12, 49, 123]);
    expect(Array.from(distinctSetCodes(new Int32Array(0), 10))).toEqual([]);
  });

  it('decodes back to the sorted set, exactly up to MAX_OBJECTS', () => {
    const out = new Int32Array(3);
    const n = MAX_OBJECTS;
    decodeSet(setCode(n - 1, 0, n - 2, n), n, out, 0);
    expect(Array.from(out)).toEqual([0, n - 2, n - 1]);
    expect(setCode(n - 3, n - 2, n - 1, n)).toBeLessThan(2 ** 53);
    expect(Number.isSafeInteger(setCode(n - 3, n - 2, n - 1, n))).toBe(true);
  });

  it('counts pairs and sets (values from python math.comb)', () => {
    expect([choose2(1), choose2(2), choose2(48)]).toEqual([0, 1, 1128]);
    expect([choose3(2), choose3(3), choose3(10), choose3(1854)]).toEqual([0, 1, 120, 1060412604]);
  });
});
