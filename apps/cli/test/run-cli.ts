import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The built CLI, run as a real process (tests depend on `build`). */
export const BIN = resolve(__dirname, '..', 'dist', 'bin.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd?: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function runJson<T = Record<string, unknown>>(args: string[], cwd?: string): T {
  const r = runCli([...args, '--json'], cwd);
  if (r.code !== 0) throw new Error(`conceptlab ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'conceptlab-cli-'));
}

export function writeText(dir: string, name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}
