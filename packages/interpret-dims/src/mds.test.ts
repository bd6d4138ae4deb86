import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { classicalMds, smacof, stress } from './mds.js';
import { euclideanDistances, smallEmbedding } from '../test/fixtures.js';

describe('classicalMds', () => {
  test('recovers a planar configuration exactly (distances preserved)', () => {
    const pts = { rows: 5, cols: 2, data: Float64Array.from([0, 0, 3, 0, 0, 4, 1, 1, -2, 1]) };
    const d = euclideanDistances(pts);
    const y = classicalMds(d, 2);
    expect(stress(d, y)).toBeLessThan(1e-18);
  });

  test('equals numpy eigh-based classical MDS on the 4-D fixture', () => {
    // reference/references.py: cmds_first3 (sign: largest-|value| entry positive)
    const y = classicalMds(euclideanDistances(smallEmbedding()), 2);
    const want = [[-0.46870647902881346, -0.5651411875593544], [1.043802830745246, -0.027444585273805777], [0.3271562929814082, 0.3569972276287557]];
    for (let i = 0; i < 3; i++) for (let c = 0; c < 2; c++) expect(y.data[i * 2 + c]).toBeCloseTo(want[i][c], 8);
  });

  test('bad input', () => {
    expect(() => classicalMds({ rows: 2, cols: 3, data: new Float64Array(6) })).toThrow(ShapeError);
    expect(() => classicalMds({ rows: 2, cols: 2, data: Float64Array.of(0, 1, 2, 0) })).toThrow(InvalidArgumentError);
  });
});

describe('smacof', () => {
  test('never increases stress and improves on classical MDS for non-Euclidean-2D data', () => {
    const d = euclideanDistances(smallEmbedding());
    const init = classicalMds(d, 2);
    const s0 = stress(d, init);
    const one = smacof(d, init, { maxIter: 1 });
    const many = smacof(d, init, { maxIter: 300 });
    expect(one.stress).toBeLessThanOrEqual(s0 + 1e-12);
    expect(many.stress).toBeLessThanOrEqual(one.stress + 1e-12);
    expect(many.stress).toBeLessThan(s0);
    expect(many.stress).toBeCloseTo(stress(d, many.coordinates), 10);
  });
});
