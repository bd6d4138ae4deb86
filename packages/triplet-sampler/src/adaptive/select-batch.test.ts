import { InvalidArgumentError, matrixFromRows, type Triplets } from '@conceptlab/core';
import { setCode } from '../set-code.js';
import { selectBatch } from './select-batch.js';

const set = (...rows: [number, number, number][]): Triplets => ({ count: rows.length, data: Int32Array.from(rows.flat()) });
const rows = (t: Triplets): number[][] => Array.from({ length: t.count }, (_, i) => Array.from(t.data.subarray(3 * i, 3 * i + 3)));
const sorted = (t: Triplets): string[] => rows(t).map((r) => [...r].sort((a, b) => a - b).join(' ')).sort();
const codes = (t: Triplets, n: number): number[] => rows(t).map(([a, b, c]) => setCode(a, b, c, n));

/** Every set of 3 among n objects except those listed. */
function allBut(n: number, keep: string[]): Triplets {
  const out: [number, number, number][] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) for (let c = b + 1; c < n; c++) if (!keep.includes(`${a} ${b} ${c}`)) out.push([a, b, c]);
  return set(...out);
}

// Eight objects; members A and B agree on every object but 0, so only sets with object 0 carry information.
const base = [[1, 0], [1, 0], [0, 1], [0, 1], [1, 1], [2, 0], [0, 2], [1, 2]];
const A = matrixFromRows([[3, 0], ...base.slice(1)]);
const B = matrixFromRows([[0, 3], ...base.slice(1)]);

describe('selectBatch', () => {
  it('never asks a set twice: not one already asked, not one twice in the batch', () => {
    const left = ['0 1 2', '1 3 5', '2 4 5', '0 3 4', '1 2 3'];
    const asked = allBut(6, left);
    for (const rule of ['uniform', 'coverage'] as const) {
      const b = selectBatch({ nObjects: 6, count: 5, rule, seed: 1, asked });
      expect(sorted(b.triplets)).toEqual([...left].sort());
    }
    const big = selectBatch({ nObjects: 40, count: 500, rule: 'coverage', seed: 3 });
    expect(new Set(codes(big.triplets, 40)).size).toBe(500);
  });

  it('is bit-for-bit reproducible for a seed and differs for another', () => {
    for (const rule of ['uniform', 'coverage', 'information-gain'] as const) {
      const o = { nObjects: 8, count: 6, rule, ensemble: [A, B] };
      const a = selectBatch({ ...o, seed: 7 }), b = selectBatch({ ...o, seed: 7 }), c = selectBatch({ ...o, seed: 8 });
      expect(Array.from(a.triplets.data)).toEqual(Array.from(b.triplets.data));
      expect(Array.from(a.triplets.data)).not.toEqual(Array.from(c.triplets.data));
    }
  });

  it('coverage: takes the objects and then the pairs asked least', () => {
    // Object uses after the asked sets: 0:3, 1:2, 2:2, 3:2, 4:0, 5:0. The cheapest new sets are {x, 4, 5} with x ∈ {1, 2, 3}
    // (objects 2 + 0 + 0); after one of them, pair 4-5 has been used once, and the next is another {x, 4, 5}
    // (objects 2 + 1 + 1, pairs 1) before any set with 0 (3 + 1 + 1).
    const b = selectBatch({ nObjects: 6, count: 2, rule: 'coverage', seed: 2, asked: set([0, 1, 2], [0, 1, 3], [0, 2, 3]) });
    for (const r of sorted(b.triplets)) expect(r).toMatch(/^[123] 4 5$/);
    // Without history over 30 objects, 100 sets use each object 10 times, give or take one or two (a uniform
    // draw spreads them as Binomial(300, 1/30), SD 3.1).
    const spread = (t: Triplets): number => {
      const uses = new Array(30).fill(0);
      for (const v of t.data) uses[v]++;
      return Math.max(...uses) - Math.min(...uses);
    };
    const even = selectBatch({ nObjects: 30, count: 100, rule: 'coverage', seed: 4 });
    expect(spread(even.triplets)).toBeLessThanOrEqual(2);
    expect(spread(selectBatch({ nObjects: 30, count: 100, rule: 'uniform', seed: 4 }).triplets)).toBeGreaterThan(5);
    expect(even.scores).toBeNull();
    expect(even.selection).toBeNull();
  });

  it('information-gain: chooses where the members disagree, best first, and says how much it gained over the pool', () => {
    const b = selectBatch({ nObjects: 8, count: 3, rule: 'information-gain', seed: 5, ensemble: [A, B], maxPerObject: 3 });
    for (const r of rows(b.triplets)) expect(r).toContain(0);
    expect(b.scores!.every((s) => s > 0)).toBe(true);
    expect(b.meanScore!).toBeGreaterThan(b.poolMeanScore!);
    expect(b.maxPerObject).toBe(3);
    expect(b.overCap).toBe(0);
    // Uncertainty with one member ranks by entropy, so it may choose sets without object 0.
    const u = selectBatch({ nObjects: 8, count: 3, rule: 'uncertainty', seed: 5, ensemble: [B] });
    expect(u.scores!.length).toBe(3);
  });

  it('keeps a batch diverse: at most maxPerObject sets per object, and counts any row it had to take above the cap', () => {
    const b = selectBatch({ nObjects: 8, count: 4, rule: 'information-gain', seed: 6, ensemble: [A, B], maxPerObject: 1, poolSize: 56 });
    // With each object at most once, only one set can hold object 0 and at most two sets fit at all (8 objects / 3).
    const uses = new Array(8).fill(0);
    for (const v of b.triplets.data) uses[v]++;
    expect(uses[0]).toBeGreaterThanOrEqual(1);
    expect(b.overCap).toBe(2);
    expect(b.triplets.count).toBe(4);
    // The default cap, ⌈2·3·count/n⌉, over 60 objects and 20 sets is 2.
    const flat = matrixFromRows(Array.from({ length: 60 }, (_, i) => [i === 0 ? 5 : 1, 1]));
    const d = selectBatch({ nObjects: 60, count: 20, rule: 'uncertainty', seed: 1, ensemble: [flat] });
    expect(d.maxPerObject).toBe(2);
    const du = new Array(60).fill(0);
    for (const v of d.triplets.data) du[v]++;
    expect(Math.max(...du)).toBeLessThanOrEqual(2);
  });

  it('stochastic selection draws ∝ score: reproducible, never a zero-score set while a scored one is left', () => {
    const o = { nObjects: 8, count: 3, rule: 'information-gain' as const, ensemble: [A, B], selection: 'stochastic' as const, maxPerObject: 3 };
    const a = selectBatch({ ...o, seed: 9 });
    expect(Array.from(a.triplets.data)).toEqual(Array.from(selectBatch({ ...o, seed: 9 }).triplets.data));
    for (const r of rows(a.triplets)) expect(r).toContain(0);
    expect(a.selection).toBe('stochastic');
  });

  it('refuses bad options before any work, with one-line errors', () => {
    expect(() => selectBatch({ nObjects: 8, count: 3, rule: 'information-gain', seed: 1, ensemble: [A] })).toThrow(/ensemble: expected at least 2 embedding\(s\) for information-gain/);
    expect(() => selectBatch({ nObjects: 8, count: 3, rule: 'uncertainty', seed: 1 })).toThrow(/ensemble/);
    expect(() => selectBatch({ nObjects: 9, count: 3, rule: 'uncertainty', seed: 1, ensemble: [A] })).toThrow(/ensemble: expected embeddings of nObjects = 9 objects, got "8 rows"/);
    expect(() => selectBatch({ nObjects: 8, count: 3, rule: 'bald' as never, seed: 1 })).toThrow(/rule: expected uniform, coverage, uncertainty, information-gain/);
    expect(() => selectBatch({ nObjects: 6, count: 6, rule: 'uniform', seed: 1, asked: allBut(6, ['0 1 2', '1 2 3', '2 3 4', '3 4 5', '0 4 5']) })).toThrow(/count: expected at most the 5 sets over 6 objects not asked yet/);
    expect(() => selectBatch({ nObjects: 6, count: 1, rule: 'coverage', seed: 1, asked: set([0, 1, 6]) })).toThrow(/asked row 1/);
    expect(() => selectBatch({ nObjects: 8, count: 0, rule: 'uniform', seed: 1 })).toThrow(InvalidArgumentError);
    expect(() => selectBatch({ nObjects: 8, count: 4, rule: 'uncertainty', seed: 1, ensemble: [A], poolSize: 3 })).toThrow(/poolSize/);
    expect(() => selectBatch({ nObjects: 8, count: 4, rule: 'uncertainty', seed: 1, ensemble: [A], selection: 'best' as never })).toThrow(/selection: expected top or stochastic/);
  });
});
