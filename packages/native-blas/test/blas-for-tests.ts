import { loadNativeBlas, NativeBlasUnavailableError, type NativeBlas } from '../src/index.js';

/**
 * For tests that need a working native BLAS (the addon built and a CBLAS installed): the loaded BLAS, or undefined
 * after printing a visible "skipped" message. Under `CI=true` an unavailable BLAS is an error, so CI never passes
 * by skipping (.ci/run installs libopenblas0-pthread) — the rule core's dataDirForTests follows for the data.
 */
export function blasForTests(what: string): NativeBlas | undefined {
  try {
    return loadNativeBlas();
  } catch (e) {
    if (!(e instanceof NativeBlasUnavailableError)) throw e;
    const msg = `native BLAS unavailable (${e.message}): ${what}`;
    if (process.env.CI === 'true') throw new Error(`${msg} — required when CI=true`);
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED: ${msg}`);
    return undefined;
  }
}
