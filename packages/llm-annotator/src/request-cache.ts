/**
 * A generic request cache for chat completions: one SQLite file (better-sqlite3, WAL, synchronous=NORMAL)
 * mapping the {@link requestKey} of a whole request body (sha256 of its canonical JSON: model, messages,
 * temperature, response format …) to the reply text, finish reason, token usage and the time it was
 * stored. An identical request is answered from the file without any HTTP request.
 *
 * Unlike the triplet journal (journal.ts), it knows nothing about triplets: any caller that builds request
 * bodies (e.g. dimension labels in @conceptlab/interpret-dims) can use it. The API key is not part of a
 * request body and the cache never sees the client, except to call it: the key is never stored or logged.
 *
 * Tables
 *   meta     key → value: `format` ({@link REQUEST_CACHE_FORMAT}), `version`, `created_at`
 *   replies  request_key (primary key), model, request (the canonical JSON body), reply (content text or
 *            NULL), finish_reason, prompt_tokens, completion_tokens, time (ms since the epoch)
 *
 * Each `put` is one INSERT (atomic); the first reply stored for a key is kept (`ON CONFLICT DO NOTHING`),
 * so a cached reply never changes. Concurrent identical `cachedChat` calls share one HTTP request.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { createRng, FileError, InvalidArgumentError, type Rng } from '@conceptlab/core';
import type { ChatClient, ChatRequestBody } from './client.js';
import { canonicalJson, requestKey } from './request.js';
import { DEFAULT_RETRY_POLICY, RequestFailedError, checkRetryPolicy, withRetry, type RetryPolicy } from './retry.js';

export const REQUEST_CACHE_FORMAT = 'conceptlab-request-cache';
export const REQUEST_CACHE_VERSION = 1;

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
  /** Absolute path of the SQLite file. */
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

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function checkUsage(name: string, v: number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (!Number.isInteger(v) || v < 0) throw new InvalidArgumentError(name, 'a non-negative integer or null', v);
  return v;
}

interface Row {
  request_key: string;
  reply: string | null;
  finish_reason: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  time: number;
}

function toCached(r: Row): CachedReply {
  return {
    key: r.request_key,
    text: r.reply,
    finishReason: r.finish_reason,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    time: r.time,
  };
}

/**
 * Open (creating it and its directory when missing) the request cache at `file`; see the module comment.
 *
 * @throws FileError when the file exists but is not a request cache of this version, or cannot be opened.
 */
export function openRequestCache(file: string): RequestCache {
  if (typeof file !== 'string' || file === '') throw new InvalidArgumentError('file', 'the path of the request cache file', file);
  const abs = resolve(file);
  const existed = existsSync(abs);
  if (!existed) mkdirSync(dirname(abs), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(abs);
  } catch (e) {
    throw new FileError(file, 'read', `cannot open as SQLite: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  try {
    db.pragma('busy_timeout = 10000');
    if (existed && hasTable(db, 'meta')) {
      const meta = (k: string): string | undefined => (db.prepare('SELECT value FROM meta WHERE key = ?').get(k) as { value: string } | undefined)?.value;
      if (meta('format') !== REQUEST_CACHE_FORMAT) throw new FileError(file, 'read', `not a request cache (meta.format is ${JSON.stringify(meta('format') ?? null)})`);
      if (meta('version') !== String(REQUEST_CACHE_VERSION)) {
        throw new FileError(file, 'read', `request cache version ${meta('version')}; this package reads version ${REQUEST_CACHE_VERSION}`);
      }
      if (!hasTable(db, 'replies')) throw new FileError(file, 'read', 'request cache without a replies table');
    } else if (existed && (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n > 0) {
      throw new FileError(file, 'read', 'an SQLite file that is not a request cache (no meta table)');
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS replies (
          request_key TEXT PRIMARY KEY, model TEXT, request TEXT NOT NULL, reply TEXT, finish_reason TEXT,
          prompt_tokens INTEGER, completion_tokens INTEGER, time INTEGER NOT NULL)`);
      const ins = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
      ins.run('format', REQUEST_CACHE_FORMAT);
      ins.run('version', String(REQUEST_CACHE_VERSION));
      ins.run('created_at', new Date().toISOString());
    })();
  } catch (e) {
    db.close();
    if (e instanceof FileError) throw e;
    throw new FileError(file, 'read', `not a usable request cache: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }

  const select = db.prepare('SELECT request_key, reply, finish_reason, prompt_tokens, completion_tokens, time FROM replies WHERE request_key = ?');
  const insert = db.prepare(
    `INSERT INTO replies (request_key, model, request, reply, finish_reason, prompt_tokens, completion_tokens, time)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_key) DO NOTHING`,
  );
  const count = db.prepare('SELECT count(*) AS n FROM replies');
  const inflight = new Map<string, Promise<CachedReply>>();
  let closed = false;
  const open = (): void => {
    if (closed) throw new FileError(file, 'read', 'the request cache is closed');
  };
  const lookup = (key: string): CachedReply | undefined => {
    const r = select.get(key) as Row | undefined;
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
      const canon = canonicalJson(body);
      const key = requestKey(body);
      if (reply.text !== null && typeof reply.text !== 'string') throw new InvalidArgumentError('reply.text', 'a string or null', reply.text);
      const model = typeof (body as { model?: unknown }).model === 'string' ? (body as { model: string }).model : null;
      insert.run(key, model, canon, reply.text, reply.finishReason ?? null, checkUsage('usage.promptTokens', usage?.promptTokens), checkUsage('usage.completionTokens', usage?.completionTokens), Date.now());
      return lookup(key)!;
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
      return (count.get() as { n: number }).n;
    },
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
  return cache;
}
