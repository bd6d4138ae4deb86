import { createRng, InvalidArgumentError, type Rng } from '@conceptlab/core';

/**
 * Faults injected into chat-completion answers, to exercise a client's retries and parser. Rates are
 * shares of requests; `errorRate + malformedRate + emptyRate` must be ≤ 1. Direct requests
 * (`POST /v1/chat/completions`) get all of them; batch lines draw from the same stream but get no
 * latency, and an injected HTTP error becomes a line with status 500 in the batch's error file.
 */
export interface FaultOptions {
  /** Delay before each chat-completion answer, in ms: a fixed value or a uniform [min, max] range. */
  readonly latencyMs?: number | readonly [number, number];
  /** Share answered with an HTTP error: half 429 (with `retry-after`), half 500. */
  readonly errorRate?: number;
  /** The `retry-after` of injected 429s, in seconds (default 1; `retry-after-ms` is sent too). */
  readonly retryAfterSeconds?: number;
  /** Share answered 200 with content no parser can read ("I cannot decide."). */
  readonly malformedRate?: number;
  /** Share answered 200 with empty content. */
  readonly emptyRate?: number;
  /** Seed of the fault stream (default: the server's seed). */
  readonly seed?: number;
}

export type FaultKind = 'none' | 'rateLimited' | 'serverError' | 'malformed' | 'empty';

export interface FaultDecision {
  readonly kind: FaultKind;
  readonly latencyMs: number;
}

function rate(name: string, v: number | undefined): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new InvalidArgumentError(`faults.${name}`, 'a number in [0, 1]', v);
  return v;
}

function nonNegative(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidArgumentError(name, 'a finite number ≥ 0', v);
  return v;
}

/**
 * Draws one fault decision per chat-completion request, in arrival order, from one seeded stream per
 * server (two uniform doubles per request: the fault, then the latency). The decision depends on how many
 * requests came before — never on the request's content — so a retry of a failed request can succeed,
 * while a server with the same seed and the same arrival sequence injects the same faults.
 */
export class FaultInjector {
  private readonly rng: Rng;
  private readonly errorRate: number;
  private readonly malformedRate: number;
  private readonly emptyRate: number;
  private readonly latency: readonly [number, number];
  readonly retryAfterSeconds: number;
  readonly active: boolean;

  constructor(options: FaultOptions = {}, defaultSeed = 0) {
    this.errorRate = rate('errorRate', options.errorRate);
    this.malformedRate = rate('malformedRate', options.malformedRate);
    this.emptyRate = rate('emptyRate', options.emptyRate);
    if (this.errorRate + this.malformedRate + this.emptyRate > 1 + 1e-12) {
      throw new InvalidArgumentError('faults', 'errorRate + malformedRate + emptyRate ≤ 1', this.errorRate + this.malformedRate + this.emptyRate);
    }
    const l = options.latencyMs ?? 0;
    if (typeof l === 'number') this.latency = [nonNegative('faults.latencyMs', l), l];
    else {
      if (!Array.isArray(l) || l.length !== 2) throw new InvalidArgumentError('faults.latencyMs', 'a number or a [min, max] pair', l);
      const lo = nonNegative('faults.latencyMs[0]', l[0]), hi = nonNegative('faults.latencyMs[1]', l[1]);
      if (hi < lo) throw new InvalidArgumentError('faults.latencyMs', 'min ≤ max', `[${lo}, ${hi}]`);
      this.latency = [lo, hi];
    }
    this.retryAfterSeconds = nonNegative('faults.retryAfterSeconds', options.retryAfterSeconds ?? 1);
    this.rng = createRng(options.seed ?? defaultSeed);
    this.active = this.errorRate + this.malformedRate + this.emptyRate > 0 || this.latency[1] > 0;
  }

  /** The fault (and latency) of the next request. */
  next(): FaultDecision {
    const u = this.rng.nextFloat();
    const v = this.rng.nextFloat();
    const [lo, hi] = this.latency;
    const latencyMs = lo + (hi - lo) * v;
    const e = this.errorRate, m = this.malformedRate, z = this.emptyRate;
    let kind: FaultKind = 'none';
    if (u < e / 2) kind = 'rateLimited';
    else if (u < e) kind = 'serverError';
    else if (u < e + m) kind = 'malformed';
    else if (u < e + m + z) kind = 'empty';
    return { kind, latencyMs };
  }
}

/** The content of a malformed answer: a reply in no answer format. */
export const MALFORMED_CONTENT = 'I cannot decide.';
