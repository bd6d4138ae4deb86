/**
 * What a journal holds, for a report: how many rows were answered, unparsed, failed or are pending, the
 * parse rate, HTTP attempts and retries, tokens and estimated cost, how the parser read the replies,
 * the finish reasons, latencies, the position bias of the answers (triplet-sampler `positionBias`: does
 * the model favour a screen position?) and, given another observer's answered list of the same input
 * (e.g. the humans' answers to the same lines), the agreement on the answered rows (`agreement`).
 */
import { ShapeError, type Triplets } from '@conceptlab/core';
import { percentileSorted } from '@conceptlab/core/stats';
import { agreement, positionBias, type Agreement, type PositionBias } from '@conceptlab/triplet-sampler';
import { answeredTriplet } from './export.js';
import { openJournalReadOnly, type Journal, type JournalConfig } from './journal/index.js';
import { BATCH_DISCOUNT, priceFor, type Price } from '@conceptlab/llm-client';

export interface JournalSummary {
  readonly file: string;
  readonly config: JournalConfig;
  readonly total: number;
  readonly answered: number;
  readonly unparsed: number;
  readonly failed: number;
  /** Pending rows (and rows missing after an incomplete merge). */
  readonly pending: number;
  /** answered / (answered + unparsed); NaN when neither. */
  readonly parseRate: number;
  /** Rows by how the parser read them (name, letter, position, json, tool). */
  readonly via: Readonly<Record<string, number>>;
  readonly finishReasons: Readonly<Record<string, number>>;
  /** Rows answered from the cache, by HTTP, by the Batch API. */
  readonly sources: Readonly<Record<string, number>>;
  /** Replies replaced by a re-ask. */
  readonly reasks: number;
  readonly httpAttempts: number;
  /** Attempts beyond the first of each question. */
  readonly retries: number;
  readonly failedAttempts: number;
  /** Failed attempts by HTTP status ("timeout/connection" when none). */
  readonly failuresByStatus: Readonly<Record<string, number>>;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Estimated USD (Batch API tokens at the batch discount); undefined when no price is known. */
  readonly costUsd: number | undefined;
  readonly price: Price | undefined;
  /** Successful request latency in ms (undefined without any). */
  readonly latencyMs: { readonly mean: number; readonly p50: number; readonly p95: number } | undefined;
  /** Position of the chosen odd one out in the presented order, over answered rows. */
  readonly positionBias: PositionBias;
  /** Agreement with `compareWith` over the answered rows present in both. */
  readonly agreement?: Agreement;
}

export interface SummaryOptions {
  /** USD per 1M tokens (default: the pricing table's entry for the journal's model). */
  readonly price?: Price;
  /**
   * Another observer's answered triplets, row-aligned with the journal's input list (row r answers the
   * same set as input row r; the odd one out last). Rows beyond its end are not compared.
   */
  readonly compareWith?: Triplets;
}

/** A growable Int32Array. */
class IntList {
  data = new Int32Array(3 * 1024);
  length = 0;
  push3(a: number, b: number, c: number): void {
    if (this.length + 3 > this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = a;
    this.data[this.length++] = b;
    this.data[this.length++] = c;
  }
  triplets(): Triplets {
    return { count: this.length / 3, data: this.data.subarray(0, this.length) };
  }
}

/**
 * Summarise a journal (an open journal or a file).
 * @throws InvalidArgumentError (from `agreement`) naming the first row whose set differs from
 *   `compareWith`'s, i.e. when the lists are not row-aligned.
 */
export function summarizeJournal(journal: Journal | string, options: SummaryOptions = {}): JournalSummary {
  const j = typeof journal === 'string' ? openJournalReadOnly(journal) : journal;
  try {
    const counts = j.counts();
    const usage = j.usage();
    const via: Record<string, number> = {};
    const finishReasons: Record<string, number> = {};
    const sources: Record<string, number> = {};
    const answered = new IntList(), presented = new IntList(), compared = new IntList(), other = new IntList();
    const cmp = options.compareWith;
    for (const it of j.items()) {
      if (it.finishReason) finishReasons[it.finishReason] = (finishReasons[it.finishReason] ?? 0) + 1;
      if (it.source) sources[it.source] = (sources[it.source] ?? 0) + 1;
      const t = answeredTriplet(it);
      if (!t) continue;
      if (it.via) via[it.via] = (via[it.via] ?? 0) + 1;
      answered.push3(t[0], t[1], t[2]);
      presented.push3(it.presented[0], it.presented[1], it.presented[2]);
      if (cmp && it.row < cmp.count) {
        compared.push3(t[0], t[1], t[2]);
        other.push3(cmp.data[3 * it.row], cmp.data[3 * it.row + 1], cmp.data[3 * it.row + 2]);
      }
    }
    const bias = positionBias(answered.triplets(), presented.triplets());
    let agree: Agreement | undefined;
    if (cmp) {
      if (!(cmp.data instanceof Int32Array) || cmp.data.length !== cmp.count * 3) throw new ShapeError('compareWith: expected Triplets');
      agree = agreement(compared.triplets(), other.triplets());
    }

    // Attempts: retries, failures by status, latency of successes.
    const stats = attemptStats(j);
    const price = priceFor(j.config.model, options.price);
    let cost: number | undefined;
    if (price) {
      const online = (p: number, c: number): number => (p * price.inputPerMillion + c * price.outputPerMillion) / 1e6;
      const batchCost = online(usage.batchPromptTokens, usage.batchCompletionTokens) * BATCH_DISCOUNT;
      cost = online(usage.promptTokens - usage.batchPromptTokens, usage.completionTokens - usage.batchCompletionTokens) + batchCost;
    }
    const decided = counts.answered + counts.unparsed;
    return {
      file: j.file,
      config: j.config,
      total: counts.total,
      answered: counts.answered,
      unparsed: counts.unparsed,
      failed: counts.failed,
      pending: counts.pending + counts.missing,
      parseRate: decided > 0 ? counts.answered / decided : NaN,
      via,
      finishReasons,
      sources,
      reasks: stats.reasks,
      httpAttempts: usage.httpAttempts,
      retries: stats.retries,
      failedAttempts: usage.failedAttempts,
      failuresByStatus: stats.failuresByStatus,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      costUsd: cost,
      price,
      latencyMs: stats.latency,
      positionBias: bias,
      ...(agree ? { agreement: agree } : {}),
    };
  } finally {
    if (typeof journal === 'string') j.close();
  }
}

interface AttemptStats {
  readonly retries: number;
  readonly reasks: number;
  readonly failuresByStatus: Record<string, number>;
  readonly latency: JournalSummary['latencyMs'];
}

/** Retries = attempts − distinct (row, ask) questions; latencies of 2xx attempts. */
function attemptStats(j: Journal): AttemptStats {
  let attempts = 0;
  const questions = new Set<number>();
  const failuresByStatus: Record<string, number> = {};
  const lat: number[] = [];
  for (const a of j.attempts()) {
    attempts++;
    questions.add(a.row * 1024 + a.ask);
    const ok = a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300;
    if (ok) {
      if (a.latencyMs > 0) lat.push(a.latencyMs);
    } else {
      const k = a.statusCode === null ? 'timeout/connection' : String(a.statusCode);
      failuresByStatus[k] = (failuresByStatus[k] ?? 0) + 1;
    }
  }
  let reasks = 0;
  for (const _ of j.reasks()) reasks++;
  const sorted = Float64Array.from(lat).sort();
  return {
    retries: attempts - questions.size,
    reasks,
    failuresByStatus,
    latency: sorted.length > 0 ? { mean: lat.reduce((s, x) => s + x, 0) / lat.length, p50: percentileSorted(sorted, 50), p95: percentileSorted(sorted, 95) } : undefined,
  };
}
