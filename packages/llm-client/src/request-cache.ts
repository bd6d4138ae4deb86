/**
 * A generic request cache for chat completions: one append-only JSON-lines file mapping the
 * {@link requestKey} of a whole request body (sha256 of its canonical JSON: model, messages, temperature,
 * response format …) to the reply text, finish reason, token usage and the time it was stored. An identical
 * request is answered from the file without any HTTP request. Pure JavaScript: no native module.
 *
 * It knows nothing about triplets: any caller that builds request bodies (e.g. dimension labels in
 * @conceptlab/interpret-dims) can use it. The API key is not part of a request body and the cache never sees
 * the client, except to call it: the key is never stored or logged.
 *
 * File format (UTF-8, one JSON object per line, each line ending in `\n`)
 *   line 1   `{"format":"conceptlab-request-cache","version":2,"created_at":ISO time}`
 *   then     one record per stored reply: `{"key", "model", "request" (the request body), "reply" (content
 *            text or null), "finishReason", "promptTokens", "completionTokens", "time" (ms since the epoch)}`
 *
 * Each `put` appends one line in a single write and flushes it to disk (fsync) before it returns; the first
 * reply stored for a key is kept, so a cached reply never changes. A last line without its `\n` is a write
 * torn by a killed process: it is ignored, and cut off before the next append, so it cannot corrupt the
 * file. Any other unreadable line is a {@link ParseError} naming the file and line — never skipped.
 * Concurrent identical `cachedChat` calls share one HTTP request. The file is meant for one process at a time:
 * an instance sees the replies that were in the file when it was opened, and its own.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRng, FileError, InvalidArgumentError, ParseError, type Rng } from '@conceptlab/core';
import type { ChatClient, ChatRequestBody } from './client.js';
import { requestKey } from './request-key.js';
import { DEFAULT_RETRY_POLICY, RequestFailedError, checkRetryPolicy, withRetry, type RetryPolicy } from './retry.js';

export const REQUEST_CACHE_FORMAT = 'conceptlab-request-cache';
/** Version 2: JSON lines (version 1 was an SQLite file). */
export const REQUEST_CACHE_VERSION = 2;

/** The reply part of a cached answer (what the model said). */
export interface CacheReply {
  /** The assistant message's content (null when it had none, e.g. only a refusal or tool call). */
  readonly text: string | null;
  readonly finishReason: string | null;
}

/** Token usage the server reported (null when it did not). */
export interface CacheUsage {
  readonly promptTokens: number | null;
  readonly completionTokens: number | null;
}

/** One stored entry. */
export interface CachedReply extends CacheReply, CacheUsage {
  /** {@link requestKey} of the request body. */
  readonly key: string;
  /** Milliseconds since the epoch when it was stored. */
  readonly time: number;
}

/** What {@link RequestCache.cachedChat} returns. */
export interface CachedChatResult {
  readonly reply: CachedReply;
  /** True when answered from the cache (no HTTP request was made for this call). */
  readonly cached: boolean;
  /** HTTP attempts made by this call (0 when cached or shared with a concurrent identical call). */
  readonly attempts: number;
}

export interface CachedChatOptions {
  readonly signal?: AbortSignal;
  /** Retry policy of {@link withRetry} (default {@link DEFAULT_RETRY_POLICY}: 6 attempts, backoff 1 s … 60 s). */
  readonly retry?: Partial<RetryPolicy>;
  /** Random source of the backoff jitter (default `createRng(0, 7)`). */
  readonly rng?: Rng;
  /** Called before each HTTP attempt (counts requests, including those of a request that fails in the end). */
  readonly onAttempt?: () => void;
}

export interface RequestCache {
  /** Absolute path of the cache file. */
  readonly file: string;
  /** The stored reply of an identical request, if any. */
  get(body: ChatRequestBody): CachedReply | undefined;
  /** Store a reply (the first stored reply of a key is kept); returns the stored entry. */
  put(body: ChatRequestBody, reply: CacheReply, usage?: CacheUsage): CachedReply;
  /**
   * The reply of `body`: from the cache when stored, else one request through `client.chat` (retried by
   * {@link withRetry} on 429/5xx/timeouts/connection errors), stored before it is returned.
   *
   * @throws RequestFailedError (redacted) when every attempt failed or the request was rejected;
   *   AnnotateFatalError for auth / unknown model / quota; the signal's reason when aborted.
   */
  cachedChat(client: ChatClient, body: ChatRequestBody, options?: CachedChatOptions): Promise<CachedChatResult>;
  /** Entries stored. */
  size(): number;
  close(): void;
}

function checkUsage(name: string, v: number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (!Number.isInteger(v) || v < 0) throw new InvalidArgumentError(name, 'a non-negative integer or null', v);
  return v;
}

/** One line of the file after the header. */
interface StoredRecord {
  key: string;
  model: string | null;
  request: unknown;
  reply: string | null;
  finishReason: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  time: number;
}

function toCached(r: StoredRecord): CachedReply {
  return {
    key: r.key,
    text: r.reply,
    finishReason: r.finishReason,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    time: r.time,
  };
}

const isCount = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
const isStringOrNull = (v: unknown): boolean => v === null || typeof v === 'string';

/** What is wrong with a parsed record line, or undefined when it is a record. */
function recordProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a JSON object';
  const r = v as Record<string, unknown>;
  if (typeof r.key !== 'string' || !/^[0-9a-f]{64}$/.test(r.key)) return 'no "key" (64 hex digits)';
  if (!isStringOrNull(r.reply)) return '"reply" is neither a string nor null';
  if (!isStringOrNull(r.finishReason)) return '"finishReason" is neither a string nor null';
  if (!isCount(r.promptTokens) || !isCount(r.completionTokens)) return 'token counts that are not non-negative integers or null';
  if (typeof r.time !== 'number' || !Number.isFinite(r.time)) return 'no "time"';
  return undefined;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

function describeLine(line: string): string {
  const t = line.length > 60 ? `${line.slice(0, 60)}…` : line;
  return JSON.stringify(t);
}

/** The whole file as bytes (read through an open descriptor). */
function readAll(fd: number): Buffer {
  const size = fstatSync(fd).size;
  const buf = Buffer.alloc(size);
  let off = 0;
  while (off < size) {
    const n = readSync(fd, buf, off, size - off, off);
    if (n === 0) break;
    off += n;
  }
  return buf.subarray(0, off);
}

/**
 * Read the records of an existing file into `into`; returns the byte length of its complete lines (a torn
 * last line is not counted, so the caller cuts it off before appending).
 */
function loadFile(file: string, bytes: Buffer, into: Map<string, StoredRecord>): number {
  if (bytes.subarray(0, SQLITE_MAGIC.length).toString('latin1') === SQLITE_MAGIC) {
    throw new FileError(file, 'read', `an SQLite file, not a request cache of version ${REQUEST_CACHE_VERSION} (request caches were SQLite up to version 1: delete the file and the replies are asked again)`);
  }
  const lastNewline = bytes.lastIndexOf(0x0a);
  const complete = lastNewline + 1; // bytes of complete lines; a tail after the last \n is a torn write
  const lines = bytes.subarray(0, complete).toString('utf8').split('\n');
  lines.pop(); // after the final \n
  if (lines.length === 0) {
    // no complete line: an empty file, or a header torn while the file was created
    const tail = bytes.toString('utf8');
    const start = `{"format":${JSON.stringify(REQUEST_CACHE_FORMAT)}`;
    if (tail !== '' && !(start.startsWith(tail) || tail.startsWith(start))) throw new FileError(file, 'read', 'not a request cache (no header line)');
    return 0;
  }
  let header: unknown;
  try {
    header = JSON.parse(lines[0]);
  } catch {
    throw new FileError(file, 'read', `not a request cache (line 1 is not a JSON header: ${describeLine(lines[0])})`);
  }
  const format = (header as { format?: unknown } | null)?.format;
  if (typeof header !== 'object' || header === null || format !== REQUEST_CACHE_FORMAT) {
    throw new FileError(file, 'read', `not a request cache (format is ${JSON.stringify(format ?? null)})`);
  }
  const version = (header as { version?: unknown }).version;
  if (version !== REQUEST_CACHE_VERSION) {
    throw new FileError(file, 'read', `request cache version ${JSON.stringify(version ?? null)}; this package reads version ${REQUEST_CACHE_VERSION}`);
  }
  for (let i = 1; i < lines.length; i++) {
    let v: unknown;
    try {
      v = JSON.parse(lines[i]);
    } catch {
      throw new ParseError({ file, line: i + 1 }, 'one JSON record per line (the line is corrupt)', describeLine(lines[i]));
    }
    const problem = recordProblem(v);
    if (problem !== undefined) throw new ParseError({ file, line: i + 1 }, 'a request cache record', problem);
    const r = v as StoredRecord;
    if (!into.has(r.key)) into.set(r.key, { ...r, model: typeof r.model === 'string' ? r.model : null });
  }
  return complete;
}

/**
 * Open (creating it and its directory when missing) the request cache at `file`; see the module comment.
 *
 * @throws FileError when the file exists but is not a request cache of this version, or cannot be opened.
 */
export function openRequestCache(file: string): RequestCache {
  if (typeof file !== 'string' || file === '') throw new InvalidArgumentError('file', 'the path of the request cache file', file);
  const abs = resolve(file);
  if (existsSync(abs) && !statSync(abs).isFile()) throw new FileError(file, 'read', 'not a regular file');
  mkdirSync(dirname(abs), { recursive: true });
  let fd: number;
  try {
    fd = openSync(abs, 'a+');
  } catch (e) {
    throw new FileError(file, 'read', e instanceof Error ? e.message : String(e), { cause: e });
  }
  const records = new Map<string, StoredRecord>();
  try {
    const bytes = readAll(fd);
    const complete = loadFile(file, bytes, records);
    if (complete < bytes.length) ftruncateSync(fd, complete); // drop a torn last line before appending
    if (complete === 0) {
      append(JSON.stringify({ format: REQUEST_CACHE_FORMAT, version: REQUEST_CACHE_VERSION, created_at: new Date().toISOString() }));
    }
  } catch (e) {
    closeSync(fd);
    if (e instanceof FileError || e instanceof ParseError) throw e;
    throw new FileError(file, 'read', `not a usable request cache: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }

  /** One line, in one write (the file is opened for appending), flushed to disk. */
  function append(line: string): void {
    const buf = Buffer.from(`${line}\n`, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  }

  const inflight = new Map<string, Promise<CachedReply>>();
  let closed = false;
  const open = (): void => {
    if (closed) throw new FileError(file, 'read', 'the request cache is closed');
  };
  const lookup = (key: string): CachedReply | undefined => {
    const r = records.get(key);
    return r ? toCached(r) : undefined;
  };

  const cache: RequestCache = {
    file: abs,
    get(body) {
      open();
      return lookup(requestKey(body));
    },
    put(body, reply, usage) {
      open();
      const key = requestKey(body);
      if (reply.text !== null && typeof reply.text !== 'string') throw new InvalidArgumentError('reply.text', 'a string or null', reply.text);
      const finishReason = reply.finishReason ?? null;
      if (typeof finishReason !== 'string' && finishReason !== null) throw new InvalidArgumentError('reply.finishReason', 'a string or null', finishReason);
      const promptTokens = checkUsage('usage.promptTokens', usage?.promptTokens);
      const completionTokens = checkUsage('usage.completionTokens', usage?.completionTokens);
      const stored = lookup(key);
      if (stored) return stored;
      const model = typeof (body as { model?: unknown }).model === 'string' ? (body as { model: string }).model : null;
      const record: StoredRecord = { key, model, request: body, reply: reply.text, finishReason, promptTokens, completionTokens, time: Date.now() };
      try {
        append(JSON.stringify(record));
      } catch (e) {
        throw new FileError(file, 'write', e instanceof Error ? e.message : String(e), { cause: e });
      }
      records.set(key, record);
      return toCached(record);
    },
    async cachedChat(client, body, options = {}) {
      open();
      const key = requestKey(body);
      const hit = lookup(key);
      if (hit) return { reply: hit, cached: true, attempts: 0 };
      const shared = inflight.get(key);
      if (shared) return { reply: await shared, cached: true, attempts: 0 };
      const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
      checkRetryPolicy(policy);
      let attempts = 0;
      const p = (async (): Promise<CachedReply> => {
        const outcome = await withRetry(
          async () => {
            attempts++;
            options.onAttempt?.();
            return client.chat(body, options.signal);
          },
          { policy, rng: options.rng ?? createRng(0, 7), ...(options.signal ? { signal: options.signal } : {}) },
        );
        if (!outcome.ok) throw new RequestFailedError(outcome.failure);
        const r = outcome.value;
        const content = r.message.content;
        if (closed) throw new FileError(file, 'write', 'the request cache was closed while a request was in flight');
        return cache.put(body, { text: typeof content === 'string' ? content : null, finishReason: r.finishReason }, { promptTokens: r.promptTokens, completionTokens: r.completionTokens });
      })();
      inflight.set(key, p);
      try {
        return { reply: await p, cached: false, attempts };
      } finally {
        inflight.delete(key);
      }
    },
    size() {
      open();
      return records.size;
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
  return cache;
}
