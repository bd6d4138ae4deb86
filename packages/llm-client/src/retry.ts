/**
 * Retries, owned here (the SDK's own retries are off):
 *
 * - What is retried: 429 (rate limit), 408/409 and 5xx responses, timeouts and connection errors.
 *   A 400-class rejection of the request itself is not (the row fails); a rejected API key (401/403),
 *   an unknown model (404) or an exhausted quota (429 `insufficient_quota`) stops the whole run
 *   ({@link AnnotateFatalError}), since every further request would fail the same way.
 * - When: the server's `retry-after-ms` or `retry-after` (seconds or an HTTP date) when given (capped by
 *   `maxRetryAfterMs`), else exponential backoff with full jitter: uniform in
 *   [0, min(maxDelayMs, baseDelayMs·2^(failures−1))), drawn from a seeded {@link Rng}.
 * - How often: at most `maxAttempts` HTTP attempts per question.
 * - Circuit breaker: `threshold` consecutive retryable failures (across all requests) pause every new
 *   attempt for `pauseMs`; each further trip doubles the pause up to `maxPauseMs`; a success resets it.
 *   With `maxConsecutiveFailures` it also ENDS the work: that many consecutive failed attempts (across all
 *   requests, no success between them) of the kinds that say the server is down or broken — connection
 *   errors, timeouts, 5xx/408/409 and unusable 2xx bodies — stop it with {@link CircuitOpenError}
 *   (withRetry throws it; every waiter of the breaker gets it). A 429 neither counts nor resets the count:
 *   the server is up and asks us to wait, and its wait is honoured. Failures of requests sent before a
 *   pause that end during it count for neither (one outage, not many).
 */
import { ConceptlabError, InvalidArgumentError, type Rng } from '@conceptlab/core';
import { abortError, sleep, systemClock, type Clock } from './clock.js';
import { AnnotateFatalError } from './errors.js';

export type FailureKind =
  | 'rate-limit' // 429
  | 'server' // 5xx, 408, 409
  | 'timeout'
  | 'connection'
  | 'bad-request' // other 4xx: the request itself is wrong (e.g. too long); not retried
  | 'auth' // 401, 403: fatal
  | 'not-found' // 404 (unknown model or endpoint): fatal
  | 'quota' // 429 insufficient_quota: fatal
  | 'bad-response' // a 2xx body without a usable choice; retried
  | 'aborted';

/** One failed HTTP attempt, described without the API key. */
export interface RequestFailure {
  readonly kind: FailureKind;
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** What the server asked us to wait (retry-after-ms / retry-after), in ms. */
  readonly retryAfterMs?: number;
  /** A one-line description (redacted). */
  readonly message: string;
}

/** Thrown by a request function for a failed attempt. */
export class RequestFailedError extends ConceptlabError {
  readonly _tag = 'RequestFailedError' as const;
  readonly failure: RequestFailure;
  constructor(failure: RequestFailure) {
    super(failure.message);
    this.name = 'RequestFailedError';
    this.failure = failure;
  }
}

export function isRetryable(kind: FailureKind): boolean {
  return kind === 'rate-limit' || kind === 'server' || kind === 'timeout' || kind === 'connection' || kind === 'bad-response';
}

export function isFatal(kind: FailureKind): boolean {
  return kind === 'auth' || kind === 'not-found' || kind === 'quota';
}

/** The failure kind of an HTTP status (and the error code the body carried, if any). */
export function kindOfStatus(status: number, code?: string | null): FailureKind {
  if (status === 429) return code === 'insufficient_quota' ? 'quota' : 'rate-limit';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 408 || status === 409 || status >= 500) return 'server';
  return 'bad-request';
}

export interface RetryPolicy {
  /** HTTP attempts per question, ≥ 1 (default 6). */
  readonly maxAttempts: number;
  /** First backoff ceiling (default 1000 ms). */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling (default 60 000 ms). */
  readonly maxDelayMs: number;
  /** Largest server-requested wait honoured (default 600 000 ms). */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 60000, maxRetryAfterMs: 600000 };

export function checkRetryPolicy(p: RetryPolicy): void {
  if (!Number.isInteger(p.maxAttempts) || p.maxAttempts < 1) throw new InvalidArgumentError('maxAttempts', 'an integer ≥ 1', p.maxAttempts);
  if (!(p.baseDelayMs >= 0)) throw new InvalidArgumentError('baseDelayMs', 'a number ≥ 0', p.baseDelayMs);
  if (!(p.maxDelayMs >= p.baseDelayMs)) throw new InvalidArgumentError('maxDelayMs', `a number ≥ baseDelayMs (${p.baseDelayMs})`, p.maxDelayMs);
  if (!(p.maxRetryAfterMs >= 0)) throw new InvalidArgumentError('maxRetryAfterMs', 'a number ≥ 0', p.maxRetryAfterMs);
}

/** Full-jitter backoff after `failures` (≥ 1) failed attempts. */
export function backoffDelay(failures: number, policy: RetryPolicy, rng: Rng): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(60, Math.max(0, failures - 1)));
  return rng.nextFloat() * ceiling;
}

/** The wait before the next attempt: the server's retry-after when given, else {@link backoffDelay}. */
export function retryDelay(failures: number, failure: RequestFailure, policy: RetryPolicy, rng: Rng): number {
  if (failure.retryAfterMs !== undefined) return Math.min(policy.maxRetryAfterMs, Math.max(0, failure.retryAfterMs));
  return backoffDelay(failures, policy, rng);
}

/**
 * The wait a response asks for, in ms: `retry-after-ms` (milliseconds), else `retry-after` (seconds, or
 * an HTTP date relative to `nowMs`). Undefined when absent or unreadable.
 */
export function parseRetryAfter(header: (name: string) => string | null | undefined, nowMs = Date.now()): number | undefined {
  const ms = header('retry-after-ms');
  if (ms != null && ms.trim() !== '') {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const s = header('retry-after');
  if (s != null && s.trim() !== '') {
    const v = Number(s);
    if (Number.isFinite(v) && v >= 0) return v * 1000;
    const date = Date.parse(s);
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------

/** The circuit breaker ended the work: too many consecutive failed requests (see the module comment). */
export class CircuitOpenError extends ConceptlabError {
  readonly _tag = 'CircuitOpenError' as const;
  /** The consecutive failures that ended it. */
  readonly failures: number;
  /** The last failure (redacted, as the request function described it). */
  readonly lastFailure: RequestFailure | undefined;
  constructor(failures: number, lastFailure: RequestFailure | undefined) {
    super(`stopped after ${failures} consecutive failed requests` + (lastFailure ? ` (the last: ${lastFailure.message.replace(/[.\s]+$/, '')})` : ''));
    this.name = 'CircuitOpenError';
    this.failures = failures;
    this.lastFailure = lastFailure;
  }
}

/** Failure kinds that count towards `maxConsecutiveFailures` (the server is down or broken). */
export function countsAsOutage(kind: FailureKind): boolean {
  return kind === 'connection' || kind === 'timeout' || kind === 'server' || kind === 'bad-response';
}

export interface CircuitBreakerOptions {
  /**
   * Consecutive failed attempts of an outage kind ({@link countsAsOutage}) that end the work with
   * {@link CircuitOpenError} (default: never).
   */
  readonly maxConsecutiveFailures?: number;
  /** Consecutive retryable failures that trip it (default 8). */
  readonly threshold?: number;
  /** First pause (default 5000 ms). */
  readonly pauseMs?: number;
  /** Longest pause (default 300 000 ms). */
  readonly maxPauseMs?: number;
  readonly clock?: Clock;
  /** Called when a pause starts (with its length) and when it ends. */
  readonly onChange?: (state: { paused: boolean; pauseMs: number; pauses: number }) => void;
}

export interface CircuitBreaker {
  success(): void;
  /** A failed retryable attempt; its description decides whether it counts towards the stop. */
  failure(failure?: RequestFailure): void;
  /**
   * Resolves at once when not paused, else when the pause ends.
   * Rejects with {@link CircuitOpenError} once stopped, with the signal's reason when aborted.
   */
  whenClosed(signal?: AbortSignal): Promise<void>;
  /** The error that ended the work, once `maxConsecutiveFailures` is reached. */
  readonly stopped: CircuitOpenError | undefined;
  /** End a running pause now and set no timer again (call when the work ends, so no timer outlives it). */
  close(): void;
  readonly paused: boolean;
  /** Pauses so far. */
  readonly pauses: number;
  /** Milliseconds spent paused so far (including a running pause). */
  readonly pausedMs: number;
}

export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const clock = options.clock ?? systemClock;
  const threshold = options.threshold ?? 8;
  const basePause = options.pauseMs ?? 5000;
  const maxPause = options.maxPauseMs ?? 300000;
  if (!Number.isInteger(threshold) || threshold < 1) throw new InvalidArgumentError('threshold', 'an integer ≥ 1', threshold);
  if (!(basePause > 0)) throw new InvalidArgumentError('pauseMs', 'a positive number', basePause);
  if (!(maxPause >= basePause)) throw new InvalidArgumentError('maxPauseMs', `a number ≥ pauseMs (${basePause})`, maxPause);
  const maxFailures = options.maxConsecutiveFailures ?? Infinity;
  if (maxFailures !== Infinity && (!Number.isInteger(maxFailures) || maxFailures < 1)) {
    throw new InvalidArgumentError('maxConsecutiveFailures', 'an integer ≥ 1', maxFailures);
  }
  let outage = 0;
  let stopped: CircuitOpenError | undefined;
  let closed = false;
  let timer: unknown;
  let consecutive = 0;
  let nextPause = basePause;
  let pausedUntil = -Infinity;
  let pauseStarted = 0;
  let pausedTotal = 0;
  let pauses = 0;
  let waiting: Promise<void> | undefined;
  let endPause: (() => void) | undefined;

  const isPaused = (): boolean => clock.now() < pausedUntil;

  /** End the running pause (if any) now. */
  const endNow = (): void => {
    if (!waiting) return;
    clock.clearTimeout(timer);
    timer = undefined;
    pausedTotal += Math.max(0, clock.now() - pauseStarted);
    pausedUntil = -Infinity;
    const done = endPause;
    waiting = undefined;
    endPause = undefined;
    done?.();
  };

  const open = (): void => {
    if (closed) return;
    const ms = nextPause;
    nextPause = Math.min(maxPause, nextPause * 2);
    consecutive = 0;
    pauses++;
    pauseStarted = clock.now();
    pausedUntil = pauseStarted + ms;
    waiting = new Promise<void>((resolve) => {
      endPause = resolve;
    });
    timer = clock.setTimeout(() => {
      timer = undefined;
      pausedTotal += ms;
      pausedUntil = -Infinity;
      const done = endPause;
      waiting = undefined;
      endPause = undefined;
      options.onChange?.({ paused: false, pauseMs: ms, pauses });
      done?.();
    }, ms);
    options.onChange?.({ paused: true, pauseMs: ms, pauses });
  };

  return {
    success() {
      consecutive = 0;
      outage = 0;
      nextPause = basePause;
    },
    failure(f) {
      if (stopped || waiting) return; // failures of requests sent before the pause do not extend it
      if (f === undefined || countsAsOutage(f.kind)) {
        outage++;
        if (outage >= maxFailures) {
          stopped = new CircuitOpenError(outage, f);
          endNow(); // waiters wake and see `stopped`
          return;
        }
      }
      consecutive++;
      if (consecutive >= threshold) open();
    },
    whenClosed(signal) {
      if (signal?.aborted) return Promise.reject(abortError(signal));
      if (stopped) return Promise.reject(stopped);
      if (!waiting) return Promise.resolve();
      const w = waiting;
      const after = (): Promise<void> => (stopped ? Promise.reject(stopped) : Promise.resolve());
      if (!signal) return w.then(after);
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(abortError(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        void w.then(() => {
          signal.removeEventListener('abort', onAbort);
          if (stopped) reject(stopped);
          else resolve();
        });
      });
    },
    get stopped() {
      return stopped;
    },
    close() {
      closed = true;
      endNow();
    },
    get paused() {
      return waiting !== undefined && isPaused();
    },
    get pauses() {
      return pauses;
    },
    get pausedMs() {
      return pausedTotal + (waiting ? Math.max(0, clock.now() - pauseStarted) : 0);
    },
  };
}

// ---------------------------------------------------------------------------------------------------

export interface RetryContext {
  readonly policy: RetryPolicy;
  readonly rng: Rng;
  readonly clock?: Clock;
  readonly breaker?: CircuitBreaker;
  readonly signal?: AbortSignal;
  /** Called after each failed attempt with the wait before the next (undefined when none follows). */
  readonly onFailure?: (failure: RequestFailure, attempt: number, delayMs: number | undefined) => void;
}

export type RetryOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | { readonly ok: false; readonly failure: RequestFailure; readonly attempts: number };

/**
 * Run `attempt(n)` (n = 1, 2, …) until it succeeds, fails in a way not worth retrying, or `maxAttempts`
 * is reached. The attempt function throws {@link RequestFailedError} for a failed attempt; any other
 * error propagates at once.
 *
 * @throws AnnotateFatalError for auth / not-found / quota failures; CircuitOpenError when the breaker
 *   ends the work; the signal's reason when aborted.
 */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, ctx: RetryContext): Promise<RetryOutcome<T>> {
  const clock = ctx.clock ?? systemClock;
  for (let n = 1; ; n++) {
    if (ctx.breaker) await ctx.breaker.whenClosed(ctx.signal);
    if (ctx.signal?.aborted) throw abortError(ctx.signal);
    try {
      const value = await attempt(n);
      ctx.breaker?.success();
      return { ok: true, value, attempts: n };
    } catch (e) {
      if (!(e instanceof RequestFailedError)) throw e;
      const f = e.failure;
      if (f.kind === 'aborted') throw ctx.signal?.aborted ? abortError(ctx.signal) : e;
      if (isFatal(f.kind)) {
        ctx.onFailure?.(f, n, undefined);
        throw new AnnotateFatalError(f.kind, f.status, f.message);
      }
      if (!isRetryable(f.kind)) {
        ctx.onFailure?.(f, n, undefined);
        return { ok: false, failure: f, attempts: n };
      }
      ctx.breaker?.failure(f);
      if (ctx.breaker?.stopped) {
        ctx.onFailure?.(f, n, undefined);
        throw ctx.breaker.stopped;
      }
      if (n >= ctx.policy.maxAttempts) {
        ctx.onFailure?.(f, n, undefined);
        return { ok: false, failure: f, attempts: n };
      }
      const delay = retryDelay(n, f, ctx.policy, ctx.rng);
      ctx.onFailure?.(f, n, delay);
      await sleep(clock, delay, ctx.signal);
    }
  }
}
