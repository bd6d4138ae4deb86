import { lrScaleAt, resolveLrSchedule, describeLrSchedule } from './lr-schedule.js';

describe('lrScaleAt', () => {
  it('constant: 1 at every step', () => {
    const s = resolveLrSchedule({ kind: 'constant' }, 5);
    for (const t of [0, 1, 49, 99]) expect(lrScaleAt(s, t, 100, 0)).toBe(1);
    expect(resolveLrSchedule(undefined, 5)).toEqual({ kind: 'constant' });
  });

  it('cosine without warm-up: 1 at the first step, ½ half-way, the floor at the last (hand-computed)', () => {
    // T = 5 steps, span 4: t = 0 → cos 0 = 1 → 1; t = 1 → ½(1 + cos π/4) = ½(1 + 0.70710678) = 0.85355339;
    // t = 2 → ½(1 + 0) = 0.5; t = 3 → 0.14644661; t = 4 → 0.
    const s = resolveLrSchedule({ kind: 'cosine' }, 5);
    const got = [0, 1, 2, 3, 4].map((t) => lrScaleAt(s, t, 5, 0));
    const want = [1, 0.8535533905932737, 0.5, 0.14644660940672627, 0];
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 15));
  });

  it('cosine with a floor of 0.1: floor + 0.9·(the plain cosine)', () => {
    const s = resolveLrSchedule({ kind: 'cosine', floor: 0.1 }, 5);
    expect(lrScaleAt(s, 0, 5, 0)).toBeCloseTo(1, 15);
    expect(lrScaleAt(s, 2, 5, 0)).toBeCloseTo(0.55, 15);
    expect(lrScaleAt(s, 4, 5, 0)).toBeCloseTo(0.1, 15);
  });

  it('warm-up: (t+1)/W for the first W steps, then the cosine from 1', () => {
    const s = resolveLrSchedule({ kind: 'cosine', warmupEpochs: 1 }, 3);
    // 3 epochs of 4 steps, W = 4: 0.25, 0.5, 0.75, 1, then cosine over the remaining span 12 − 1 − 4 = 7 steps.
    expect([0, 1, 2, 3].map((t) => lrScaleAt(s, t, 12, 4))).toEqual([0.25, 0.5, 0.75, 1]);
    expect(lrScaleAt(s, 4, 12, 4)).toBe(1);
    expect(lrScaleAt(s, 11, 12, 4)).toBeCloseTo(0, 15);
    expect(lrScaleAt(s, 4 + 3.5, 12, 4)).toBeCloseTo(0.5, 15);
  });

  it('refuses bad schedules with typed errors', () => {
    expect(() => resolveLrSchedule({ kind: 'step' } as never, 5)).toThrow(/lrSchedule.kind/);
    expect(() => resolveLrSchedule({ kind: 'cosine', warmupEpochs: 5 }, 5)).toThrow(/warmupEpochs.*\[0, 4\]/);
    expect(() => resolveLrSchedule({ kind: 'cosine', floor: 1.5 }, 5)).toThrow(/floor/);
    expect(() => resolveLrSchedule({ kind: 'cosine', floor: NaN }, 5)).toThrow(/floor/);
  });

  it('describes itself for results.json', () => {
    expect(describeLrSchedule(resolveLrSchedule(undefined, 500), 500)).toBe('constant');
    expect(describeLrSchedule(resolveLrSchedule({ kind: 'cosine', warmupEpochs: 1 }, 12), 12)).toBe('cosine over 12 epochs to 0·lr, linear warm-up 1 epoch');
  });
});
