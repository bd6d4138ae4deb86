/**
 * `annotate`: ask an OpenAI-compatible model the odd-one-out question for every row of a triplet list,
 * journalled in SQLite (journal.ts), resumable, rate limited (rate-limit.ts), retried (retry.ts).
 *
 * Per row: the objects are shown in a seeded per-row order (presentation.ts); the request is built by
 * request.ts; an identical earlier request is answered from the journal's cache; otherwise it is sent,
 * retried on 429/5xx/timeouts/connection errors, and the reply is read by the parser (parse/). A choice is
 * never guessed: a reply the parser cannot read is stored `unparsed` with its raw text (after up to
 * `reask` further questions that differ only in the request's `seed`, every reply kept); a request that
 * fails `maxAttempts` times is stored `failed`, and a resumed run asks it again.
 */
import { createCacheLookup } from './cache-lookup.js';
import { setMaxListeners } from 'node:events';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkShard,
  FileError,
  InvalidArgumentError,
  assertValidTriplets,
  writeFileAtomic,
  createRng,
  type ConceptSet,
  type ProgressEvent,
  type ProgressListener,
  type Shard,
  type Triplets,
} from '@conceptlab/core';
import {
  systemClock,
  createChatClient,
  AbortedError,
  AnnotateFatalError,
  costUsd,
  priceFor,
  createRateLimiter,
  requestKey,
  DEFAULT_RETRY_POLICY,
  RequestFailedError,
  checkRetryPolicy,
  createCircuitBreaker,
  withRetry,
  checkEndpoint,
  parseBaseUrl,
  CircuitOpenError,
  type Clock,
  type ChatClient,
  type ChatMessage,
  type ChatReply,
  type ChatRequestBody,
  type Price,
  type AnnotationMode,
  type AnswerFormat,
  type ImageLayout,
  type CircuitBreakerOptions,
  type RetryPolicy,
} from '@conceptlab/llm-client';
import type { ImageFormat } from './composite.js';
import { ImageSource, type VisionImages } from './image-cache.js';
import {
  hashConcepts,
  hashTriplets,
  openJournal,
  openJournalReadOnly,
  sanitizeBaseUrl,
  type Journal,
  type JournalConfig,
  type ReaskRecord,
  type JournalCounts,
  type StoredReply,
} from './journal/index.js';
import { parseReply, type ParsedChoice } from './parse/index.js';
import { renderPrompt, type PromptTemplate } from './prompts.js';
import { DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE, buildChatRequest, type RequestSpec } from './request.js';
import { AnnotateStoppedError } from './errors.js';

export interface AnnotateOptions {
  /** OpenAI-compatible API base URL, e.g. https://api.openai.com/v1. */
  readonly baseUrl: string;
  /**
   * The endpoint's name as recorded in (and checked against) the journal, when its address is not its
   * identity — e.g. a local `conceptlab serve` on a free port, whose port changes between runs but whose
   * answers do not. Default: `baseUrl` without credentials.
   */
  readonly endpointName?: string;
  readonly model: string;
  /** Name of the environment variable that holds the API key (never the key itself). */
  readonly apiKeyEnv?: string;
  readonly concepts: ConceptSet;
  /** Unanswered sets, in the input list's order (row r of the journal = row r here). */
  readonly triplets: Triplets;
  readonly journalFile: string;
  readonly mode: AnnotationMode;
  /** Vision mode: directory of concept images `<id>.{jpg,jpeg,png,webp}`. */
  readonly imagesDir?: string;
  /** Vision mode: `composite` (default, the paper's 2620×820 image) or `separate`. */
  readonly imageLayout?: ImageLayout;
  /** Vision mode: how images are encoded (default png, lossless). */
  readonly imageFormat?: ImageFormat;
  /**
   * Vision mode: write exactly what each row asked in this call was shown into this directory (created if
   * needed), named by the row index (0-based, the journal's `row`): `<row>.<png|jpg>` (the composite) or
   * `<row>-<position>.<png|jpg>` (separate images, positions 0..2 in presentation order). For auditing.
   */
  readonly saveImagesDir?: string;
  /** From prompts.ts `resolvePrompt`. */
  readonly prompt: PromptTemplate;
  /** Default `free` (the paper's). */
  readonly answerFormat?: AnswerFormat;
  /** Default 0.01 (the paper's). */
  readonly temperature?: number;
  /** Default 1024 (text) or 2048 (vision), the paper's. */
  readonly maxTokens?: number;
  readonly topP?: number;
  /** The OpenAI `seed` request field of the first question (default: not sent); re-ask k sends seed + k. */
  readonly requestSeed?: number;
  /** Seed of the per-row presentation order (default 0). */
  readonly seed?: number;
  /** Requests in flight (default 8). */
  readonly concurrency?: number;
  /** Requests per minute (default: unlimited). */
  readonly rpm?: number;
  /** Tokens per minute (default: unlimited). */
  readonly tpm?: number;
  /** HTTP attempts per question (default 6). */
  readonly maxAttempts?: number;
  /** Backoff settings (defaults: base 1 s, cap 60 s, honour retry-after up to 10 min). */
  readonly retry?: Partial<Omit<RetryPolicy, 'maxAttempts'>>;
  /** Circuit breaker (defaults: 8 consecutive failures → pause 5 s, doubling up to 5 min). */
  readonly breaker?: Pick<CircuitBreakerOptions, 'threshold' | 'pauseMs' | 'maxPauseMs'>;
  /**
   * End the run with {@link AnnotateStoppedError} after this many consecutive failed HTTP attempts (across
   * all rows, no success between) that say the endpoint is down or broken: connection errors, timeouts,
   * 5xx/408/409, unusable 2xx bodies; 429s neither count nor reset the count (default 10). Unanswered rows
   * stay pending (or failed) for a resumed run.
   */
  readonly maxConsecutiveFailures?: number;
  /**
   * Before the journal is created or opened: check that `baseUrl` is http(s) and its server accepts a
   * connection within this many ms (llm-client's `checkEndpoint`; default 5000; 0 skips the check).
   */
  readonly preflightTimeoutMs?: number;
  /** Per-request timeout (default 180 s). */
  readonly timeoutMs?: number;
  /** Further questions after an unparsed reply (default 0). */
  readonly reask?: number;
  /** Only rows with row % n === k − 1. */
  readonly shard?: Shard;
  /** Continue an existing journal (only pending and failed rows are asked). */
  readonly resume?: boolean;
  /** Answer identical requests from the journal (default true). */
  readonly cache?: boolean;
  /** Further journals whose replies may answer identical requests (read-only). */
  readonly cacheFrom?: readonly string[];
  /** USD per 1M tokens; default: the pricing table's entry for the model, if any. */
  readonly price?: Price;
  readonly onProgress?: ProgressListener;
  /** Minimum ms between progress updates (default 250). */
  readonly progressIntervalMs?: number;
  /** Stops the run: in-flight requests are dropped (their rows stay pending), the journal is flushed. */
  readonly signal?: AbortSignal;
  /** Environment to read the API key from (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Journal write batching (default 50 ms / 512 rows). */
  readonly flushIntervalMs?: number;
  readonly flushRows?: number;
  /** Time source of limiter, backoff and breaker (tests). */
  readonly clock?: Clock;
}

/** Where a journal stands at the end of a call (direct or batch). */
export interface JournalStanding {
  readonly journalFile: string;
  /** Rows of the journal (its shard). */
  readonly total: number;
  /** Journal totals at the end. */
  readonly answered: number;
  readonly unparsed: number;
  readonly failed: number;
  readonly pending: number;
}

/** The standing of `journalFile` from its counts (rows never written count as pending). */
export function journalStanding(journalFile: string, c: JournalCounts): JournalStanding {
  return { journalFile, total: c.total, answered: c.answered, unparsed: c.unparsed, failed: c.failed, pending: c.pending + c.missing };
}

/** What one `annotate` call did, and where the journal stands. */
export interface AnnotateSummary extends JournalStanding {
  /** Rows this call set out to ask (pending and failed at its start). */
  readonly todo: number;
  /** This call. */
  readonly run: {
    readonly answered: number;
    readonly unparsed: number;
    readonly failed: number;
    /** Questions answered from the cache. */
    readonly cached: number;
    /** HTTP attempts, and those beyond the first per question. */
    readonly httpRequests: number;
    readonly retries: number;
    /** Further questions after unparsed replies. */
    readonly reasks: number;
    readonly promptTokens: number;
    readonly completionTokens: number;
    /** Estimated USD (undefined when the model has no known price). */
    readonly costUsd: number | undefined;
    readonly pauses: number;
  };
  readonly elapsedMs: number;
  /** Rows finished per second in this call. */
  readonly rowsPerSecond: number;
  /**
   * Mean time spent in this package's code per question (building the request, cache lookup, limiter,
   * reading the reply, journalling), excluding the wait for the network, the limits and backoff.
   */
  readonly clientOverheadMs: number;
  /** The part of {@link clientOverheadMs} spent in the reply parser. */
  readonly parseMs: number;
  /** True when stopped by the signal. */
  readonly aborted: boolean;
}

/** The journal configuration of a run (what must match on resume). */
export function annotateConfig(o: AnnotateOptions): JournalConfig {
  const maxTokens = o.maxTokens ?? DEFAULT_MAX_TOKENS[o.mode];
  const cfg: JournalConfig & Record<string, unknown> = {
    model: o.model,
    baseUrl: o.endpointName ?? sanitizeBaseUrl(o.baseUrl),
    mode: o.mode,
    answerFormat: o.answerFormat ?? 'free',
    imageLayout: o.mode === 'vision' ? (o.imageLayout ?? 'composite') : null,
    promptId: o.prompt.id,
    promptText: o.prompt.template,
    temperature: o.temperature ?? DEFAULT_TEMPERATURE,
    maxTokens,
    presentationSeed: o.seed ?? 0,
    tripletsHash: hashTriplets(o.triplets),
    tripletsCount: o.triplets.count,
    conceptsHash: hashConcepts(o.concepts.concepts),
    shard: o.shard ? { k: o.shard.k, n: o.shard.n } : null,
  };
  // Settings that change requests, recorded only when used (so journals without them compare equal).
  if (o.mode === 'vision') cfg.imageFormat = o.imageFormat ?? 'png';
  if (o.topP !== undefined) cfg.topP = o.topP;
  if (o.requestSeed !== undefined) cfg.requestSeed = o.requestSeed;
  return cfg;
}

/** A stored reply as the chat message the parser reads. */
export function replyMessage(r: StoredReply): ChatMessage {
  const extra = r.messageExtra ? (JSON.parse(r.messageExtra) as Partial<ChatMessage>) : {};
  return { role: 'assistant', content: r.rawReply, refusal: null, ...extra } as ChatMessage;
}

/** A chat reply as stored: content as the raw reply; tool calls and refusal as JSON beside it. */
export function storedReply(r: ChatReply): StoredReply {
  const m = r.message;
  const extra: Record<string, unknown> = {};
  if (m.tool_calls && m.tool_calls.length > 0) extra.tool_calls = m.tool_calls;
  if (m.refusal) extra.refusal = m.refusal;
  return {
    rawReply: typeof m.content === 'string' ? m.content : null,
    messageExtra: Object.keys(extra).length > 0 ? JSON.stringify(extra) : null,
    finishReason: r.finishReason,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
  };
}

/** Rough prompt tokens of a request before sending (chars/4 + images), for the tokens-per-minute bucket. */
export function estimatePromptTokens(promptChars: number, mode: AnnotationMode, layout: ImageLayout): number {
  const text = Math.ceil(promptChars / 4) + 8;
  if (mode === 'text') return text;
  // OpenAI high-detail image tokens: 2620×820 → 2048×641 → 8 tiles (1445); 800×800 → 768² → 4 tiles (765) each
  return text + (layout === 'composite' ? 1445 : 3 * 765);
}

/** Default of {@link AnnotateOptions.maxConsecutiveFailures}. */
export const DEFAULT_MAX_CONSECUTIVE_FAILURES = 10;

function positiveInt(name: string, v: number | undefined, dflt: number, min = 1): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < min) throw new InvalidArgumentError(name, `an integer ≥ ${min}`, v);
  return x;
}

/** What annotate and batch mode share: validated options, the journal config, request building and parsing. */
export interface PreparedAnnotation {
  readonly config: JournalConfig;
  readonly spec: RequestSpec;
  readonly client: ChatClient;
  readonly price: Price | undefined;
  readonly images: ImageSource | undefined;
  readonly concurrency: number;
  readonly reaskMax: number;
  readonly policy: RetryPolicy;
  /** `maxConsecutiveFailures` (validated, default 10). */
  readonly maxConsecutiveFailures: number;
  /** The preflight (see {@link AnnotateOptions.preflightTimeoutMs}); resolves at once when switched off. */
  preflight(signal?: AbortSignal): Promise<void>;
  /** The request of one question: presented objects (concept indices) and ask number (0 = first). */
  request(presented: readonly [number, number, number], ask: number, row?: number): Promise<RowRequest>;
  /** Read a reply to a request. */
  parse(reply: StoredReply, req: Pick<RowRequest, 'texts' | 'words'>): ParsedChoice;
  /** The object texts and words of presented objects (what {@link parse} needs). */
  labels(presented: readonly [number, number, number]): Pick<RowRequest, 'texts' | 'words'>;
}

export interface RowRequest {
  readonly body: ChatRequestBody;
  readonly key: string;
  readonly texts: [string, string, string];
  readonly words: [string, string, string];
  /** Estimated prompt tokens + max_tokens, for the tokens-per-minute bucket. */
  readonly estimatedTokens: number;
}

/** The `seed` request field of ask k: not sent on the first ask unless `requestSeed`; requestSeed + k after. */
export function seedForAsk(requestSeed: number | undefined, ask: number): number | undefined {
  return ask === 0 ? requestSeed : (requestSeed ?? 0) + ask;
}

/**
 * Validate the options and set up what a run needs (no journal, no request yet).
 * @throws InvalidArgumentError for bad options or an unset API key variable.
 */
export function prepareAnnotation(o: AnnotateOptions): PreparedAnnotation {
  const concepts = o.concepts.concepts;
  if (o.mode !== 'text' && o.mode !== 'vision') throw new InvalidArgumentError('mode', "'text' or 'vision'", o.mode);
  if (o.prompt.mode !== o.mode) throw new InvalidArgumentError('prompt', `a ${o.mode}-mode prompt`, o.prompt.id);
  if (o.mode === 'vision' && !o.imagesDir) throw new InvalidArgumentError('imagesDir', 'the concept images directory (vision mode)');
  assertValidTriplets(o.triplets, concepts.length, 'triplets');
  concepts.forEach((c, i) => {
    if (c.index !== i) throw new InvalidArgumentError('concepts', 'concepts in index order (concepts[i].index === i)', `index ${c.index} at ${i}`);
  });
  if (o.shard) checkShard(o.shard);
  const concurrency = positiveInt('concurrency', o.concurrency, 8);
  const reaskMax = positiveInt('reask', o.reask, 0, 0);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...o.retry, maxAttempts: positiveInt('maxAttempts', o.maxAttempts, DEFAULT_RETRY_POLICY.maxAttempts) };
  checkRetryPolicy(policy);
  const maxConsecutiveFailures = positiveInt('maxConsecutiveFailures', o.maxConsecutiveFailures, DEFAULT_MAX_CONSECUTIVE_FAILURES);
  const preflightTimeoutMs = o.preflightTimeoutMs ?? 5000;
  if (!(preflightTimeoutMs >= 0) || !Number.isFinite(preflightTimeoutMs)) throw new InvalidArgumentError('preflightTimeoutMs', 'a number of milliseconds ≥ 0 (0: no preflight)', o.preflightTimeoutMs);
  parseBaseUrl(o.baseUrl); // http(s) only, refused before anything else
  if (o.requestSeed !== undefined && !Number.isSafeInteger(o.requestSeed)) throw new InvalidArgumentError('requestSeed', 'an integer', o.requestSeed);
  const config = annotateConfig(o);
  const layout = config.imageLayout ?? 'composite';
  const spec: RequestSpec = {
    model: o.model,
    mode: o.mode,
    answerFormat: config.answerFormat,
    ...(o.mode === 'vision' ? { imageLayout: layout } : {}),
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    ...(o.topP !== undefined ? { topP: o.topP } : {}),
  };
  const one = Buffer.alloc(1);
  buildChatRequest(spec, { prompt: 'x', objectTexts: ['a', 'b', 'c'], ...(o.mode === 'vision' ? { images: { composite: one, separate: [one, one, one], mime: 'image/png' as const } } : {}) });
  const client = createChatClient({ baseUrl: o.baseUrl, apiKeyEnv: o.apiKeyEnv, timeoutMs: o.timeoutMs, env: o.env });
  const images = o.mode === 'vision' ? new ImageSource(concepts, { imagesDir: o.imagesDir!, layout, format: o.imageFormat ?? 'png' }) : undefined;
  const answerFormat = config.answerFormat;
  return {
    config,
    spec,
    client,
    price: priceFor(o.model, o.price),
    images,
    concurrency,
    reaskMax,
    policy,
    maxConsecutiveFailures,
    async preflight(signal) {
      if (preflightTimeoutMs > 0) await checkEndpoint(o.baseUrl, { timeoutMs: preflightTimeoutMs, ...(signal ? { signal } : {}) });
    },
    labels(presented) {
      return {
        texts: [concepts[presented[0]].prompt, concepts[presented[1]].prompt, concepts[presented[2]].prompt],
        words: [concepts[presented[0]].word, concepts[presented[1]].word, concepts[presented[2]].word],
      };
    },
    async request(presented, ask, row) {
      const { texts, words } = this.labels(presented);
      const prompt = renderPrompt(o.prompt, texts);
      const visionImages = images ? await images.images(presented) : undefined;
      if (visionImages && o.saveImagesDir !== undefined && row !== undefined && ask === 0) saveShownImages(o.saveImagesDir, row, visionImages);
      const seed = seedForAsk(o.requestSeed, ask);
      const body = buildChatRequest(seed === undefined ? spec : { ...spec, seed }, {
        prompt,
        objectTexts: texts,
        ...(visionImages ? { images: visionImages } : {}),
      });
      return { body, key: requestKey(body), texts, words, estimatedTokens: estimatePromptTokens(prompt.length, o.mode, layout) + config.maxTokens };
    },
    parse(reply, req) {
      try {
        return parseReply(replyMessage(reply), { mode: o.mode, answerFormat, objectTexts: req.texts, words: req.words });
      } catch (e) {
        // a parser failure on one odd reply must not stop a multi-day run: the raw reply is kept for a re-parse
        return { status: 'unparsed', reason: `parser error: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
  };
}

/** Create (or accept) the `saveImagesDir` of a vision run, before the journal; refused in text mode. */
function prepareSaveImagesDir(dir: string, mode: AnnotationMode): void {
  if (mode !== 'vision') throw new InvalidArgumentError('saveImagesDir', 'vision mode (text requests carry no image)', dir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new FileError(dir, 'write', 'not a directory (expected where to save the images shown)');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new FileError(dir, 'write', (e as Error).message, { cause: e });
  }
}

/** Write the image(s) one row is shown, named by its row index (see {@link AnnotateOptions.saveImagesDir}). */
function saveShownImages(dir: string, row: number, images: VisionImages): void {
  const ext = images.mime === 'image/jpeg' ? 'jpg' : 'png';
  if (images.composite) writeFileAtomic(join(dir, `${row}.${ext}`), images.composite);
  images.separate?.forEach((b, k) => writeFileAtomic(join(dir, `${row}-${k}.${ext}`), b));
}

/**
 * Annotate every pending (and failed) row of the journal; see the module comment.
 *
 * @throws AnnotateFatalError when the server rejects the key, the model or the quota (rows stay pending);
 *   JournalExistsError / JournalConfigMismatchError / JournalLockedError from the journal;
 *   InvalidArgumentError for bad options.
 */
export async function annotate(options: AnnotateOptions): Promise<AnnotateSummary> {
  const o = options;
  const t0 = performance.now();
  const clock = o.clock ?? systemClock;
  const prep = prepareAnnotation(o);
  const { config, client, price, images, concurrency, reaskMax, policy } = prep;
  if (images) await images.validate(o.triplets.data); // every image exists once and decodes, before the journal is created
  if (o.saveImagesDir !== undefined) prepareSaveImagesDir(o.saveImagesDir, o.mode);
  await prep.preflight(o.signal); // the endpoint answers, before the journal is created or opened

  const journal = openJournal(o.journalFile, config, {
    resume: o.resume,
    triplets: o.triplets,
    flushIntervalMs: o.flushIntervalMs,
    flushRows: o.flushRows,
  });
  const externalCaches: Journal[] = [];
  try {
    for (const f of o.cacheFrom ?? []) externalCaches.push(openJournalReadOnly(f));
    const todo = journal.rowsToDo();
    return await run();

    async function run(): Promise<AnnotateSummary> {
      const n = todo.rows.length;
      const controller = new AbortController();
      const signal = controller.signal;
      setMaxListeners(0, signal); // waiters of the limiter, backoff and breaker listen to it
      const inflight = new Set<AbortController>();
      signal.addEventListener('abort', () => {
        for (const c of inflight) c.abort(signal.reason);
      }, { once: true });
      const onUserAbort = (): void => controller.abort(o.signal!.reason instanceof Error ? o.signal!.reason : new AbortedError());
      if (o.signal?.aborted) onUserAbort();
      else o.signal?.addEventListener('abort', onUserAbort, { once: true });

      const limiter = createRateLimiter({ concurrency, rpm: o.rpm, tpm: o.tpm, clock });
      const rng = createRng(config.presentationSeed, 1);
      const s = {
        done: 0, answered: 0, unparsed: 0, failed: 0, cached: 0, http: 0, retries: 0, reasks: 0,
        promptTokens: 0, completionTokens: 0, overheadMs: 0, parseMs: 0, questions: 0, lastError: '',
      };
      /** This call's counts, as progress details and in the summary's `run`. */
      const runCounts = () => ({
        answered: s.answered,
        unparsed: s.unparsed,
        failed: s.failed,
        cached: s.cached,
        httpRequests: s.http,
        retries: s.retries,
        promptTokens: s.promptTokens,
        completionTokens: s.completionTokens,
      });
      const counts0 = journal.counts();
      const total = counts0.total;
      const journalDoneAtStart = counts0.answered + counts0.unparsed; // failed rows are asked again
      let state: 'running' | 'paused' = 'running';
      let pauseMs = 0;

      // Progress: throttled updates plus an immediate event whenever the breaker pauses or resumes.
      const listener = o.onProgress;
      const minInterval = o.progressIntervalMs ?? 250;
      let lastEmit = -Infinity;
      const detail = (): Record<string, number | string> => {
        const d: Record<string, number | string> = {
          state,
          ...runCounts(),
          journalDone: journalDoneAtStart + s.done,
          journalTotal: total,
        };
        if (price) d.costUsd = costUsd(s.promptTokens, s.completionTokens, price);
        if (state === 'paused') d.pauseMs = pauseMs;
        if (s.lastError) d.lastError = s.lastError;
        return d;
      };
      const emit = (phase: ProgressEvent['phase'], force = false): void => {
        if (!listener) return;
        const now = performance.now();
        if (!force && phase === 'update' && now - lastEmit < minInterval) return;
        lastEmit = now;
        const elapsedMs = now - t0;
        const rate = elapsedMs > 0 ? (s.done * 1000) / elapsedMs : 0;
        listener({
          task: 'annotate',
          phase,
          done: s.done,
          total: n,
          unit: 'triplets',
          elapsedMs,
          rate,
          etaMs: rate > 0 ? ((n - s.done) * 1000) / rate : undefined,
          detail: detail(),
        });
      };

      const breaker = createCircuitBreaker({
        ...o.breaker,
        maxConsecutiveFailures: prep.maxConsecutiveFailures,
        clock,
        onChange: (st) => {
          state = st.paused ? 'paused' : 'running';
          pauseMs = st.pauseMs;
          emit('update', true);
        },
      });

      let fatal: unknown;
      const stop = (e: unknown): void => {
        if (fatal === undefined) fatal = e;
        if (!signal.aborted) controller.abort(e instanceof Error ? e : new AbortedError());
      };

      const lookup = createCacheLookup(journal, externalCaches, o.cache !== false);

      const processRow = async (i: number): Promise<void> => {
        let tStart = performance.now();
        const row = todo.rows[i];
        const presented: [number, number, number] = [todo.presented[3 * i], todo.presented[3 * i + 1], todo.presented[3 * i + 2]];
        let attempts = todo.attempts[i];
        let ask = todo.asks[i];
        const reasks: ReaskRecord[] = [];
        for (;;) {
          const req = await prep.request(presented, ask, row);
          const { body, key } = req;
          let reply: StoredReply | undefined = lookup(key);
          let cached = false;
          let latencyMs: number | null = null;
          s.questions++;
          if (reply) {
            cached = true;
            s.cached++;
          } else {
            const estimate = req.estimatedTokens;
            s.overheadMs += performance.now() - tStart;
            const outcome = await withRetry(
              async (attemptNo) => {
                const permit = await limiter.acquire(estimate, signal);
                const start = performance.now();
                attempts++;
                s.http++;
                if (attemptNo > 1) s.retries++;
                let r: ChatReply;
                // One controller per request: the SDK adds an abort listener to the signal it is given and never
                // removes it, so a run-wide signal would collect one listener per request (memory, O(n) adds).
                const rc = new AbortController();
                inflight.add(rc);
                if (signal.aborted) rc.abort(signal.reason);
                try {
                  r = await client.chat(body, rc.signal);
                } catch (e) {
                  inflight.delete(rc);
                  permit.release(0);
                  const f = e instanceof RequestFailedError ? e.failure : client.describeError(e);
                  if (f.kind !== 'aborted') {
                    journal.recordAttempt({ row, attempt: attempts, ask, statusCode: f.status ?? null, error: f.message, latencyMs: performance.now() - start, time: Date.now() });
                    s.lastError = f.message;
                  }
                  throw e instanceof RequestFailedError ? e : new RequestFailedError(f);
                }
                inflight.delete(rc);
                const tAfter = performance.now();
                latencyMs = tAfter - start;
                permit.release((r.promptTokens ?? 0) + (r.completionTokens ?? 0) || estimate);
                journal.recordAttempt({ row, attempt: attempts, ask, statusCode: 200, error: null, latencyMs, time: Date.now() });
                tStart = tAfter;
                return r;
              },
              { policy, rng, clock, breaker, signal },
            );
            if (!outcome.ok) {
              tStart = performance.now();
              s.failed++;
              s.done++;
              s.lastError = outcome.failure.message;
              journal.recordFinal({ row, status: 'failed', attempts, asks: ask + 1, error: outcome.failure.message, requestKey: key, reasks });
              s.overheadMs += performance.now() - tStart;
              emit('update');
              return;
            }
            reply = storedReply(outcome.value);
            s.promptTokens += reply.promptTokens ?? 0;
            s.completionTokens += reply.completionTokens ?? 0;
          }
          const tp = performance.now();
          const parsed = prep.parse(reply, req);
          s.parseMs += performance.now() - tp;
          if (parsed.status === 'parsed') {
            s.answered++;
            s.done++;
            journal.recordFinal({
              row, status: 'answered', choicePosition: parsed.position, via: parsed.via, reply, latencyMs, attempts,
              asks: ask + 1, source: cached ? 'cache' : 'http', requestKey: key, reasks,
            });
            break;
          }
          if (ask < reaskMax) {
            reasks.push({ ...reply, row, ask, reason: parsed.reason, requestKey: key, source: cached ? 'cache' : 'http', time: Date.now() });
            ask++;
            s.reasks++;
            continue;
          }
          s.unparsed++;
          s.done++;
          journal.recordFinal({
            row, status: 'unparsed', reply, latencyMs, attempts, asks: ask + 1, source: cached ? 'cache' : 'http', error: parsed.reason, requestKey: key, reasks,
          });
          break;
        }
        s.overheadMs += performance.now() - tStart;
        emit('update');
      };

      emit('start', true);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (!signal.aborted) {
          const i = next++;
          if (i >= n) return;
          try {
            await processRow(i);
          } catch (e) {
            if (signal.aborted && fatal === undefined && !(e instanceof AnnotateFatalError)) return; // user abort
            stop(e);
            return;
          }
        }
      };
      // One worker per concurrency slot: each holds at most one permit, so none queues on the concurrency limit.
      const workers = Math.min(n, concurrency);
      try {
        await Promise.all(Array.from({ length: workers }, worker));
      } finally {
        o.signal?.removeEventListener('abort', onUserAbort);
        breaker.close(); // no pause timer outlives the run
      }
      journal.flush();
      const end = journal.counts();
      emit('end', true);
      if (fatal instanceof CircuitOpenError) {
        throw new AnnotateStoppedError(o.journalFile, end.total - end.answered - end.unparsed, fatal.failures, fatal.message, { cause: fatal });
      }
      if (fatal !== undefined) throw fatal;
      const elapsedMs = performance.now() - t0;
      return {
        ...journalStanding(o.journalFile, end),
        todo: n,
        run: {
          ...runCounts(),
          reasks: s.reasks,
          costUsd: price ? costUsd(s.promptTokens, s.completionTokens, price) : undefined,
          pauses: breaker.pauses,
        },
        elapsedMs,
        rowsPerSecond: elapsedMs > 0 ? (s.done * 1000) / elapsedMs : 0,
        clientOverheadMs: s.questions > 0 ? s.overheadMs / s.questions : 0,
        parseMs: s.questions > 0 ? s.parseMs / s.questions : 0,
        aborted: o.signal?.aborted === true,
      };
    }
  } finally {
    journal.close();
    for (const j of externalCaches) j.close();
  }
}
