import type { Io } from './output.js';

/** Where to report a bug: printed with every internal error. */
export const ISSUES_URL = 'https://github.com/conceptlab/conceptlab/issues';

/**
 * Report an error that is not a ConceptlabError (a bug, or a failure nobody turned into a typed error yet)
 * as one line naming the command, plus "please report"; the stack only with CONCEPTLAB_DEBUG=1. Returns 70
 * (EX_SOFTWARE). With --json, one `{ error: { tag: 'InternalError', message, report, command } }` line, like
 * every error.
 */
export function printInternalError(io: Io, json: boolean, command: string | undefined, err: unknown): number {
  const e = err as Error | undefined;
  const message = String(e?.message ?? err).replace(/\s*\n\s*/g, ' ').trim() || String(e?.name ?? 'error');
  const debug = process.env.CONCEPTLAB_DEBUG === '1';
  if (json) {
    const body: Record<string, unknown> = { tag: 'InternalError', message, report: ISSUES_URL };
    if (command) body.command = command;
    if (debug && e?.stack) body.stack = e.stack;
    io.stderr(JSON.stringify({ error: body }) + '\n');
  } else {
    io.stderr(`conceptlab${command ? ' ' + command : ''}: internal error: ${message} — please report this at ${ISSUES_URL}\n`);
    if (debug && e?.stack) io.stderr(e.stack + '\n');
  }
  return 70;
}
