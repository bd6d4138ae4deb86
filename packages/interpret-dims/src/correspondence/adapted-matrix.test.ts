import { join } from 'node:path';
import { dataDirForTests, InvalidArgumentError, readNpyMatrix, ShapeError, type Matrix } from '@conceptlab/core';
import { expectClose } from '../../../../test-support/expect-close.js';
import { authorsPort, matrixOf } from '../../test/authors-port-fixture.js';
import { adaptedCorrespondenceMatrix, checkCorrespondenceInputs } from './adapted-matrix.js';
import { paperMatches } from './paper-matches.js';

const cols = (...c: number[][]): Matrix<Float64Array> => matrixOf(c[0].map((_, i) => c.map((v) => v[i])));
// Over 4 objects, permutations of 1..4 correlate in multiples of 0.2: r(a0, a1) = 0.8, r(a0, a2) = −1, r(a1, a2) = −0.8.
const a0 = [1, 2, 3, 4], a1 = [1, 3, 2, 4], a2 = [4, 3, 2, 1];

describe('adaptedCorrespondenceMatrix + paperMatches (authors-procedures item 1)', () => {
  test('hand-computed: a duplicated best match goes last and, with more model dims, is dropped', () => {
    // model = [a1, a1, a0]: C = [[0.8, 0.8, 1], [1, 1, 0.8]]; ii = [1, dup, 0]; si = [2, 0, 1]; 2 positions kept
    const m = adaptedCorrespondenceMatrix(cols(a0, a1), cols(a1, a1, a0));
    expectClose(m.corr.flat(), [0.8, 0.8, 1, 1, 1, 0.8], { abs: 1e-12 });
    expect(m.firstMatch).toEqual([1, null, 0]);
    expect(m.si).toEqual([2, 0, 1]);
    expect(m.positions).toBe(2);
    expect(m.droppedModelDims).toEqual([1]);
    expect(m.unequalDimsRule).toMatch(/first min/);
    // C(:, si)(:, 1:2) = [[1, 0.8], [0.8, 1]] minus corr(A) − I = [[0, 0.8], [0.8, 0]]
    expectClose(m.adapted.flat(), [1, 0, 0, 1], { abs: 1e-12 });
    const p = paperMatches(m);
    expect(p.matches.map((x) => [x.a, x.position, x.b])).toEqual([[0, 0, 2], [1, 1, 0]]);
    expectClose(p.diagonalSortedDescending, [1, 1], { abs: 1e-12 });
  });

  test('hand-computed: an unmatched reference dim shifts the position-wise subtraction (the quirk kept)', () => {
    // reference [a0, a1, a2], model [a2, a0]: C = [[−1, 1], [−0.8, 0.8], [1, −1]], ii = [2, 0], si = [1, 0]
    const m = adaptedCorrespondenceMatrix(cols(a0, a1, a2), cols(a2, a0));
    expect(m.si).toEqual([1, 0]);
    // C(:, si) = [[1, −1], [0.8, −0.8], [−1, 1]]; (corr(A) − I)(:, 1:2) = [[0, 0.8], [0.8, 0], [−1, −0.8]]
    // position 1 holds model dim 0 (matched reference 2) but subtracts corr(·, reference 1): 1 − (−0.8) = 1.8
    expectClose(m.adapted.flat(), [1, -1.8, 0, -0.8, 0, 1.8], { abs: 1e-12 });
    const p = paperMatches(m);
    expect(p.matches.map((x) => [x.a, x.position, x.b])).toEqual([[0, 0, 1], [2, 1, 0]]);
    expectClose(p.matches.map((x) => x.value), [1, 1.8], { abs: 1e-12 });
  });

  test('hand-computed: threshold 0.4 is inclusive and ties keep the lower position (stable sort)', () => {
    const m = { corr: [], firstMatch: [], si: [3, 1, 0, 2], positions: 4, droppedModelDims: [], unequalDimsRule: null, adapted: [[0.5, 0.7, 0.7, 0.7], [0.4, 0.39, 0.2, 0.9], [0, 0, 0, 0], [0.6, 0.6, 0.6, 0.6]] };
    const p = paperMatches(m);
    expect(p.adapted).toEqual([[0, 0.7, 0.7, 0], [0.4, 0, 0, 0.9], [0, 0, 0, 0], [0.6, 0.6, 0, 0]]);
    expect(p.matches.map((x) => x.b)).toEqual([1, 0, 3, 2, 3, 1]);
    expect(p.diagonalSortedDescending).toEqual([0, 0, 0, 0]); // every diagonal entry fell below 0.4 or out of the top 2
    expect(() => paperMatches(m, { maxPerRow: 0 })).toThrow(InvalidArgumentError);
  });

  test.each(Object.keys(authorsPort.correspondence))('equals the numpy port of the authors\' script: %s', (name) => {
    const c = authorsPort.correspondence[name];
    const m = adaptedCorrespondenceMatrix(matrixOf(c.reference), matrixOf(c.model));
    const ref = c.paper;
    expectClose(m.corr.flat(), ref.corr.flat(), { abs: 1e-9 });
    expect(m.firstMatch).toEqual(ref.ii.map((v) => (v === null ? null : v - 1)));
    expect(m.si).toEqual(ref.si.map((v) => v - 1));
    expectClose(m.adapted.flat(), ref.adaptedRaw.flat(), { abs: 1e-9 });
    const p = paperMatches(m);
    expectClose(p.adapted.flat(), ref.adapted.flat(), { abs: 1e-9 });
    expect(p.matches.map((x) => [x.a + 1, x.position + 1, x.b + 1])).toEqual(ref.matches.map((x) => [x.a, x.position, x.b]));
    expectClose(p.matches.map((x) => x.value), ref.matches.map((x) => x.value), { abs: 1e-9 });
    expectClose(p.diagonalSortedDescending, ref.diagSortedDescending, { abs: 1e-9 });
  });

  test('bad input: different objects → ShapeError; a constant or non-finite dim → InvalidArgumentError', () => {
    expect(() => adaptedCorrespondenceMatrix(cols(a0, a1), matrixOf([[1], [2], [3]]))).toThrow(ShapeError);
    expect(() => adaptedCorrespondenceMatrix(cols(a0, a1), cols(a0, [2, 2, 2, 2]))).toThrow(InvalidArgumentError);
    expect(() => adaptedCorrespondenceMatrix(cols(a0, [1, NaN, 3, 4]), cols(a0))).toThrow(InvalidArgumentError);
  });

  test('checkCorrespondenceInputs names the embeddings it was given (e.g. their files) and the constant dim, 0-based', () => {
    expect(() => checkCorrespondenceInputs(cols(a0, a1), cols(a0, [2, 2, 2, 2]), ['ref.npy', 'model.npy'])).toThrow(
      'model.npy dimension 1 (0-based): expected a dimension that varies over objects (a constant one has no correlation), got "a constant column"',
    );
    expect(() => checkCorrespondenceInputs(matrixOf([[1], [2]]), matrixOf([[1], [2]]), ['ref.npy', 'model.npy'])).toThrow('ref.npy: expected at least 3 objects for a correlation, got 2');
    expect(() => checkCorrespondenceInputs(cols(a0, a1), cols(a0, a1))).not.toThrow();
  });
});

const data = dataDirForTests(__dirname, 'the authors\' correspondence on VICE42-derived embeddings');
(data ? test : test.skip)('THINGS VICE42 vs derived models (42 and 36 dims): equal to the numpy port', () => {
  const port = authorsPort.thingsCorrespondence!;
  const H = readNpyMatrix(join(data!, 'things', 'human_embedding_vice42.npy'));
  const derive = (p: number[], q: number[]): Matrix<Float64Array> => {
    const out = new Float64Array(H.rows * p.length);
    for (let i = 0; i < H.rows; i++) for (let j = 0; j < p.length; j++) out[i * p.length + j] = H.data[i * H.cols + p[j]] + 0.5 * H.data[i * H.cols + q[j]];
    return { rows: H.rows, cols: p.length, data: out };
  };
  const Hd: Matrix<Float64Array> = { rows: H.rows, cols: H.cols, data: Float64Array.from(H.data) };
  for (const [model, ref] of [[derive(port.p, port.q), port.M1], [derive(port.p2, port.q2), port.M2]] as const) {
    const m = adaptedCorrespondenceMatrix(Hd, model);
    expect(m.firstMatch).toEqual(ref.ii.map((v) => (v === null ? null : v - 1)));
    expect(m.si).toEqual(ref.si.map((v) => v - 1));
    const p = paperMatches(m);
    expectClose(p.adapted.flat(), ref.adapted.flat(), { abs: 1e-9 });
    expect(p.matches.map((x) => [x.a + 1, x.position + 1, x.b + 1])).toEqual(ref.matches.map((x) => [x.a, x.position, x.b]));
  }
});
