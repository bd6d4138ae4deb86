import { join } from 'node:path';
import Database from 'better-sqlite3';
import { config, tempDirPerTest, triplets } from '../../test/journal-fixtures.js';
import { openJournal } from './open.js';

const dir = tempDirPerTest('journal-test-');

describe('the single-writer lock', () => {
  it('one writer: a second open in this process or by a live process is locked; a dead process lock is taken over', () => {
    const file = join(dir(), 'j.sqlite');
    const j = openJournal(file, config(), { triplets });
    expect(() => openJournal(file, config(), { resume: true })).toThrow(expect.objectContaining({ _tag: 'JournalLockedError' }));
    j.close();
    const db = new Database(file);
    const setLock = (pid: number) =>
      db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('lock', ?)").run(JSON.stringify({ pid, host: require('node:os').hostname() }));
    setLock(process.ppid); // alive
    expect(() => openJournal(file, config(), { resume: true })).toThrow(expect.objectContaining({ _tag: 'JournalLockedError', pid: process.ppid }));
    setLock(2 ** 22 + 12345); // no such process
    db.close();
    openJournal(file, config(), { resume: true }).close();
  });
});
