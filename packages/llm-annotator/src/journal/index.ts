/**
 * The annotation journal: one SQLite file (WAL, synchronous=NORMAL) that holds a run's
 * configuration, every row's final answer with its raw reply, every HTTP attempt, and the replies a
 * re-ask replaced. It is the run's only state: a killed run resumes from it, and export, summary and
 * merge read it.
 *
 * - `config.ts`: what a run was started with, the input hashes, the key-by-key comparison;
 * - `schema.ts`: tables, format and version, connection pragmas, rows ↔ records;
 * - `records.ts`: the records stored and reported; `journal.ts`: the interface of an open journal;
 * - `store.ts`: that interface over a connection, with buffered writes (durability);
 * - `lock.ts`: one writer at a time; `open.ts`: create, resume or read a journal.
 *
 * This index re-exports what the rest of the package uses.
 */
export { JOURNAL_FORMAT, JOURNAL_VERSION } from './schema.js';
/** @internal For merge: its better-sqlite3 types stay out of the published `.d.ts`. */
export { initJournalDatabase, openJournalDatabase } from './schema.js';
export { hashTriplets, hashConcepts, sanitizeBaseUrl, configDifference, type JournalConfig } from './config.js';
export { openJournal, openJournalReadOnly } from './open.js';
export type { Journal } from './journal.js';
export type {
  AttemptRecord,
  BatchRow,
  ItemRecord,
  ItemStatus,
  JournalCounts,
  JournalUsage,
  ReaskRecord,
  StoredReply,
} from './records.js';
