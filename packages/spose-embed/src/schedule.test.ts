import { resolveSchedule } from './schedule.js';

describe('resolveSchedule', () => {
  it("paper: the paper's batch 100, lr 0.001, 500 epochs, constant", () => {
    expect(resolveSchedule('paper', 4_230_000)).toMatchObject({ batchSize: 100, lr: 0.001, epochs: 500, lrSchedule: { kind: 'constant' } });
  });

  it('fast at THINGS scale: batch 1000, 4,230 steps per epoch, so the 8-epoch minimum (33,840 steps)', () => {
    expect(resolveSchedule('fast', 4_230_000)).toMatchObject({ batchSize: 1000, lr: 0.01, epochs: 8, lrSchedule: { kind: 'cosine', warmupEpochs: 1, floor: 0 } });
  });

  it('fast at the demo’s size: batch 100, 540 steps per epoch, ⌈16,000 / 540⌉ = 30 epochs', () => {
    expect(resolveSchedule('fast', 54_000)).toMatchObject({ batchSize: 100, epochs: 30 });
  });

  it('fast on tiny data: at most 500 epochs; a batch no larger than the data', () => {
    expect(resolveSchedule('fast', 1000)).toMatchObject({ batchSize: 100, epochs: 500 });
    expect(resolveSchedule('fast', 40)).toMatchObject({ batchSize: 40, epochs: 500 });
    expect(resolveSchedule('fast', 499_999).batchSize).toBe(100);
    expect(resolveSchedule('fast', 500_000).batchSize).toBe(1000);
  });

  it('refuses unknown names and empty data', () => {
    expect(() => resolveSchedule('slow' as never, 10)).toThrow(/"paper" or "fast"/);
    expect(() => resolveSchedule('fast', 0)).toThrow(/trainCount/);
  });
});
