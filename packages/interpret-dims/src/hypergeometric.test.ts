import { InvalidArgumentError } from '@conceptlab/core';
import { expectClose } from '../../../test-support/expect-close.js';
import { hypergeometricSf } from './hypergeometric.js';

describe('hypergeometricSf', () => {
  test('hand-computed: 2 draws from 4 items, 2 marked', () => {
    // P(X = 2) = C(2,2)C(2,0)/C(4,2) = 1/6; P(X ≥ 1) = 1 − C(2,2)/C(4,2) = 5/6
    expect(hypergeometricSf(2, 4, 2, 2)).toBeCloseTo(1 / 6, 14);
    expect(hypergeometricSf(1, 4, 2, 2)).toBeCloseTo(5 / 6, 14);
    expect(hypergeometricSf(3, 4, 2, 2)).toBe(0);
  });

  test('equals scipy.stats.hypergeom.sf(k − 1, N, K, n)', () => {
    // reference/references.py: hyper
    const cases: [number, number, number, number, number][] = [
      [3, 50, 10, 6, 0.08556514187543658],
      [6, 1854, 155, 6, 3.1211486583375727e-7],
      [1, 1854, 4, 20, 0.04249057020511468],
      [10, 1854, 256, 20, 0.0001100616100270784],
      [0, 10, 3, 4, 1.0],
      [20, 1854, 34, 20, 1.6301422562804981e-38],
    ];
    for (const [k, N, K, n, want] of cases) {
      expectClose(hypergeometricSf(k, N, K, n), want, { rel: 1e-9 });
    }
  });

  test('bad counts are typed errors', () => {
    expect(() => hypergeometricSf(1, 5, 6, 2)).toThrow(InvalidArgumentError);
    expect(() => hypergeometricSf(-1, 5, 2, 2)).toThrow(InvalidArgumentError);
  });
});
