import { InvalidArgumentError } from '@conceptlab/core';
import { checkPlateau, DEFAULT_PLATEAU_STOPPING, resolvePlateauStopping } from './plateau-stopping.js';

const rule = (o: { window?: number; minImprovement?: number; dimsTolerance?: number } = {}) => ({ rule: 'plateau' as const, ...o });
const constant = (n: number, v: number) => Array.from({ length: n }, () => v);

describe('checkPlateau on constructed curves', () => {
  test('not checked until more than W epochs are done', () => {
    expect(checkPlateau([1, 1, 1], [5, 5, 5], rule({ window: 3 }))).toBeUndefined();
    expect(checkPlateau([1, 1, 1, 1], [5, 5, 5, 5], rule({ window: 3 }))).toEqual({ stop: true, improvement: 0, dimsChange: 0 });
  });

  test('hand-computed: W = 3, min improvement 0.01', () => {
    // Epochs 1–6. Before the window (epochs 1–3) the best is 0.90; within it (4–6) 0.895: improvement 0.005 < 0.01.
    const ce = [1.0, 0.95, 0.9, 0.91, 0.895, 0.9];
    // Dims over epochs 3–6 (W + 1 values): 40, 40, 40, 40 → unchanged.
    expect(checkPlateau(ce, [60, 45, 40, 40, 40, 40], rule({ window: 3, minImprovement: 0.01 }))).toMatchObject({ stop: true, dimsChange: 0 });
    expect(checkPlateau(ce, [60, 45, 40, 40, 40, 40], rule({ window: 3, minImprovement: 0.01 }))!.improvement).toBeCloseTo(0.005, 15);
    // The same curve with 0.004 as the threshold: 0.005 counts as an improvement, so it goes on.
    expect(checkPlateau(ce, [60, 45, 40, 40, 40, 40], rule({ window: 3, minImprovement: 0.004 }))!.stop).toBe(false);
    // Dims still falling at epoch 3 → 4 (41 → 40): spread 1 over epochs 3–6; not stopped unless tolerated.
    expect(checkPlateau(ce, [60, 45, 41, 40, 40, 40], rule({ window: 3, minImprovement: 0.01 }))).toMatchObject({ stop: false, dimsChange: 1 });
    expect(checkPlateau(ce, [60, 45, 41, 40, 40, 40], rule({ window: 3, minImprovement: 0.01, dimsTolerance: 1 }))!.stop).toBe(true);
  });

  test('a validation curve that gets worse (over-fitting) with steady dims stops: negative improvement', () => {
    const ce = [1.0, 0.8, 0.7, 0.72, 0.75, 0.8];
    const c = checkPlateau(ce, constant(6, 30), rule({ window: 3 }))!;
    expect(c.improvement).toBeCloseTo(-0.02, 15);
    expect(c.stop).toBe(true);
  });

  test('a steadily falling validation curve never stops, whatever the dims', () => {
    const ce = Array.from({ length: 50 }, (_, e) => 2 - 0.01 * e);
    for (let e = 12; e <= 50; e++) {
      const c = checkPlateau(ce.slice(0, e), constant(e, 42), rule())!;
      expect(c.stop).toBe(false);
      expect(c.improvement).toBeCloseTo(0.1, 12); // W = 10 epochs × 0.01
    }
  });

  test('a plateaued loss with dims still being pruned goes on until the dims hold for W epochs', () => {
    // CE flat from epoch 5; dims fall by one every 4 epochs until epoch 40, then hold at 42.
    const E = 70;
    const ce = Array.from({ length: E }, (_, e) => (e < 5 ? 1 - 0.05 * e : 0.75));
    const dims = Array.from({ length: E }, (_, e) => Math.max(42, 52 - Math.floor(e / 4)));
    let stopAt = -1;
    for (let e = 1; e <= E && stopAt < 0; e++) if (checkPlateau(ce.slice(0, e), dims.slice(0, e), rule())?.stop) stopAt = e;
    // dims reach 42 at index 40 (epoch 41); held for W = 10 epochs after that → epoch 51.
    expect(dims[39]).toBe(43);
    expect(dims[40]).toBe(42);
    expect(stopAt).toBe(51);
  });

  test('NaN cross-entropies are no improvement; an all-NaN window does not count as better', () => {
    expect(checkPlateau([1, 0.9, NaN, NaN], [5, 5, 5, 5], rule({ window: 2 }))).toEqual({ stop: true, improvement: -Infinity, dimsChange: 0 });
    expect(checkPlateau([NaN, NaN, 0.9, 0.8], [5, 5, 5, 5], rule({ window: 2 }))).toEqual({ stop: false, improvement: Infinity, dimsChange: 0 });
  });

  test('options are validated with typed errors; defaults are W 10, 0.001 nats, 0 dims', () => {
    expect(resolvePlateauStopping({ rule: 'plateau' })).toEqual(DEFAULT_PLATEAU_STOPPING);
    expect(DEFAULT_PLATEAU_STOPPING).toEqual({ rule: 'plateau', window: 10, minImprovement: 0.001, dimsTolerance: 0 });
    for (const bad of [{ window: 0 }, { window: 1.5 }, { minImprovement: -1 }, { minImprovement: NaN }, { dimsTolerance: -1 }, { dimsTolerance: 0.5 }]) {
      expect(() => checkPlateau([1, 1], [1, 1], rule(bad))).toThrow(InvalidArgumentError);
    }
    expect(() => checkPlateau([1, 1], [1], rule())).toThrow(/one value per epoch \(2\)/);
  });
});
