import { concatTriplets, createRng, createTriplets, InvalidArgumentError, selectTriplets } from '@conceptlab/core';
import { allRowsValid, distinctSets, fingerprint, setKey } from '../test/helpers.js';
import { sampleAnchor } from './sample-anchor.js';

function anchorsPerRow(data: Int32Array, isAnchor: (x: number) => boolean): number[] {
  const out: number[] = [];
  for (let r = 0; r < data.length / 3; r++) out.push([data[3 * r], data[3 * r + 1], data[3 * r + 2]].filter(isAnchor).length);
  return out;
}

describe('sampleAnchor', () => {
  const anchors = [1, 4, 7, 8, 11];
  const isAnchor = (x: number): boolean => anchors.includes(x);

  it('puts exactly two anchors and one other object in every row, without duplicate sets', () => {
    // C(5, 2)·7 = 70 possible sets.
    const t = sampleAnchor({ anchors, nObjects: 12, count: 30, seed: 1 });
    expect(t.count).toBe(30);
    expect(allRowsValid(t, 12)).toBe(true);
    expect(new Set(anchorsPerRow(t.data, isAnchor))).toEqual(new Set([2]));
    expect(distinctSets(t)).toBe(30);
  });

  it('can take all 70 sets and no more', () => {
    const t = sampleAnchor({ anchors: Int32Array.from(anchors), nObjects: 12, count: 70, seed: 2 });
    expect(distinctSets(t)).toBe(70);
    expect(() => sampleAnchor({ anchors, nObjects: 12, count: 71, seed: 2 })).toThrow(/at most 70 distinct sets/);
  });

  it('never draws an excluded set, whatever its order in the exclude list', () => {
    const all = sampleAnchor({ anchors, nObjects: 12, count: 70, seed: 3 });
    const excludedRows = selectTriplets(all, Array.from({ length: 40 }, (_, i) => i));
    // Reverse each row and add rows of other make-ups, which must be ignored.
    const flipped = new Int32Array(excludedRows.data.length);
    for (let r = 0; r < excludedRows.count; r++) {
      flipped[3 * r] = excludedRows.data[3 * r + 2];
      flipped[3 * r + 1] = excludedRows.data[3 * r + 1];
      flipped[3 * r + 2] = excludedRows.data[3 * r];
    }
    const exclude = concatTriplets([createTriplets(flipped), createTriplets([[0, 2, 3], [1, 4, 7], [1, 2, 3]])]);
    const banned = new Set(Array.from({ length: 40 }, (_, r) => setKey(excludedRows, r)));
    for (const count of [10, 30]) {
      const t = sampleAnchor({ anchors, nObjects: 12, count, seed: 4, exclude });
      for (let r = 0; r < t.count; r++) expect(banned.has(setKey(t, r))).toBe(false);
      expect(distinctSets(t)).toBe(count);
    }
    expect(() => sampleAnchor({ anchors, nObjects: 12, count: 31, seed: 4, exclude })).toThrow(/at most 30 distinct sets .* minus 40 excluded/);
  });

  it('matches the paper-sized similarity set: 2 of 48 + 1 of 1,806, 100,000 sets', () => {
    const rng = createRng(9);
    const paperAnchors = rng.sampleWithoutReplacement(1854, 48);
    const flag = new Uint8Array(1854);
    for (const a of paperAnchors) flag[a] = 1;
    const training = sampleAnchor({ anchors: paperAnchors, nObjects: 1854, count: 20000, seed: 10 });
    const t = sampleAnchor({ anchors: paperAnchors, nObjects: 1854, count: 100_000, seed: rng, exclude: training });
    expect(t.count).toBe(100_000);
    expect(new Set(anchorsPerRow(t.data, (x) => flag[x] === 1))).toEqual(new Set([2]));
    const keys = new Set<string>();
    for (let r = 0; r < t.count; r++) keys.add(setKey(t, r));
    expect(keys.size).toBe(100_000);
    for (let r = 0; r < training.count; r++) expect(keys.has(setKey(training, r))).toBe(false);
  });

  it('randomises the presentation order (the non-anchor is anywhere)', () => {
    const t = sampleAnchor({ anchors: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], nObjects: 100, count: 2400, seed: 5 });
    const at = [0, 0, 0];
    for (let r = 0; r < t.count; r++) for (let c = 0; c < 3; c++) if (t.data[3 * r + c] >= 12) at[c]++;
    for (const c of at) expect(Math.abs(c - 800)).toBeLessThan(5 * Math.sqrt(2400 * (1 / 3) * (2 / 3)));
  });

  it('rejects bad anchors and exclude rows', () => {
    expect(() => sampleAnchor({ anchors: [1, 1, 2], nObjects: 5, count: 1, seed: 1 })).toThrow(/anchors\[1\]: expected distinct/);
    expect(() => sampleAnchor({ anchors: [1, 9], nObjects: 5, count: 1, seed: 1 })).toThrow(/anchors\[1\]: expected an object index in \[0, 4\]/);
    expect(() => sampleAnchor({ anchors: [1], nObjects: 5, count: 1, seed: 1 })).toThrow(/at least 2/);
    expect(() => sampleAnchor({ anchors: [0, 1, 2], nObjects: 3, count: 1, seed: 1 })).toThrow(InvalidArgumentError);
    const exclude = createTriplets([[0, 1, 2], [0, 1, 7]]);
    expect(() => sampleAnchor({ anchors: [0, 1], nObjects: 5, count: 1, seed: 1, exclude })).toThrow(/exclude row 2 \(line 2\)/);
  });

  it('is reproducible and pinned', () => {
    const a = sampleAnchor({ anchors, nObjects: 12, count: 20, seed: 42 });
    expect(sampleAnchor({ anchors, nObjects: 12, count: 20, seed: 42 }).data).toEqual(a.data);
    const big = sampleAnchor({ anchors: [3, 10, 20, 30, 40], nObjects: 1854, count: 1000, seed: 42 });
    expect(Array.from(big.data.subarray(0, 9))).toEqual(PINNED_FIRST_ROWS);
    expect(fingerprint(big.data)).toBe(PINNED_HASH);
    expect(fingerprint(a.data)).toBe(PINNED_HASH_SMALL);
  });
});

const PINNED_FIRST_ROWS = [420, 10, 40, 3, 737, 10, 30, 40, 1709];
const PINNED_HASH = 'a2a03049';
const PINNED_HASH_SMALL = '1f4218c6';
