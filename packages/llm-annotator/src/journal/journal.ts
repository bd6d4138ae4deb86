/** The interface of an open journal: what annotate, batch, export, summary and merge read and write. */
import type { JournalConfig } from './config.js';
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

/** An open journal (one writer). */
export interface Journal {
  readonly file: string;
  readonly config: JournalConfig;
  /** True when this open created the journal. */
  readonly created: boolean;
  /** Pending and failed rows, except those sent in a batch not yet collected. */
  rowsToDo(): RowsToDo;
  item(row: number): ItemRecord | undefined;
  items(): IterableIterator<ItemRecord>;
  reasks(): IterableIterator<ReaskRecord>;
  /** Every recorded HTTP attempt, in the order written. */
  attempts(): IterableIterator<AttemptRecord>;
  counts(): JournalCounts;
  usage(): JournalUsage;
  /** A stored reply for this request key (committed or still buffered), if any. */
  lookupCache(requestKey: string): StoredReply | undefined;
  /** Buffer a row's final state (written once: ignored if the row is already answered or unparsed). */
  recordFinal(record: FinalRecord): void;
  /** Buffer an HTTP attempt. */
  recordAttempt(attempt: AttemptRecord): void;
  /** Buffer an unparsed reply that stays pending (batch mode asks again in a later batch). */
  recordReask(record: ReaskRecord): void;
  /** Commit everything buffered now. Returns the number of rows made final by this flush. */
  flush(): number;
  /** Batch mode: record that these rows (at these asks) were sent in batch `batch` (written now). */
  assignBatch(batch: string, rows: readonly BatchRow[]): void;
  /** Batch mode: the rows sent in `batch`, with their presented objects and the attempts recorded so far. */
  batchRows(batch: string): (BatchRow & { readonly presented: [number, number, number]; readonly attempts: number })[];
  /** HTTP attempts (and batch results) recorded for a row. */
  attemptCount(row: number): number;
  /** Batch mode: every row currently in some batch. */
  rowsInBatches(): Set<number>;
  /** Batch mode: forget a batch's rows (after ingesting it), committing the buffer first. */
  releaseBatch(batch: string): void;
  getMeta(key: string): string | undefined;
  /** Write a meta entry now (after committing the buffer). */
  setMeta(key: string, value: string): void;
  /** Flush, release the lock, close the database. Idempotent. */
  close(): void;
}
