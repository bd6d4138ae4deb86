import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

/** Start `conceptlab serve … --port 0 --json` and resolve with its URL once it listens. */
export function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args, '--port', '0', '--json'], { env: { ...process.env, ...env } });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ url: (JSON.parse(line) as { url: string }).url, child });
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

/** Run the CLI asynchronously (the server runs in another process meanwhile). */
export function runAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, FORCE_COLOR: '0', ...env } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * A refused command: exit ≠ 0, exactly one line on stderr (lines starting with `progressPrefix`, a command's
 * progress, aside), no stack trace, the line matching `pattern`, in under 5 s.
 */
export function expectOneLineError(r: CliResult, ms: number, pattern: RegExp, progressPrefix?: string): void {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.split('\n').filter((l) => l.length > 0 && (progressPrefix === undefined || !l.startsWith(progressPrefix)));
  expect(lines).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^ {4}at /m);
  expect(lines[0]).toMatch(pattern);
  expect(ms).toBeLessThan(5000);
}

/** `conceptlab serve …` on a given port (resolves once it listens), e.g. to reuse the port of another server. */
export function serveOn(port: number, args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args, '--port', String(port), '--json']);
    child.stdout!.on('data', () => resolve(child));
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
}

/** SIGTERM a child process and resolve once it has exited. */
export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null) return r();
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
}

/**
 * Run the CLI, send SIGTERM (or `when.signal`) once `ready(stderr)` holds (checked on each chunk of stderr,
 * where progress lines are printed as they happen, and every 50 ms), after `afterMs`, or `afterOutputMs` after its first stderr line, and measure the time
 * from the signal to the exit. Rejects when it exits before the signal.
 */
export function runThenTerm(
  args: string[],
  when: { afterMs?: number; afterOutputMs?: number; ready?: (stderr: string) => boolean; signal?: NodeJS.Signals },
): Promise<{ code: number | null; stdout: string; stderr: string; exitMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '', stderr = '';
    let sentAt: number | undefined;
    const term = (): void => {
      if (sentAt !== undefined) return;
      sentAt = performance.now();
      child.kill(when.signal ?? 'SIGTERM');
    };
    const poll = when.ready ? setInterval(() => when.ready!(stderr) && term(), 50) : undefined;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    // afterOutputMs counts from the command's first line on stderr (it has started and set its handlers), so a slow
    // start on a busy machine does not turn the test into a kill before the command runs.
    let outputTimer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (when.afterOutputMs !== undefined && outputTimer === undefined) outputTimer = setTimeout(term, when.afterOutputMs);
      if (when.ready?.(stderr)) term();
    });
    const timer = when.afterMs !== undefined ? setTimeout(term, when.afterMs) : undefined;
    child.on('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      clearTimeout(outputTimer);
      if (sentAt === undefined) return reject(new Error(`conceptlab ${args[0]} exited ${code} before the signal: ${stderr}`));
      resolve({ code, stdout, stderr, exitMs: performance.now() - sentAt });
    });
  });
}

/** Every file and folder under `dir` with a hash of its bytes: equal snapshots mean nothing was written. */
export function snapshot(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, rel))) {
    const p = join(rel, name);
    if (statSync(join(dir, p)).isDirectory()) {
      out[p + '/'] = 'dir';
      Object.assign(out, snapshot(dir, p));
    } else {
      out[p] = createHash('sha256').update(readFileSync(join(dir, p))).digest('hex');
    }
  }
  return out;
}
