import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeExample } from './readme-example-rule.js';

/**
 * Run a package README's first ```js example against the built package (as a user would, from the
 * package directory) and return what it printed next to what the README says it prints (the block after
 * "prints"). Used by each package's readme test, so the README stays runnable.
 */
export function runReadmeExample(packageRoot: string): { stdout: string; stderr: string; status: number | null; expected: string } {
  const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
  const { code, expected } = readmeExample(readme, `${packageRoot}/README.md`);
  const file = join(packageRoot, `.readme-example-${process.pid}.mjs`);
  writeFileSync(file, code);
  try {
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', cwd: packageRoot, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status, expected };
  } finally {
    rmSync(file, { force: true });
  }
}
