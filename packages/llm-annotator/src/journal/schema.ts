/**
 * The journal's SQLite schema and format: the tables, the format name and version a reader checks, the
 * pragmas every connection uses, and the mapping of `items`/`reasks` rows to records.
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
 * There is one version (1) and no migration: a journal of another format or version is refused.
 */
import Database from 'better-sqlite3';
import { JournalFormatError } from '../errors.js';
import type { JournalConfig } from './config.js';
import type { ItemRecord, ItemStatus, ReaskRecord, ReplySource } from './records.js';

export const JOURNAL_FORMAT = 'conceptlab-annotation-journal';
export const JOURNAL_VERSION = 1;

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

/** @internal The columns of `items`, in the order {@link toItem} reads them. */
export const ITEM_COLUMNS =
  'row, a, b, c, p0, p1, p2, status, choice_position, odd_object, via, raw_reply, message_extra, finish_reason, ' +
  'prompt_tokens, completion_tokens, latency_ms, attempts, asks, source, error, request_key, updated_at';

/** @internal A journal connection (better-sqlite3; kept out of the published `.d.ts`). */
export type Db = Database.Database;

/** @internal An `items` row (raw, {@link ITEM_COLUMNS}) as a record. */
export function toItem(r: unknown[]): ItemRecord {
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

/** @internal A `reasks` row (raw, {@link REASK_COLUMNS}) as a record. */
export function toReask(r: unknown[]): ReaskRecord {
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

/** @internal The columns of `reasks`, in the order {@link toReask} reads them. */
export const REASK_COLUMNS = 'row, ask, raw_reply, message_extra, finish_reason, prompt_tokens, completion_tokens, reason, request_key, source, time';

/** @internal Whether the database has a table of this name (an empty file has none). */
export function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** @internal The stored configuration, after checking the format and version. */
export function readConfig(db: Db, file: string): JournalConfig {
  const meta = (key: string): string | undefined =>
    (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined) ?? undefined;
  if (meta('format') !== JOURNAL_FORMAT) throw new JournalFormatError(file, `meta.format is ${JSON.stringify(meta('format') ?? null)}`);
  const version = Number(meta('version'));
  if (version !== JOURNAL_VERSION) throw new JournalFormatError(file, `journal version ${meta('version')}; this package reads version ${JOURNAL_VERSION}`);
  const text = meta('config');
  if (text === undefined) throw new JournalFormatError(file, 'meta.config is missing');
  return JSON.parse(text) as JournalConfig;
}

/** @internal Set the pragmas of a journal connection: WAL, synchronous=NORMAL, a 10 s busy timeout. */
export function configureConnection(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
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
    configureConnection(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
