import { join } from 'node:path';
import { dataDirForTests, InvalidArgumentError, loadThingsDirectory, readNpyMatrix, ShapeError } from '@conceptlab/core';
import { expectClose } from '../../../test-support/expect-close.js';
import { authorsPort } from '../test/authors-port-fixture.js';
import { shuffledLabelChance, SHUFFLED_LABEL_CHANCE_METHOD } from './category-chance.js';
import { classificationSet, nearestCentroidLoo } from './category-classification.js';

describe('shuffledLabelChance (authors-procedures item 3)', () => {
  test('hand-computed: 3 objects, labels 0 1 2 predicted 0 1 2 → a uniform shuffle has 1 fixed point on average', () => {
    // the 6 permutations of 3 have 3, 1, 1, 1, 0, 0 fixed points: expected accuracy 6/(6·3) = 1/3
    const c = shuffledLabelChance([0, 1, 2], [0, 1, 2], { permutations: 6000, seed: 4 });
    expect(c.method).toBe(SHUFFLED_LABEL_CHANCE_METHOD);
    expectClose(c.expected, 1 / 3, { abs: 1e-15 });
    // one shuffle scores 1 (p 1/6), 1/3 (p 1/2) or 0 (p 1/3): E[a²] = 1/6 + 1/18 = 2/9, var = 2/9 − 1/9 = 1/9, SD 1/3
    expectClose(c.sd, 1 / 3, { abs: 0.02 });
    expect(Math.abs(c.mean - 1 / 3)).toBeLessThan(4 * (1 / 3) / Math.sqrt(6000));
    expect(c.lower).toBe(0);
    expect(c.upper).toBe(1);
    expect(c.halfWidth).toBe(0.5);
  });

  test('hand-computed expectation Σ n_c m_c / N²; a constant prediction gives the same accuracy every shuffle', () => {
    // labels: 3 of class 0, 1 of class 1; predicted: all 0 → every shuffle scores 3/4
    const c = shuffledLabelChance([0, 0, 0, 0], [0, 0, 1, 0], { permutations: 50, seed: 1 });
    expect(c.mean).toBe(0.75);
    expect(c.expected).toBe(0.75);
    expect([c.lower, c.upper, c.sd]).toEqual([0.75, 0.75, 0]);
    // labels 0 0 1 1, predicted 1 1 1 0: n = (2, 2), m = (1, 3) → (2·1 + 2·3)/16 = 0.5
    expect(shuffledLabelChance([1, 1, 1, 0], [0, 0, 1, 1]).expected).toBe(0.5);
  });

  test('seeded: bit-reproducible, and another seed gives other shuffles', () => {
    const pred = Array.from({ length: 200 }, (_, i) => (i * 7) % 5), lab = Array.from({ length: 200 }, (_, i) => i % 5);
    expect(shuffledLabelChance(pred, lab, { seed: 3 })).toEqual(shuffledLabelChance(pred, lab, { seed: 3 }));
    expect(shuffledLabelChance(pred, lab, { seed: 3 }).mean).not.toBe(shuffledLabelChance(pred, lab, { seed: 4 }).mean);
  });

  test('bad input is a typed error', () => {
    expect(() => shuffledLabelChance([0, 1], [0])).toThrow(ShapeError);
    expect(() => shuffledLabelChance([], [])).toThrow(InvalidArgumentError);
    expect(() => shuffledLabelChance([0], [0], { permutations: 0 })).toThrow(InvalidArgumentError);
    expect(() => shuffledLabelChance([0.5], [0])).toThrow(InvalidArgumentError);
  });
});

const data = dataDirForTests(__dirname, 'the authors\' chance level on the THINGS human embedding');
(data ? test : test.skip)('THINGS VICE42, 18 categories: set, predictions and accuracy equal the numpy port; chance within its permutation spread', () => {
  const port = authorsPort.thingsCategories!;
  const things = loadThingsDirectory(join(data!, 'things'));
  const x = readNpyMatrix(join(data!, 'things', 'human_embedding_vice42.npy'));
  const s = classificationSet(things.categories!);
  expect(s.rule).toBe('paper');
  expect(s.names).toEqual(port.categories);
  expect(s.droppedSmall).toEqual(port.droppedSmall); // kitchen appliance 4, kitchen tool 7
  expect(Array.from(s.objects, (o) => o + 1)).toEqual(port.objects);
  expect(Array.from(s.labels, (l) => l + 1)).toEqual(port.labels);
  const r = nearestCentroidLoo(x, s.objects, s.labels, s.names.length);
  expect(Array.from(r.predicted, (l) => l + 1)).toEqual(port.predicted);
  expectClose(100 * r.accuracy, port.accuracy, { abs: 1e-9 });
  const c = shuffledLabelChance(r.predicted, s.labels, { permutations: 1000, seed: 0 });
  expectClose(100 * c.expected, port.chanceExpected, { abs: 1e-9 }); // exact, from the same predictions
  // the port's 1,000 numpy shuffles: mean 10.17%, SD 0.87 → two means of 1,000 differ by < 4·SD·√(2/1000)
  expect(Math.abs(100 * c.mean - port.chanceMean)).toBeLessThan(4 * port.chanceSd * Math.sqrt(2 / 1000));
  expect(Math.abs(100 * c.lower - port.chanceLower)).toBeLessThan(0.6);
  expect(Math.abs(100 * c.upper - port.chanceUpper)).toBeLessThan(0.6);
  expectClose(100 * c.sd, port.chanceSd, { rel: 0.15 });
  // eslint-disable-next-line no-console
  console.log(`THINGS VICE42: accuracy ${(100 * r.accuracy).toFixed(2)}%, authors' chance ${(100 * c.mean).toFixed(2)}% [${(100 * c.lower).toFixed(2)}, ${(100 * c.upper).toFixed(2)}] (seed 0; port ${port.chanceMean.toFixed(2)}% [${port.chanceLower.toFixed(2)}, ${port.chanceUpper.toFixed(2)}])`);
});
