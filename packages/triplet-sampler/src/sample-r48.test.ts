import { createTriplets, InvalidArgumentError } from '@conceptlab/core';
import { sampleR48 } from './sample-r48.js';
import { setCode } from './set-code.js';

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('sampleR48', () => {
  it("paper: two of the 48 (in draw order) then one outside, as the authors' sampler", () => {
    const objects48 = [7, 2, 9];
    const res = sampleR48({ objects48, nObjects: 12, count: 500, seed: 1 });
    expect(res.method).toBe('paper');
    expect([res.triplets.count, res.drawn, res.removed]).toEqual([500, 500, 0]);
    const d = res.triplets.data;
    for (let t = 0; t < 500; t++) {
      expect(objects48).toContain(d[3 * t]);
      expect(objects48).toContain(d[3 * t + 1]);
      expect(d[3 * t]).not.toBe(d[3 * t + 1]);
      expect(objects48).not.toContain(d[3 * t + 2]);
    }
    // Sets repeat (3 pairs × 9 others = 27 sets for 500 draws): independent draws, not distinct sets.
    const codes = new Set(range(0, 500).map((t) => setCode(d[3 * t], d[3 * t + 1], d[3 * t + 2], 12)));
    expect(codes.size).toBe(27);
    expect(sampleR48({ objects48, nObjects: 12, count: 500, seed: 1 })).toEqual(res);
    expect(sampleR48({ objects48, nObjects: 12, count: 500, seed: 2 }).triplets.data).not.toEqual(d);
  });

  it('paper: pairs within the 48 and third objects are uniform (chi-square, 100,000 draws)', () => {
    const objects48 = range(0, 48).map((i) => 2 * i); // 48 even objects of 100
    const res = sampleR48({ objects48, nObjects: 100, seed: 3 });
    expect(res.triplets.count).toBe(100_000);
    const pair = new Float64Array(100 * 100), third = new Float64Array(100), first = new Float64Array(100);
    const d = res.triplets.data;
    for (let t = 0; t < res.triplets.count; t++) {
      const a = Math.min(d[3 * t], d[3 * t + 1]), b = Math.max(d[3 * t], d[3 * t + 1]);
      pair[a * 100 + b]++;
      third[d[3 * t + 2]]++;
      first[d[3 * t]]++;
    }
    const chi = (obs: number[], e: number) => obs.reduce((s, o) => s + (o - e) ** 2 / e, 0);
    const pairObs: number[] = [];
    for (let i = 0; i < 48; i++) for (let j = i + 1; j < 48; j++) pairObs.push(pair[2 * i * 100 + 2 * j]);
    // χ² with k − 1 degrees of freedom: mean k − 1, SD √(2(k − 1)); a 5-SD bound.
    const k1 = 1128 - 1, k2 = 52 - 1, k3 = 48 - 1;
    expect(chi(pairObs, 100_000 / 1128)).toBeLessThan(k1 + 5 * Math.sqrt(2 * k1));
    const rest = range(0, 100).filter((o) => !objects48.includes(o));
    expect(rest.length).toBe(52);
    expect(chi(rest.map((o) => third[o]), 100_000 / 52)).toBeLessThan(k2 + 5 * Math.sqrt(2 * k2));
    expect(chi(objects48.map((o) => first[o]), 100_000 / 48)).toBeLessThan(k3 + 5 * Math.sqrt(2 * k3));
  });

  it('paper: removes drawn rows whose unordered set is in exclude, and says how many', () => {
    // Objects 0, 1 in the 48 of 4: the sets {0,1,2} and {0,1,3}; {0,1,2} is excluded (given in another order).
    const res = sampleR48({ objects48: [0, 1], nObjects: 4, count: 1000, seed: 4, exclude: createTriplets([[2, 1, 0]]) });
    expect(res.drawn).toBe(1000);
    expect(res.removed + res.triplets.count).toBe(1000);
    for (let t = 0; t < res.triplets.count; t++) expect(res.triplets.data[3 * t + 2]).toBe(3);
    // Binomial(1000, 1/2): within 5 SD of 500.
    expect(Math.abs(res.removed - 500)).toBeLessThan(5 * Math.sqrt(250));
  });

  it('distinct: exactly count distinct sets, none excluded (sampleAnchor)', () => {
    const exclude = createTriplets([[0, 1, 2], [3, 0, 1]]);
    const res = sampleR48({ objects48: [0, 1, 5], nObjects: 7, count: 10, seed: 5, method: 'distinct', exclude });
    expect([res.method, res.triplets.count, res.drawn, res.removed]).toEqual(['distinct', 10, 10, 0]);
    const d = res.triplets.data;
    const codes = range(0, 10).map((t) => setCode(d[3 * t], d[3 * t + 1], d[3 * t + 2], 7));
    expect(new Set(codes).size).toBe(10);
    expect(codes).not.toContain(setCode(0, 1, 2, 7));
    expect(codes).not.toContain(setCode(0, 1, 3, 7));
    // 3 pairs × 4 others − 2 excluded = 10 available; 11 is too many.
    expect(() => sampleR48({ objects48: [0, 1, 5], nObjects: 7, count: 11, seed: 5, method: 'distinct', exclude })).toThrow(/at most 10/);
  });

  it('rejects bad input', () => {
    expect(() => sampleR48({ objects48: [0, 0], nObjects: 5, seed: 1 })).toThrow(/distinct/);
    expect(() => sampleR48({ objects48: [0, 5], nObjects: 5, seed: 1 })).toThrow(/objects48\[1\]/);
    expect(() => sampleR48({ objects48: [0], nObjects: 5, seed: 1 })).toThrow(/at least 2/);
    expect(() => sampleR48({ objects48: [0, 1, 2], nObjects: 3, seed: 1 })).toThrow(/third object/);
    expect(() => sampleR48({ objects48: [0, 1], nObjects: 5, seed: 1, count: -1 })).toThrow(InvalidArgumentError);
    // Beyond one Int32Array of rows: the typed error before any allocation, not a RangeError.
    expect(() => sampleR48({ objects48: [0, 1], nObjects: 5, seed: 1, count: 1e12 })).toThrow('count: expected an integer in [0, 715827882], got 1000000000000');
    expect(() => sampleR48({ objects48: [0, 1], nObjects: 5, seed: 1, method: 'x' as never })).toThrow(/method/);
    expect(() => sampleR48({ objects48: [0, 1], nObjects: 5, seed: 1, exclude: createTriplets([[0, 1, 9]]) })).toThrow(/exclude row 1/);
  });
});
