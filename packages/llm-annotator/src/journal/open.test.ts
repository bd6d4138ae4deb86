import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { config, tempDirPerTest, triplets } from '../../test/journal-fixtures.js';
import { presentationOrder } from '../presentation.js';
import { openJournal, openJournalReadOnly } from './open.js';

const dir = tempDirPerTest('journal-test-');

describe('openJournal', () => {
  it('creates every row pending with its input and presented order, WAL and synchronous=NORMAL', () => {
    const file = join(dir(), 'j.sqlite');
    const j = openJournal(file, config(), { triplets });
    expect(j.created).toBe(true);
    const items = [...j.items()];
    expect(items).toHaveLength(5);
    items.forEach((it, row) => {
      expect(it.status).toBe('pending');
      expect(it.objects).toEqual(Array.from(triplets.data.subarray(3 * row, 3 * row + 3)));
      const o = presentationOrder(42, row);
      expect(it.presented).toEqual(o.map((k) => it.objects[k]));
    });
    expect(j.counts()).toEqual({ total: 5, pending: 5, answered: 0, unparsed: 0, failed: 0, missing: 0 });
    j.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(JSON.parse(db.prepare("SELECT value FROM meta WHERE key='config'").pluck().get() as string)).toEqual(config());
    db.close();
  });

  it('a shard holds only its rows (row % n === k − 1)', () => {
    const j = openJournal(join(dir(), 's.sqlite'), config({ shard: { k: 2, n: 2 } }), { triplets });
    expect([...j.items()].map((i) => i.row)).toEqual([1, 3]);
    expect(j.counts().total).toBe(2);
    j.close();
  });

  it('refuses an existing journal without resume, and a resume with a different config naming the key', () => {
    const file = join(dir(), 'j.sqlite');
    openJournal(file, config(), { triplets }).close();
    expect(() => openJournal(file, config(), { triplets })).toThrow(expect.objectContaining({ _tag: 'JournalExistsError' }));
    expect(() => openJournal(file, config({ model: 'other' }), { resume: true })).toThrow(
      expect.objectContaining({ _tag: 'JournalConfigMismatchError', key: 'model', storedValue: 'm', requestedValue: 'other' }),
    );
    expect(() => openJournal(file, config({ presentationSeed: 1 }), { resume: true })).toThrow(/presentationSeed/);
    const j = openJournal(file, config(), { resume: true });
    expect(j.created).toBe(false);
    j.close();
  });

  it('needs the triplets to create, and checks their count', () => {
    expect(() => openJournal(join(dir(), 'a.sqlite'), config())).toThrow(/triplets/);
    expect(() => openJournal(join(dir(), 'b.sqlite'), config({ tripletsCount: 9 }), { triplets })).toThrow(/tripletsCount/);
  });
});

describe('openJournalReadOnly', () => {
  it('read-only open sees everything and cannot write', () => {
    const file = join(dir(), 'j.sqlite');
    const j = openJournal(file, config(), { triplets });
    j.recordFinal({ row: 4, status: 'answered', choicePosition: 2, attempts: 1, asks: 1 });
    j.close();
    const r = openJournalReadOnly(file);
    expect(r.config).toEqual(config());
    expect(r.item(4)?.status).toBe('answered');
    expect(() => r.recordFinal({ row: 1, status: 'failed', attempts: 1, asks: 1 })).toThrow(/read-only/);
    r.close();
    expect(() => openJournalReadOnly(join(dir(), 'none.sqlite'))).toThrow(expect.objectContaining({ _tag: 'JournalFormatError' }));
  });
});

describe('a path that is not a journal', () => {
  /** A closed journal of 5 rows, and files made from it: truncated, with garbage over its pages, config not JSON. */
  function badFiles(): Record<string, string> {
    const d = dir();
    const good = join(d, 'good.sqlite');
    openJournal(good, config(), { triplets }).close();
    const bytes = readFileSync(good);
    const files: Record<string, string> = { directory: join(d, 'adir'), npy: join(d, 'x.npy'), truncated: join(d, 't.sqlite'), corrupted: join(d, 'c.sqlite'), config: join(d, 'j.sqlite') };
    mkdirSync(files.directory);
    writeFileSync(files.npy, Buffer.concat([Buffer.from('\x93NUMPY\x01\x00', 'latin1'), Buffer.alloc(120, 32)]));
    writeFileSync(files.truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const c = Buffer.from(bytes);
    for (let i = 100; i < c.length; i++) c[i] = (i * 7919) & 0xff;
    writeFileSync(files.corrupted, c);
    copyFileSync(good, files.config);
    const db = new Database(files.config);
    db.prepare("UPDATE meta SET value = '{not json' WHERE key = 'config'").run();
    db.close();
    return files;
  }

  it.each(['directory', 'npy', 'truncated', 'corrupted', 'config'])('%s: a JournalFormatError naming the file (create, resume, read), the file unchanged', (kind) => {
    const file = badFiles()[kind];
    const before = kind === 'directory' ? undefined : readFileSync(file);
    const expected = expect.objectContaining({ _tag: 'JournalFormatError', file, message: expect.stringMatching(/^.+: not a usable annotation journal: expected a conceptlab journal \(SQLite\)[^\n]*$/) });
    // an SQLite journal whose config is unreadable is still "a journal that exists" to a run without --resume
    expect(() => openJournal(file, config(), { triplets })).toThrow(kind === 'config' ? expect.objectContaining({ _tag: 'JournalExistsError' }) : expected);
    expect(() => openJournal(file, config(), { resume: true, triplets })).toThrow(expected);
    expect(() => openJournalReadOnly(file)).toThrow(expected);
    if (before) expect(readFileSync(file).equals(before)).toBe(true);
    expect([existsSync(`${file}-wal`), existsSync(`${file}-shm`)]).toEqual([false, false]);
  });

  it('names what it found', () => {
    const f = badFiles();
    expect(() => openJournalReadOnly(f.directory)).toThrow(/found a directory$/);
    expect(() => openJournalReadOnly(f.npy)).toThrow(/found a \.npy array$/);
    expect(() => openJournalReadOnly(f.truncated)).toThrow(/found a truncated SQLite file/);
    expect(() => openJournalReadOnly(f.config)).toThrow(/stored config is not JSON/);
  });
});
