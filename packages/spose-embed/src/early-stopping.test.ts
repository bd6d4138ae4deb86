import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@conceptlab/core';
import { checkEarlyStopping } from './early-stopping.js';

const fx: { linregress: { kind: string; y: number[]; slope: number; p: number }[] } = JSON.parse(
  readFileSync(join(__dirname, '../test/fixtures/scipy-student-t.json'), 'utf8'),
);
const series = (kind: string) => fx.linregress.find((r) => r.kind === kind)!.y;

describe('checkEarlyStopping (the reference rule: stop when slope > 0 or p > 0.1)', () => {
  test('nothing to decide until more than `window` epochs are done', () => {
    const falling = Array.from({ length: 50 }, (_, i) => 1 - i * 0.01);
    expect(checkEarlyStopping(falling)).toBeUndefined();
    expect(checkEarlyStopping(falling.slice(0, 10), { window: 10 })).toBeUndefined();
    expect(checkEarlyStopping(falling.slice(0, 11), { window: 10 })?.stop).toBe(false);
  });

  test('a steadily falling loss keeps training', () => {
    const ys = [2, ...series('falling')]; // 51 epochs; the window is the last 50
    const c = checkEarlyStopping(ys)!;
    expect(c.stop).toBe(false);
    expect(c.slope).toBeLessThan(0);
    expect(c.pValue).toBeLessThan(1e-10);
  });

  test('a rising loss stops (slope > 0, even though it is significant)', () => {
    const c = checkEarlyStopping([0, ...series('rising')])!;
    expect(c.stop).toBe(true);
    expect(c.slope).toBeGreaterThan(0);
    expect(c.pValue).toBeLessThan(0.1);
  });

  test('a flat (converged) loss stops on the p-value; a weak but significant fall keeps going', () => {
    const flat = checkEarlyStopping([1, ...series('flat')])!;
    expect(flat.slope).toBeLessThan(0);
    expect(flat.pValue).toBeGreaterThan(0.1);
    expect(flat.stop).toBe(true);
    // scipy: slope −3.57e−5, p = 0.0505 → keep going at 0.1, stop at 0.05.
    const noisy = [1, ...series('noisy-falling')];
    expect(checkEarlyStopping(noisy)!.stop).toBe(false);
    expect(checkEarlyStopping(noisy, { pThreshold: 0.05 })!.stop).toBe(true);
  });

  test('only the last `window` losses count', () => {
    const ys = [...Array.from({ length: 30 }, (_, i) => 1 - 0.01 * i), ...Array.from({ length: 20 }, (_, i) => 0.7 + 0.001 * i)];
    expect(checkEarlyStopping(ys, { window: 40 })!.stop).toBe(false);
    expect(checkEarlyStopping(ys, { window: 10 })!.stop).toBe(true);
  });

  test('a NaN loss stops', () => {
    const ys = Array.from({ length: 12 }, (_, i) => 1 - 0.01 * i);
    ys[11] = NaN;
    expect(checkEarlyStopping(ys, { window: 10 })!.stop).toBe(true);
  });

  test('bad options', () => {
    expect(() => checkEarlyStopping([], { window: 2 })).toThrow(InvalidArgumentError);
    expect(() => checkEarlyStopping([], { pThreshold: 0 })).toThrow(InvalidArgumentError);
    expect(() => checkEarlyStopping([], { window: 4.5 })).toThrow(InvalidArgumentError);
  });
});
