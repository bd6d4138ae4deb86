import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The reference-data directory: `$CONCEPTLAB_DATA` when set, else the first `shared/data` found in
 * `startDir` or one of its ancestors (the project keeps `../shared/data` beside its root).
 * Returns undefined when there is none.
 */
export function locateDataDir(startDir: string = process.cwd()): string | undefined {
  const env = process.env.CONCEPTLAB_DATA;
  if (env) return existsSync(env) ? resolve(env) : undefined;
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, 'shared', 'data');
    if (existsSync(join(candidate, 'README.md'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * For tests that need the reference data: the data directory, or undefined after printing a visible
 * "skipped" message. Under `CI=true` a missing directory is an error, so CI never passes by skipping.
 */
export function dataDirForTests(startDir: string, what: string): string | undefined {
  const dir = locateDataDir(startDir);
  if (dir) return dir;
  const msg = `reference data not found (set CONCEPTLAB_DATA or place ../shared/data beside the project): ${what}`;
  if (process.env.CI === 'true') throw new Error(`${msg} — required when CI=true`);
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED: ${msg}`);
  return undefined;
}
