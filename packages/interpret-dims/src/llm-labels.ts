/**
 * LLM dimension labels: for every dimension, ask any OpenAI-compatible chat model for a short label and
 * whether the dimension is visual, semantic or mixed, prompted with the dimension's top objects (word and,
 * when concepts are given, definition). Requests go through `@conceptlab/llm-client`'s chat client and
 * its request cache (a JSON-lines file), so an identical request (same model, prompt, temperature …) is
 * answered from the cache file and a rerun makes no HTTP request.
 *
 * Replies are read strictly: the first JSON object in the reply text must hold `label` (a non-empty string
 * of at most {@link MAX_LABEL_CHARS} characters) and `type` (`visual`, `semantic` or `mixed`). An
 * unreadable reply is asked once more (a new request that insists on JSON only); if that one is unreadable
 * too, or the request fails after its retries, the dimension gets `label: null` with the reason — a label
 * is never guessed.
 *
 * Before the first request that the cache cannot answer, the endpoint is checked once (llm-client's
 * `checkEndpoint`: an http(s) URL whose host resolves and accepts a connection): a closed port or an
 * unresolvable host fails the call at once with EndpointUnreachableError instead of every dimension
 * failing after its retries, and without creating the cache file when there was none. A rerun answered
 * wholly from the cache needs no server.
 */
import { existsSync } from 'node:fs';
import {
  createProgress,
  InvalidArgumentError,
  type Concept,
  type ProgressListener,
} from '@conceptlab/core';
import {
  checkEndpoint,
  createChatClient,
  openRequestCache,
  parseBaseUrl,
  RequestFailedError,
  type RetryPolicy,
} from '@conceptlab/llm-client';
import type { DimensionSummary } from './dimension-summary.js';

/** What a dimension is about: appearance, meaning, or both. */
export type LabelType = 'visual' | 'semantic' | 'mixed';
export const LABEL_TYPES: readonly LabelType[] = ['visual', 'semantic', 'mixed'];
/** Longest label accepted (characters, after trimming). */
export const MAX_LABEL_CHARS = 60;

/** A dimension the model labelled. */
export interface LlmLabel {
  readonly dim: number;
  readonly label: string;
  readonly type: LabelType;
  /** The reply text the label was read from. */
  readonly raw: string;
  /** Questions asked (1, or 2 after a re-ask). */
  readonly asks: number;
  /** True when every question was answered from the cache. */
  readonly cached: boolean;
}

/** A dimension without a label: the replies were unreadable (after one re-ask) or the request failed. */
export interface LlmLabelFailure {
  readonly dim: number;
  readonly label: null;
  readonly type: null;
  /** Why (the reply problem, or the redacted request failure). */
  readonly error: string;
  /** The last reply text, when there was one. */
  readonly raw: string | null;
  readonly asks: number;
  readonly cached: boolean;
}

export type LlmLabelResult = LlmLabel | LlmLabelFailure;

export interface LabelDimensionsOptions {
  /** From {@link summarizeDimensions}: each dimension's top objects with words. */
  readonly summaries: readonly DimensionSummary[];
  /** The concepts the summaries index (`TopObject.index`): their definitions are added to the prompt. */
  readonly concepts?: readonly Concept[];
  /** OpenAI-compatible API base URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1. */
  readonly baseUrl: string;
  readonly model: string;
  /** Name of the environment variable that holds the API key (never the key itself); omitted: no key. */
  readonly apiKeyEnv?: string;
  /** Environment to read the key from (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** The request cache file (JSON lines, `openRequestCache` of @conceptlab/llm-client; created when missing). */
  readonly cacheFile: string;
  /** Sampling temperature (default 0). */
  readonly temperature?: number;
  /** Top objects in the prompt (default 6; at most as many as the summaries hold). */
  readonly topK?: number;
  /** Requests in flight (default 4). */
  readonly concurrency?: number;
  /** `max_tokens` of each request (default 200). */
  readonly maxTokens?: number;
  /** Per-request timeout (default 180 000 ms). */
  readonly timeoutMs?: number;
  /** How long the preflight waits for a connection (default 5000 ms; 0: no preflight). */
  readonly preflightTimeoutMs?: number;
  /** Retry policy (default: @conceptlab/llm-client's DEFAULT_RETRY_POLICY, 6 attempts). */
  readonly retry?: Partial<RetryPolicy>;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
}

/** The prompt of one dimension: its top objects, strongest first, and the JSON answer asked for. */
export function labelPrompt(summary: DimensionSummary, topK: number, concepts?: readonly Concept[]): string {
  const lines = summary.top.slice(0, topK).map((t, i) => {
    const def = concepts?.[t.index]?.definition?.trim();
    return `${i + 1}. ${t.word}${def ? ` — ${def}` : ''}`;
  });
  return [
    'The objects below have the largest weights on one dimension of an object embedding (strongest first):',
    ...lines,
    '',
    'Name the property these objects share in a short label of 1 to 4 words, and say whether it is',
    'visual (appearance: colour, shape, material, texture), semantic (meaning, function, category, context) or mixed (both).',
    'Answer with a JSON object: {"label": "<1-4 words>", "type": "visual" | "semantic" | "mixed"}',
  ].join('\n');
}

/** Appended to the prompt when the first reply could not be read. */
export const REASK_SUFFIX =
  '\n\nReply with JSON only — exactly one object {"label": "...", "type": "visual"|"semantic"|"mixed"} and no other text.';

/** The first balanced `{…}` substring starting at `start` (string-aware), or undefined. */
function balancedObject(text: string, start: number): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

/**
 * Read a label reply: the first JSON object in `text` (code fences and prose around it are ignored) must
 * have `label` — a non-empty string of at most {@link MAX_LABEL_CHARS} characters (trimmed) — and `type`,
 * one of {@link LABEL_TYPES} (case and surrounding spaces ignored). Returns the label or the reason it
 * cannot be read; never guesses.
 */
export function parseLabelReply(text: string | null): { ok: true; label: string; type: LabelType } | { ok: false; reason: string } {
  if (text === null || text.trim() === '') return { ok: false, reason: 'empty reply' };
  let obj: unknown;
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) {
    const candidate = balancedObject(text, i);
    if (candidate === undefined) break;
    try {
      obj = JSON.parse(candidate);
      break;
    } catch {
      // not JSON: try the next '{'
    }
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return { ok: false, reason: 'no JSON object in the reply' };
  const o = obj as Record<string, unknown>;
  if (typeof o.label !== 'string' || o.label.trim() === '') return { ok: false, reason: 'the JSON object has no non-empty "label" string' };
  const label = o.label.trim().replace(/\s+/g, ' ');
  if (label.length > MAX_LABEL_CHARS) return { ok: false, reason: `"label" is longer than ${MAX_LABEL_CHARS} characters` };
  const type = typeof o.type === 'string' ? o.type.trim().toLowerCase() : undefined;
  if (!LABEL_TYPES.includes(type as LabelType)) return { ok: false, reason: `"type" is ${JSON.stringify(o.type ?? null)}, not visual, semantic or mixed` };
  return { ok: true, label, type: type as LabelType };
}

function intOption(name: string, v: number | undefined, dflt: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < 1) throw new InvalidArgumentError(name, 'an integer ≥ 1', v);
  return x;
}

/**
 * Label every dimension of `summaries` with an LLM (see the module comment). Results are in the order of
 * `summaries`; progress events (task `llm labels`, unit `dims`) carry `cached`, `http` and `failed` counts.
 *
 * @throws InvalidArgumentError for bad options (a base URL that is not http(s)) or an unset API key
 *   variable; EndpointUnreachableError when a request is needed and the endpoint cannot be reached; AnnotateFatalError when the
 *   server rejects the key, the model or the quota (every further request would fail the same way);
 *   FileError when the cache file is not a request cache; the signal's reason when aborted.
 */
export async function labelDimensions(options: LabelDimensionsOptions): Promise<LlmLabelResult[]> {
  const o = options;
  if (!Array.isArray(o.summaries) || o.summaries.length === 0) throw new InvalidArgumentError('summaries', 'at least one dimension summary', o.summaries);
  if (typeof o.model !== 'string' || o.model.trim() === '') throw new InvalidArgumentError('model', 'a non-empty model name', o.model);
  if (typeof o.cacheFile !== 'string' || o.cacheFile === '') throw new InvalidArgumentError('cacheFile', 'the path of the request cache file', o.cacheFile);
  const temperature = o.temperature ?? 0;
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature < 0) throw new InvalidArgumentError('temperature', 'a finite number ≥ 0', o.temperature);
  const topK = intOption('topK', o.topK, 6);
  const concurrency = intOption('concurrency', o.concurrency, 4);
  const maxTokens = intOption('maxTokens', o.maxTokens, 200);
  for (const s of o.summaries) {
    if (s.top.length === 0) throw new InvalidArgumentError(`summaries[${s.dim}].top`, 'at least one top object');
    if (o.concepts) for (const t of s.top) if (!o.concepts[t.index]) throw new InvalidArgumentError('concepts', `a concept for object ${t.index}`, o.concepts.length);
  }
  const preflightTimeoutMs = o.preflightTimeoutMs ?? 5000;
  if (!(preflightTimeoutMs >= 0) || !Number.isFinite(preflightTimeoutMs)) throw new InvalidArgumentError('preflightTimeoutMs', 'a number of milliseconds ≥ 0 (0: no preflight)', o.preflightTimeoutMs);
  parseBaseUrl(o.baseUrl);
  const client = createChatClient({ baseUrl: o.baseUrl, apiKeyEnv: o.apiKeyEnv, env: o.env, timeoutMs: o.timeoutMs });
  // the preflight, once, before the first request the cache cannot answer (with no cache file yet: before it is created)
  let preflight: Promise<unknown> | undefined;
  const checkOnce = (): Promise<unknown> =>
    (preflight ??= checkEndpoint(o.baseUrl, { timeoutMs: preflightTimeoutMs, ...(o.signal ? { signal: o.signal } : {}) }));
  if (preflightTimeoutMs > 0 && !existsSync(o.cacheFile)) await checkOnce();
  const cache = openRequestCache(o.cacheFile);
  const n = o.summaries.length;
  const results: LlmLabelResult[] = new Array(n);
  const counts = { cached: 0, http: 0, failed: 0 };
  const progress = createProgress('llm labels', o.onProgress, { total: n, unit: 'dims' });
  let done = 0;

  const ask = async (prompt: string): Promise<{ text: string | null; cached: boolean }> => {
    const body = { model: o.model, messages: [{ role: 'user' as const, content: prompt }], temperature, max_tokens: maxTokens };
    if (preflightTimeoutMs > 0 && !cache.get(body)) await checkOnce();
    const r = await cache.cachedChat(client, body, {
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.retry ? { retry: o.retry } : {}),
      onAttempt: () => counts.http++,
    });
    if (r.cached) counts.cached++;
    return { text: r.reply.text, cached: r.cached };
  };

  const labelOne = async (k: number): Promise<LlmLabelResult> => {
    const s = o.summaries[k];
    const prompt = labelPrompt(s, topK, o.concepts);
    let asks = 0;
    let allCached = true;
    let raw: string | null = null;
    let reason = '';
    for (const p of [prompt, prompt + REASK_SUFFIX]) {
      asks++;
      let reply: { text: string | null; cached: boolean };
      try {
        reply = await ask(p);
      } catch (e) {
        if (e instanceof RequestFailedError) return { dim: s.dim, label: null, type: null, error: `request failed: ${client.redact(e.message)}`, raw, asks, cached: false };
        throw e;
      }
      allCached &&= reply.cached;
      raw = reply.text;
      const parsed = parseLabelReply(reply.text);
      if (parsed.ok) return { dim: s.dim, label: parsed.label, type: parsed.type, raw: reply.text ?? '', asks, cached: allCached };
      reason = parsed.reason;
    }
    return { dim: s.dim, label: null, type: null, error: `unreadable reply after a re-ask: ${reason}`, raw, asks, cached: allCached };
  };

  let next = 0;
  let fatal: unknown;
  const worker = async (): Promise<void> => {
    while (fatal === undefined) {
      const k = next++;
      if (k >= n) return;
      try {
        results[k] = await labelOne(k);
      } catch (e) {
        fatal ??= e;
        return;
      }
      if (results[k].label === null) counts.failed++;
      progress.update(++done, { ...counts });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  } finally {
    cache.close();
  }
  if (fatal !== undefined) throw fatal; // AnnotateFatalError, an abort, or a cache error
  progress.end({ ...counts });
  return results;
}
