import { createRng } from '@conceptlab/core';
import { createFakeClock } from './clock.js';
import {
  DEFAULT_RETRY_POLICY,
  RequestFailedError,
  backoffDelay,
  CircuitOpenError,
  createCircuitBreaker,
  kindOfStatus,
  parseRetryAfter,
  retryDelay,
  withRetry,
  type RequestFailure,
  type RetryPolicy,
} from './retry.js';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };

function fail(f: RequestFailure): never {
  throw new RequestFailedError(f);
}

describe('backoffDelay (full jitter)', () => {
  it('is uniform in [0, min(max, base·2^(n−1))) and reproducible from the seed', () => {
    const a = createRng(7), b = createRng(7);
    for (let n = 1; n <= 8; n++) {
      const ceiling = Math.min(1000, 100 * 2 ** (n - 1));
      for (let k = 0; k < 50; k++) {
        const d = backoffDelay(n, policy, a);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
        expect(backoffDelay(n, policy, b)).toBe(d);
      }
    }
  });

  it('has mean ≈ ceiling/2', () => {
    const rng = createRng(1);
    let s = 0;
    for (let i = 0; i < 20000; i++) s += backoffDelay(3, policy, rng);
    expect(s / 20000).toBeCloseTo(200, -1);
  });

  it('honours a server retry-after, capped', () => {
    const rng = createRng(1);
    expect(retryDelay(1, { kind: 'rate-limit', retryAfterMs: 1234, message: '' }, policy, rng)).toBe(1234);
    expect(retryDelay(1, { kind: 'rate-limit', retryAfterMs: 999999, message: '' }, policy, rng)).toBe(5000);
  });
});

describe('parseRetryAfter', () => {
  const h = (o: Record<string, string>) => (n: string) => o[n];
  it('reads retry-after-ms first, then retry-after in seconds or as an HTTP date', () => {
    expect(parseRetryAfter(h({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(parseRetryAfter(h({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfter(h({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter(h({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }), now)).toBe(7000);
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(h({}))).toBeUndefined();
  });
});

describe('kindOfStatus', () => {
  it('classifies statuses', () => {
    expect(kindOfStatus(429)).toBe('rate-limit');
    expect(kindOfStatus(429, 'insufficient_quota')).toBe('quota');
    expect(kindOfStatus(500)).toBe('server');
    expect(kindOfStatus(503)).toBe('server');
    expect(kindOfStatus(408)).toBe('server');
    expect(kindOfStatus(401)).toBe('auth');
    expect(kindOfStatus(404)).toBe('not-found');
    expect(kindOfStatus(400)).toBe('bad-request');
  });
});

describe('withRetry', () => {
  it('retries retryable failures with the jittered backoff, then succeeds', async () => {
    const clock = createFakeClock();
    const failures: [string, number, number | undefined][] = [];
    let calls = 0;
    const p = withRetry(
      async (n) => {
        calls++;
        if (n < 3) fail({ kind: n === 1 ? 'server' : 'timeout', status: n === 1 ? 500 : undefined, message: 'x' });
        return 'ok';
      },
      { policy, rng: createRng(3), clock, onFailure: (f, n, d) => failures.push([f.kind, n, d]) },
    );
    await clock.advance(10000);
    await expect(p).resolves.toEqual({ ok: true, value: 'ok', attempts: 3 });
    expect(calls).toBe(3);
    const rng = createRng(3);
    expect(failures).toEqual([
      ['server', 1, backoffDelay(1, policy, rng)],
      ['timeout', 2, backoffDelay(2, policy, rng)],
    ]);
  });

  it('waits exactly the retry-after a 429 asks for', async () => {
    const clock = createFakeClock();
    const times: number[] = [];
    const p = withRetry(
      async (n) => {
        times.push(clock.now());
        if (n === 1) fail({ kind: 'rate-limit', status: 429, retryAfterMs: 1500, message: '429' });
        return n;
      },
      { policy, rng: createRng(1), clock },
    );
    await clock.advance(1499);
    expect(times).toEqual([0]);
    await clock.advance(1);
    await expect(p).resolves.toMatchObject({ ok: true, attempts: 2 });
    expect(times).toEqual([0, 1500]);
  });

  it('gives up after maxAttempts with the last failure', async () => {
    const clock = createFakeClock();
    let calls = 0;
    const p = withRetry(
      async () => {
        calls++;
        return fail({ kind: 'connection', message: 'ECONNREFUSED' });
      },
      { policy, rng: createRng(1), clock },
    );
    await clock.advance(60000);
    await expect(p).resolves.toEqual({ ok: false, failure: { kind: 'connection', message: 'ECONNREFUSED' }, attempts: 4 });
    expect(calls).toBe(4);
  });

  it('does not retry a bad request; a rejected key is fatal', async () => {
    const clock = createFakeClock();
    await expect(
      withRetry(async () => fail({ kind: 'bad-request', status: 400, message: 'too long' }), { policy, rng: createRng(1), clock }),
    ).resolves.toMatchObject({ ok: false, attempts: 1 });
    await expect(
      withRetry(async () => fail({ kind: 'auth', status: 401, message: 'HTTP 401 bad key' }), { policy, rng: createRng(1), clock }),
    ).rejects.toMatchObject({ _tag: 'AnnotateFatalError', status: 401, kind: 'auth' });
  });

  it('propagates other errors at once, and stops when aborted', async () => {
    const clock = createFakeClock();
    await expect(withRetry(async () => { throw new TypeError('bug'); }, { policy, rng: createRng(1), clock })).rejects.toThrow('bug');
    const ac = new AbortController();
    const p = withRetry(async () => fail({ kind: 'server', status: 500, message: '' }), { policy, rng: createRng(1), clock, signal: ac.signal });
    await clock.advance(0);
    ac.abort();
    await expect(p).rejects.toMatchObject({ _tag: 'AbortedError' });
  });

  it('uses the default policy when asked', () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
  });
});

describe('createCircuitBreaker', () => {
  it('pauses after N consecutive failures, doubling the pause up to the cap; a success resets', async () => {
    const clock = createFakeClock();
    const events: string[] = [];
    const br = createCircuitBreaker({
      threshold: 3,
      pauseMs: 1000,
      maxPauseMs: 3000,
      clock,
      onChange: (s) => events.push(`${s.paused ? 'pause' : 'resume'} ${s.pauseMs}`),
    });
    br.failure();
    br.failure();
    br.success(); // resets the count
    br.failure();
    br.failure();
    expect(br.paused).toBe(false);
    br.failure(); // 3 in a row
    expect(br.paused).toBe(true);
    let open = false;
    void br.whenClosed().then(() => (open = true));
    br.failure(); // during a pause: ignored
    await clock.advance(999);
    expect(open).toBe(false);
    await clock.advance(1);
    expect(open).toBe(true);
    for (let i = 0; i < 3; i++) br.failure();
    await clock.advance(2000);
    for (let i = 0; i < 3; i++) br.failure();
    await clock.advance(3000);
    for (let i = 0; i < 3; i++) br.failure();
    await clock.advance(3000);
    expect(events).toEqual(['pause 1000', 'resume 1000', 'pause 2000', 'resume 2000', 'pause 3000', 'resume 3000', 'pause 3000', 'resume 3000']);
    expect(br.pauses).toBe(4);
    expect(br.pausedMs).toBe(9000);
    br.success();
    for (let i = 0; i < 3; i++) br.failure();
    expect(events[events.length - 1]).toBe('pause 1000');
    await clock.advance(1000);
  });

  it('holds every request of withRetry while paused', async () => {
    const clock = createFakeClock();
    const br = createCircuitBreaker({ threshold: 2, pauseMs: 5000, clock });
    const starts: number[] = [];
    const p = withRetry(
      async (n) => {
        starts.push(clock.now());
        if (n <= 2) fail({ kind: 'rate-limit', status: 429, retryAfterMs: 10, message: '' });
        return 'ok';
      },
      { policy, rng: createRng(1), clock, breaker: br },
    );
    await clock.advance(20000);
    await expect(p).resolves.toMatchObject({ ok: true, attempts: 3 });
    // attempt 1 at 0, attempt 2 at 10 → 2 failures trip the breaker at t=10 for 5 s → attempt 3 at 5010
    expect(starts).toEqual([0, 10, 5010]);
  });

  it('maxConsecutiveFailures ends the work: withRetry throws CircuitOpenError, waiters get it too', async () => {
    const clock = createFakeClock();
    const br = createCircuitBreaker({ maxConsecutiveFailures: 3, threshold: 100, clock });
    const conn: RequestFailure = { kind: 'connection', message: 'connection error: ECONNREFUSED.' };
    let calls = 0;
    const onFailure: number[] = [];
    const p = withRetry(
      async () => {
        calls++;
        return fail(conn);
      },
      { policy: { ...policy, maxAttempts: 10 }, rng: createRng(1), clock, breaker: br, onFailure: (_f, n) => onFailure.push(n) },
    );
    const settled = expect(p).rejects.toMatchObject({ _tag: 'CircuitOpenError', failures: 3, lastFailure: conn });
    await clock.advance(10000);
    await settled;
    expect(calls).toBe(3); // no fourth attempt, no further backoff
    expect(onFailure).toEqual([1, 2, 3]);
    expect(br.stopped).toBeInstanceOf(CircuitOpenError);
    expect(br.stopped!.message).toBe('stopped after 3 consecutive failed requests (the last: connection error: ECONNREFUSED)');
    await expect(br.whenClosed()).rejects.toBe(br.stopped);
    await expect(withRetry(async () => 'never', { policy, rng: createRng(1), clock, breaker: br })).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('counts outages only: 429s neither count nor reset, a success resets, bad requests do not count', () => {
    const br = createCircuitBreaker({ maxConsecutiveFailures: 3, threshold: 100, clock: createFakeClock() });
    const k = (kind: RequestFailure['kind']): RequestFailure => ({ kind, message: kind });
    br.failure(k('server'));
    br.failure(k('rate-limit'));
    br.failure(k('timeout'));
    br.success();
    br.failure(k('bad-response'));
    br.failure(k('rate-limit'));
    br.failure(k('rate-limit'));
    br.failure(k('connection'));
    expect(br.stopped).toBeUndefined();
    br.failure(k('server'));
    expect(br.stopped).toMatchObject({ failures: 3, lastFailure: { kind: 'server' } });
    expect(() => createCircuitBreaker({ maxConsecutiveFailures: 0 })).toThrow(/maxConsecutiveFailures/);
  });

  it('close() ends a running pause at once and leaves no timer behind', async () => {
    const clock = createFakeClock();
    const br = createCircuitBreaker({ threshold: 2, pauseMs: 60000, clock });
    br.failure();
    br.failure();
    expect(br.paused).toBe(true);
    expect(clock.pending()).toBe(1);
    let open = false;
    void br.whenClosed().then(() => (open = true));
    br.close();
    await clock.advance(0);
    expect(open).toBe(true);
    expect(br.paused).toBe(false);
    expect(clock.pending()).toBe(0);
    br.failure();
    br.failure(); // closed: no new pause
    expect(clock.pending()).toBe(0);
  });

  it('an abort during a pause rejects at once', async () => {
    const clock = createFakeClock();
    const br = createCircuitBreaker({ threshold: 1, pauseMs: 60000, clock });
    br.failure();
    const ac = new AbortController();
    const w = br.whenClosed(ac.signal);
    ac.abort(new Error('stop'));
    await expect(w).rejects.toThrow('stop');
    br.close();
  });
});
