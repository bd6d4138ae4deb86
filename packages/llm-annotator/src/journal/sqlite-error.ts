/**
 * SQLite's errors as the journal's typed error: a damaged journal (a malformed page, an index that does not
 * match its table, a config that is not JSON) is a {@link JournalFormatError} naming the file, never a raw
 * `SqliteError` — when opening it and when a later read or write meets the damage.
 */
import { JournalFormatError } from '../errors.js';

/** @internal The start of every "this file is not a usable journal" problem. */
export const EXPECTED = 'expected a conceptlab journal (SQLite)';

/**
 * @internal Whether `e` is an error of SQLite (better-sqlite3's SqliteError). By name and code, not instanceof:
 * the native binding keeps the SqliteError class (and Error) of the realm that loaded it first (e.g. another
 * jest sandbox).
 */
export function isSqliteError(e: unknown): e is Error & { code: string } {
  const err = (typeof e === 'object' && e !== null ? e : {}) as { name?: unknown; code?: unknown };
  return err.name === 'SqliteError' || (typeof err.code === 'string' && err.code.startsWith('SQLITE_'));
}

/**
 * @internal The JournalFormatError of an SQLite error met while reading or writing the open journal `file`:
 * a malformed page or index (SQLITE_CORRUPT…, SQLITE_NOTADB) says the database is damaged; any other (a full
 * disk, an I/O error) is named with its code.
 */
export function journalUseError(file: string, e: Error & { code: string }): JournalFormatError {
  const message = e.message.replace(/\s+/g, ' ').trim();
  const damaged = e.code.startsWith('SQLITE_CORRUPT') || e.code === 'SQLITE_NOTADB';
  return new JournalFormatError(file, damaged ? `${EXPECTED}; the database is damaged (SQLite: ${message})` : `SQLite: ${message} (${e.code})`, { cause: e });
}

/** @internal Run `f`, turning SQLite's errors and a config that is not JSON into a JournalFormatError naming the file. */
export function asJournalFormatError<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof JournalFormatError) throw e;
    if (e instanceof SyntaxError) throw new JournalFormatError(file, `${EXPECTED}; its stored config is not JSON (${e.message})`, { cause: e });
    if (isSqliteError(e)) throw new JournalFormatError(file, `${EXPECTED}; SQLite: ${String(e.message)}`, { cause: e });
    throw e;
  }
}
