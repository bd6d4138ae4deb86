/** The records a journal stores and reports: rows, replies, re-asks, attempts, batch rows, counts, usage. */

export type ItemStatus = 'pending' | 'answered' | 'unparsed' | 'failed';
/** Where a reply came from: an HTTP request, the cache (an identical earlier request), or a Batch API output. */
export type ReplySource = 'http' | 'cache' | 'batch';
export type FinalStatus = Exclude<ItemStatus, 'pending'>;

/** One row of `items`. */
export interface ItemRecord {
  readonly row: number;
  /** Input order (as in the triplet list). */
  readonly objects: [number, number, number];
  /** Presentation order (what the model saw, position 0..2). */
  readonly presented: [number, number, number];
  readonly status: ItemStatus;
  /** Presentation position (0..2) of the odd one out; answered rows only. */
  readonly choicePosition: number | null;
  readonly oddObject: number | null;
  /** How the parser read the reply (e.g. "json", "tool", "name", "letter"). */
  readonly via: string | null;
  readonly rawReply: string | null;
  /** Tool calls / refusal of the reply message as JSON, when it had any. */
  readonly messageExtra: string | null;
  readonly finishReason: string | null;
  readonly promptTokens: number | null;
  readonly completionTokens: number | null;
  readonly latencyMs: number | null;
  /** HTTP attempts made for this row (all asks, all runs that touched it). */
  readonly attempts: number;
  /** Questions asked (1 + re-asks) in the run that finished the row. */
  readonly asks: number;
  /** Where the reply came from (null while pending). */
  readonly source: ReplySource | null;
  /** Why an `unparsed` reply was not read, or why a request `failed` (redacted). */
  readonly error: string | null;
  readonly requestKey: string | null;
  readonly updatedAt: number | null;
}

/** The reply of one request, as stored (and served from the cache). */
export interface StoredReply {
  readonly rawReply: string | null;
  readonly messageExtra: string | null;
  readonly finishReason: string | null;
  readonly promptTokens: number | null;
  readonly completionTokens: number | null;
}

/** An unparsed reply that a re-ask replaced. */
export interface ReaskRecord extends StoredReply {
  readonly row: number;
  readonly ask: number;
  readonly reason: string;
  readonly requestKey: string | null;
  readonly source: ReplySource;
  readonly time: number;
}

/** The final state of one row. */
export interface FinalRecord {
  readonly row: number;
  readonly status: FinalStatus;
  readonly choicePosition?: number | null;
  readonly via?: string | null;
  readonly reply?: StoredReply | null;
  readonly latencyMs?: number | null;
  readonly attempts: number;
  readonly asks: number;
  /** Default 'http'. */
  readonly source?: ReplySource;
  readonly error?: string | null;
  readonly requestKey?: string | null;
  /** Unparsed replies replaced by re-asks, written in the same transaction. */
  readonly reasks?: readonly ReaskRecord[];
}

/** One HTTP attempt. `statusCode` is null for timeouts and connection errors. */
export interface AttemptRecord {
  readonly row: number;
  readonly attempt: number;
  readonly ask: number;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly latencyMs: number;
  readonly time: number;
}

/** A row sent in a Batch API batch: the ask it was sent at and its request key. */
export interface BatchRow {
  readonly row: number;
  readonly ask: number;
  readonly requestKey: string;
}

/** Rows still to ask (pending or failed), in row order, with what a worker needs. */
export interface RowsToDo {
  readonly rows: Int32Array;
  /** 3 per row: the presented objects. */
  readonly presented: Int32Array;
  /** HTTP attempts already made for each row (failed rows of earlier runs). */
  readonly attempts: Int32Array;
  /** Asks already made (re-asked replies kept in `reasks`). */
  readonly asks: Int32Array;
  /** 1 where the row is `failed` (asked again), 0 where `pending`. */
  readonly failed: Uint8Array;
}

export interface JournalCounts {
  /** Rows this journal covers (its shard of the triplet list). */
  readonly total: number;
  readonly pending: number;
  readonly answered: number;
  readonly unparsed: number;
  readonly failed: number;
  /** Rows of the shard absent from `items` (only after merging an incomplete set of shards). */
  readonly missing: number;
}

export interface JournalUsage {
  /** Tokens of replies that were paid for (HTTP and batch; cached ones excluded), re-asked replies included. */
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** The part of those tokens that came through the Batch API (billed at the batch discount). */
  readonly batchPromptTokens: number;
  readonly batchCompletionTokens: number;
  /** Every HTTP attempt recorded. */
  readonly httpAttempts: number;
  /** Attempts that did not return a reply (status ≠ 2xx, timeouts, connection errors). */
  readonly failedAttempts: number;
  /** Rows (and re-asks) answered from the cache. */
  readonly cachedReplies: number;
}
