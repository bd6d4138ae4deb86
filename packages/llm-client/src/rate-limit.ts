/**
 * Client-side limits on how hard a run pushes the API: at most `concurrency` requests in flight, and
 * token buckets for requests per minute (`rpm`) and tokens per minute (`tpm`).
 *
 * - Each bucket refills continuously at limit/60 000 per ms up to a capacity of `burstMs` worth of the
 *   limit (1 s by default: providers enforce per-minute limits over shorter windows), at least one unit.
 *   A request that costs more than the capacity is admitted when the bucket is full and drives it
 *   negative, so the long-run rate never exceeds the limit.
 * - Tokens are estimated before a request (prompt estimate + max_tokens, as providers count them) and
 *   corrected with the reported usage when the permit is released (an error refunds everything).
 * - Fair: waiters are admitted strictly first come, first served; a large request at the head is not
 *   overtaken by smaller ones, so none starves.
 * - Awaitable and abortable; time comes from an injectable {@link Clock} (tests use a fake one).
 */
import { InvalidArgumentError } from '@conceptlab/core';
import { abortError, systemClock, type Clock } from './clock.js';

export interface RateLimitOptions {
  /** Requests in flight at once (≥ 1). */
  readonly concurrency: number;
  /** Requests per minute; undefined, 0 or Infinity: unlimited. */
  readonly rpm?: number;
  /** Tokens per minute; undefined, 0 or Infinity: unlimited. */
  readonly tpm?: number;
  /** Bucket capacity as milliseconds of the limit (default 1000). */
  readonly burstMs?: number;
  readonly clock?: Clock;
}

/** Held while a request runs; release it exactly once (later calls are ignored). */
export interface Permit {
  /** Milliseconds spent waiting for it. */
  readonly waitedMs: number;
  /**
   * Give the concurrency slot back and settle the token estimate: `actualTokens` is what the request
   * really used (prompt + completion); omitted or 0 refunds the estimate (a failed request).
   */
  release(actualTokens?: number): void;
}

export interface RateLimiterStats {
  readonly active: number;
  readonly waiting: number;
  /** Current bucket levels (Infinity when unlimited). */
  readonly requestsAvailable: number;
  readonly tokensAvailable: number;
}

export interface RateLimiter {
  /** Wait for a slot and for `estimatedTokens` tokens (and one request) in the buckets. */
  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<Permit>;
  stats(): RateLimiterStats;
}

const EPS = 1e-9;

class Bucket {
  private level: number;
  private last: number;
  readonly capacity: number;
  private readonly perMs: number;

  constructor(perMinute: number, burstMs: number, now: number) {
    this.perMs = perMinute / 60000;
    this.capacity = Math.max(1, this.perMs * burstMs);
    this.level = this.capacity;
    this.last = now;
  }

  refill(now: number): void {
    if (now > this.last) {
      this.level = Math.min(this.capacity, this.level + (now - this.last) * this.perMs);
      this.last = now;
    }
  }

  /** Milliseconds until `cost` can be taken (0 = now). */
  waitMs(cost: number): number {
    const need = Math.min(cost, this.capacity) - this.level;
    return need <= EPS ? 0 : need / this.perMs;
  }

  take(cost: number): void {
    this.level -= cost;
  }

  /** Return (positive) or charge (negative) tokens after the fact. */
  adjust(delta: number): void {
    this.level = Math.min(this.capacity, this.level + delta);
  }

  get available(): number {
    return this.level;
  }
}

interface Waiter {
  readonly tokens: number;
  readonly enqueuedAt: number;
  readonly resolve: (p: Permit) => void;
  readonly reject: (e: unknown) => void;
  readonly signal: AbortSignal | undefined;
  onAbort?: () => void;
}

function limitOf(name: string, v: number | undefined): number | undefined {
  if (v === undefined || v === 0 || v === Infinity) return undefined;
  if (!(v > 0) || !Number.isFinite(v)) throw new InvalidArgumentError(name, 'a positive number (or 0 / omitted for no limit)', v);
  return v;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const clock = options.clock ?? systemClock;
  const concurrency = options.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidArgumentError('concurrency', 'an integer ≥ 1', concurrency);
  const burstMs = options.burstMs ?? 1000;
  if (!(burstMs > 0)) throw new InvalidArgumentError('burstMs', 'a positive number of milliseconds', burstMs);
  const rpm = limitOf('rpm', options.rpm);
  const tpm = limitOf('tpm', options.tpm);
  const requests = rpm !== undefined ? new Bucket(rpm, burstMs, clock.now()) : undefined;
  const tokens = tpm !== undefined ? new Bucket(tpm, burstMs, clock.now()) : undefined;

  const queue: Waiter[] = [];
  let active = 0;
  let timer: unknown;
  let timerAt = Infinity;

  const clearTimer = (): void => {
    if (timer !== undefined) {
      clock.clearTimeout(timer);
      timer = undefined;
      timerAt = Infinity;
    }
  };

  const admit = (w: Waiter, now: number): void => {
    active++;
    requests?.take(1);
    tokens?.take(w.tokens);
    if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
    let released = false;
    w.resolve({
      waitedMs: now - w.enqueuedAt,
      release(actualTokens?: number) {
        if (released) return;
        released = true;
        active--;
        if (tokens) {
          tokens.refill(clock.now());
          tokens.adjust(w.tokens - (actualTokens !== undefined && actualTokens > 0 ? actualTokens : 0));
        }
        pump();
      },
    });
  };

  const pump = (): void => {
    while (queue.length > 0 && active < concurrency) {
      const w = queue[0];
      const now = clock.now();
      requests?.refill(now);
      tokens?.refill(now);
      const wait = Math.max(requests?.waitMs(1) ?? 0, tokens?.waitMs(w.tokens) ?? 0);
      if (wait > 0) {
        const at = now + Math.ceil(wait);
        if (timer === undefined || at < timerAt) {
          clearTimer();
          timerAt = at;
          timer = clock.setTimeout(() => {
            timer = undefined;
            timerAt = Infinity;
            pump();
          }, Math.ceil(wait));
        }
        return;
      }
      queue.shift();
      admit(w, now);
    }
    if (queue.length === 0) clearTimer();
  };

  return {
    acquire(estimatedTokens, signal) {
      if (!(estimatedTokens >= 0)) throw new InvalidArgumentError('estimatedTokens', 'a number ≥ 0', estimatedTokens);
      if (signal?.aborted) return Promise.reject(abortError(signal));
      // Fast path: nobody waiting and room now — no queue entry, no abort listener.
      if (queue.length === 0 && active < concurrency) {
        const now = clock.now();
        requests?.refill(now);
        tokens?.refill(now);
        if ((requests?.waitMs(1) ?? 0) === 0 && (tokens?.waitMs(estimatedTokens) ?? 0) === 0) {
          return new Promise<Permit>((resolve, reject) => admit({ tokens: estimatedTokens, enqueuedAt: now, resolve, reject, signal: undefined }, now));
        }
      }
      return new Promise<Permit>((resolve, reject) => {
        const w: Waiter = { tokens: estimatedTokens, enqueuedAt: clock.now(), resolve, reject, signal };
        if (signal) {
          w.onAbort = () => {
            const i = queue.indexOf(w);
            if (i >= 0) {
              queue.splice(i, 1);
              reject(abortError(signal));
              pump();
            }
          };
          signal.addEventListener('abort', w.onAbort, { once: true });
        }
        queue.push(w);
        pump();
      });
    },
    stats() {
      const now = clock.now();
      requests?.refill(now);
      tokens?.refill(now);
      return {
        active,
        waiting: queue.length,
        requestsAvailable: requests?.available ?? Infinity,
        tokensAvailable: tokens?.available ?? Infinity,
      };
    },
  };
}
