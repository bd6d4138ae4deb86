/**
 * The journal store: an open journal over one better-sqlite3 connection — reads of rows, re-asks,
 * attempts, counts and usage, the reply cache, and the buffered writes.
 *
 * Durability: writes are buffered and committed in one transaction every `flushIntervalMs` (50 ms) or
 * `flushRows` (512) rows, whichever comes first. A `kill -9` loses only what was not yet committed — the
 * requests in flight and at most the last flush interval of replies — and those rows are still `pending`,
 * so a resumed run asks them again. WAL + transactions + the row primary key mean no row is ever
 * half-written or duplicated.
 *
 * Damage: an SQLite error met by any read or write (a malformed page, an index that does not match its table,
 * a full disk) is a JournalFormatError naming the file (sqlite-error.ts). A failed write leaves the journal
 * as its last commit left it (the transaction is rolled back) and the store refuses every later write with
 * the same error — also when the write was a timed flush, whose error the next call throws.
 */
import { InvalidArgumentError, shardRowCount } from '@conceptlab/core';
import { JournalFormatError } from '../errors.js';
import type { JournalConfig } from './config.js';
import type { Journal } from './journal.js';
import { markClosedHere, releaseLock } from './lock.js';
import { isSqliteError, journalUseError } from './sqlite-error.js';
import type {
  AttemptRecord,
  BatchRow,
  FinalRecord,
  ItemRecord,
  JournalCounts,
  JournalUsage,
  ReaskRecord,
  RowsToDo,
  StoredReply,
} from './records.js';
import { ITEM_COLUMNS, REASK_COLUMNS, toItem, toReask, type Db } from './schema.js';

/** @internal The {@link Journal} of an open better-sqlite3 connection (see openJournal, openJournalReadOnly). */
export class SqliteJournal implements Journal {
  private finals: FinalRecord[] = [];
  private attemptsBuf: AttemptRecord[] = [];
  private reasksBuf: ReaskRecord[] = [];
  /** Replies buffered but not committed, by request key (so the cache sees them too). */
  private pendingReplies = new Map<string, StoredReply>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The error of a failed write: every later write (and flush) throws it. */
  private broken: Error | undefined;
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

  /** Run `f`; an SQLite error becomes a JournalFormatError naming the file (and, writing, breaks the store). */
  private guard<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (!isSqliteError(e)) throw e;
      const err = journalUseError(this.file, e);
      if (this.writable) this.broken ??= err;
      throw err;
    }
  }

  /** The rows of a query, mapped, with SQLite errors met while stepping through them guarded too. */
  private *rows<R>(open: () => Iterator<unknown[]>, map: (r: unknown[]) => R): IterableIterator<R> {
    const it = this.guard(open);
    try {
      for (;;) {
        const next = this.guard(() => it.next());
        if (next.done) return;
        yield map(next.value);
      }
    } finally {
      this.guard(() => it.return?.());
    }
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
    return this.guard(() => this.readRowsToDo());
  }

  private readRowsToDo(): RowsToDo {
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
    const r = this.guard(() => this.stmts.item.get(row) as unknown[] | undefined);
    return r ? toItem(r) : undefined;
  }

  *items(): IterableIterator<ItemRecord> {
    this.flush();
    yield* this.rows(() => this.db.prepare(`SELECT ${ITEM_COLUMNS} FROM items ORDER BY row`).raw().iterate() as IterableIterator<unknown[]>, toItem);
  }

  *reasks(): IterableIterator<ReaskRecord> {
    this.flush();
    yield* this.rows(() => this.db.prepare(`SELECT ${REASK_COLUMNS} FROM reasks ORDER BY row, ask`).raw().iterate() as IterableIterator<unknown[]>, toReask);
  }

  *attempts(): IterableIterator<AttemptRecord> {
    this.flush();
    yield* this.rows(
      () => this.db.prepare('SELECT row, attempt, ask, status_code, error, latency_ms, time FROM attempts ORDER BY id').raw().iterate() as IterableIterator<unknown[]>,
      (r): AttemptRecord => ({
        row: r[0] as number,
        attempt: r[1] as number,
        ask: r[2] as number,
        statusCode: r[3] as number | null,
        error: r[4] as string | null,
        latencyMs: r[5] as number,
        time: r[6] as number,
      }),
    );
  }

  counts(): JournalCounts {
    this.flush();
    const by = new Map<string, number>();
    const groups = this.guard(() => this.db.prepare('SELECT status, count(*) FROM items GROUP BY status').raw().all() as [string, number][]);
    for (const r of groups) by.set(r[0], r[1]);
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
    return this.guard(() => this.readUsage());
  }

  private readUsage(): JournalUsage {
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
    const r = this.guard(() => (this.stmts.cacheItem.raw().get(requestKey) ?? this.stmts.cacheReask.raw().get(requestKey)) as unknown[] | undefined);
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
    if (this.broken) throw this.broken;
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
        if (this.closed) return;
        try {
          this.flush();
        } catch (e) {
          this.broken ??= e instanceof Error ? e : new Error(String(e)); // thrown by the next call
        }
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
    if (this.broken) throw this.broken;
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
    this.guard(() => this.db.transaction(() => {
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
    }).immediate());
    this.pendingReplies.clear();
    return written;
  }

  assignBatch(batch: string, rows: readonly BatchRow[]): void {
    this.assertWritable();
    this.flush();
    this.guard(() => {
      const ins = this.db.prepare('INSERT OR REPLACE INTO batch_rows (row, batch, ask, request_key) VALUES (?, ?, ?, ?)');
      this.db.transaction(() => {
        for (const r of rows) ins.run(r.row, batch, r.ask, r.requestKey);
      }).immediate();
    });
  }

  batchRows(batch: string): (BatchRow & { presented: [number, number, number]; attempts: number })[] {
    this.flush();
    const list = this.guard(() => this.db
      .prepare(
        `SELECT b.row, b.ask, b.request_key, i.p0, i.p1, i.p2, (SELECT count(*) FROM attempts a WHERE a.row = b.row)
           FROM batch_rows b JOIN items i ON i.row = b.row WHERE b.batch = ? ORDER BY b.row`,
      )
      .raw()
      .all(batch) as [number, number, string, number, number, number, number][]);
    return list.map((r) => ({ row: r[0], ask: r[1], requestKey: r[2], presented: [r[3], r[4], r[5]], attempts: r[6] }));
  }

  attemptCount(row: number): number {
    this.flush();
    return this.guard(() => this.db.prepare('SELECT count(*) FROM attempts WHERE row = ?').pluck().get(row) as number);
  }

  rowsInBatches(): Set<number> {
    return new Set(this.guard(() => this.db.prepare('SELECT row FROM batch_rows').pluck().all() as number[]));
  }

  releaseBatch(batch: string): void {
    this.assertWritable();
    this.flush();
    this.guard(() => this.db.prepare('DELETE FROM batch_rows WHERE batch = ?').run(batch));
  }

  getMeta(key: string): string | undefined {
    return this.guard(() => (this.stmts.getMeta.get(key) as string | undefined) ?? undefined);
  }

  setMeta(key: string, value: string): void {
    this.assertWritable();
    this.flush();
    this.guard(() => this.stmts.setMeta!.run(key, value));
  }

  close(): void {
    if (this.closed) return;
    try {
      if (this.writable && this.broken === undefined) {
        this.flush();
        this.guard(() => releaseLock(this.db));
      } else if (this.writable) {
        try {
          releaseLock(this.db);
        } catch {
          // the journal is damaged (its error was thrown already); a dead process's lock is taken over
        }
      }
    } finally {
      this.closed = true;
      if (this.timer !== undefined) clearTimeout(this.timer);
      if (this.writable) markClosedHere(this.abs);
      this.db.close();
    }
  }
}
