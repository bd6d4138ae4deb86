/**
 * The annotation journal: one SQLite file (better-sqlite3, WAL, synchronous=NORMAL) that holds a run's
 * configuration, every row's final answer with its raw reply, every HTTP attempt, and the replies a
 * re-ask replaced. It is the run's only state: a killed run resumes from it, and export, summary and
 * merge read it.
 *
 * Tables
 *   meta      key → value: `format`, `version`, `config` (the run configuration as JSON: model, base URL
 *             without credentials, prompt id and text, mode, answer format, presentation seed, hash of
 *             the triplet list, shard …; never the API key), `created_at`, `lock`, `batches` (batch mode)
 *   items     one row per triplet row of this journal's shard, created `pending` with its input objects
 *             (a, b, c) and presented order (p0, p1, p2); updated once, when final, to `answered`,
 *             `unparsed` or `failed` (only `pending` and `failed` rows can be updated: a final answer is
 *             never overwritten, so a row is never answered twice)
 *   attempts  every HTTP attempt (row, attempt, ask, status code, error, latency, time): retries are counted
 *   reasks    the unparsed replies that a re-ask replaced (row, ask, raw reply …): every raw reply is kept
 *   cache     a view: request_key → reply over items and reasks; an identical request is answered from it
 *
 * Durability: writes are buffered and committed in one transaction every `flushIntervalMs` (50 ms) or
 * `flushRows` (512) rows, whichever comes first. A `kill -9` loses only what was not yet committed — the
 * requests in flight and at most the last flush interval of replies — and those rows are still `pending`,
 * so a resumed run asks them again. WAL + transactions + the row primary key mean no row is ever
 * half-written or duplicated.
 *
 * One writer at a time: the `lock` meta entry names the writing process; a second writer gets a
 * {@link JournalLockedError}; a lock left by a dead process on this host is taken over.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { InvalidArgumentError, type Triplets } from '@conceptlab/core';
import type { AnnotationMode, AnswerFormat, ImageLayout } from './protocol.js';
import { JournalConfigMismatchError, JournalExistsError, JournalFormatError, JournalLockedError } from './errors.js';
import { presentationOrder } from './presentation.js';
import { inShard, shardRowCount, type Shard } from './shard.js';

export const JOURNAL_FORMAT = 'conceptlab-annotation-journal';
export const JOURNAL_VERSION = 1;

export type ItemStatus = 'pending' | 'answered' | 'unparsed' | 'failed';
/** Where a reply came from: an HTTP request, the cache (an identical earlier request), or a Batch API output. */
export type ReplySource = 'http' | 'cache' | 'batch';
export type FinalStatus = Exclude<ItemStatus, 'pending'>;

/**
 * What a run was started with; a resumed run must match it key by key. Settings that do not change
 * answers (concurrency, rate limits, retries, re-ask count) are not part of it and may change on resume.
 */
export interface JournalConfig {
  readonly model: string;
  /** The API base URL, credentials removed (see {@link sanitizeBaseUrl}). */
  readonly baseUrl: string;
  readonly mode: AnnotationMode;
  readonly answerFormat: AnswerFormat;
  readonly imageLayout: ImageLayout | null;
  readonly promptId: string;
  readonly promptText: string;
  readonly temperature: number;
  readonly maxTokens: number;
  /** Seed of the per-row presentation order (see presentation.ts). */
  readonly presentationSeed: number;
  /** sha256 of the input triplet list (see {@link hashTriplets}). */
  readonly tripletsHash: string;
  readonly tripletsCount: number;
  /** sha256 of the concepts' ids and prompts (see {@link hashConcepts}). */
  readonly conceptsHash: string;
  readonly shard: Shard | null;
}

/** One row of `items`. */
export interface ItemRecord {
  readonly row: number;
  /** Input order (as in the triplet list). */
  readonly objects: [number, number, number];
  /** Presentation order (what the model saw, position 0..2). */
  readonly presented: [number, number, number];
  readonly status: ItemStatus;
  /** Presentation position (0..2) of the odd one out; answered rows only. */
  readonly choicePosition: number | null;
  readonly oddObject: number | null;
  /** How the parser read the reply (e.g. "json", "tool", "name", "letter"). */
  readonly via: string | null;
  readonly rawReply: string | null;
  /** Tool calls / refusal of the reply message as JSON, when it had any. */
  readonly messageExtra: string | null;
  readonly finishReason: string | null;
  readonly promptTokens: number | null;
  readonly completionTokens: number | null;
  readonly latencyMs: number | null;
  /** HTTP attempts made for this row (all asks, all runs that touched it). */
  readonly attempts: number;
  /** Questions asked (1 + re-asks) in the run that finished the row. */
  readonly asks: number;
  /** Where the reply came from (null while pending). */
  readonly source: ReplySource | null;
  /** Why an `unparsed` reply was not read, or why a request `failed` (redacted). */
  readonly error: string | null;
  readonly requestKey: string | null;
  readonly updatedAt: number | null;
}

/** The reply of one request, as stored (and served from the cache). */
export interface StoredReply {
  readonly rawReply: string | null;
  readonly messageExtra: string | null;
  readonly finishReason: string | null;
  readonly promptTokens: number | null;
  readonly completionTokens: number | null;
}

/** An unparsed reply that a re-ask replaced. */
export interface ReaskRecord extends StoredReply {
  readonly row: number;
  readonly ask: number;
  readonly reason: string;
  readonly requestKey: string | null;
  readonly source: ReplySource;
  readonly time: number;
}

/** The final state of one row. */
export interface FinalRecord {
  readonly row: number;
  readonly status: FinalStatus;
  readonly choicePosition?: number | null;
  readonly via?: string | null;
  readonly reply?: StoredReply | null;
  readonly latencyMs?: number | null;
  readonly attempts: number;
  readonly asks: number;
  /** Default 'http'. */
  readonly source?: ReplySource;
  readonly error?: string | null;
  readonly requestKey?: string | null;
  /** Unparsed replies replaced by re-asks, written in the same transaction. */
  readonly reasks?: readonly ReaskRecord[];
}

/** One HTTP attempt. `statusCode` is null for timeouts and connection errors. */
export interface AttemptRecord {
  readonly row: number;
  readonly attempt: number;
  readonly ask: number;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly latencyMs: number;
  readonly time: number;
}

/** A row sent in a Batch API batch: the ask it was sent at and its request key. */
export interface BatchRow {
  readonly row: number;
  readonly ask: number;
  readonly requestKey: string;
}

/** Rows still to ask (pending or failed), in row order, with what a worker needs. */
export interface RowsToDo {
  readonly rows: Int32Array;
  /** 3 per row: the presented objects. */
  readonly presented: Int32Array;
  /** HTTP attempts already made for each row (failed rows of earlier runs). */
  readonly attempts: Int32Array;
  /** Asks already made (re-asked replies kept in `reasks`). */
  readonly asks: Int32Array;
  /** 1 where the row is `failed` (asked again), 0 where `pending`. */
  readonly failed: Uint8Array;
}

export interface JournalCounts {
  /** Rows this journal covers (its shard of the triplet list). */
  readonly total: number;
  readonly pending: number;
  readonly answered: number;
  readonly unparsed: number;
  readonly failed: number;
  /** Rows of the shard absent from `items` (only after merging an incomplete set of shards). */
  readonly missing: number;
}

export interface JournalUsage {
  /** Tokens of replies that were paid for (HTTP and batch; cached ones excluded), re-asked replies included. */
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** The part of those tokens that came through the Batch API (billed at the batch discount). */
  readonly batchPromptTokens: number;
  readonly batchCompletionTokens: number;
  /** Every HTTP attempt recorded. */
  readonly httpAttempts: number;
  /** Attempts that did not return a reply (status ≠ 2xx, timeouts, connection errors). */
  readonly failedAttempts: number;
  /** Rows (and re-asks) answered from the cache. */
  readonly cachedReplies: number;
}

export interface OpenJournalOptions {
  /** Continue an existing journal (its config must match). Without it an existing journal is an error. */
  readonly resume?: boolean;
  /** The input triplet list: required to create a journal (its rows become `pending` items). */
  readonly triplets?: Triplets;
  readonly flushIntervalMs?: number;
  readonly flushRows?: number;
  /** Take over a lock held by a process on another host (after a crash there). */
  readonly takeOverLock?: boolean;
}

/** An open journal (one writer). */
export interface Journal {
  readonly file: string;
  readonly config: JournalConfig;
  /** True when this open created the journal. */
  readonly created: boolean;
  /** Pending and failed rows, except those sent in a batch not yet collected. */
  rowsToDo(): RowsToDo;
  item(row: number): ItemRecord | undefined;
  items(): IterableIterator<ItemRecord>;
  reasks(): IterableIterator<ReaskRecord>;
  /** Every recorded HTTP attempt, in the order written. */
  attempts(): IterableIterator<AttemptRecord>;
  counts(): JournalCounts;
  usage(): JournalUsage;
  /** A stored reply for this request key (committed or still buffered), if any. */
  lookupCache(requestKey: string): StoredReply | undefined;
  /** Buffer a row's final state (written once: ignored if the row is already answered or unparsed). */
  recordFinal(record: FinalRecord): void;
  /** Buffer an HTTP attempt. */
  recordAttempt(attempt: AttemptRecord): void;
  /** Buffer an unparsed reply that stays pending (batch mode asks again in a later batch). */
  recordReask(record: ReaskRecord): void;
  /** Commit everything buffered now. Returns the number of rows made final by this flush. */
  flush(): number;
  /** Batch mode: record that these rows (at these asks) were sent in batch `batch` (written now). */
  assignBatch(batch: string, rows: readonly BatchRow[]): void;
  /** Batch mode: the rows sent in `batch`, with their presented objects and the attempts recorded so far. */
  batchRows(batch: string): (BatchRow & { readonly presented: [number, number, number]; readonly attempts: number })[];
  /** HTTP attempts (and batch results) recorded for a row. */
  attemptCount(row: number): number;
  /** Batch mode: every row currently in some batch. */
  rowsInBatches(): Set<number>;
  /** Batch mode: forget a batch's rows (after ingesting it), committing the buffer first. */
  releaseBatch(batch: string): void;
  getMeta(key: string): string | undefined;
  /** Write a meta entry now (after committing the buffer). */
  setMeta(key: string, value: string): void;
  /** Flush, release the lock, close the database. Idempotent. */
  close(): void;
}

// ---------------------------------------------------------------------------------------------------

/** sha256 (hex) of a triplet list's values (int32 little-endian). */
export function hashTriplets(t: Triplets): string {
  const d = t.data;
  return createHash('sha256').update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).digest('hex');
}

/** sha256 (hex) of the concepts' ids and prompt texts, in order. */
export function hashConcepts(concepts: readonly { readonly id: string; readonly prompt: string }[]): string {
  const h = createHash('sha256');
  for (const c of concepts) h.update(`${c.id}\t${c.prompt}\n`);
  return h.digest('hex');
}

/**
 * A base URL fit for the journal: user info removed, and the values of query parameters that look like
 * credentials (key, token, secret, signature, password) replaced by `REDACTED`.
 */
export function sanitizeBaseUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidArgumentError('baseUrl', 'an absolute URL, e.g. https://api.openai.com/v1', url);
  }
  u.username = '';
  u.password = '';
  for (const k of [...u.searchParams.keys()]) {
    if (/key|token|secret|sig|pass|auth/i.test(k)) u.searchParams.set(k, 'REDACTED');
  }
  return u.toString().replace(/\/$/, '');
}

const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE items (
  row INTEGER PRIMARY KEY,
  a INTEGER NOT NULL, b INTEGER NOT NULL, c INTEGER NOT NULL,
  p0 INTEGER NOT NULL, p1 INTEGER NOT NULL, p2 INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'answered', 'unparsed', 'failed')),
  choice_position INTEGER CHECK (choice_position IN (0, 1, 2)),
  odd_object INTEGER,
  via TEXT,
  raw_reply TEXT,
  message_extra TEXT,
  finish_reason TEXT,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  latency_ms REAL,
  attempts INTEGER NOT NULL DEFAULT 0,
  asks INTEGER NOT NULL DEFAULT 0,
  source TEXT CHECK (source IN ('http', 'cache', 'batch')),
  error TEXT,
  request_key TEXT,
  updated_at INTEGER,
  CHECK ((status = 'answered') = (choice_position IS NOT NULL))
);
CREATE INDEX items_request_key ON items(request_key) WHERE request_key IS NOT NULL;
CREATE TABLE attempts (
  id INTEGER PRIMARY KEY,
  row INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  ask INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT,
  latency_ms REAL NOT NULL,
  time INTEGER NOT NULL
);
CREATE TABLE reasks (
  row INTEGER NOT NULL,
  ask INTEGER NOT NULL,
  raw_reply TEXT,
  message_extra TEXT,
  finish_reason TEXT,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  reason TEXT NOT NULL,
  request_key TEXT,
  source TEXT NOT NULL CHECK (source IN ('http', 'cache', 'batch')),
  time INTEGER NOT NULL,
  PRIMARY KEY (row, ask)
);
CREATE INDEX reasks_request_key ON reasks(request_key) WHERE request_key IS NOT NULL;
CREATE INDEX attempts_row ON attempts(row);
CREATE TABLE batch_rows (
  row INTEGER PRIMARY KEY,
  batch TEXT NOT NULL,
  ask INTEGER NOT NULL,
  request_key TEXT NOT NULL
);
CREATE INDEX batch_rows_batch ON batch_rows(batch);
CREATE VIEW cache AS
  SELECT request_key, raw_reply, message_extra, finish_reason, prompt_tokens, completion_tokens
    FROM items WHERE request_key IS NOT NULL AND status IN ('answered', 'unparsed')
  UNION ALL
  SELECT request_key, raw_reply, message_extra, finish_reason, prompt_tokens, completion_tokens
    FROM reasks WHERE request_key IS NOT NULL;
`;

const ITEM_COLUMNS =
  'row, a, b, c, p0, p1, p2, status, choice_position, odd_object, via, raw_reply, message_extra, finish_reason, ' +
  'prompt_tokens, completion_tokens, latency_ms, attempts, asks, source, error, request_key, updated_at';

type Db = Database.Database;

function toItem(r: unknown[]): ItemRecord {
  return {
    row: r[0] as number,
    objects: [r[1] as number, r[2] as number, r[3] as number],
    presented: [r[4] as number, r[5] as number, r[6] as number],
    status: r[7] as ItemStatus,
    choicePosition: r[8] as number | null,
    oddObject: r[9] as number | null,
    via: r[10] as string | null,
    rawReply: r[11] as string | null,
    messageExtra: r[12] as string | null,
    finishReason: r[13] as string | null,
    promptTokens: r[14] as number | null,
    completionTokens: r[15] as number | null,
    latencyMs: r[16] as number | null,
    attempts: r[17] as number,
    asks: r[18] as number,
    source: r[19] as ReplySource | null,
    error: r[20] as string | null,
    requestKey: r[21] as string | null,
    updatedAt: r[22] as number | null,
  };
}

function toReask(r: unknown[]): ReaskRecord {
  return {
    row: r[0] as number,
    ask: r[1] as number,
    rawReply: r[2] as string | null,
    messageExtra: r[3] as string | null,
    finishReason: r[4] as string | null,
    promptTokens: r[5] as number | null,
    completionTokens: r[6] as number | null,
    reason: r[7] as string,
    requestKey: r[8] as string | null,
    source: r[9] as ReplySource,
    time: r[10] as number,
  };
}

const REASK_COLUMNS = 'row, ask, raw_reply, message_extra, finish_reason, prompt_tokens, completion_tokens, reason, request_key, source, time';

function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The configuration keys in a stable order (known keys first, then any others). */
const CONFIG_ORDER: readonly (keyof JournalConfig)[] = [
  'model', 'baseUrl', 'mode', 'answerFormat', 'imageLayout', 'promptId', 'promptText', 'temperature', 'maxTokens',
  'presentationSeed', 'tripletsHash', 'tripletsCount', 'conceptsHash', 'shard',
];

/**
 * The first key whose values differ between two configs (JSON comparison), or undefined.
 * `ignore` lists keys not compared (merge ignores `shard`).
 */
export function configDifference(
  stored: Readonly<Record<string, unknown>>,
  requested: Readonly<Record<string, unknown>>,
  ignore: readonly string[] = [],
): { key: string; stored: unknown; requested: unknown } | undefined {
  const keys = [...CONFIG_ORDER as readonly string[]];
  for (const k of [...Object.keys(stored), ...Object.keys(requested)]) if (!keys.includes(k)) keys.push(k);
  for (const k of keys) {
    if (ignore.includes(k)) continue;
    const s = JSON.stringify(stored[k] ?? null);
    const r = JSON.stringify(requested[k] ?? null);
    if (s !== r) return { key: k, stored: stored[k] ?? null, requested: requested[k] ?? null };
  }
  return undefined;
}

/** Files open for writing in this process (a second writer here would not see the lock as foreign). */
const openForWriting = new Set<string>();

function readConfig(db: Db, file: string): JournalConfig {
  const meta = (key: string): string | undefined =>
    (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined) ?? undefined;
  if (meta('format') !== JOURNAL_FORMAT) throw new JournalFormatError(file, `meta.format is ${JSON.stringify(meta('format') ?? null)}`);
  const version = Number(meta('version'));
  if (version !== JOURNAL_VERSION) throw new JournalFormatError(file, `journal version ${meta('version')}; this package reads version ${JOURNAL_VERSION}`);
  const text = meta('config');
  if (text === undefined) throw new JournalFormatError(file, 'meta.config is missing');
  return JSON.parse(text) as JournalConfig;
}

function configure(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
}

/**
 * Open a journal for writing: create it (with every row of the shard `pending`) or, with `resume`,
 * continue it after checking that its stored configuration equals `config` key by key.
 *
 * @throws JournalExistsError when the file is a journal and `resume` is not set;
 *   JournalConfigMismatchError naming the first differing key; JournalLockedError when another live
 *   process writes it; JournalFormatError for a file that is not a journal of this version.
 */
export function openJournal(file: string, config: JournalConfig, options: OpenJournalOptions = {}): Journal {
  const abs = resolve(file);
  if (openForWriting.has(abs)) throw new JournalLockedError(file, process.pid, hostname());
  const nonEmpty = existsSync(abs) && statSync(abs).size > 0;
  if (!nonEmpty) mkdirSync(dirname(abs), { recursive: true });
  const db = new Database(abs);
  let ok = false;
  try {
    configure(db);
    let created = false;
    if (!hasTable(db, 'meta')) {
      const t = options.triplets;
      if (!t) throw new InvalidArgumentError('triplets', 'the input triplet list (needed to create a journal)');
      if (t.count !== config.tripletsCount) throw new InvalidArgumentError('config.tripletsCount', `${t.count} (the triplet list)`, config.tripletsCount);
      createJournal(db, config, t);
      created = true;
    } else {
      if (!options.resume) throw new JournalExistsError(file);
      const stored = readConfig(db, file);
      const diff = configDifference(stored as unknown as Record<string, unknown>, config as unknown as Record<string, unknown>);
      if (diff) throw new JournalConfigMismatchError(file, diff.key, diff.stored, diff.requested);
    }
    acquireLock(db, file, options.takeOverLock ?? false);
    openForWriting.add(abs);
    const j = new SqliteJournal(db, file, abs, config, created, options.flushIntervalMs ?? 50, options.flushRows ?? 512, true);
    ok = true;
    return j;
  } finally {
    if (!ok) db.close();
  }
}

/** Open a journal to read it (export, summary, merge): no lock, no config check, no writes. */
export function openJournalReadOnly(file: string): Journal {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new JournalFormatError(file, 'no such file');
  const db = new Database(abs, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    if (!hasTable(db, 'meta')) throw new JournalFormatError(file, 'no meta table');
    const config = readConfig(db, file);
    return new SqliteJournal(db, file, abs, config, false, 50, 512, false);
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * @internal Create the journal tables and meta entries in an empty database (inside the caller's
 * transaction). For tools that fill `items` themselves (merge); {@link openJournal} creates journals
 * otherwise. Not part of the public API: its better-sqlite3 type stays out of the published `.d.ts`.
 */
export function initJournalDatabase(db: Database.Database, config: JournalConfig): void {
  db.exec(SCHEMA);
  const setMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  setMeta.run('format', JOURNAL_FORMAT);
  setMeta.run('version', String(JOURNAL_VERSION));
  setMeta.run('config', JSON.stringify(config));
  setMeta.run('created_at', new Date().toISOString());
}

/**
 * @internal Open a database with the journal's pragmas (WAL, synchronous=NORMAL, busy timeout). Not part
 * of the public API: its better-sqlite3 type stays out of the published `.d.ts`.
 */
export function openJournalDatabase(file: string): Database.Database {
  const db = new Database(file);
  try {
    configure(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

function createJournal(db: Db, config: JournalConfig, t: Triplets): void {
  db.transaction(() => {
    initJournalDatabase(db, config);
    const insert = db.prepare('INSERT INTO items (row, a, b, c, p0, p1, p2) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const d = t.data;
    for (let row = 0; row < t.count; row++) {
      if (!inShard(row, config.shard)) continue;
      const o = 3 * row;
      const input = [d[o], d[o + 1], d[o + 2]];
      const p = presentationOrder(config.presentationSeed, row);
      insert.run(row, input[0], input[1], input[2], input[p[0]], input[p[1]], input[p[2]]);
    }
  }).immediate();
}

function acquireLock(db: Db, file: string, takeOver: boolean): void {
  const host = hostname();
  db.transaction(() => {
    const text = db.prepare("SELECT value FROM meta WHERE key = 'lock'").pluck().get() as string | undefined;
    if (text !== undefined) {
      const lock = JSON.parse(text) as { pid: number; host: string };
      const foreign = lock.host !== host ? !takeOver : lock.pid !== process.pid && pidAlive(lock.pid);
      if (foreign) throw new JournalLockedError(file, lock.pid, lock.host);
    }
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('lock', ?)").run(
      JSON.stringify({ pid: process.pid, host, since: new Date().toISOString() }),
    );
  }).immediate();
}

class SqliteJournal implements Journal {
  private finals: FinalRecord[] = [];
  private attemptsBuf: AttemptRecord[] = [];
  private reasksBuf: ReaskRecord[] = [];
  /** Replies buffered but not committed, by request key (so the cache sees them too). */
  private pendingReplies = new Map<string, StoredReply>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly stmts: ReturnType<SqliteJournal['prepare']>;

  constructor(
    private readonly db: Db,
    readonly file: string,
    private readonly abs: string,
    readonly config: JournalConfig,
    readonly created: boolean,
    private readonly flushIntervalMs: number,
    private readonly flushRows: number,
    private readonly writable: boolean,
  ) {
    this.stmts = this.prepare();
  }

  private prepare() {
    const db = this.db;
    const w = this.writable;
    return {
      final: w
        ? db.prepare(
            `UPDATE items SET status = ?, choice_position = ?,
               odd_object = CASE ? WHEN 0 THEN p0 WHEN 1 THEN p1 WHEN 2 THEN p2 END,
               via = ?, raw_reply = ?, message_extra = ?, finish_reason = ?, prompt_tokens = ?, completion_tokens = ?,
               latency_ms = ?, attempts = ?, asks = ?, source = ?, error = ?, request_key = ?, updated_at = ?
             WHERE row = ? AND status IN ('pending', 'failed')`,
          )
        : undefined,
      attempt: w
        ? db.prepare('INSERT INTO attempts (row, attempt, ask, status_code, error, latency_ms, time) VALUES (?, ?, ?, ?, ?, ?, ?)')
        : undefined,
      reask: w
        ? db.prepare(`INSERT OR IGNORE INTO reasks (${REASK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        : undefined,
      cacheItem: db.prepare(
        `SELECT raw_reply, message_extra, finish_reason, prompt_tokens, completion_tokens FROM items
          WHERE request_key = ? AND status IN ('answered', 'unparsed') LIMIT 1`,
      ),
      cacheReask: db.prepare(
        'SELECT raw_reply, message_extra, finish_reason, prompt_tokens, completion_tokens FROM reasks WHERE request_key = ? LIMIT 1',
      ),
      item: db.prepare(`SELECT ${ITEM_COLUMNS} FROM items WHERE row = ?`).raw(),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: w ? db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)') : undefined,
    };
  }

  rowsToDo(): RowsToDo {
    this.flush();
    const where = "i.status IN ('pending', 'failed') AND i.row NOT IN (SELECT row FROM batch_rows)";
    const n = this.db.prepare(`SELECT count(*) FROM items i WHERE ${where}`).pluck().get() as number;
    const rows = new Int32Array(n), presented = new Int32Array(3 * n), attempts = new Int32Array(n), asks = new Int32Array(n);
    const failed = new Uint8Array(n);
    const q = this.db
      .prepare(
        `SELECT i.row, i.p0, i.p1, i.p2, i.attempts, (SELECT count(*) FROM reasks r WHERE r.row = i.row), i.status = 'failed'
           FROM items i WHERE ${where} ORDER BY i.row`,
      )
      .raw();
    let k = 0;
    // streamed (not .all()): 4.7M rows would otherwise be 4.7M small arrays at once
    for (const r of q.iterate() as IterableIterator<number[]>) {
      if (k >= n) break;
      rows[k] = r[0];
      presented[3 * k] = r[1];
      presented[3 * k + 1] = r[2];
      presented[3 * k + 2] = r[3];
      attempts[k] = r[4];
      asks[k] = r[5];
      failed[k] = r[6];
      k++;
    }
    return { rows, presented, attempts, asks, failed };
  }

  item(row: number): ItemRecord | undefined {
    this.flush();
    const r = this.stmts.item.get(row) as unknown[] | undefined;
    return r ? toItem(r) : undefined;
  }

  *items(): IterableIterator<ItemRecord> {
    this.flush();
    for (const r of this.db.prepare(`SELECT ${ITEM_COLUMNS} FROM items ORDER BY row`).raw().iterate() as IterableIterator<unknown[]>) {
      yield toItem(r);
    }
  }

  *reasks(): IterableIterator<ReaskRecord> {
    this.flush();
    for (const r of this.db.prepare(`SELECT ${REASK_COLUMNS} FROM reasks ORDER BY row, ask`).raw().iterate() as IterableIterator<unknown[]>) {
      yield toReask(r);
    }
  }

  *attempts(): IterableIterator<AttemptRecord> {
    this.flush();
    const q = this.db.prepare('SELECT row, attempt, ask, status_code, error, latency_ms, time FROM attempts ORDER BY id').raw();
    for (const r of q.iterate() as IterableIterator<unknown[]>) {
      yield {
        row: r[0] as number,
        attempt: r[1] as number,
        ask: r[2] as number,
        statusCode: r[3] as number | null,
        error: r[4] as string | null,
        latencyMs: r[5] as number,
        time: r[6] as number,
      };
    }
  }

  counts(): JournalCounts {
    this.flush();
    const by = new Map<string, number>();
    for (const r of this.db.prepare('SELECT status, count(*) FROM items GROUP BY status').raw().all() as [string, number][]) by.set(r[0], r[1]);
    const present = [...by.values()].reduce((s, x) => s + x, 0);
    const total = shardRowCount(this.config.tripletsCount, this.config.shard);
    return {
      total,
      pending: by.get('pending') ?? 0,
      answered: by.get('answered') ?? 0,
      unparsed: by.get('unparsed') ?? 0,
      failed: by.get('failed') ?? 0,
      missing: Math.max(0, total - present),
    };
  }

  usage(): JournalUsage {
    this.flush();
    const sums = (table: string, where: string): [number, number] =>
      this.db
        .prepare(`SELECT coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0) FROM ${table} WHERE ${where}`)
        .raw()
        .get() as [number, number];
    const paid = sums('items', "source IN ('http', 'batch')"), paidR = sums('reasks', "source IN ('http', 'batch')");
    const batch = sums('items', "source = 'batch'"), batchR = sums('reasks', "source = 'batch'");
    const cached =
      (this.db.prepare("SELECT count(*) FROM items WHERE source = 'cache'").pluck().get() as number) +
      (this.db.prepare("SELECT count(*) FROM reasks WHERE source = 'cache'").pluck().get() as number);
    const att = this.db
      .prepare('SELECT count(*), coalesce(sum(status_code IS NULL OR status_code < 200 OR status_code >= 300), 0) FROM attempts')
      .raw()
      .get() as [number, number];
    return {
      promptTokens: paid[0] + paidR[0],
      completionTokens: paid[1] + paidR[1],
      batchPromptTokens: batch[0] + batchR[0],
      batchCompletionTokens: batch[1] + batchR[1],
      httpAttempts: att[0],
      failedAttempts: att[1],
      cachedReplies: cached,
    };
  }

  lookupCache(requestKey: string): StoredReply | undefined {
    const buffered = this.pendingReplies.get(requestKey);
    if (buffered) return buffered;
    const r = (this.stmts.cacheItem.raw().get(requestKey) ?? this.stmts.cacheReask.raw().get(requestKey)) as unknown[] | undefined;
    if (!r) return undefined;
    return {
      rawReply: r[0] as string | null,
      messageExtra: r[1] as string | null,
      finishReason: r[2] as string | null,
      promptTokens: r[3] as number | null,
      completionTokens: r[4] as number | null,
    };
  }

  private assertWritable(): void {
    if (!this.writable) throw new JournalFormatError(this.file, 'opened read-only');
    if (this.closed) throw new JournalFormatError(this.file, 'already closed');
  }

  private buffered(): number {
    return this.finals.length + this.attemptsBuf.length + this.reasksBuf.length;
  }

  private schedule(): void {
    if (this.buffered() >= this.flushRows) {
      this.flush();
      return;
    }
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.closed) this.flush();
      }, this.flushIntervalMs);
      this.timer.unref?.();
    }
  }

  recordFinal(record: FinalRecord): void {
    this.assertWritable();
    if (record.status === 'answered') {
      const p = record.choicePosition;
      if (p !== 0 && p !== 1 && p !== 2) throw new InvalidArgumentError(`row ${record.row} choicePosition`, '0, 1 or 2', p);
    }
    this.finals.push(record);
    if (record.requestKey && record.reply) this.pendingReplies.set(record.requestKey, record.reply);
    for (const r of record.reasks ?? []) if (r.requestKey) this.pendingReplies.set(r.requestKey, r);
    this.schedule();
  }

  recordAttempt(attempt: AttemptRecord): void {
    this.assertWritable();
    this.attemptsBuf.push(attempt);
    this.schedule();
  }

  recordReask(record: ReaskRecord): void {
    this.assertWritable();
    this.reasksBuf.push(record);
    if (record.requestKey) this.pendingReplies.set(record.requestKey, record);
    this.schedule();
  }

  flush(): number {
    if (!this.writable || this.closed) return 0;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.buffered() === 0) return 0;
    const finals = this.finals, attempts = this.attemptsBuf, reasks = this.reasksBuf;
    this.finals = [];
    this.attemptsBuf = [];
    this.reasksBuf = [];
    const s = this.stmts;
    const now = Date.now();
    const insertReask = (r: ReaskRecord): void => {
      s.reask!.run(r.row, r.ask, r.rawReply, r.messageExtra, r.finishReason, r.promptTokens, r.completionTokens, r.reason, r.requestKey, r.source, r.time);
    };
    let written = 0;
    this.db.transaction(() => {
      for (const a of attempts) s.attempt!.run(a.row, a.attempt, a.ask, a.statusCode, a.error, a.latencyMs, a.time);
      for (const r of reasks) insertReask(r);
      for (const f of finals) {
        const rep = f.reply;
        const info = s.final!.run(
          f.status,
          f.status === 'answered' ? f.choicePosition : null,
          f.status === 'answered' ? f.choicePosition : null,
          f.via ?? null,
          rep?.rawReply ?? null,
          rep?.messageExtra ?? null,
          rep?.finishReason ?? null,
          rep?.promptTokens ?? null,
          rep?.completionTokens ?? null,
          f.latencyMs ?? null,
          f.attempts,
          f.asks,
          f.source ?? 'http',
          f.error ?? null,
          f.requestKey ?? null,
          now,
          f.row,
        );
        if (info.changes === 1) {
          written++;
          for (const r of f.reasks ?? []) insertReask(r);
        }
      }
    }).immediate();
    this.pendingReplies.clear();
    return written;
  }

  assignBatch(batch: string, rows: readonly BatchRow[]): void {
    this.assertWritable();
    this.flush();
    const ins = this.db.prepare('INSERT OR REPLACE INTO batch_rows (row, batch, ask, request_key) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const r of rows) ins.run(r.row, batch, r.ask, r.requestKey);
    }).immediate();
  }

  batchRows(batch: string): (BatchRow & { presented: [number, number, number]; attempts: number })[] {
    this.flush();
    const list = this.db
      .prepare(
        `SELECT b.row, b.ask, b.request_key, i.p0, i.p1, i.p2, (SELECT count(*) FROM attempts a WHERE a.row = b.row)
           FROM batch_rows b JOIN items i ON i.row = b.row WHERE b.batch = ? ORDER BY b.row`,
      )
      .raw()
      .all(batch) as [number, number, string, number, number, number, number][];
    return list.map((r) => ({ row: r[0], ask: r[1], requestKey: r[2], presented: [r[3], r[4], r[5]], attempts: r[6] }));
  }

  attemptCount(row: number): number {
    this.flush();
    return this.db.prepare('SELECT count(*) FROM attempts WHERE row = ?').pluck().get(row) as number;
  }

  rowsInBatches(): Set<number> {
    return new Set(this.db.prepare('SELECT row FROM batch_rows').pluck().all() as number[]);
  }

  releaseBatch(batch: string): void {
    this.assertWritable();
    this.flush();
    this.db.prepare('DELETE FROM batch_rows WHERE batch = ?').run(batch);
  }

  getMeta(key: string): string | undefined {
    return (this.stmts.getMeta.get(key) as string | undefined) ?? undefined;
  }

  setMeta(key: string, value: string): void {
    this.assertWritable();
    this.flush();
    this.stmts.setMeta!.run(key, value);
  }

  close(): void {
    if (this.closed) return;
    try {
      if (this.writable) {
        this.flush();
        this.db.prepare("DELETE FROM meta WHERE key = 'lock'").run();
      }
    } finally {
      this.closed = true;
      if (this.timer !== undefined) clearTimeout(this.timer);
      if (this.writable) openForWriting.delete(this.abs);
      this.db.close();
    }
  }
}
