import { createTriplets, InvalidArgumentError } from '@conceptlab/core';
import { replay } from './replay.js';

describe('replay', () => {
  it('returns a copy of the rows as they are', () => {
    const t = createTriplets([[0, 1, 2], [3, 1, 0]]);
    const r = replay(t);
    expect(r.count).toBe(2);
    expect(Array.from(r.data)).toEqual([0, 1, 2, 3, 1, 0]);
    expect(r.data).not.toBe(t.data);
    r.data[0] = 9;
    expect(t.data[0]).toBe(0);
  });

  it('names the first bad row, 1-based', () => {
    const t = createTriplets([[0, 1, 2], [3, 3, 0]]);
    expect(() => replay(t)).toThrow(InvalidArgumentError);
    expect(() => replay(t)).toThrow(/triplets row 2 \(line 2\): expected three distinct objects, got "3 3 0"/);
    expect(() => replay(createTriplets([[0, 1, 5]]), { nObjects: 5 })).toThrow(/row 1 \(line 1\): expected object indices in \[0, 4\]/);
    expect(() => replay(createTriplets([[0, -1, 2]]))).toThrow(/row 1 \(line 1\)/);
  });
});
