import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conceptPrompt, createRng, InvalidArgumentError, matrixFromRows, ShapeError, writeNpyMatrix, type Concept } from '@conceptlab/core';
import { choiceProbabilities } from '@conceptlab/triplet-sampler';
import { oddOneOut } from '@conceptlab/triplet-sampler';
import { simObserver } from './observer.js';
import { parseObserverSpec } from './observer-spec.js';
import { startServer } from './server.js';

// Three clusters of three: rows 0–2 animals, 3–5 tools, 6–8 fruit.
const clusters = matrixFromRows([
  [1, 0, 0], [0.9, 0.1, 0], [0.95, 0, 0.05],
  [0, 1, 0], [0.1, 0.9, 0], [0, 0.95, 0.05],
  [0, 0, 1], [0.05, 0, 0.9], [0, 0.1, 0.95],
]);

describe('simObserver', () => {
  test('argmax: the object outside the most similar pair, in every presentation order', () => {
    const obs = simObserver(clusters, { argmax: true });
    const rng = createRng(1);
    expect(obs.choose([0, 1, 4], rng)).toBe(2);
    expect(obs.choose([0, 4, 1], rng)).toBe(1);
    expect(obs.choose([4, 0, 1], rng)).toBe(0);
    expect(obs.choose([7, 3, 8], rng)).toBe(1);
    expect(obs.name).toBe('sim(argmax)');
    expect(obs.objects).toBe(9);
  });

  test('argmax: exact ties are broken by the rng, both ways', () => {
    const tie = matrixFromRows([[1, 0], [1, 0], [1, 0]]);
    const obs = simObserver(tie, { argmax: true });
    const seen = new Set<number>();
    for (let s = 0; s < 60; s++) seen.add(obs.choose([0, 1, 2], createRng(s)));
    expect([...seen].sort()).toEqual([0, 1, 2]);
    expect(oddOneOut(1, 1, 0, createRng(0))).toBeGreaterThan(0); // pair ab or ac kept: c or b is the odd one out
  });

  test('sampling follows the SPoSE choice rule (frequencies within 4 binomial SDs over 20,000 draws)', () => {
    const emb = matrixFromRows([[1.2, 0.3], [0.8, 0.9], [0.2, 1.4]]);
    const T = 0.7;
    const [pab, pac, pbc] = choiceProbabilities(emb, 0, 1, 2, T);
    const expected = [pbc, pac, pab]; // odd one out 0 ⇔ pair bc kept, …
    const obs = simObserver(emb, { temperature: T });
    const counts = [0, 0, 0];
    const rng = createRng(9);
    const n = 20_000;
    for (let i = 0; i < n; i++) counts[obs.choose([0, 1, 2], rng)]++;
    for (let k = 0; k < 3; k++) {
      const sd = Math.sqrt(n * expected[k] * (1 - expected[k]));
      expect(Math.abs(counts[k] - n * expected[k])).toBeLessThan(4 * sd);
    }
  });

  test('bad input is refused', () => {
    expect(() => simObserver(clusters, { temperature: 0 })).toThrow(InvalidArgumentError);
    expect(() => simObserver(matrixFromRows([[1, NaN], [0, 1], [1, 1]]))).toThrow(/finite values/);
    expect(() => simObserver(clusters).choose([0, 1, 9], createRng(0))).toThrow(InvalidArgumentError);
  });
});

describe('parseObserverSpec', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conceptlab-observer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const concepts: Concept[] = Array.from({ length: 9 }, (_, i) => ({ index: i, id: `o${i}`, word: `o${i}`, definition: 'x', prompt: conceptPrompt(`o${i}`, 'x') }));

  test('sim:FILE.npy reads the embedding and passes temperature and argmax', () => {
    const file = join(dir, 'emb.npy');
    writeNpyMatrix(file, clusters);
    const obs = parseObserverSpec(`sim:${file}`, { concepts, source: 'test' }, { argmax: true });
    expect(obs.name).toBe('sim(argmax)');
    expect(obs.choose([3, 0, 1], createRng(0))).toBe(0);
    expect(parseObserverSpec(`sim:${file}`, concepts, { temperature: 2 }).name).toBe('sim(T=2)');
  });

  test('an embedding without a row per concept, or an unknown spec, is refused', () => {
    const file = join(dir, 'short.npy');
    writeNpyMatrix(file, matrixFromRows([[1], [2], [3]]));
    expect(() => parseObserverSpec(`sim:${file}`, concepts)).toThrow(ShapeError);
    expect(() => parseObserverSpec('gpt-4', concepts)).toThrow(/'sim:FILE.npy', 'word-vectors'/);
    expect(() => parseObserverSpec('sim:', concepts)).toThrow(InvalidArgumentError);
  });

  test('startServer refuses an observer that does not cover the concepts, and any host but 127.0.0.1', async () => {
    const tooSmall = simObserver(matrixFromRows([[1], [2], [3]]));
    await expect(startServer({ concepts: { concepts, source: 't' }, observer: tooSmall })).rejects.toThrow(ShapeError);
    const obs = simObserver(clusters);
    await expect(startServer({ concepts: { concepts, source: 't' }, observer: obs, host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(InvalidArgumentError);
  });
});
