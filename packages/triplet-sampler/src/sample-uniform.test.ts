import { createRng, InvalidArgumentError } from '@conceptlab/core';
import { allRowsValid, distinctSets, fingerprint, setKey } from '../test/helpers.js';
import { sampleUniform } from './sample-uniform.js';

describe('sampleUniform', () => {
  it('draws distinct valid sets without duplicates', () => {
    const t = sampleUniform({ nObjects: 30, count: 2000, seed: 1 });
    expect(t.count).toBe(2000);
    expect(t.data).toHaveLength(6000);
    expect(allRowsValid(t, 30)).toBe(true);
    expect(distinctSets(t)).toBe(2000);
  });

  it('can take every set (the listing path) and then covers all C(n,3)', () => {
    const t = sampleUniform({ nObjects: 10, count: 120, seed: 3 });
    expect(distinctSets(t)).toBe(120);
    expect(allRowsValid(t, 10)).toBe(true);
  });

  it('throws when more distinct sets are asked for than exist', () => {
    expect(() => sampleUniform({ nObjects: 10, count: 121, seed: 3 })).toThrow(InvalidArgumentError);
    expect(() => sampleUniform({ nObjects: 10, count: 121, seed: 3 })).toThrow(/C\(10, 3\) = 120/);
  });

  it('allows duplicates on request', () => {
    const t = sampleUniform({ nObjects: 4, count: 200, seed: 5, allowDuplicates: true });
    expect(allRowsValid(t, 4)).toBe(true);
    expect(distinctSets(t)).toBe(4);
  });

  it('returns an empty list for count 0', () => {
    expect(sampleUniform({ nObjects: 5, count: 0, seed: 1 })).toEqual({ count: 0, data: new Int32Array(0) });
  });

  it('rejects bad arguments', () => {
    expect(() => sampleUniform({ nObjects: 2, count: 1, seed: 1 })).toThrow(InvalidArgumentError);
    expect(() => sampleUniform({ nObjects: 10, count: -1, seed: 1 })).toThrow(InvalidArgumentError);
    expect(() => sampleUniform({ nObjects: 10, count: 1.5, seed: 1 })).toThrow(/count: expected an integer/);
    expect(() => sampleUniform({ nObjects: 10, count: 1, seed: -1 })).toThrow(InvalidArgumentError);
    expect(() => sampleUniform({ nObjects: 10, count: 1, seed: 'x' as unknown as number })).toThrow(InvalidArgumentError);
  });

  it('has roughly uniform object frequencies (chi-square, df 99)', () => {
    const n = 100, count = 20000;
    const t = sampleUniform({ nObjects: n, count, seed: 11 });
    const freq = new Float64Array(n);
    for (const v of t.data) freq[v]++;
    const e = (3 * count) / n;
    let chi = 0;
    for (const f of freq) chi += ((f - e) * (f - e)) / e;
    // df 99: mean 99, sd √198 ≈ 14.1; 170 is about 5 sd above the mean.
    expect(chi).toBeLessThan(170);
  });

  it('picks every set equally often, on both the drawing and the listing path', () => {
    // n = 6 has 20 sets. count 4 draws i.i.d.; count 15 (> 20/2) lists and picks.
    for (const count of [4, 15]) {
      const hits = new Map<string, number>();
      const reps = 2000;
      for (let s = 0; s < reps; s++) {
        const t = sampleUniform({ nObjects: 6, count, seed: s });
        for (let r = 0; r < count; r++) hits.set(setKey(t, r), (hits.get(setKey(t, r)) ?? 0) + 1);
      }
      expect(hits.size).toBe(20);
      const e = (reps * count) / 20;
      let chi = 0;
      for (const h of hits.values()) chi += ((h - e) * (h - e)) / e;
      // Inclusions are not independent across sets, but the chi-square stays near df = 19; 60 is far out.
      expect(chi).toBeLessThan(60);
    }
  });

  it('randomises the presentation order', () => {
    const t = sampleUniform({ nObjects: 40, count: 9000, seed: 2 });
    const smallestAt = [0, 0, 0];
    for (let r = 0; r < t.count; r++) {
      const row = Array.from(t.data.subarray(3 * r, 3 * r + 3));
      smallestAt[row.indexOf(Math.min(...row))]++;
    }
    for (const c of smallestAt) expect(Math.abs(c - 3000)).toBeLessThan(5 * Math.sqrt(9000 * (1 / 3) * (2 / 3)));
  });

  it('is reproducible: same seed, same rows; an Rng works like its seed', () => {
    const a = sampleUniform({ nObjects: 1854, count: 5000, seed: 7 });
    const b = sampleUniform({ nObjects: 1854, count: 5000, seed: 7 });
    const c = sampleUniform({ nObjects: 1854, count: 5000, seed: createRng(7) });
    const d = sampleUniform({ nObjects: 1854, count: 5000, seed: 8 });
    expect(b.data).toEqual(a.data);
    expect(c.data).toEqual(a.data);
    expect(d.data).not.toEqual(a.data);
  });

  it('pins its seeded output (changes to the algorithm must update these)', () => {
    const t = sampleUniform({ nObjects: 1854, count: 1000, seed: 42 });
    expect(Array.from(t.data.subarray(0, 9))).toEqual(PINNED_FIRST_ROWS);
    expect(fingerprint(t.data)).toBe(PINNED_HASH);
    expect(fingerprint(sampleUniform({ nObjects: 10, count: 100, seed: 42 }).data)).toBe(PINNED_HASH_LISTING);
    expect(fingerprint(sampleUniform({ nObjects: 10, count: 300, seed: 42, allowDuplicates: true }).data)).toBe(PINNED_HASH_DUPLICATES);
  });

  it('stays linear at scale: 500,000 sets over 1,854 objects, no duplicates', () => {
    // The full THINGS size (4.7 million) is timed by tools/bench (about 1.2 s in plain node); code under
    // jest's sandbox runs several times slower, so this only catches a blow-up (e.g. an n³ table).
    const t0 = performance.now();
    const t = sampleUniform({ nObjects: 1854, count: 500_000, seed: 1 });
    expect(performance.now() - t0).toBeLessThan(20000);
    const codes = new Float64Array(t.count);
    for (let r = 0; r < t.count; r++) {
      const [a, b, c] = Array.from(t.data.subarray(3 * r, 3 * r + 3)).sort((x, y) => x - y);
      codes[r] = (a * 1854 + b) * 1854 + c;
    }
    codes.sort();
    let dups = 0;
    for (let i = 1; i < codes.length; i++) if (codes[i] === codes[i - 1]) dups++;
    expect(dups).toBe(0);
  });
});

const PINNED_FIRST_ROWS = [65, 609, 1660, 245, 591, 852, 686, 330, 562];
const PINNED_HASH = 'efa89bb4';
const PINNED_HASH_LISTING = 'b83ba896';
const PINNED_HASH_DUPLICATES = '4c3266f6';
