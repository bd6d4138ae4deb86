/** Opening a journal: create it (every row of the shard `pending`), resume it, or read it. */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { InvalidArgumentError, type Triplets } from '@conceptlab/core';
import { JournalConfigMismatchError, JournalExistsError, JournalFormatError } from '../errors.js';
import { presentationOrder } from '../presentation.js';
import { inShard } from '../shard.js';
import { configDifference, type JournalConfig } from './config.js';
import type { Journal } from './journal.js';
import { acquireLock, assertNotOpenHere, markOpenHere } from './lock.js';
import { configureConnection, hasTable, initJournalDatabase, readConfig, type Db } from './schema.js';
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
  const nonEmpty = existsSync(abs) && statSync(abs).size > 0;
  if (!nonEmpty) mkdirSync(dirname(abs), { recursive: true });
  const db = new Database(abs);
  let ok = false;
  try {
    configureConnection(db);
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
    markOpenHere(abs);
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
