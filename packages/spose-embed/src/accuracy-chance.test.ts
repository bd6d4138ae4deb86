import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@conceptlab/core';
import { expectClose } from '../../../test-support/expect-close.js';
import { accuracyChance, ACCURACY_CHANCE_METHOD } from './accuracy-chance.js';

describe('accuracyChance', () => {
  test('one triplet: each draw scores 0 or 1 (P = 1/3) → prctile 2.5 = 0, 97.5 = 1, mean ≈ 1/3', () => {
    const c = accuracyChance([0], { seed: 1 });
    expect(c.method).toBe(ACCURACY_CHANCE_METHOD);
    expect(c.draws).toBe(1000);
    expect([c.low, c.high]).toEqual([0, 1]);
    // SE of the mean of 1000 Bernoulli(1/3): √(2/9/1000) ≈ 0.0149; 5 SE.
    expectClose(c.mean, 1 / 3, { abs: 5 * Math.sqrt(2 / 9 / 1000) });
  });

  test('numpy port (reference/evaluate_accuracy_port.json): mean and percentiles within Monte-Carlo spread', () => {
    const port = JSON.parse(readFileSync(join(__dirname, '..', 'reference', 'evaluate_accuracy_port.json'), 'utf8'));
    const N = port.predicted.length as number;
    const c = accuracyChance(port.predicted as number[], { seed: 7 });
    // Each draw's accuracy has SD σ = √(2/9/N); the means of 1000 draws differ by about √2·σ/√1000 (5× allowed);
    // the 2.5/97.5 percentiles by about the percentile's SE ≈ 2.5σ/√1000·… — allow one σ plus a 1/N step.
    const sigma = Math.sqrt(2 / 9 / N);
    expectClose(c.mean, port.chance.mean, { abs: (5 * Math.SQRT2 * sigma) / Math.sqrt(1000) });
    expectClose(c.low, port.chance.low, { abs: sigma / 2 + 1 / N });
    expectClose(c.high, port.chance.high, { abs: sigma / 2 + 1 / N });
    // Both near the normal approximation 1/3 ± 1.96σ.
    expectClose([c.low, c.high], [1 / 3 - 1.96 * sigma, 1 / 3 + 1.96 * sigma], { abs: sigma / 2 + 1 / N });
  });

  test('bit-reproducible for a seed; rejects bad input', () => {
    expect(accuracyChance([0, 1, 2, 0], { seed: 3 })).toEqual(accuracyChance([0, 1, 2, 0], { seed: 3 }));
    expect(() => accuracyChance([])).toThrow(InvalidArgumentError);
    expect(() => accuracyChance([3])).toThrow(/predicted\[0\]/);
    expect(() => accuracyChance([0], { draws: 0 })).toThrow(/draws/);
  });
});
