import { keyEchoServer as echoServer } from '../../../test-support/key-echo-server.js';
import { stalledServer } from '../../../test-support/stalled-server.js';
import { createChatClient, makeRedactor, readApiKey } from './client.js';
import { createCircuitBreaker, CircuitOpenError, withRetry, DEFAULT_RETRY_POLICY } from './retry.js';
import { createRng } from '@conceptlab/core';

const SECRET = 'sk-proj-THIS-IS-THE-SECRET-KEY-0123456789abcdef';

describe('readApiKey / makeRedactor', () => {
  it('reads the named variable; errors name the variable, never a value', () => {
    expect(readApiKey('K', { K: ` ${SECRET} ` })).toBe(SECRET);
    expect(readApiKey(undefined, {})).toBe('no-key');
    expect(() => readApiKey('K', {})).toThrow(/K is not set/);
    let msg = '';
    try {
      readApiKey(SECRET, {});
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/NAME of an environment variable/);
    expect(msg).not.toContain(SECRET);
  });

  it('redacts the key and any bearer token', () => {
    const r = makeRedactor(SECRET);
    expect(r(`bad key ${SECRET}!`)).toBe('bad key [REDACTED]!');
    expect(r('Authorization: Bearer abc.def')).toBe('Authorization: Bearer [REDACTED]');
  });

  it('a failed request carries a redacted message', async () => {
    const echo = await echoServer(401);
    try {
      const c = createChatClient({ baseUrl: echo.url, apiKeyEnv: 'K', env: { K: SECRET } });
      const err = (await c.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).then(
        () => undefined,
        (e: unknown) => e,
      )) as Error & { failure: { kind: string; status: number } };
      expect(err.failure).toMatchObject({ kind: 'auth', status: 401 });
      expect(err.message).toContain('[REDACTED]');
      expect(err.message).not.toContain(SECRET);
    } finally {
      await echo.close();
    }
  });
});

describe('the per-request timeout (a real server that never finishes its reply)', () => {
  const body = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
  const failureOf = (p: Promise<unknown>): Promise<{ kind: string; message: string } | undefined> =>
    p.then(
      () => undefined,
      (e: unknown) => (e as { failure: { kind: string; message: string } }).failure,
    );

  it.each(['silent', 'headers'] as const)('%s: a timeout failure after timeoutMs, not a hang', async (mode) => {
    const srv = await stalledServer(mode);
    try {
      const c = createChatClient({ baseUrl: srv.url, timeoutMs: 300 });
      const t0 = performance.now();
      const f = await failureOf(c.chat(body));
      const ms = performance.now() - t0;
      expect(f).toEqual({ kind: 'timeout', message: 'timeout: no complete reply within 0.3 s' });
      expect(ms).toBeGreaterThanOrEqual(290);
      expect(ms).toBeLessThan(3000);
      expect(srv.requests()).toBe(1);
    } finally {
      await srv.close();
    }
  });

  it("the caller's abort during a stalled reply is an abort, not a timeout", async () => {
    const srv = await stalledServer('headers');
    try {
      const c = createChatClient({ baseUrl: srv.url, timeoutMs: 60000 });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const t0 = performance.now();
      expect(await failureOf(c.chat(body, ac.signal))).toEqual({ kind: 'aborted', message: 'request aborted' });
      expect(performance.now() - t0).toBeLessThan(3000);
    } finally {
      await srv.close();
    }
  });

  it('timeouts count for the circuit breaker: maxConsecutiveFailures of them end the work', async () => {
    const srv = await stalledServer('silent');
    try {
      const c = createChatClient({ baseUrl: srv.url, timeoutMs: 200 });
      const breaker = createCircuitBreaker({ maxConsecutiveFailures: 2 });
      const err = await withRetry(() => c.chat(body), { policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 5, baseDelayMs: 0, maxDelayMs: 0 }, rng: createRng(1), breaker }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CircuitOpenError);
      expect((err as CircuitOpenError).message).toBe('stopped after 2 consecutive failed requests (the last: timeout: no complete reply within 0.2 s)');
      expect(srv.requests()).toBe(2);
    } finally {
      await srv.close();
    }
  });

  it('refuses a timeout that is not a positive number of milliseconds within a timer\'s range', () => {
    for (const t of [0, -1, Number.NaN, Infinity, 2 ** 31]) {
      expect(() => createChatClient({ baseUrl: 'http://127.0.0.1:1/v1', timeoutMs: t })).toThrow(/timeoutMs: expected a number of milliseconds > 0 and ≤ 2147483647/);
    }
  });
});
