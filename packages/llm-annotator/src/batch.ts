/**
 * `annotate --batch`: the same questions through the OpenAI Batch API (half price, results within 24 h).
 *
 * 1. Pending (and failed) rows not already in a batch are built exactly as online (same request bodies,
 *    so the cache and the journal's request keys are shared); identical earlier requests are answered
 *    from the cache; the rest are written as JSONL request files within the API's limits
 *    (≤ 50,000 requests and ≤ 200 MB per file), `custom_id` = the row.
 * 2. Each file is uploaded (`files.create({ purpose: 'batch' })`) and a batch created (`batches.create`).
 *    Before each step the journal records what is about to happen (rows → batch in `batch_rows`; the
 *    batch list, with file and batch ids, in meta `batches`), so a killed process never loses a batch it
 *    paid for: a resumed run adopts a batch whose id it had not yet stored (found by its input file) and
 *    continues polling the others.
 * 3. Batches are polled (`batches.retrieve`, every `pollIntervalMs`) until done; the output and error
 *    files are downloaded and ingested: 200 replies are parsed (answered, or re-asked in a later batch
 *    with another `seed`, or unparsed), other lines and rows without a line (expired, cancelled) are
 *    `failed` — a later run asks them again.
 * Every result line is recorded as an attempt (latency 0) and its tokens are billed at the batch price.
 */
import { createCacheLookup } from './cache-lookup.js';
import { randomBytes } from 'node:crypto';
import { toFile } from 'openai';
import { InvalidArgumentError, createRng, type ProgressEvent } from '@conceptlab/core';
import {
  prepareAnnotation,
  storedReply,
  type AnnotateOptions,
  journalStanding,
  type JournalStanding,
  type PreparedAnnotation,
} from './annotate.js';
import {
  sleep,
  systemClock,
  AnnotateFatalError,
  costUsd,
  RequestFailedError,
  createCircuitBreaker,
  withRetry,
} from '@conceptlab/llm-client';
import { openJournal, openJournalReadOnly, type BatchRow, type Journal, type StoredReply } from './journal/index.js';

/** The Batch API's per-file limits. */
export const BATCH_LIMITS = { maxRequests: 50000, maxBytes: 200_000_000 } as const;
export const BATCH_ENDPOINT = '/v1/chat/completions';

export interface BatchAnnotateOptions extends AnnotateOptions {
  /** Milliseconds between status polls (default 60 000). */
  readonly pollIntervalMs?: number;
  /** Requests per file (≤ 50,000; default 50,000). */
  readonly maxRequestsPerFile?: number;
  /** Bytes per file (≤ 200 MB; default 200,000,000). */
  readonly maxBytesPerFile?: number;
  /** Upload and create the batches, record them, and return without waiting. */
  readonly submitOnly?: boolean;
}

export type BatchStatus = 'uploading' | 'creating' | 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

/** A batch as the journal records it (meta `batches`). */
export interface BatchEntry {
  /** Our id of the batch (also its `metadata.conceptlab_batch`). */
  readonly key: string;
  inputFileId: string | null;
  id: string | null;
  status: BatchStatus;
  readonly requests: number;
  readonly bytes: number;
  readonly createdAt: string;
  outputFileId?: string | null;
  errorFileId?: string | null;
  requestCounts?: { total: number; completed: number; failed: number };
  /** Results written into the journal. */
  ingested: boolean;
  error?: string;
}

export interface BatchAnnotateSummary extends JournalStanding {
  /** Every batch the journal knows. */
  readonly batches: readonly BatchEntry[];
  /** In this call: batches created, batches ingested, questions answered from the cache, result lines read. */
  readonly submitted: number;
  readonly ingested: number;
  readonly cached: number;
  readonly resultLines: number;
  /** Estimated USD of this call's batch results (batch price). */
  readonly costUsd: number | undefined;
  readonly elapsedMs: number;
  readonly aborted: boolean;
}

const TERMINAL = new Set<BatchStatus>(['failed', 'completed', 'expired', 'cancelled']);

interface ResultLine {
  custom_id?: unknown;
  response?: { status_code?: number; body?: unknown } | null;
  error?: { code?: string; message?: string } | null;
}

/** What the steps of one {@link annotateBatch} call share. */
interface BatchRun {
  readonly o: BatchAnnotateOptions;
  readonly t0: number;
  readonly clock: NonNullable<AnnotateOptions['clock']>;
  readonly pollMs: number;
  readonly maxRequests: number;
  readonly maxBytes: number;
  readonly prep: PreparedAnnotation;
  /** The OpenAI SDK of the run's client (Files and Batches APIs). */
  readonly api: PreparedAnnotation['client']['openai'];
  readonly journal: Journal;
  /** The read-only journals of `cacheFrom` (opened by {@link annotateBatch}, closed with the journal). */
  readonly caches: Journal[];
  readonly rng: ReturnType<typeof createRng>;
  readonly breaker: ReturnType<typeof createCircuitBreaker>;
  readonly lookup: ReturnType<typeof createCacheLookup>;
  /** Every batch the journal knows (meta `batches`), updated in place and saved after each step. */
  readonly entries: BatchEntry[];
  /** This call's counts, and the state its progress events report. */
  readonly st: { submitted: number; ingested: number; cached: number; lines: number; done: number; promptTokens: number; completionTokens: number; phase: string };
  /** Rows to do when the call started (the progress total). */
  total: number;
}

/** Prepare: check the batch options, prepare the requests (as online), check the endpoint and open the journal. */
async function prepareBatchRun(o: BatchAnnotateOptions): Promise<BatchRun> {
  const t0 = performance.now();
  const clock = o.clock ?? systemClock;
  const pollMs = o.pollIntervalMs ?? 60000;
  if (!(pollMs >= 0)) throw new InvalidArgumentError('pollIntervalMs', 'a number ≥ 0', pollMs);
  const maxRequests = o.maxRequestsPerFile ?? BATCH_LIMITS.maxRequests;
  const maxBytes = o.maxBytesPerFile ?? BATCH_LIMITS.maxBytes;
  if (!Number.isInteger(maxRequests) || maxRequests < 1 || maxRequests > BATCH_LIMITS.maxRequests) {
    throw new InvalidArgumentError('maxRequestsPerFile', `an integer in [1, ${BATCH_LIMITS.maxRequests}]`, maxRequests);
  }
  if (!Number.isInteger(maxBytes) || maxBytes < 1024 || maxBytes > BATCH_LIMITS.maxBytes) {
    throw new InvalidArgumentError('maxBytesPerFile', `an integer in [1024, ${BATCH_LIMITS.maxBytes}]`, maxBytes);
  }
  const prep = prepareAnnotation(o);
  const { config } = prep;
  if (prep.images) await prep.images.validate(o.triplets.data); // every image exists once and decodes
  await prep.preflight(o.signal); // the endpoint answers, before the journal is created or opened
  const journal = openJournal(o.journalFile, config, { resume: o.resume, triplets: o.triplets, flushIntervalMs: o.flushIntervalMs, flushRows: o.flushRows });
  const caches: Journal[] = [];
  const rng = createRng(config.presentationSeed, 2);
  const breaker = createCircuitBreaker({ ...o.breaker, clock });
  const st = { submitted: 0, ingested: 0, cached: 0, lines: 0, done: 0, promptTokens: 0, completionTokens: 0, phase: 'submitting' };
  const entries: BatchEntry[] = JSON.parse(journal.getMeta('batches') ?? '[]') as BatchEntry[];
  const lookup = createCacheLookup(journal, caches, o.cache !== false);
  return { o, t0, clock, pollMs, maxRequests, maxBytes, prep, api: prep.client.openai, journal, caches, rng, breaker, lookup, entries, st, total: 0 };
}

/** Record the batch list in the journal (meta `batches`). */
function saveEntries(run: BatchRun): void {
  run.journal.setMeta('batches', JSON.stringify(run.entries));
}

function emitProgress(run: BatchRun, phase: ProgressEvent['phase']): void {
  const { o, st, entries } = run;
  const price = run.prep.price;
  if (!o.onProgress) return;
  const elapsedMs = performance.now() - run.t0;
  const c = run.journal.counts();
  o.onProgress({
    task: 'annotate-batch',
    phase,
    done: st.done,
    total: run.total,
    unit: 'triplets',
    elapsedMs,
    rate: elapsedMs > 0 ? (st.done * 1000) / elapsedMs : 0,
    detail: {
      state: st.phase,
      answered: c.answered,
      unparsed: c.unparsed,
      failed: c.failed,
      pending: c.pending,
      batchesActive: entries.filter((e) => !e.ingested).length,
      batchesIngested: entries.filter((e) => e.ingested).length,
      requestsCompleted: entries.filter((e) => !e.ingested).reduce((s, e) => s + (e.requestCounts?.completed ?? 0), 0),
      requestsInBatches: entries.filter((e) => !e.ingested).reduce((s, e) => s + e.requests, 0),
      cached: st.cached,
      ...(price ? { costUsd: costUsd(st.promptTokens, st.completionTokens, price, { batch: true }) } : {}),
    },
  });
}

/** One Batch/Files API call with the retry policy (transient failures retried; others thrown, redacted). */
async function batchApiCall<T>(run: BatchRun, what: string, fn: () => Promise<T>): Promise<T> {
  const { client, policy } = run.prep;
  const r = await withRetry(
    async () => {
      try {
        return await fn();
      } catch (e) {
        throw new RequestFailedError(client.describeError(e));
      }
    },
    { policy, rng: run.rng, clock: run.clock, breaker: run.breaker, signal: run.o.signal },
  );
  if (!r.ok) throw new AnnotateFatalError(r.failure.kind, r.failure.status, client.redact(`${what}: ${r.failure.message}`));
  return r.value;
}

/**
 * Settle one reply of (row, ask): answered → final; unparsed → re-ask later (kept) or final.
 * Returns true when the row is final.
 */
function settle(
  run: BatchRun,
  row: number,
  ask: number,
  reply: StoredReply,
  key: string,
  source: 'batch' | 'cache',
  labels: ReturnType<PreparedAnnotation['labels']>,
  attempts: number,
): boolean {
  const { prep, journal, st } = run;
  const parsed = prep.parse(reply, labels);
  if (parsed.status === 'parsed') {
    journal.recordFinal({ row, status: 'answered', choicePosition: parsed.position, via: parsed.via, reply, attempts, asks: ask + 1, source, requestKey: key });
    st.done++;
    return true;
  }
  if (ask < prep.reaskMax) {
    journal.recordReask({ ...reply, row, ask, reason: parsed.reason, requestKey: key, source, time: Date.now() });
    return false;
  }
  journal.recordFinal({ row, status: 'unparsed', reply, attempts, asks: ask + 1, source, error: parsed.reason, requestKey: key });
  st.done++;
  return true;
}

/** Upload one request file and create its batch (recording each step first). */
async function sendBatch(run: BatchRun, lines: readonly string[], rows: readonly BatchRow[]): Promise<void> {
  const { journal, entries } = run;
  const api = run.api;
  const key = `clb_${randomBytes(8).toString('hex')}`;
  const data = Buffer.from(lines.join('\n') + '\n');
  // Record first: the rows are taken, and the batch is known even if we die during the upload.
  journal.assignBatch(key, rows);
  const entry: BatchEntry = { key, inputFileId: null, id: null, status: 'uploading', requests: rows.length, bytes: data.length, createdAt: new Date().toISOString(), ingested: false };
  entries.push(entry);
  saveEntries(run);
  const file = await batchApiCall(run, 'files.create', async () => api.files.create({ file: await toFile(data, `${key}.jsonl`, { type: 'application/jsonl' }), purpose: 'batch' }));
  entry.inputFileId = file.id;
  entry.status = 'creating';
  saveEntries(run);
  await createBatch(run, entry);
  run.st.submitted++;
  emitProgress(run, 'update');
}

/** Create the batch of an uploaded file and record its id. */
async function createBatch(run: BatchRun, entry: BatchEntry): Promise<void> {
  const api = run.api;
  const b = await batchApiCall(run, 'batches.create', () =>
    api.batches.create({ input_file_id: entry.inputFileId!, endpoint: BATCH_ENDPOINT, completion_window: '24h', metadata: { conceptlab_batch: entry.key } }),
  );
  entry.id = b.id;
  entry.status = b.status as BatchStatus;
  saveEntries(run);
}

/**
 * Submit: build and send batches for the rows to do (failed rows too when `withFailed`), one file
 * at a time (at most one file's requests in memory); identical earlier requests are answered from the cache.
 */
async function submit(run: BatchRun, withFailed: boolean): Promise<void> {
  const { prep, journal, st, maxRequests, maxBytes } = run;
  const signal = run.o.signal;
  st.phase = 'submitting';
  const todo = journal.rowsToDo();
  let lines: string[] = [];
  let rows: BatchRow[] = [];
  let bytes = 0;
  for (let i = 0; i < todo.rows.length; i++) {
    if (signal?.aborted) return;
    if (!withFailed && todo.failed[i]) continue;
    const row = todo.rows[i];
    const presented: [number, number, number] = [todo.presented[3 * i], todo.presented[3 * i + 1], todo.presented[3 * i + 2]];
    let ask = todo.asks[i];
    for (;;) {
      const req = await prep.request(presented, ask);
      const hit = run.lookup(req.key);
      if (!hit) {
        const line = JSON.stringify({ custom_id: String(row), method: 'POST', url: BATCH_ENDPOINT, body: req.body });
        const b = Buffer.byteLength(line) + 1;
        if (b > maxBytes) throw new InvalidArgumentError(`batch request of row ${row}`, `at most ${maxBytes} bytes`, b);
        if (lines.length >= maxRequests || bytes + b > maxBytes) {
          await sendBatch(run, lines, rows);
          lines = [];
          rows = [];
          bytes = 0;
        }
        lines.push(line);
        rows.push({ row, ask, requestKey: req.key });
        bytes += b;
        break;
      }
      st.cached++;
      if (settle(run, row, ask, hit, req.key, 'cache', req, todo.attempts[i])) break;
      ask++;
    }
  }
  journal.flush();
  if (lines.length > 0 && !signal?.aborted) await sendBatch(run, lines, rows);
}

/** Entries a killed run left without a batch id: adopt the batch made from their file, or make it now. */
async function recover(run: BatchRun): Promise<void> {
  const api = run.api;
  for (const e of run.entries) {
    if (e.ingested || e.id !== null) continue;
    if (e.inputFileId === null) {
      // died during the upload: nothing was created from this file; its rows are free again
      run.journal.releaseBatch(e.key);
      e.ingested = true;
      e.status = 'cancelled';
      e.error = 'upload interrupted; rows returned to pending';
      saveEntries(run);
      continue;
    }
    let found: string | undefined;
    for await (const b of await batchApiCall(run, 'batches.list', () => Promise.resolve(api.batches.list({ limit: 100 })))) {
      if (b.input_file_id === e.inputFileId || b.metadata?.conceptlab_batch === e.key) {
        found = b.id;
        e.status = b.status as BatchStatus;
        break;
      }
    }
    if (found) {
      e.id = found;
      saveEntries(run);
    } else await createBatch(run, e);
  }
}

async function download(run: BatchRun, fileId: string): Promise<string> {
  const api = run.api;
  const res = await batchApiCall(run, 'files.content', () => api.files.content(fileId));
  return await res.text();
}

/** Collect: write a finished batch's results into the journal. */
async function collect(run: BatchRun, e: BatchEntry): Promise<void> {
  const { prep, journal, st } = run;
  const client = prep.client;
  st.phase = 'ingesting';
  const sent = new Map(journal.batchRows(e.key).map((r) => [r.row, r]));
  if (e.status === 'failed') {
    journal.releaseBatch(e.key);
    e.ingested = true;
    saveEntries(run);
    throw new AnnotateFatalError('batch-failed', undefined, client.redact(`batch ${e.id} failed validation: ${e.error ?? 'see batches.retrieve'}`));
  }
  const seen = new Set<number>();
  for (const fileId of [e.outputFileId, e.errorFileId]) {
    if (!fileId) continue;
    const text = await download(run, fileId);
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      let line: ResultLine;
      try {
        line = JSON.parse(raw) as ResultLine;
      } catch {
        continue; // an unreadable line: its row gets no result and is failed below
      }
      const row = Number(line.custom_id);
      const b = sent.get(row);
      if (b === undefined || seen.has(row)) continue;
      seen.add(row);
      st.lines++;
      const attempts = b.attempts + 1;
      const status = line.response?.status_code ?? null;
      const body = line.response?.body as { choices?: { message?: unknown; finish_reason?: string | null }[]; usage?: { prompt_tokens?: number; completion_tokens?: number }; error?: { message?: string } } | undefined;
      const choice = body?.choices?.[0];
      if (status !== null && status >= 200 && status < 300 && choice?.message && typeof choice.message === 'object') {
        journal.recordAttempt({ row, attempt: attempts, ask: b.ask, statusCode: status, error: null, latencyMs: 0, time: Date.now() });
        const reply = storedReply({
          message: choice.message as Parameters<typeof storedReply>[0]['message'],
          finishReason: choice.finish_reason ?? null,
          promptTokens: typeof body?.usage?.prompt_tokens === 'number' ? body.usage.prompt_tokens : null,
          completionTokens: typeof body?.usage?.completion_tokens === 'number' ? body.usage.completion_tokens : null,
        });
        st.promptTokens += reply.promptTokens ?? 0;
        st.completionTokens += reply.completionTokens ?? 0;
        settle(run, row, b.ask, reply, b.requestKey, 'batch', prep.labels(b.presented), attempts);
      } else {
        const msg = client.redact(`batch result: ${status !== null ? `HTTP ${status} ` : ''}${body?.error?.message ?? line.error?.message ?? 'no response'}`.slice(0, 500));
        journal.recordAttempt({ row, attempt: attempts, ask: b.ask, statusCode: status, error: msg, latencyMs: 0, time: Date.now() });
        journal.recordFinal({ row, status: 'failed', attempts, asks: b.ask + 1, source: 'batch', error: msg, requestKey: b.requestKey });
        st.done++;
      }
    }
  }
  for (const [row, b] of sent) {
    if (seen.has(row)) continue;
    const msg = `batch ${e.id} ended ${e.status} without a result for this row`;
    journal.recordFinal({ row, status: 'failed', attempts: b.attempts, asks: b.ask + 1, source: 'batch', error: msg, requestKey: b.requestKey });
    st.done++;
  }
  journal.flush();
  journal.releaseBatch(e.key);
  e.ingested = true;
  saveEntries(run);
  st.ingested++;
  emitProgress(run, 'update');
}

/** Poll the open batches until each is done, collecting each as it finishes. */
async function poll(run: BatchRun): Promise<void> {
  const { entries, st } = run;
  const api = run.api;
  for (;;) {
    const open = entries.filter((e) => !e.ingested && e.id !== null);
    if (open.length === 0) return;
    st.phase = 'waiting';
    for (const e of open) {
      const b = await batchApiCall(run, 'batches.retrieve', () => api.batches.retrieve(e.id!));
      e.status = b.status as BatchStatus;
      e.outputFileId = b.output_file_id ?? null;
      e.errorFileId = b.error_file_id ?? null;
      if (b.request_counts) e.requestCounts = { ...b.request_counts };
      if (b.errors?.data?.length) e.error = b.errors.data.map((x) => `${x.line !== null && x.line !== undefined ? `line ${x.line}: ` : ''}${x.message}`).join('; ');
      if (TERMINAL.has(e.status)) await collect(run, e);
    }
    saveEntries(run);
    if (!entries.some((e) => !e.ingested && e.id !== null)) return;
    st.phase = 'waiting';
    emitProgress(run, 'update');
    await sleep(run.clock, run.pollMs, run.o.signal);
  }
}

/** Whether rows are pending again (re-asks of unparsed replies), to be sent in a new batch. */
function hasPendingRows(journal: Journal): boolean {
  const more = journal.rowsToDo();
  let pendingRows = 0;
  for (let i = 0; i < more.rows.length; i++) if (!more.failed[i]) pendingRows++;
  return pendingRows > 0;
}

/**
 * Annotate through the Batch API; see the module comment. Resumable: run it again with `resume` to
 * continue polling the recorded batches (and submit what is left).
 *
 * @throws AnnotateFatalError when a batch fails validation, the key is rejected, or the batch endpoints
 *   keep failing; journal errors as {@link annotate}.
 */
export async function annotateBatch(options: BatchAnnotateOptions): Promise<BatchAnnotateSummary> {
  const o = options;
  const run = await prepareBatchRun(o);
  const { journal, caches, st, entries } = run;
  const price = run.prep.price;
  const signal = o.signal;
  let aborted = false;
  try {
    for (const f of o.cacheFrom ?? []) caches.push(openJournalReadOnly(f));
    const c0 = journal.counts();
    run.total = c0.pending + c0.failed + c0.missing;
    emitProgress(run, 'start');
    try {
      await recover(run);
      await submit(run, true);
      if (!o.submitOnly) {
        for (;;) {
          await poll(run);
          // re-asks of unparsed replies are pending again: send them in a new batch
          if (!hasPendingRows(journal) || signal?.aborted) break;
          await submit(run, false);
        }
      }
    } catch (e) {
      if (!signal?.aborted) throw e;
    }
    aborted = signal?.aborted === true;
    journal.flush();
    const end = journal.counts();
    emitProgress(run, 'end');
    return {
      ...journalStanding(o.journalFile, end),
      batches: entries.map((e) => ({ ...e })),
      submitted: st.submitted,
      ingested: st.ingested,
      cached: st.cached,
      resultLines: st.lines,
      costUsd: price ? costUsd(st.promptTokens, st.completionTokens, price, { batch: true }) : undefined,
      elapsedMs: performance.now() - run.t0,
      aborted,
    };
  } finally {
    run.breaker.close(); // no pause timer outlives the call
    journal.close();
    for (const j of caches) j.close();
  }
}
