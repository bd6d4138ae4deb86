import { createRng, createTriplets, InvalidArgumentError, matrixFromRows, ShapeError, toFloat32Matrix } from '@conceptlab/core';
import { fingerprint } from '../test/helpers.js';
import { answerByEmbedding } from './answer-by-embedding.js';
import { choiceProbabilities } from './choice-probabilities.js';
import { sampleUniform } from './sample-uniform.js';

/** Objects 0..4 near (1, 0), objects 5..9 near (0, 1). */
function twoClusters() {
  const rng = createRng(3);
  const rows: number[][] = [];
  for (let i = 0; i < 10; i++) {
    const j = () => 0.05 * (rng.nextFloat() - 0.5);
    rows.push(i < 5 ? [1 + j(), j()] : [j(), 1 + j()]);
  }
  return matrixFromRows(rows);
}

describe('answerByEmbedding', () => {
  it('with argmax, the object from the other cluster is the odd one out; the pair keeps its presentation order', () => {
    const E = twoClusters();
    const sets = createTriplets([[0, 1, 7], [8, 2, 9], [3, 5, 4], [6, 0, 5]]);
    const a = answerByEmbedding(sets, E, { seed: 1, argmax: true });
    expect(Array.from(a.data)).toEqual([0, 1, 7, 8, 9, 2, 3, 4, 5, 6, 5, 0]);
    expect(answerByEmbedding(sets, toFloat32Matrix(E), { seed: 1, argmax: true }).data).toEqual(a.data);
  });

  it('samples pairs at the choiceProbabilities rates (within 4.5 binomial SDs)', () => {
    const E = matrixFromRows([[1, 0.5], [0.8, 0.3], [-0.2, 1.1]]);
    const N = 30000;
    for (const T of [1, 0.5]) {
      const sets = createTriplets(new Int32Array(N * 3).map((_, i) => [2, 0, 1][i % 3])); // presented (2, 0, 1)
      const a = answerByEmbedding(sets, E, { seed: 9, temperature: T });
      const [p20, p21, p01] = choiceProbabilities(E, 2, 0, 1, T);
      const odd = [0, 0, 0];
      for (let r = 0; r < N; r++) odd[a.data[3 * r + 2]]++;
      // Pair 20 kept ⇔ 1 odd; pair 21 ⇔ 0 odd; pair 01 ⇔ 2 odd.
      for (const [obs, p] of [[odd[1], p20], [odd[0], p21], [odd[2], p01]]) {
        expect(Math.abs(obs - N * p)).toBeLessThan(4.5 * Math.sqrt(N * p * (1 - p)));
      }
      // Answered rows keep the presentation order of the pair.
      for (let r = 0; r < 50; r++) {
        const row = Array.from(a.data.subarray(3 * r, 3 * r + 3)).join(' ');
        expect(['2 0 1', '2 1 0', '0 1 2']).toContain(row);
      }
    }
  });

  it('breaks exact ties at random, reproducibly', () => {
    const E = matrixFromRows([[1, 0], [1, 0], [1, 0]]); // all similarities 1
    const sets = createTriplets(new Int32Array(3000 * 3).map((_, i) => i % 3));
    const a = answerByEmbedding(sets, E, { seed: 4, argmax: true });
    const odd = [0, 0, 0];
    for (let r = 0; r < 3000; r++) odd[a.data[3 * r + 2]]++;
    for (const c of odd) expect(Math.abs(c - 1000)).toBeLessThan(150);
    expect(answerByEmbedding(sets, E, { seed: 4, argmax: true }).data).toEqual(a.data);
  });

  it('is reproducible and pinned', () => {
    const rng = createRng(5);
    const E = matrixFromRows(Array.from({ length: 50 }, () => [rng.nextNormal(), rng.nextNormal(), rng.nextNormal()]));
    const sets = sampleUniform({ nObjects: 50, count: 500, seed: 6 });
    const a = answerByEmbedding(sets, E, { seed: 42, temperature: 0.7 });
    expect(answerByEmbedding(sets, E, { seed: 42, temperature: 0.7 }).data).toEqual(a.data);
    expect(fingerprint(a.data)).toBe(PINNED_HASH);
  });

  it('names the row of an object without an embedding row', () => {
    const E = matrixFromRows([[1], [2], [3]]);
    const sets = createTriplets([[0, 1, 2], [0, 1, 3]]);
    expect(() => answerByEmbedding(sets, E, { seed: 1 })).toThrow(ShapeError);
    expect(() => answerByEmbedding(sets, E, { seed: 1 })).toThrow(/sets row 2 \(line 2\): object 3 has no row in the embedding \(3 rows\)/);
    expect(() => answerByEmbedding(createTriplets([[0, 0, 1]]), E, { seed: 1 })).toThrow(InvalidArgumentError);
    expect(() => answerByEmbedding(createTriplets([[0, 1, 2]]), E, { seed: 1, temperature: -1 })).toThrow(/temperature/);
    const bad = matrixFromRows([[1], [Number.NaN], [3]]);
    expect(() => answerByEmbedding(createTriplets([[0, 1, 2]]), bad, { seed: 1 })).toThrow(/row 1 \(line 1\): expected finite similarities/);
  });
});

const PINNED_HASH = '7d2c6438';
