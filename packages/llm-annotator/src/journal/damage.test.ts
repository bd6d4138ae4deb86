/**
 * A damaged journal (issue 13) is a JournalFormatError naming the file, never a raw SqliteError: pages
 * overwritten in the middle of a valid file (found when it is opened, for writing or reading), and an index
 * entry overwritten so that only a WRITE meets the damage (SQLite's quick_check does not read index
 * contents): the failed write leaves the journal as its last commit left it, and every later write is
 * refused with the same error — also when the failed write was a timed flush.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createTriplets } from '@conceptlab/core';
import { config as baseConfig, tempDirPerTest } from '../../test/journal-fixtures.js';
import { hashTriplets } from './config.js';
import { openJournal, openJournalReadOnly } from './open.js';

const dir = tempDirPerTest('journal-damage-');

const N = 2000;
const triplets = createTriplets(Array.from({ length: N }, (_, r) => [r % 50, (r + 1) % 50, (r + 2) % 50] as [number, number, number]));
const config = () => baseConfig({ tripletsHash: hashTriplets(triplets), tripletsCount: N });
const keyOf = (row: number): string => `key-${String(row).padStart(6, '0')}-${'f'.repeat(40)}`;

/** A closed journal of N rows: odd rows failed (with their request key), even rows answered with a reply. */
function journalFile(): string {
  const file = join(dir(), 'j.sqlite');
  const j = openJournal(file, config(), { triplets });
  const reply = { rawReply: 'The odd one out is the second object, since the others are alike.', messageExtra: null, finishReason: 'stop', promptTokens: 40, completionTokens: 12 };
  for (let row = 0; row < N; row++) {
    if (row % 2 === 0) j.recordFinal({ row, status: 'answered', choicePosition: 1, reply, attempts: 1, asks: 1, requestKey: keyOf(row) });
    else j.recordFinal({ row, status: 'failed', attempts: 1, asks: 1, error: 'HTTP 500', requestKey: keyOf(row) });
  }
  j.close();
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)'); // every page in the file itself
  db.close();
  return file;
}

const damaged = (file: string) =>
  expect.objectContaining({
    _tag: 'JournalFormatError',
    file,
    message: expect.stringMatching(/^\S+: not a usable annotation journal: expected a conceptlab journal \(SQLite\); the database is damaged \([^\n]+\)$/),
  });

describe('a journal damaged in its middle pages', () => {
  it('resume and read-only opens: one JournalFormatError naming the file; the file unchanged', () => {
    const file = journalFile();
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    const pages = bytes.length / pageSize;
    expect(pages).toBeGreaterThan(20);
    const c = Buffer.from(bytes);
    const from = pageSize * Math.floor(pages / 2);
    for (let i = from; i < from + 3 * pageSize; i++) c[i] = (i * 7919) & 0xff; // three pages in the middle; the header intact
    writeFileSync(file, c);
    expect(() => openJournal(file, config(), { resume: true })).toThrow(damaged(file));
    expect(() => openJournal(file, config(), { triplets })).toThrow(damaged(file)); // not "exists: use --resume"
    expect(() => openJournalReadOnly(file)).toThrow(damaged(file));
    expect(readFileSync(file).equals(c)).toBe(true);
    expect([existsSync(`${file}-wal`), existsSync(`${file}-shm`)]).toEqual([false, false]);
  });
});

describe('a journal whose damage only a write meets', () => {
  /**
   * The journal with one byte of row `row`'s request key overwritten where it is stored first: the index on
   * request keys and the items table no longer agree (pages and key order stay valid, so quick_check passes).
   */
  function indexDamaged(row: number): string {
    const file = journalFile();
    const bytes = readFileSync(file);
    const key = Buffer.from(keyOf(row));
    const at = bytes.indexOf(key);
    expect(at).toBeGreaterThan(0);
    bytes[at + key.length - 1] = 'e'.charCodeAt(0); // …ffff → …fffe
    writeFileSync(file, bytes);
    return file;
  }

  it('opens and reads (quick_check passes); the write that meets it fails as one JournalFormatError, nothing half-written', () => {
    const file = indexDamaged(7);
    const j = openJournal(file, config(), { resume: true });
    expect(j.rowsToDo().rows).toHaveLength(N / 2);
    j.recordFinal({ row: 5, status: 'answered', choicePosition: 0, attempts: 2, asks: 1, requestKey: keyOf(5) });
    expect(j.flush()).toBe(1); // a row whose index entry is intact
    j.recordFinal({ row: 9, status: 'answered', choicePosition: 0, attempts: 2, asks: 1, requestKey: keyOf(9) });
    j.recordFinal({ row: 7, status: 'answered', choicePosition: 2, attempts: 2, asks: 1, requestKey: keyOf(7) });
    expect(() => j.flush()).toThrow(damaged(file));
    expect(() => j.flush()).toThrow(damaged(file));
    expect(() => j.recordAttempt({ row: 11, attempt: 2, ask: 0, statusCode: 200, error: null, latencyMs: 1, time: 1 })).toThrow(damaged(file));
    expect(() => j.counts()).toThrow(damaged(file));
    expect(() => j.close()).not.toThrow();
    // the failed transaction was rolled back whole: rows 7 and 9 are still failed, row 5 answered
    const r = openJournalReadOnly(file);
    expect([5, 7, 9].map((row) => r.item(row)?.status)).toEqual(['answered', 'failed', 'failed']);
    r.close();
    // and the next writer meets it again, as the same error (its lock was released or is a dead process's)
    const again = openJournal(file, config(), { resume: true });
    again.recordFinal({ row: 7, status: 'failed', attempts: 3, asks: 1, error: 'x', requestKey: keyOf(7) });
    expect(() => again.close()).toThrow(damaged(file));
  });

  it('a timed flush that meets it: the next call throws the JournalFormatError (nothing escapes from the timer)', async () => {
    const file = indexDamaged(7);
    const j = openJournal(file, config(), { resume: true, flushIntervalMs: 10 });
    j.recordFinal({ row: 7, status: 'answered', choicePosition: 2, attempts: 2, asks: 1, requestKey: keyOf(7) });
    await new Promise((r) => setTimeout(r, 60));
    expect(() => j.recordAttempt({ row: 7, attempt: 3, ask: 0, statusCode: 200, error: null, latencyMs: 1, time: 1 })).toThrow(damaged(file));
    expect(() => j.recordFinal({ row: 9, status: 'failed', attempts: 3, asks: 1 })).toThrow(damaged(file));
    j.close();
  });
});
