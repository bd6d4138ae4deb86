/**
 * Typed errors of the annotator's journal (the request layer's `AnnotateFatalError` and `AbortedError` are
 * @conceptlab/llm-client's). Each is a {@link ConceptlabError} with a
 * `_tag`, so callers (the CLI) branch on the tag instead of parsing messages. No message ever carries
 * the API key: messages built from server replies pass through the client's redaction first.
 */
import { ConceptlabError } from '@conceptlab/core';

/** A resumed (or merged) journal whose stored run configuration differs from this run's: names the key. */
export class JournalConfigMismatchError extends ConceptlabError {
  readonly _tag = 'JournalConfigMismatchError' as const;
  readonly file: string;
  readonly key: string;
  readonly storedValue: unknown;
  readonly requestedValue: unknown;
  constructor(file: string, key: string, storedValue: unknown, requestedValue: unknown, what = 'this run has') {
    super(
      `${file}: the journal was started with ${key} = ${JSON.stringify(storedValue)}, but ${what} ` +
        `${key} = ${JSON.stringify(requestedValue)}; resume with the journal's settings or use another journal file`,
    );
    this.name = 'JournalConfigMismatchError';
    this.file = file;
    this.key = key;
    this.storedValue = storedValue;
    this.requestedValue = requestedValue;
  }
}

/** A journal file that exists although the run did not ask to resume it (never overwritten silently). */
export class JournalExistsError extends ConceptlabError {
  readonly _tag = 'JournalExistsError' as const;
  readonly file: string;
  constructor(file: string) {
    super(`${file}: a journal already exists here; pass resume (--resume) to continue it, or choose another file`);
    this.name = 'JournalExistsError';
    this.file = file;
  }
}

/** A journal held by another live process (two writers would ask the same rows twice). */
export class JournalLockedError extends ConceptlabError {
  readonly _tag = 'JournalLockedError' as const;
  readonly file: string;
  readonly pid: number;
  readonly host: string;
  constructor(file: string, pid: number, host: string) {
    super(
      `${file}: the journal is in use by process ${pid} on ${host}; wait for it to finish or stop it first ` +
        `(a lock left by a process that no longer runs on this host is taken over automatically)`,
    );
    this.name = 'JournalLockedError';
    this.file = file;
    this.pid = pid;
    this.host = host;
  }
}

/** A journal file that is not a journal of this package (wrong schema or version), or is inconsistent. */
export class JournalFormatError extends ConceptlabError {
  readonly _tag = 'JournalFormatError' as const;
  readonly file: string;
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: not a usable annotation journal: ${problem}`, options);
    this.name = 'JournalFormatError';
    this.file = file;
  }
}

/** Two journals that answer the same row differently (merge refuses to pick one). */
export class JournalConflictError extends ConceptlabError {
  readonly _tag = 'JournalConflictError' as const;
  readonly row: number;
  readonly files: readonly [string, string];
  constructor(row: number, files: readonly [string, string], detail: string) {
    super(`row ${row + 1} (line ${row + 1}) is answered differently in ${files[0]} and ${files[1]}: ${detail}`);
    this.name = 'JournalConflictError';
    this.row = row;
    this.files = files;
  }
}

/**
 * Two journals that both asked the same rows (e.g. two complete runs of the same list rather than shards):
 * merging them would count those rows' attempts and retries twice, so merge refuses.
 */
export class JournalOverlapError extends ConceptlabError {
  readonly _tag = 'JournalOverlapError' as const;
  readonly files: readonly [string, string];
  /** Rows asked in both journals. */
  readonly rows: number;
  /** The first such row (0-based). */
  readonly firstRow: number;
  constructor(files: readonly [string, string], rows: number, firstRow: number) {
    super(
      `${files[0]} and ${files[1]} overlap: ${rows} row(s) were asked in both (first: row ${firstRow + 1}); ` +
        'merge joins shards or partial runs that asked disjoint rows — merging these would count attempts twice',
    );
    this.name = 'JournalOverlapError';
    this.files = files;
    this.rows = rows;
    this.firstRow = firstRow;
  }
}

/**
 * A call that asked at least one row and got no answer at all: every reply unparsed (or every request
 * failed). The CLI's rule: that run is a failure (exit 1), not a success with 0 answered. The rows and
 * every raw reply stay in the journal (export/summary read them; failed rows are asked again on resume).
 */
export class NothingAnsweredError extends ConceptlabError {
  readonly _tag = 'NothingAnsweredError' as const;
  readonly file: string;
  readonly asked: number;
  readonly unparsed: number;
  readonly failed: number;
  constructor(file: string, asked: number, unparsed: number, failed: number) {
    super(
      `${file}: none of the ${asked} row(s) asked was answered (${unparsed} unparsed, ${failed} failed); ` +
        'the raw replies are kept in the journal (`annotate export --format jsonl` shows them) — check the prompt and ' +
        '--answer-format against what the model replies; failed rows are asked again with --resume',
    );
    this.name = 'NothingAnsweredError';
    this.file = file;
    this.asked = asked;
    this.unparsed = unparsed;
    this.failed = failed;
  }
}

/** An export that needs every row final while some are still pending or failed. */
export class JournalIncompleteError extends ConceptlabError {
  readonly _tag = 'JournalIncompleteError' as const;
  readonly file: string;
  readonly pending: number;
  readonly failed: number;
  constructor(file: string, pending: number, failed: number, what: string) {
    super(
      `${file}: ${pending} row(s) pending and ${failed} failed; ${what} needs every row answered or unparsed — ` +
        'resume the run (--resume), or allow an incomplete export (--allow-incomplete)',
    );
    this.name = 'JournalIncompleteError';
    this.file = file;
    this.pending = pending;
    this.failed = failed;
  }
}

/**
 * A run ended early because the endpoint kept failing (the circuit breaker's `maxConsecutiveFailures`):
 * the journal is flushed and consistent, unanswered rows stay pending (or failed) for a resumed run.
 * `cause` is the breaker's CircuitOpenError (with the last failure).
 */
export class AnnotateStoppedError extends ConceptlabError {
  readonly _tag = 'AnnotateStoppedError' as const;
  readonly file: string;
  /** Rows still to ask (pending and failed) when it stopped. */
  readonly remaining: number;
  readonly failures: number;
  constructor(file: string, remaining: number, failures: number, reason: string, options?: { cause?: unknown }) {
    super(`${file}: ${reason}; ${remaining} row(s) left to ask — continue the run (--resume) once the endpoint answers`, options);
    this.name = 'AnnotateStoppedError';
    this.file = file;
    this.remaining = remaining;
    this.failures = failures;
  }
}
