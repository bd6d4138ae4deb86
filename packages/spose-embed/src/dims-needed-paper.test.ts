import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTriplets, InvalidArgumentError, matrixFromRows, type ProgressEvent } from '@conceptlab/core';
import { expectClose } from '../../../test-support/expect-close.js';
import { dimsNeededPaper } from './dims-needed-paper.js';

// numpy port of the authors' draw_figure4h_num_dims_retained_*.m:
// python3 packages/spose-embed/reference/dims_reference.py > packages/spose-embed/reference/dims_reference.json
const REF = JSON.parse(readFileSync(join(__dirname, '../reference/dims_reference.json'), 'utf8')) as {
  embedding: number[]; nObjects: number; dims: number; triplets: number[][]; seed: number;
  fullAccuracy: number; accuracy: number[]; similarityR: (number | null)[];
  accuracyDims: [number | null, number | null]; similarityDims: [number | null, number | null];
};

describe('dimsNeededPaper', () => {
  it('hand-computed: 2 dims, levels zero each object\'s weakest dim at once; ties at random', () => {
    // Rows (weights per dim): 0 = (2, 1), 1 = (2, 0), 2 = (0, 1), 3 = (0, 3).
    const X = matrixFromRows([[2, 1], [2, 0], [0, 1], [0, 3]]);
    // Full: s01 = 4 > s02 = 1, s12 = 0 → (0,1,2) right; (2,3,0): s23 = 3 = s30 > s20 = 1, a 2-way tie.
    const T = createTriplets([[0, 1, 2], [2, 3, 0], [0, 3, 1]]);
    const res = dimsNeededPaper(X, T, { similarity: false });
    expect(res.method).toBe('paper');
    // Level 1 (k = 1 retained): row 0 keeps dim 0, row 1 keeps dim 0 (its zero was weakest), rows 2, 3 keep dim 1.
    // Then s01 = 4, s02 = 0, s12 = 0 → right; s23 = 3, s03 = 0, s02 = 0 → right; s03 = 0, s01 = 4 → wrong.
    expect(res.accuracy[1]).toBe(2 / 3);
    // k = 0: all zero, three-way ties everywhere: accuracy is the share of draws that hit the pair.
    expect([0, 1 / 3, 2 / 3, 1]).toContain(res.accuracy[0]);
    expect(res.dims).toBe(2);
    expect(res.similarityR).toBeUndefined();
  });

  it("equals the numpy port of the authors' script (accuracy per level, similarity r, dims ranges)", () => {
    const E = { rows: REF.nObjects, cols: REF.dims, data: Float64Array.from(REF.embedding) };
    const events: ProgressEvent[] = [];
    const res = dimsNeededPaper(E, createTriplets(REF.triplets), { seed: REF.seed, onProgress: (e) => events.push(e) });
    expectClose(res.fullAccuracy, REF.fullAccuracy, { abs: 1e-15 });
    expectClose(res.accuracy, REF.accuracy, { abs: 1e-15 });
    expect(res.similarityR![0]).toBeNull();
    expect(REF.similarityR[0]).toBeNull();
    expectClose(res.similarityR!.slice(1) as number[], REF.similarityR.slice(1) as number[], { abs: 1e-12 });
    expect([res.accuracyDims.min, res.accuracyDims.max]).toEqual(REF.accuracyDims);
    expect([res.similarityDims!.min, res.similarityDims!.max]).toEqual(REF.similarityDims);
    expectClose(res.accuracyCutoffs, [0.95 * REF.fullAccuracy, 0.99 * REF.fullAccuracy], { rel: 1e-15 });
    expect(events[events.length - 1]).toMatchObject({ phase: 'end', done: REF.dims + 1, unit: 'levels' });
    // No NaN anywhere in the JSON a caller would print.
    expect(JSON.stringify({ ...res, accuracy: Array.from(res.accuracy) })).not.toMatch(/NaN/);
  });

  it('returns null ranges where no level qualifies, and rejects bad input', () => {
    // Every triplet answered against the embedding: accuracy 0 at every level and in full → no k has acc > 0.
    const X = matrixFromRows([[1, 0], [1, 0], [0, 1]]);
    const res = dimsNeededPaper(X, createTriplets([[0, 2, 1]]), { similarity: false });
    expect(res.fullAccuracy).toBe(0);
    expect(res.accuracyDims.min).toBeNull();
    expect(() => dimsNeededPaper(X, createTriplets([]))).toThrow(InvalidArgumentError);
    expect(() => dimsNeededPaper(X, createTriplets([[0, 1, 3]]))).toThrow(InvalidArgumentError);
    expect(() => dimsNeededPaper(X, createTriplets([[0, 1, 2]]), { cutoffs: [0.99, 0.95] })).toThrow(/cutoffs/);
    expect(() => dimsNeededPaper(X, createTriplets([[0, 1, 2]]), { seed: -1 })).toThrow(/seed/);
  });
});
