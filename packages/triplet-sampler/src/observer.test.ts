import { createRng, createTriplets, InvalidArgumentError, matrixFromRows, ShapeError } from '@conceptlab/core';
import { answerByEmbedding, embeddingObserver } from './answer-by-embedding.js';
import { answerByFeatures, featureObserver } from './answer-by-features.js';
import { choiceProbabilities } from './choice-probabilities.js';
import { answerByObserver, oddOneOut, type Observer } from './observer.js';
import { sampleUniform } from './sample-uniform.js';

function randomMatrix(rows: number, cols: number, seed: number) {
  const rng = createRng(seed);
  return matrixFromRows(Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.nextNormal())));
}

describe('oddOneOut (the one choice rule)', () => {
  it('without a temperature: the object outside the most similar pair; exact ties by the rng, every way', () => {
    expect(oddOneOut(3, 1, 0, createRng(0))).toBe(2); // ab kept
    expect(oddOneOut(1, 3, 0, createRng(0))).toBe(1); // ac kept
    expect(oddOneOut(0, 1, 3, createRng(0))).toBe(0); // bc kept
    const seen = new Set<number>();
    for (let s = 0; s < 60; s++) seen.add(oddOneOut(1, 1, 1, createRng(s)));
    expect([...seen].sort()).toEqual([0, 1, 2]);
    const two = new Set<number>();
    for (let s = 0; s < 60; s++) two.add(oddOneOut(1, 1, 0, createRng(s)));
    expect([...two].sort()).toEqual([1, 2]);
  });

  it('with a temperature: frequencies follow the softmax over the pairs (within 4 binomial SDs over 20,000 draws)', () => {
    const E = matrixFromRows([[1.2, 0.3], [0.8, 0.9], [0.2, 1.4]]);
    const T = 0.7;
    const [pab, pac, pbc] = choiceProbabilities(E, 0, 1, 2, T);
    const expected = [pbc, pac, pab]; // odd one out 0 ⇔ pair bc kept, …
    const dot = (a: number, b: number) => E.data[2 * a] * E.data[2 * b] + E.data[2 * a + 1] * E.data[2 * b + 1];
    const rng = createRng(9);
    const counts = [0, 0, 0];
    const n = 20_000;
    for (let i = 0; i < n; i++) counts[oddOneOut(dot(0, 1), dot(0, 2), dot(1, 2), rng, T)]++;
    for (let k = 0; k < 3; k++) {
      const sd = Math.sqrt(n * expected[k] * (1 - expected[k]));
      expect(Math.abs(counts[k] - n * expected[k])).toBeLessThan(4 * sd);
    }
  });
});

describe('Observer', () => {
  it('answerByEmbedding is answerByObserver with embeddingObserver, bit for bit (sampling and argmax)', () => {
    const E = randomMatrix(40, 5, 4);
    const sets = sampleUniform({ nObjects: 40, count: 400, seed: 8 });
    for (const o of [{ temperature: 0.6 }, { argmax: true }, {}]) {
      expect(answerByObserver(sets, embeddingObserver(E, o), { seed: 21 }).data).toEqual(answerByEmbedding(sets, E, { seed: 21, ...o }).data);
    }
    expect(embeddingObserver(E, { argmax: true }).name).toBe('sim(argmax)');
    expect(embeddingObserver(E).name).toBe('sim(T=1)');
  });

  it('answerByFeatures is answerByObserver with featureObserver, bit for bit', () => {
    const F = randomMatrix(30, 6, 5);
    const sets = sampleUniform({ nObjects: 30, count: 300, seed: 9 });
    expect(answerByObserver(sets, featureObserver(F), { seed: 3 }).data).toEqual(answerByFeatures(sets, F, { seed: 3 }).data);
  });

  it('any Observer answers triplets: the kept pair in presentation order, then the odd one out', () => {
    const lastIsOdd: Observer = { name: 'last', objects: 4, choose: () => 2 };
    expect(Array.from(answerByObserver(createTriplets([[0, 1, 2], [3, 1, 0]]), lastIsOdd, { seed: 1 }).data)).toEqual([0, 1, 2, 3, 1, 0]);
    const firstIsOdd: Observer = { name: 'first', objects: 4, choose: () => 0 };
    expect(Array.from(answerByObserver(createTriplets([[0, 1, 2]]), firstIsOdd, { seed: 1 }).data)).toEqual([1, 2, 0]);
  });

  it('names the row of an object the observer has no row for, or refuses', () => {
    const E = matrixFromRows([[1], [2], [3]]);
    expect(() => answerByObserver(createTriplets([[0, 1, 2], [0, 1, 3]]), embeddingObserver(E), { seed: 1 })).toThrow(ShapeError);
    const bad = matrixFromRows([[1], [Number.NaN], [3]]);
    expect(() => answerByObserver(createTriplets([[0, 1, 2]]), embeddingObserver(bad), { seed: 1 })).toThrow(/sets row 1 \(line 1\): expected finite similarities/);
    expect(() => embeddingObserver(E).choose([0, 1, 5], createRng(0))).toThrow(InvalidArgumentError);
    expect(() => featureObserver(matrixFromRows([[0, 0], [1, 0], [0, 1]])).choose([0, 1, 2], createRng(0))).toThrow(/non-zero, finite feature vector for object 0/);
  });
});
