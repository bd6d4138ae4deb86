import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, matrixFromRows, ShapeError, type Triplets } from '@conceptlab/core';
import { expectClose } from '../../../test-support/expect-close.js';
import { accuracyCi, perObjectAccuracy, PAPER_ACCURACY_CI_METHOD, BINOMIAL_ACCURACY_CI_METHOD } from './accuracy-ci.js';
import { evaluateTriplets } from './evaluate.js';

const tripletsOf = (rows: number[][]): Triplets => ({ count: rows.length, data: Int32Array.from(rows.flat()) });

describe('accuracyCi', () => {
  test('hand-computed: per-object accuracy, the paper CI over seen objects, the binomial CI over triplets', () => {
    // correct = (1, 0, 1). Object 0: t0, t1 → 1/2; 1: all → 2/3; 2: t0, t2 → 1; 3: t1, t2 → 1/2; 4: unseen.
    // SD(1/2, 2/3, 1, 1/2) = √((1/36 + 0 + 4/36 + 1/36)/3) = √(1/18); half = 1.96·√(1/18)/√4.
    const t = tripletsOf([[0, 1, 2], [0, 1, 3], [1, 2, 3]]);
    const correct = Uint8Array.of(1, 0, 1);
    const per = perObjectAccuracy(t, correct, 5);
    expectClose(per, [0.5, 2 / 3, 1, 0.5, NaN], { abs: 1e-15 });
    const ci = accuracyCi(t, correct, 5);
    expectClose(ci.accuracy, 2 / 3, { abs: 1e-15 });
    expect(ci.paper.method).toBe(PAPER_ACCURACY_CI_METHOD);
    expect([ci.paper.objectsSeen, ci.paper.objectsUnseen]).toEqual([4, 1]);
    expectClose(ci.paper.perObjectSd, Math.sqrt(1 / 18), { abs: 1e-15 });
    expectClose(ci.paper.halfWidth, (1.96 * Math.sqrt(1 / 18)) / 2, { abs: 1e-15 });
    expectClose([ci.paper.low, ci.paper.high], [2 / 3 - ci.paper.halfWidth, 2 / 3 + ci.paper.halfWidth], { abs: 1e-15 });
    expect(ci.binomial.method).toBe(BINOMIAL_ACCURACY_CI_METHOD);
    expectClose(ci.binomial.halfWidth, 1.96 * Math.sqrt(2 / 27), { abs: 1e-15 });
    expect(ci.binomial.triplets).toBe(3);
  });

  test('an object repeated inside a triplet counts once for that triplet', () => {
    const per = perObjectAccuracy(tripletsOf([[0, 0, 1], [0, 1, 2]]), [1, 0], 3);
    expectClose(per, [0.5, 0.5, 0], { abs: 0 });
  });

  test('numpy port of the authors\' figure 2h (reference/evaluate_accuracy_port.json): accuracy, per-object accuracy, both CIs to 1e-12', () => {
    const port = JSON.parse(readFileSync(join(__dirname, '..', 'reference', 'evaluate_accuracy_port.json'), 'utf8'));
    const emb = matrixFromRows(port.embedding as number[][]);
    const t = tripletsOf(port.triplets as number[][]);
    const e = evaluateTriplets(emb, t);
    expect(Array.from(e.predicted)).toEqual(port.predicted);
    const per = perObjectAccuracy(t, e.correct, 14);
    expectClose(per, (port.perObject as (number | null)[]).map((v) => (v === null ? NaN : v)), { abs: 1e-12 });
    const ci = accuracyCi(t, e.correct, 14);
    expectClose(ci.accuracy, port.accuracy, { abs: 1e-12 });
    expect(ci.paper.objectsSeen).toBe(port.objectsSeen);
    expect(ci.paper.objectsUnseen).toBe(2);
    expectClose(ci.paper.perObjectSd, port.perObjectSd, { abs: 1e-12 });
    expectClose(ci.paper.halfWidth, port.paperHalfWidth, { abs: 1e-12 });
    expectClose(ci.binomial.halfWidth, port.binomialHalfWidth, { abs: 1e-12 });
  });

  test('rejects what it cannot report without NaN', () => {
    expect(() => accuracyCi(tripletsOf([]), [], 3)).toThrow(InvalidArgumentError);
    expect(() => accuracyCi(tripletsOf([[1, 1, 1]]), [1], 3)).toThrow(/at least 2 distinct objects/);
    expect(() => accuracyCi(tripletsOf([[0, 1, 2]]), [1, 0], 3)).toThrow(ShapeError);
    expect(() => accuracyCi(tripletsOf([[0, 1, 5]]), [1], 3)).toThrow(ShapeError);
  });
});
