import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, matrixFromRows, ShapeError } from '@conceptlab/core';
import { expectClose } from '../../../test-support/expect-close.js';
import { mergeRuns, type MergedDim } from './merge.js';

interface PortDim {
  run: number;
  column: number;
  sum: number;
  runR: (number | null)[];
  reproducibility: number;
  ciLow: number | null;
  ciHigh: number | null;
}
interface PortCase {
  name: string;
  references: number[];
  excludeOwnRun: boolean;
  top: number;
  include: number[];
  includeFromTop: number | null;
  candidates: PortDim[];
  selected: number[];
}
/** reference/merge_step2_port.py (numpy port of the authors' step 1 + step 2; command in its header). */
const port = JSON.parse(readFileSync(join(__dirname, '..', 'reference', 'merge_step2_port.json'), 'utf8')) as {
  runs: number[][][];
  threshold: number;
  pooled: number;
  afterPruning: number;
  candidateIds: [number, number][];
  cases: PortCase[];
};
const portRuns = port.runs.map((r) => matrixFromRows(r));
const TOL = { abs: 1e-9 };

function expectSameNullable(actual: number | null, expected: number | null): void {
  if (expected === null) expect(actual).toBeNull();
  else expectClose(actual as number, expected, TOL);
}

describe('mergeRuns against the numpy port of the authors\' step 1 + step 2 (reference/merge_step2_port.json, 1e-9)', () => {
  test.each(port.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const res = mergeRuns(portRuns, {
      threshold: port.threshold,
      top: c.top,
      references: c.references,
      excludeOwnRun: c.excludeOwnRun,
      include: c.include,
      includeFromTop: c.includeFromTop ?? undefined,
    });
    expect(res.pooled).toBe(port.pooled);
    expect(res.afterPruning).toBe(port.afterPruning);
    expect(res.candidates.map((d) => [d.run, d.column])).toEqual(port.candidateIds);
    res.candidates.forEach((d, i) => {
      const e = c.candidates[i];
      expectClose(d.sum, e.sum, TOL);
      expect(d.runR.map((v) => v === null)).toEqual(e.runR.map((v) => v === null));
      d.runR.forEach((v, m) => expectSameNullable(v, e.runR[m]));
      expectClose(d.reproducibility, e.reproducibility, TOL);
      expectSameNullable(d.ciLow, e.ciLow);
      expectSameNullable(d.ciHigh, e.ciHigh);
      expect(d.zInfinite).toBe(e.reproducibility === 1 && e.ciLow === null);
    });
    // The selection: candidates (by position) in the port's order; the include dims appended, not re-sorted.
    const pos = (d: MergedDim) => res.candidates.findIndex((x) => x.run === d.run && x.column === d.column);
    expect(res.dims.map(pos)).toEqual(c.selected);
    expect(res.dims.map((d) => d.selectedBy)).toEqual(c.selected.map((_, i) => (i < c.top ? 'top' : 'include')));
    expect(res.method.reproducibility).toBe(c.excludeOwnRun ? 'own-run-excluded' : 'paper-own-run-included');
    expect(res.method.references).toEqual(c.references);
    // The embedding holds the original weights of the selected dims, in that order.
    const k = res.embedding.cols;
    res.dims.forEach((d, j) => {
      const run = portRuns[d.run];
      for (let i = 0; i < run.rows; i++) expect(res.embedding.data[i * k + j]).toBe(run.data[i * run.cols + d.column]);
    });
  });

  test('top-k really cuts: 17 dims after pruning, 5 kept by reproducibility (own run excluded)', () => {
    const res = mergeRuns(portRuns, { top: 5, excludeOwnRun: true });
    expect(res.afterPruning).toBe(17);
    expect(res.dims).toHaveLength(5);
    // The 5 most reproducible candidates, re-sorted by column sum.
    const byRep = res.candidates.map((d, i) => [d.reproducibility, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 5).map(([, i]) => i).sort((a, b) => a - b);
    expect(res.dims.map((d) => res.candidates.indexOf(res.candidates.find((x) => x.run === d.run && x.column === d.column)!))).toEqual(byRep);
    for (let j = 1; j < 5; j++) expect(res.dims[j].sum).toBeLessThanOrEqual(res.dims[j - 1].sum);
    // Every left-out candidate is less reproducible than every kept one.
    const minKept = Math.min(...res.dims.map((d) => d.reproducibility));
    const left = res.candidates.filter((c) => !res.dims.some((d) => d.run === c.run && d.column === c.column));
    expect(left).toHaveLength(12);
    for (const c of left) expect(c.reproducibility).toBeLessThan(minKept);
  });
});

describe('mergeRuns, hand-computed', () => {
  // Two runs of one dim each over 4 objects: x = (1, 0, 0, 0), y = (1, 1, 0, 0).
  // r(x, y) = Σ(x−x̄)(y−ȳ)/√(Σ(x−x̄)²Σ(y−ȳ)²) = 0.5/√(0.75·1) = 1/√3 ≈ 0.577 > 0.4, so y is pruned.
  const x = matrixFromRows([[1], [0], [0], [0]]);
  const y = matrixFromRows([[1], [1], [0], [0]]);
  const r = 1 / Math.sqrt(3);

  test('paper (default): the own run gives r = 1 exactly → z = +∞ → reproducibility 1, CI not computable (named)', () => {
    const res = mergeRuns([x, y]);
    expect(res.method.reproducibility).toBe('paper-own-run-included');
    expect(res.afterPruning).toBe(1);
    const d = res.candidates[0];
    expect(d.runR[0]).toBe(1);
    expectClose(d.runR[1]!, r, { abs: 1e-15 });
    expect(d.reproducibility).toBe(1);
    expect(d.zInfinite).toBe(true);
    expect(d.ciLow).toBeNull();
    expect(d.ciHigh).toBeNull();
    expect(d.ciStatus).toBe('not-computable: r = 1 in a run (z = +∞)');
  });

  test('excludeOwnRun: x is scored against y only → reproducibility = tanh(atanh(1/√3)) = 1/√3, one run → no CI', () => {
    const res = mergeRuns([x, y], { excludeOwnRun: true });
    expect(res.method.reproducibility).toBe('own-run-excluded');
    const d = res.candidates[0];
    expect(d.runR).toEqual([null, expect.any(Number)]);
    expectClose(d.reproducibility, r, { abs: 1e-15 });
    expect(d.ciStatus).toBe('not-computable: fewer than 2 runs');
    expect(d.zInfinite).toBe(false);
  });

  test('references: only run 1 is a reference → x (run 0) is scored against y alone, even with the paper method', () => {
    const res = mergeRuns([x, y], { references: [1] });
    expect(res.candidates[0].runR).toHaveLength(1);
    expectClose(res.candidates[0].reproducibility, r, { abs: 1e-15 });
    // Runs x, y, y (a copy; threshold 0.6 keeps y but prunes the copy, r = 1), own run excluded.
    const three = mergeRuns([x, y, y], { threshold: 0.6, excludeOwnRun: true });
    // y (run 1) against x and its copy in run 2: z = atanh(1/√3) and atanh(1) = +∞ → 1, no CI.
    const yDim = three.candidates.find((d) => d.run === 1)!;
    expect(yDim.reproducibility).toBe(1);
    expect(yDim.ciLow).toBeNull();
    // x (run 0) against y and y: z = atanh(1/√3) twice → 1/√3, SD 0 → CI = [1/√3, 1/√3].
    const xDim = three.candidates.find((d) => d.run === 0)!;
    expectClose([xDim.reproducibility, xDim.ciLow!, xDim.ciHigh!], [r, r, r], { abs: 1e-15 });
  });

  test('prunes greedily: a dropped column drops nothing', () => {
    // r(a, b) = 0.5, r(b, c) = 0.5, r(a, c) = −0.5 (by hand, as numpy): a drops b; c survives.
    const chain = matrixFromRows([[1, 1, 0], [1, 1, 0], [0, 1, 1], [0, 1, 1], [0, 0, 0], [0, 0, 0]]);
    const res = mergeRuns([chain]);
    expect(res.pooled).toBe(3);
    expect(res.afterPruning).toBe(2);
    expect(res.candidates.map((d) => d.column).sort()).toEqual([0, 2]);
    expect(mergeRuns([chain], { threshold: 0.6 }).afterPruning).toBe(3);
    // One run: the own run only → r = 1 → reproducibility 1 (no clamp), CI null.
    expect(res.candidates[0].reproducibility).toBe(1);
    expect(res.candidates[0].ciLow).toBeNull();
  });

  test('runs are pooled in the order given (the order decides which of two redundant columns survives)', () => {
    expect(mergeRuns([x, y]).candidates.map((d) => d.run)).toEqual([0]);
    expect(mergeRuns([y, x]).candidates.map((d) => d.run)).toEqual([0]); // y first now: y survives, as run 0
    expect(Array.from(mergeRuns([y, x]).embedding.data)).toEqual([1, 1, 0, 0]);
  });

  test('rejects bad input with typed errors', () => {
    const a = matrixFromRows([[1, 0.5], [0, 0.2], [0.3, 0], [0, 0.9]]);
    expect(() => mergeRuns([])).toThrow(InvalidArgumentError);
    expect(() => mergeRuns([a, matrixFromRows([[1], [2]])])).toThrow(ShapeError);
    expect(() => mergeRuns([a], { threshold: 1 })).toThrow(/threshold/);
    expect(() => mergeRuns([a], { top: 0 })).toThrow(/top/);
    expect(() => mergeRuns([a, x], { references: [0, 0] })).toThrow(/references/);
    expect(() => mergeRuns([a, x], { references: [2] })).toThrow(/references/);
    expect(() => mergeRuns([a, matrixFromRows([[0.05], [0], [0], [0.01]])])).toThrow(/runs\[1\]/);
    // A run with no dim above minWeight is fine when it is not a reference.
    expect(mergeRuns([a, matrixFromRows([[0.05], [0], [0], [0.01]])], { references: [0] }).pooled).toBe(3);
    expect(() => mergeRuns([matrixFromRows([[1], [1], [1]])])).toThrow(/constant/);
    expect(() => mergeRuns([x], { excludeOwnRun: true })).toThrow(/excludeOwnRun/);
    expect(() => mergeRuns([matrixFromRows([[1], [NaN]])])).toThrow(/finite/);
    // include: a position already kept, out of range, twice; includeFromTop beyond the candidates.
    expect(() => mergeRuns(portRuns, { top: 5, include: [1] })).toThrow(/include/);
    expect(() => mergeRuns(portRuns, { top: 5, include: [18] })).toThrow(/include/);
    expect(() => mergeRuns(portRuns, { top: 5, include: [9, 9] })).toThrow(/include/);
    expect(() => mergeRuns(portRuns, { top: 5, include: [9], includeFromTop: 18 })).toThrow(/includeFromTop/);
    expect(() => mergeRuns(portRuns, { top: 5, includeFromTop: 10 })).toThrow(/includeFromTop/);
  });
});
