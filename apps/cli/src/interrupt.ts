import { AbortedError } from '@conceptlab/llm-client';

/**
 * Run `work` with an AbortSignal that Ctrl-C (SIGINT) and SIGTERM abort, with an {@link AbortedError} whose
 * message is `message(signal)` (one line: what was interrupted and how to continue). The work must stop
 * promptly when the signal aborts (a request, a back-off or rate-limit wait, a breaker pause, a preflight)
 * and leave its files consistent; the command then fails with that line (exit 1). Another typed error the
 * work throws while stopping is kept; anything else thrown after the abort becomes the interruption's line.
 * The handlers are removed when the work ends, so a signal afterwards has its default effect.
 */
export async function whileInterruptible<T>(message: (signal: NodeJS.Signals) => string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (sig: NodeJS.Signals): void => controller.abort(new AbortedError(message(sig)));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } catch (e) {
    // interrupted: the signal's reason, one line (unless the work failed with another typed error meanwhile)
    if (controller.signal.aborted && !(e instanceof Error && '_tag' in e && e._tag !== 'AbortedError')) throw controller.signal.reason;
    throw e;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
