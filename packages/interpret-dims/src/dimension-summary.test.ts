import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { summarizeDimensions, topObjectIndices } from './dimension-summary.js';
import { fakeConcepts, smallEmbedding } from '../test/fixtures.js';

describe('summarizeDimensions', () => {
  test('hand-computed 3 × 2 case', () => {
    const x = { rows: 3, cols: 2, data: Float64Array.from([0, 1, 0.5, 0, 0.05, 2]) };
    const [a, b] = summarizeDimensions(x, fakeConcepts(3), { top: 2 });
    expect(a.top.map((t) => t.id)).toEqual(['o1', 'o2']);
    expect(a.top[0]).toEqual({ index: 1, id: 'o1', word: 'w1', weight: 0.5 });
    expect(a.mean).toBeCloseTo(0.55 / 3, 15);
    expect(a.zeroShare).toBeCloseTo(1 / 3, 15);
    expect(a.usageShare).toBeCloseTo(1 / 3, 15); // only 0.5 > 0.1
    expect(a.median).toBe(0.05);
    expect(b.l1).toBe(3);
    expect(b.max).toBe(2);
    expect(b.top.map((t) => t.index)).toEqual([2, 0]);
  });

  test('equals numpy on the reference fixture (column 1)', () => {
    // reference/references.py: summary_col1
    const s = summarizeDimensions(smallEmbedding(), fakeConcepts(20), { top: 5 })[1];
    expect(s.mean).toBeCloseTo(0.3420619595171589, 12);
    expect(s.sd).toBeCloseTo(0.3973322681815917, 12);
    expect(s.q25).toBeCloseTo(0, 12);
    expect(s.median).toBeCloseTo(0.07493860483147792, 12);
    expect(s.q75).toBeCloseTo(0.7634069785627262, 12);
    expect(s.q95).toBeCloseTo(0.9928956407896897, 12);
    expect(s.zeroShare).toBe(0.5);
    expect(s.usageShare).toBe(0.5);
    expect(s.top.map((t) => t.index)).toEqual([19, 14, 9, 0, 4]);
  });

  test('ties in top-k go to the lower index (the quantiles are core percentileSorted, tested there)', () => {
    expect(topObjectIndices({ rows: 3, cols: 1, data: Float64Array.from([1, 2, 2]) }, 0, 3)).toEqual([1, 2, 0]);
  });

  test('bad input is a typed error', () => {
    expect(() => summarizeDimensions(smallEmbedding(), fakeConcepts(19))).toThrow(ShapeError);
    expect(() => summarizeDimensions({ rows: 1, cols: 1, data: Float64Array.of(NaN) }, fakeConcepts(1))).toThrow(InvalidArgumentError);
    expect(() => topObjectIndices(smallEmbedding(), 4, 2)).toThrow(InvalidArgumentError);
  });
});
