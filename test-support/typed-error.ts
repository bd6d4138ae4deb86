/**
 * For the property-based bad-input tests of the file readers (issue 13): a reader given bad bytes either returns a
 * value (which the test then checks against the reader's invariants) or throws the package's typed error, whose
 * message is one line and starts with the file's name — never a RangeError, TypeError or SyntaxError.
 */

/** A class of typed errors (e.g. core's `ConceptlabError`, which is abstract). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ErrorClass = abstract new (...args: any[]) => Error;

/** Throws (with the offending error in the message, for fast-check's counterexample) unless `e` is a one-line `base` naming `file`. */
export function expectTypedOneLineError(e: unknown, base: ErrorClass, file: string): void {
  if (!(e instanceof base)) {
    const what = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
    throw new Error(`expected a ${base.name}, got ${what}`);
  }
  if (/[\r\n]/.test(e.message)) throw new Error(`expected a one-line message, got ${JSON.stringify(e.message)}`);
  if (!e.message.startsWith(file)) throw new Error(`expected a message naming ${file} first, got ${JSON.stringify(e.message)}`);
}

/** `read()`'s value, or undefined when it threw a one-line `base` naming `file` (anything else fails the property). */
export function readOrRefuse<T>(read: () => T, base: ErrorClass, file: string): T | undefined {
  try {
    return read();
  } catch (e) {
    expectTypedOneLineError(e, base, file);
    return undefined;
  }
}

/** {@link readOrRefuse} for an async reader. */
export async function readOrRefuseAsync<T>(read: () => Promise<T>, base: ErrorClass, file: string): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    expectTypedOneLineError(e, base, file);
    return undefined;
  }
}
