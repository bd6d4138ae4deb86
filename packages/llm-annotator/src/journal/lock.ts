/**
 * One writer at a time: the `lock` meta entry names the writing process (pid, host, since); a second
 * writer gets a {@link JournalLockedError}; a lock left by a dead process on this host is taken over (and
 * one left on another host with `takeOverLock`). Within this process a set of the files open for writing
 * stands in for the lock, since this process's own pid would not look foreign.
 */
import { hostname } from 'node:os';
import { JournalLockedError } from '../errors.js';
import type { Db } from './schema.js';

/** Files open for writing in this process (a second writer here would not see the lock as foreign). */
const openForWriting = new Set<string>();

/** @internal Throws JournalLockedError when this process already writes the journal at `abs`. */
export function assertNotOpenHere(file: string, abs: string): void {
  if (openForWriting.has(abs)) throw new JournalLockedError(file, process.pid, hostname());
}

/** @internal Record that this process writes the journal at `abs` (until {@link markClosedHere}). */
export function markOpenHere(abs: string): void {
  openForWriting.add(abs);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * @internal Take the journal's lock for this process, or throw JournalLockedError when a live process
 * (or, without `takeOver`, a process on another host) holds it.
 */
export function acquireLock(db: Db, file: string, takeOver: boolean): void {
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

/** @internal Remove the lock entry (before closing the connection). */
export function releaseLock(db: Db): void {
  db.prepare("DELETE FROM meta WHERE key = 'lock'").run();
}

/** @internal Forget that this process writes the journal at `abs` (after closing it). */
export function markClosedHere(abs: string): void {
  openForWriting.delete(abs);
}
