import { ShapeError } from '@conceptlab/core';
import { categoryEnrichment } from './enrichment.js';
import { hypergeometricSf } from './hypergeometric.js';

describe('categoryEnrichment', () => {
  test('hand-built case: a dimension whose top objects are exactly one category', () => {
    // 10 objects, 2 dims; category "c" = objects 0..2; dim 0 is large on 0..2; dim 1 on 7..9.
    const n = 10, data = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) { data[2 * i] = i < 3 ? 3 - i : 0.01 * i; data[2 * i + 1] = i; }
    const mem = new Uint8Array(n * 2);
    for (let i = 0; i < 3; i++) mem[i * 2] = 1;
    for (let i = 5; i < 10; i++) mem[i * 2 + 1] = 1;
    const r = categoryEnrichment({ rows: n, cols: 2, data }, { names: ['c', 'd'], membership: { rows: n, cols: 2, data: mem } }, { top: 3 });
    const t = r[0].tests.find((x) => x.category === 'c')!;
    expect(t.overlap).toBe(3);
    // P(X ≥ 3) with 3 draws from 10, 3 marked = 1 / C(10,3) = 1/120
    expect(t.p).toBeCloseTo(1 / 120, 14);
    expect(t.expected).toBeCloseTo(0.9, 14);
    // 4 tests in all; c/dim0 has the smallest p → q = p·4/1
    expect(t.q).toBeCloseTo(Math.min(1, (4 * 1) / 120), 14);
    const d = r[1].tests.find((x) => x.category === 'd')!;
    expect(d.overlap).toBe(3);
    expect(d.p).toBeCloseTo(hypergeometricSf(3, 10, 5, 3), 14);
    expect(r[1].tests.find((x) => x.category === 'c')).toBeUndefined();
  });

  test('a category table of another size is a ShapeError', () => {
    expect(() => categoryEnrichment({ rows: 2, cols: 1, data: Float64Array.of(1, 2) }, { names: ['a'], membership: { rows: 3, cols: 1, data: new Uint8Array(3) } }, { top: 1 })).toThrow(ShapeError);
  });
});
