/** Opening a journal: create it (every row of the shard `pending`), resume it, or read it. */
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { InvalidArgumentError, inShard, type Triplets } from '@conceptlab/core';
import { JournalConfigMismatchError, JournalExistsError, JournalFormatError } from '../errors.js';
import { presentationOrder } from '../presentation.js';
import { configDifference, type JournalConfig } from './config.js';
import type { Journal } from './journal.js';
import { acquireLock, assertNotOpenHere, markOpenHere } from './lock.js';
import { configureConnection, hasTable, initJournalDatabase, readConfig, type Db } from './schema.js';
import { asJournalFormatError, EXPECTED } from './sqlite-error.js';
import { SqliteJournal } from './store.js';

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
  assertNotOpenHere(file, abs);
  const nonEmpty = existsSync(abs) && (statSync(abs).isDirectory() || statSync(abs).size > 0);
  if (nonEmpty) assertJournalFile(file, abs);
  else mkdirSync(dirname(abs), { recursive: true });
  const sideFiles = newSideFiles(abs);
  const db = new Database(abs);
  let ok = false;
  try {
    asJournalFormatError(file, () => configureConnection(db));
    // an existing file is checked whole before anything is asked or written (a damaged page found now, not
    // rows later; a read-only open checks the same): SQLite's quick_check, about a second per GB
    if (nonEmpty) quickCheck(db, file);
    let created = false;
    if (!asJournalFormatError(file, () => hasTable(db, 'meta'))) {
      const t = options.triplets;
      if (!t) throw new InvalidArgumentError('triplets', 'the input triplet list (needed to create a journal)');
      if (t.count !== config.tripletsCount) throw new InvalidArgumentError('config.tripletsCount', `${t.count} (the triplet list)`, config.tripletsCount);
      createJournal(db, config, t);
      created = true;
    } else {
      if (!options.resume) throw new JournalExistsError(file);
      const stored = asJournalFormatError(file, () => readConfig(db, file));
      const diff = configDifference(stored as unknown as Record<string, unknown>, config as unknown as Record<string, unknown>);
      if (diff) throw new JournalConfigMismatchError(file, diff.key, diff.stored, diff.requested);
    }
    asJournalFormatError(file, () => acquireLock(db, file, options.takeOverLock ?? false));
    markOpenHere(abs);
    const j = asJournalFormatError(file, () => new SqliteJournal(db, file, abs, config, created, options.flushIntervalMs ?? 50, options.flushRows ?? 512, true));
    ok = true;
    return j;
  } finally {
    if (!ok) {
      db.close();
      sideFiles.remove();
    }
  }
}

/** Open a journal to read it (export, summary, merge): no lock, no config check, no writes. */
export function openJournalReadOnly(file: string): Journal {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new JournalFormatError(file, 'no such file');
  assertJournalFile(file, abs);
  const sideFiles = newSideFiles(abs);
  const db = new Database(abs, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    const config = asJournalFormatError(file, () => {
      if (!hasTable(db, 'meta')) throw new JournalFormatError(file, `${EXPECTED}; it has no meta table`);
      const c = readConfig(db, file);
      quickCheck(db, file);
      return c;
    });
    return asJournalFormatError(file, () => new SqliteJournal(db, file, abs, config, false, 50, 512, false));
  } catch (e) {
    db.close();
    sideFiles.remove();
    throw e;
  }
}

/** SQLite's quick_check of the whole file (structure of every page; not index contents): damage is a JournalFormatError. */
function quickCheck(db: Db, file: string): void {
  const check = asJournalFormatError(file, () => db.pragma('quick_check(1)', { simple: true }));
  if (check === 'ok') return;
  // one line: quick_check reports e.g. "*** in database main ***\nTree 4 page 63: btreeInitPage() returns error code 11"
  const what = String(check).replace(/\*\*\* in database \w+ \*\*\*/g, ' ').replace(/\s+/g, ' ').trim();
  throw new JournalFormatError(file, `${EXPECTED}; the database is damaged (${what})`);
}

/** The `-wal`/`-shm` files of `abs` absent now: removed again after a failed open (a refused file is left as it was). */
function newSideFiles(abs: string): { remove(): void } {
  const absent = [`${abs}-wal`, `${abs}-shm`].filter((f) => !existsSync(f));
  return { remove: () => absent.forEach((f) => rmSync(f, { force: true })) };
}

/**
 * Refuse, before SQLite opens it, an existing path that cannot be a journal: a directory, a file that is
 * not an SQLite database (e.g. a `.npy`), or an SQLite file shorter than its header says (truncated).
 * Nothing is written to the file.
 */
function assertJournalFile(file: string, abs: string): void {
  const st = statSync(abs);
  if (st.isDirectory()) throw new JournalFormatError(file, `${EXPECTED}, found a directory`);
  if (!st.isFile()) throw new JournalFormatError(file, `${EXPECTED}, found something that is not a regular file`);
  const head = Buffer.alloc(100);
  const fd = openSync(abs, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 16 || head.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
    const what = head.toString('latin1', 0, 6) === '\x93NUMPY' ? 'a .npy array' : `a file of ${st.size} bytes that is not an SQLite database`;
    throw new JournalFormatError(file, `${EXPECTED}, found ${what}`);
  }
  if (n < 100) throw new JournalFormatError(file, `${EXPECTED}, found a truncated SQLite file (${st.size} bytes, shorter than its header)`);
  const raw = head.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const pages = head.readUInt32BE(28);
  const sizeValid = head.readUInt32BE(92) === head.readUInt32BE(24);
  const wal = `${abs}-wal`;
  const walHasPages = existsSync(wal) && statSync(wal).size > 0;
  if (sizeValid && !walHasPages && pages > 0 && st.size < pages * pageSize) {
    throw new JournalFormatError(file, `${EXPECTED}, found a truncated SQLite file (${st.size} bytes of ${pages * pageSize})`);
  }
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
