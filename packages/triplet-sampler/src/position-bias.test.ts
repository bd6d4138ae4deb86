import { createTriplets, InvalidArgumentError, matrixFromRows, ShapeError } from '@conceptlab/core';
import { answerByEmbedding } from './answer-by-embedding.js';
import { answeredFromPositions } from './answered-from-positions.js';
import { positionBias } from './position-bias.js';
import { sampleUniform } from './sample-uniform.js';

describe('positionBias', () => {
  it('matches the hand computation: counts [6, 3, 3] → χ² = 1.5, p = e^−0.75', () => {
    const presented = createTriplets(Array.from({ length: 12 }, (_, r) => [r, r + 20, r + 40]));
    const positions = Uint8Array.of(0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2);
    const answered = answeredFromPositions(presented, positions);
    const pb = positionBias(answered, presented);
    expect(pb.counts).toEqual([6, 3, 3]);
    expect(pb.rate).toEqual([0.5, 0.25, 0.25]);
    expect(pb.total).toBe(12);
    // E = 4: (4 + 1 + 1) / 4 = 1.5.
    expect(pb.chiSquare).toBeCloseTo(1.5, 14);
    expect(pb.pValue).toBeCloseTo(Math.exp(-0.75), 14);
  });

  it('finds no bias in an observer that ignores position', () => {
    const sets = sampleUniform({ nObjects: 40, count: 6000, seed: 1 });
    const E = matrixFromRows(Array.from({ length: 40 }, (_, i) => [Math.cos(i), Math.sin(i)]));
    const pb = positionBias(answerByEmbedding(sets, E, { seed: 2 }), sets);
    expect(pb.pValue).toBeGreaterThan(0.001);
  });

  it('requires the answered rows to answer the presented sets', () => {
    const presented = createTriplets([[0, 1, 2], [3, 4, 5]]);
    expect(() => positionBias(createTriplets([[0, 1, 2], [3, 4, 6]]), presented)).toThrow(InvalidArgumentError);
    expect(() => positionBias(createTriplets([[0, 1, 2], [3, 4, 6]]), presented)).toThrow(/answered row 2 \(line 2\): expected the presented set 3 4 5/);
    expect(() => positionBias(createTriplets([[0, 1, 2]]), presented)).toThrow(ShapeError);
    expect(positionBias(createTriplets([]), createTriplets([])).chiSquare).toBeNaN();
  });
});
