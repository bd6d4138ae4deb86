import type { ProgressEvent } from '@conceptlab/core';
import { LOG_PROGRESS_INTERVAL_MS, progressRenderer, type Io } from './output.js';

function capture(tty: boolean): { io: Io; lines: () => string[] } {
  let err = '';
  const io = { stdout: () => {}, stderr: (s: string) => (err += s), stderrIsTty: tty } as unknown as Io;
  return { io, lines: () => err.split('\n').filter(Boolean) };
}

const event = (task: string, phase: ProgressEvent['phase'], done: number, elapsedMs: number): ProgressEvent =>
  ({ task, phase, done, total: 1000, unit: 'triplets', rate: 10, elapsedMs, etaMs: 1000 });

test('in a log, progress is sparse: the first line, then one per interval per task, and the end line', () => {
  const { io, lines } = capture(false);
  const render = progressRenderer(io, false);
  render(event('annotate', 'start', 0, 0));
  for (let t = 250; t <= 25_000; t += 250) render(event('annotate', 'update', t / 25, t)); // 100 events over 25 s
  render(event('fit', 'update', 5, 300)); // another task is not held back by the first one's clock
  render(event('annotate', 'end', 1000, 25_100));
  const out = lines();
  expect(out.filter((l) => l.startsWith('annotate:') && l.includes('ETA'))).toHaveLength(3); // at 0.25 s, 10.25 s, 20.25 s
  expect(out.filter((l) => l.startsWith('fit:'))).toHaveLength(1);
  expect(out.at(-1)).toMatch(/^annotate: 1,000\/1,000 triplets \(100\.0%\).* in 25s$/);
  expect(LOG_PROGRESS_INTERVAL_MS).toBe(10_000);
});

test('on a terminal every event redraws the line; with --json every event is a JSON line', () => {
  const tty = capture(true);
  const render = progressRenderer(tty.io, false);
  for (let t = 250; t <= 1000; t += 250) render(event('annotate', 'update', t, t));
  expect((tty.lines().join('\n').match(/\r/g) ?? []).length).toBe(4);
  const json = capture(false);
  const renderJson = progressRenderer(json.io, true);
  for (let t = 250; t <= 1000; t += 250) renderJson(event('annotate', 'update', t, t));
  expect(json.lines().map((l) => JSON.parse(l).progress.elapsedMs)).toEqual([250, 500, 750, 1000]);
});
