import { createFakeClock } from './clock.js';
import { createRateLimiter, type Permit } from './rate-limit.js';

/** Acquire and record when each permit was granted (fake time). */
function track(p: Promise<Permit>, clock: { now(): number }, log: { at: number; permit?: Permit }[], i: number): void {
  void p.then((permit) => {
    log[i] = { at: clock.now(), permit };
  });
}

describe('createRateLimiter', () => {
  it('limits concurrency and admits the next waiter when a permit is released', async () => {
    const clock = createFakeClock();
    const rl = createRateLimiter({ concurrency: 2, clock });
    const log: { at: number; permit?: Permit }[] = [];
    for (let i = 0; i < 4; i++) track(rl.acquire(0), clock, log, i);
    await clock.advance(0);
    expect(log.filter(Boolean)).toHaveLength(2);
    expect(rl.stats()).toMatchObject({ active: 2, waiting: 2 });
    log[0].permit!.release();
    log[0].permit!.release(); // a second release is ignored
    await clock.advance(0);
    expect(log.filter(Boolean)).toHaveLength(3);
    expect(rl.stats()).toMatchObject({ active: 2, waiting: 1 });
  });

  it('spaces requests by rpm: 60 rpm with a 1 s burst admits one per second', async () => {
    const clock = createFakeClock();
    const rl = createRateLimiter({ concurrency: 100, rpm: 60, clock });
    const log: { at: number; permit?: Permit }[] = [];
    for (let i = 0; i < 5; i++) track(rl.acquire(0), clock, log, i);
    await clock.advance(10000);
    expect(log.map((x) => x.at)).toEqual([0, 1000, 2000, 3000, 4000]);
  });

  it('burstMs sets the bucket capacity: 600 rpm with a 10 s burst admits 100 at once, then 10 per second', async () => {
    const clock = createFakeClock();
    const rl = createRateLimiter({ concurrency: 1000, rpm: 600, burstMs: 10000, clock });
    const log: { at: number; permit?: Permit }[] = [];
    for (let i = 0; i < 110; i++) track(rl.acquire(0), clock, log, i);
    await clock.advance(0);
    expect(log.filter(Boolean)).toHaveLength(100);
    await clock.advance(1000);
    expect(log.filter(Boolean)).toHaveLength(110);
    expect(log[109].at).toBe(1000);
  });

  it('tpm: waits for tokens, admits an oversized request when the bucket is full, and the long-run rate holds', async () => {
    const clock = createFakeClock();
    // 6000 tpm = 100 tokens/s; capacity (1 s) = 100 tokens
    const rl = createRateLimiter({ concurrency: 100, tpm: 6000, clock });
    const log: { at: number; permit?: Permit }[] = [];
    track(rl.acquire(60), clock, log, 0); // t=0, level 40
    track(rl.acquire(60), clock, log, 1); // needs 20 more: t=200
    track(rl.acquire(250), clock, log, 2); // > capacity: waits for a full bucket (100): t=1200, level −150
    track(rl.acquire(10), clock, log, 3); // waits for 160 tokens: t=2800
    await clock.advance(5000);
    expect(log.map((x) => x.at)).toEqual([0, 200, 1200, 2800]);
    // 380 tokens granted in 2.8 s from a 100-token start: ≤ 100 + 100/s · 2.8 s
    expect(60 + 60 + 250 + 10).toBeLessThanOrEqual(100 + 280);
  });

  it('corrects the estimate with the actual usage on release (refund and charge)', async () => {
    const clock = createFakeClock();
    const rl = createRateLimiter({ concurrency: 10, tpm: 6000, clock }); // 100 tokens/s, capacity 100
    const a = await rl.acquire(100); // level 0
    expect(rl.stats().tokensAvailable).toBeCloseTo(0);
    a.release(30); // used 30 of 100: refund 70
    expect(rl.stats().tokensAvailable).toBeCloseTo(70);
    const b = await rl.acquire(50); // level 20
    b.release(150); // used 100 more than estimated: charge
    expect(rl.stats().tokensAvailable).toBeCloseTo(-80);
    const log: { at: number; permit?: Permit }[] = [];
    track(rl.acquire(20), clock, log, 0); // needs 100 tokens of refill: t = 1000 ms
    await clock.advance(2000);
    expect(log[0].at).toBe(1000);
  });

  it('an error releases with no usage: the whole estimate is refunded', async () => {
    const clock = createFakeClock();
    const rl = createRateLimiter({ concurrency: 10, tpm: 6000, clock });
    const p = await rl.acquire(80);
    p.release(0);
    expect(rl.stats().tokensAvailable).toBeCloseTo(100);
  });

  it('is fair: first come, first served — a large request at the head is not overtaken', async () => {
    const clock = createFakeClock();
    const rl = createRateLimiter({ concurrency: 100, tpm: 6000, clock }); // 100 tokens/s
    const order: number[] = [];
    const first = await rl.acquire(100); // empties the bucket
    void first;
    const big = rl.acquire(90).then(() => order.push(1));
    const small = rl.acquire(1).then(() => order.push(2));
    await clock.advance(500); // 50 tokens: enough for the small one, but the big one is first
    expect(order).toEqual([]);
    await clock.advance(500);
    await Promise.all([big]);
    await clock.advance(100);
    await small;
    expect(order).toEqual([1, 2]);
  });

  it('is fair under concurrency: waiters are admitted in arrival order', async () => {
    const clock = createFakeClock();
    const rl = createRateLimiter({ concurrency: 1, clock });
    const order: number[] = [];
    const held = await rl.acquire(0);
    const ps = [0, 1, 2, 3, 4].map((i) =>
      rl.acquire(0).then((p) => {
        order.push(i);
        p.release();
      }),
    );
    held.release();
    await Promise.all(ps);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('an aborted waiter leaves the queue (and the next one moves up)', async () => {
    const clock = createFakeClock();
    const rl = createRateLimiter({ concurrency: 1, clock });
    const held = await rl.acquire(0);
    const ac = new AbortController();
    const aborted = rl.acquire(0, ac.signal);
    const next = rl.acquire(0);
    ac.abort();
    await expect(aborted).rejects.toMatchObject({ _tag: 'AbortedError' });
    expect(rl.stats().waiting).toBe(1);
    held.release();
    await expect(next).resolves.toBeDefined();
    const pre = new AbortController();
    pre.abort();
    await expect(rl.acquire(0, pre.signal)).rejects.toBeDefined();
  });

  it('reports how long a permit waited', async () => {
    const clock = createFakeClock();
    const rl = createRateLimiter({ concurrency: 5, rpm: 60, clock });
    await rl.acquire(0);
    const p = rl.acquire(0);
    await clock.advance(1000);
    expect((await p).waitedMs).toBe(1000);
  });

  it('rejects bad limits', () => {
    expect(() => createRateLimiter({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createRateLimiter({ concurrency: 1, rpm: -5 })).toThrow(/rpm/);
    expect(() => createRateLimiter({ concurrency: 1, tpm: NaN })).toThrow(/tpm/);
    expect(() => createRateLimiter({ concurrency: 1, burstMs: 0 })).toThrow(/burstMs/);
  });
});
