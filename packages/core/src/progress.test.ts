import { createProgress, type ProgressEvent } from './progress.js';

test('progress reports counts, rate and ETA, throttled', () => {
  let clock = 0;
  const events: ProgressEvent[] = [];
  const p = createProgress('sample', (e) => events.push(e), { total: 100, unit: 'triplets', minIntervalMs: 100, now: () => clock });
  clock = 1000;
  p.update(10);
  clock = 1050;
  p.update(15); // throttled: within 100 ms of the last update
  clock = 2000;
  p.update(20, { loss: 0.5 });
  clock = 4000;
  p.end();
  expect(events.map((e) => e.phase)).toEqual(['start', 'update', 'update', 'end']);
  expect(events[1]).toMatchObject({ done: 10, total: 100, unit: 'triplets', elapsedMs: 1000, rate: 10, etaMs: 9000 });
  expect(events[2]).toMatchObject({ done: 20, rate: 10, etaMs: 8000, detail: { loss: 0.5 } });
  expect(events[3]).toMatchObject({ done: 100, rate: 25, etaMs: 0 });
});
