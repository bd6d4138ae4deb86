/**
 * Bad input to `annotate`, `--resume`, `export`, `summary` and `merge` (issue 13): each is one typed line on
 * stderr, exit ≠ 0, no stack trace, nothing created or changed, in < 5 s. Real files, a real `serve` process.
 */
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMatrix, createRng, writeNpyMatrix, writeTripletText } from '@conceptlab/core';
import { sampleUniform } from '@conceptlab/triplet-sampler';
import Database from 'better-sqlite3';
import { runAsync, runCli, runJson, serve, serveOn, stopServer, tempDir, writeText, expectOneLineError } from './run-cli.js';
import { closedPort } from '../../../test-support/closed-port.js';

const dir = tempDir();
const words = ['apple', 'pear', 'plum', 'cherry', 'hammer', 'saw', 'drill', 'wrench', 'dog', 'cat', 'horse', 'cow'];
writeText(dir, 'things_concepts.tsv', 'Word\tuniqueID\tDefinition\n' + words.map((w) => `${w}\t${w}\tthe ${w}`).join('\n') + '\n');
const rng = createRng(4);
const emb = createMatrix(12, 3);
for (let i = 0; i < 36; i++) emb.data[i] = rng.nextFloat();
writeNpyMatrix(join(dir, 'emb.npy'), emb);
writeTripletText(join(dir, 'sets.txt'), sampleUniform({ nObjects: 12, count: 40, seed: 1 }));

let server: { url: string; child: ChildProcess };
let garbled: { url: string; child: ChildProcess };
const observer = ['--observer', `sim:${join(dir, 'emb.npy')}`, '--argmax', '--concepts', dir];
beforeAll(async () => {
  [server, garbled] = await Promise.all([serve(observer), serve([...observer, '--malformed-rate', '1'])]);
});
afterAll(() => {
  server?.child.kill('SIGTERM');
  garbled?.child.kill('SIGTERM');
});

const annotateArgs = (url: string, journal: string, extra: string[] = []) =>
  ['annotate', '--base-url', url, '--model', 'sim', '--concepts', dir, '--triplets', join(dir, 'sets.txt'), '--journal', journal, ...extra];

/** Every file under `d` with its bytes (to show nothing was created or changed). */
function snapshot(d: string): Map<string, string> {
  const m = new Map<string, string>();
  const walk = (p: string): void => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      const f = join(p, e.name);
      if (e.isDirectory()) walk(f);
      else m.set(f, readFileSync(f).toString('base64'));
    }
  };
  walk(d);
  return m;
}

describe('a journal path that is not a journal', () => {
  const bad = join(dir, 'bad');
  beforeAll(async () => {
    mkdirSync(bad);
    const good = join(dir, 'good.sqlite');
    const r = await runAsync(annotateArgs(server.url, good));
    expect(r.code).toBe(0);
    const bytes = readFileSync(good);
    mkdirSync(join(bad, 'adir.sqlite'));
    copyFileSync(join(dir, 'emb.npy'), join(bad, 'emb.npy'));
    writeFileSync(join(bad, 'truncated.sqlite'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    const c = Buffer.from(bytes);
    for (let i = 100; i < c.length; i++) c[i] = (i * 7919) & 0xff;
    writeFileSync(join(bad, 'corrupted.sqlite'), c);
    // the header and most pages intact; one page in the middle overwritten
    const pageSize = bytes.readUInt16BE(16);
    const pages = bytes.length / pageSize;
    expect(pages).toBeGreaterThanOrEqual(4);
    const m = Buffer.from(bytes);
    const from = pageSize * Math.floor(pages / 2);
    for (let i = from; i < from + pageSize; i++) m[i] = (i * 7919) & 0xff;
    writeFileSync(join(bad, 'middle.sqlite'), m);
  }, 30000);

  const kinds: [string, RegExp][] = [
    ['adir.sqlite', /found a directory$/],
    ['emb.npy', /found a \.npy array$/],
    ['truncated.sqlite', /found a truncated SQLite file/],
    ['corrupted.sqlite', /expected a conceptlab journal \(SQLite\)/],
    ['middle.sqlite', /expected a conceptlab journal \(SQLite\); the database is damaged \(/],
  ];
  const commands: [string, (j: string) => string[]][] = [
    ['annotate', (j) => annotateArgs(server.url, j)],
    ['annotate --resume', (j) => annotateArgs(server.url, j, ['--resume'])],
    ['annotate export', (j) => ['annotate', 'export', '--journal', j, '--out', join(bad, 'out.txt')]],
    ['annotate summary', (j) => ['annotate', 'summary', '--journal', j]],
    ['annotate merge', (j) => ['annotate', 'merge', j, join(dir, 'good.sqlite'), '--out', join(bad, 'merged.sqlite')]],
  ];
  for (const [name, args] of commands) {
    test.each(kinds)(`${name} with %s: one line naming the file, nothing written`, (file, found) => {
      const before = snapshot(bad);
      const t0 = performance.now();
      const r = runCli(args(join(bad, file)));
      const escaped = join(bad, file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expectOneLineError(r, performance.now() - t0, new RegExp(`^conceptlab: error: ${escaped}: not a usable annotation journal: expected a conceptlab journal \\(SQLite\\)`), 'annotate: ');
      expect(r.stderr.trim()).toMatch(found);
      expect(snapshot(bad)).toEqual(before);
    });
  }
});

describe('a journal whose damage only a write meets', () => {
  test('annotate --resume: one typed line naming the file when the write meets the damage, no SqliteError; the journal still reads', async () => {
    // a real run that leaves failed rows (each with its request key): every request fails, the breaker ends it
    // (on a port of its own, where a working server answers the resume: the journal names its endpoint)
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/v1`;
    const failing = await serveOn(port, [...observer, '--error-rate', '1', '--retry-after', '0.01']);
    const journal = join(dir, 'write-damaged.sqlite');
    try {
      const r = await runAsync(annotateArgs(url, journal, ['--max-attempts', '1', '--max-consecutive-failures', '4', '--concurrency', '1']));
      expect(r.code).toBe(1);
    } finally {
      await stopServer(failing);
    }
    const db = new Database(journal, { readonly: true });
    const keys = db.prepare("SELECT request_key FROM items WHERE status = 'failed' AND request_key IS NOT NULL ORDER BY row").pluck().all() as string[];
    db.close();
    expect(keys.length).toBeGreaterThanOrEqual(2);
    // one byte of the last failed row's request key overwritten where the file stores it first: the request-key
    // index and the items table no longer agree; every page stays valid, so opening (quick_check) and reading pass
    const bytes = readFileSync(journal);
    const key = Buffer.from(keys[keys.length - 1]);
    const at = bytes.indexOf(key);
    expect(at).toBeGreaterThan(0);
    bytes[at + key.length - 1] ^= 1;
    writeFileSync(journal, bytes);
    expect(runJson<{ failed: number }>(['annotate', 'summary', '--journal', journal]).failed).toBe(keys.length);

    const working = await serveOn(port, observer);
    const t0 = performance.now();
    const r = await runAsync(annotateArgs(url, journal, ['--resume', '--concurrency', '1'])).finally(() => stopServer(working));
    const escaped = journal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expectOneLineError(
      r,
      performance.now() - t0,
      new RegExp(`^conceptlab: error: ${escaped}: not a usable annotation journal: expected a conceptlab journal \\(SQLite\\); the database is damaged \\(SQLite: database disk image is malformed\\)$`),
      'annotate: ',
    );
    expect(r.stderr).not.toMatch(/SqliteError|internal error/);
    // nothing half-written: each row is answered, failed or pending, and the file still reads
    const s = runJson<{ answered: number; failed: number; pending: number; unparsed: number; total: number }>(['annotate', 'summary', '--journal', journal]);
    expect(s.answered + s.failed + s.pending + s.unparsed).toBe(40);
    expect(s.answered).toBeLessThan(40);
  }, 30000);
});

describe('annotate merge', () => {
  test('two complete journals of the same run are refused naming both; true shards still merge', async () => {
    const a = join(dir, 'm-a.sqlite'), b = join(dir, 'm-b.sqlite');
    const s1 = join(dir, 'm-s1.sqlite'), s2 = join(dir, 'm-s2.sqlite');
    const rs = await Promise.all([
      runAsync(annotateArgs(server.url, a)),
      runAsync(annotateArgs(server.url, b)),
      runAsync(annotateArgs(server.url, s1, ['--shard', '1/2'])),
      runAsync(annotateArgs(server.url, s2, ['--shard', '2/2'])),
    ]);
    expect(rs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const out = join(dir, 'm-out.sqlite');
    const t0 = performance.now();
    const r = runCli(['annotate', 'merge', a, b, '--out', out]);
    expectOneLineError(r, performance.now() - t0, /^conceptlab: error: .*m-a\.sqlite and .*m-b\.sqlite overlap: 40 row\(s\) were asked in both \(first: row 1\)/, 'annotate: ');
    expect(existsSync(out)).toBe(false);
    const same = runCli(['annotate', 'merge', s1, s1.replace('s1', 's1'), s2, '--out', out]);
    expect(same.code).not.toBe(0); // one file twice: refused as before
    expect(runJson(['annotate', 'merge', s1, s2, '--out', out])).toMatchObject({ answered: 40, total: 40 });
    expect(runJson(['annotate', 'summary', '--journal', out])).toMatchObject({ answered: 40, retries: 0 });
  }, 30000);
});

describe('annotate where no reply can be read', () => {
  test('exits 1 with one line; the rows and raw replies stay in the journal', async () => {
    const journal = join(dir, 'garbled.sqlite');
    const t0 = performance.now();
    const r = await runAsync(annotateArgs(garbled.url, journal));
    expectOneLineError(r, performance.now() - t0, /^conceptlab: error: .*garbled\.sqlite: none of the 40 row\(s\) asked was answered \(40 unparsed, 0 failed\)/, 'annotate: ');
    expect(r.stdout).toMatch(/garbled\.sqlite: 0 answered, 40 unparsed, 0 failed, 0 pending of 40/);
    const s = runJson<{ unparsed: number; total: number }>(['annotate', 'summary', '--journal', journal]);
    expect(s).toMatchObject({ unparsed: 40, total: 40 });
    // a run that answers something still exits 0
    const ok = await runAsync(annotateArgs(server.url, join(dir, 'fine.sqlite')));
    expect(ok.code).toBe(0);
  }, 30000);
});
