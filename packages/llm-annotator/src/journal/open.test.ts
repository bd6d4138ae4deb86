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
