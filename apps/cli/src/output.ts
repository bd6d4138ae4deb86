import { isConceptlabError, type ProgressListener } from '@conceptlab/core';
import { formatProgress } from '@conceptlab/core/runtime';

/** Where a command writes: results to stdout, messages and progress to stderr. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly stderrIsTty: boolean;
}

export const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stderrIsTty: Boolean(process.stderr.isTTY),
};

/** Print a result: JSON (one object, for scripts) or the human-readable lines. */
export function printResult(io: Io, json: boolean, value: unknown, human: () => string): void {
  io.stdout(json ? JSON.stringify(value, null, 2) + '\n' : human() + '\n');
}

/** Print an error the user can act on; returns the exit code (1 for bad input, 70 for a bug). */
export function printError(io: Io, json: boolean, err: unknown): number {
  const known = isConceptlabError(err);
  const e = err as Error & Record<string, unknown>;
  if (json) {
    const body: Record<string, unknown> = { tag: known ? e._tag : 'InternalError', message: e?.message ?? String(err) };
    for (const k of ['file', 'line', 'column', 'expected', 'found', 'argument']) if (e?.[k] !== undefined) body[k] = e[k];
    io.stderr(JSON.stringify({ error: body }) + '\n');
  } else {
    io.stderr(`conceptlab: error: ${e?.message ?? String(err)}\n`);
    if (!known && e?.stack) io.stderr(e.stack + '\n');
  }
  return known ? 1 : 70;
}

/** In a log (stderr not a terminal), a task's progress line at most this often; its end line always. */
export const LOG_PROGRESS_INTERVAL_MS = 10_000;

/**
 * Render progress on stderr: a self-overwriting line on a terminal; in a log, sparse plain lines (a task's
 * first progress line, then one per {@link LOG_PROGRESS_INTERVAL_MS}, and its end line). With --json,
 * progress is written as JSON lines on stderr so stdout stays one JSON document.
 */
export function progressRenderer(io: Io, json: boolean): ProgressListener {
  const lastLogged = new Map<string, number>();
  return (e) => {
    if (json) {
      io.stderr(JSON.stringify({ progress: e }) + '\n');
    } else if (io.stderrIsTty) {
      io.stderr(`\r\x1b[2K${formatProgress(e)}${e.phase === 'end' ? '\n' : ''}`);
    } else if (e.phase === 'end') {
      lastLogged.delete(e.task);
      io.stderr(formatProgress(e) + '\n');
    } else if (e.phase !== 'start') {
      const last = lastLogged.get(e.task);
      if (last !== undefined && e.elapsedMs - last < LOG_PROGRESS_INTERVAL_MS) return;
      lastLogged.set(e.task, e.elapsedMs);
      io.stderr(formatProgress(e) + '\n');
    }
  };
}
