/**
 * Time, injectable: the rate limiter, retry backoff and circuit breaker read the time and wait through
 * a {@link Clock}, so tests drive them with {@link createFakeClock} instead of real waiting.
 */
import { AbortedError } from './errors.js';

export interface Clock {
  /** Milliseconds (monotonic). */
  now(): number;
  /** Call `fn` after `ms`; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock (performance.now and ordinary timers, which keep the process alive while a run waits). */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

function abortReason(signal: AbortSignal): Error {
  const r = signal.reason as unknown;
  return r instanceof Error ? r : new AbortedError();
}

/** Wait `ms` on `clock`; rejects when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0 && !signal) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(abortReason(signal!));
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The rejection reason for an aborted signal (its reason if an Error, else an {@link AbortedError}). */
export function abortError(signal: AbortSignal): Error {
  return abortReason(signal);
}

/** A manual clock for tests: time moves only with {@link FakeClock.advance}. */
export interface FakeClock extends Clock {
  /** Move time forward by `ms`, firing due timers in time order (awaiting microtasks between them). */
  advance(ms: number): Promise<void>;
  /** Timers not yet fired. */
  pending(): number;
}

export function createFakeClock(start = 0): FakeClock {
  let t = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void; seq: number }>();
  const flushMicrotasks = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  return {
    now: () => t,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: t + Math.max(0, ms), fn, seq: id });
      return id;
    },
    clearTimeout(h) {
      timers.delete(h as number);
    },
    pending: () => timers.size,
    async advance(ms) {
      const end = t + ms;
      await flushMicrotasks();
      for (;;) {
        let next: { id: number; at: number; fn: () => void; seq: number } | undefined;
        for (const [id, x] of timers) {
          if (x.at <= end && (!next || x.at < next.at || (x.at === next.at && x.seq < next.seq))) next = { id, ...x };
        }
        if (!next) break;
        timers.delete(next.id);
        t = Math.max(t, next.at);
        next.fn();
        await flushMicrotasks();
      }
      t = end;
      await flushMicrotasks();
    },
  };
}
