/**
 * Crash safety: a child process runs `annotate` against a server in this process and is killed with
 * SIGKILL mid-run (twice); resumed runs then finish the journal. Every row must end with exactly one
 * final answer, identical to an uninterrupted run with the same deterministic (argmax) observer, and
 * the rows answered before a kill must be untouched by the resume.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { randomEmbedding, randomTriplets, syntheticConcepts, transpilePackage } from '../test/annotate-fixtures.js';
import { annotate, type AnnotateOptions } from './annotate.js';
import { openJournalReadOnly, type ItemRecord } from './journal/index.js';
import { resolvePrompt } from './prompts.js';
import { simObserver, startServer, type RunningServer } from '@conceptlab/sim-server';

const concepts = syntheticConcepts(50, 21);
const embedding = randomEmbedding(50, 5, 22);
const triplets = randomTriplets(600, 50, 23);
const packageRoot = join(__dirname, '..');
const buildDir = `.kill-test-build-${process.pid}`;

let build: string;
let dir: string;
let server: RunningServer;

beforeAll(async () => {
  build = transpilePackage(packageRoot, buildDir);
  writeFileSync(
    join(build, 'kill-runner.mjs'),
    `import { annotate } from './annotate.js';
import { resolvePrompt } from './prompts.js';
const a = JSON.parse(process.argv[2]);
await annotate({ ...a, triplets: { count: a.triplets.length / 3, data: Int32Array.from(a.triplets) }, prompt: resolvePrompt('du2024-text', 'text') });
process.stdout.write('finished\\n');
`,
  );
  // latency so that a run takes long enough to be killed in the middle
  server = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }), faults: { latencyMs: [2, 12] } });
  dir = mkdtempSync(join(tmpdir(), 'kill-test-'));
});
afterAll(async () => {
  await server?.close();
  rmSync(join(packageRoot, buildDir), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const options = (journalFile: string, over: Partial<AnnotateOptions> = {}): AnnotateOptions => ({
  baseUrl: server.url,
  model: 'gpt-3.5-turbo',
  concepts,
  triplets,
  journalFile,
  mode: 'text',
  prompt: resolvePrompt('du2024-text', 'text'),
  seed: 77,
  concurrency: 16,
  ...over,
});

function finalCount(file: string): number {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT count(*) FROM items WHERE status != 'pending'").pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet
  }
}

/** Run annotate in a child; SIGKILL it once `killAt` rows are final. Resolves with how it ended. */
function runAndKill(file: string, killAt: number, resume: boolean): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  const a = { ...options(file, { resume }), prompt: undefined, triplets: Array.from(triplets.data) };
  const child = spawn(process.execPath, [join(build, 'kill-runner.mjs'), JSON.stringify(a)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const timer = setInterval(() => {
    if (finalCount(file) >= killAt) child.kill('SIGKILL');
  }, 5);
  return new Promise((resolve) =>
    child.on('exit', (_code, signal) => {
      clearInterval(timer);
      resolve({ signal, output });
    }),
  );
}

function snapshot(file: string): ItemRecord[] {
  const j = openJournalReadOnly(file);
  try {
    return [...j.items()];
  } finally {
    j.close();
  }
}

it('kill -9 mid-run, twice: resumed runs end with exactly one answer per row, equal to an uninterrupted run', async () => {
  const file = join(dir, 'killed.sqlite');
  const first = await runAndKill(file, 150, false);
  expect(first.signal).toBe('SIGKILL');
  const afterFirst = snapshot(file);
  const done1 = afterFirst.filter((i) => i.status !== 'pending');
  expect(done1.length).toBeGreaterThanOrEqual(150);
  expect(done1.length).toBeLessThan(600);

  const second = await runAndKill(file, 400, true);
  expect(second.signal).toBe('SIGKILL');
  const afterSecond = snapshot(file);
  expect(afterSecond.filter((i) => i.status !== 'pending').length).toBeLessThan(600);

  const db = new Database(file, { readonly: true });
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  db.close();

  const s = await annotate(options(file, { resume: true }));
  expect(s).toMatchObject({ total: 600, answered: 600, pending: 0, failed: 0, unparsed: 0 });
  const resumed = snapshot(file);

  // rows final before a kill were not rewritten
  const byRow = new Map(resumed.map((i) => [i.row, i]));
  for (const i of done1) expect(byRow.get(i.row)).toEqual(i);

  // exactly one row per triplet, identical to an uninterrupted run
  const ref = join(dir, 'reference.sqlite');
  await annotate(options(ref));
  const reference = snapshot(ref);
  const key = (i: ItemRecord) => [i.row, i.objects, i.presented, i.status, i.choicePosition, i.oddObject, i.via, i.rawReply, i.requestKey];
  expect(resumed.map(key)).toEqual(reference.map(key));
  const rdb = new Database(file, { readonly: true });
  expect(rdb.prepare('SELECT count(*), count(DISTINCT row) FROM items').raw().get()).toEqual([600, 600]);
  // every HTTP answer of a final row is in the attempts table (plus those lost in flight or in the buffer at a kill)
  const http = rdb.prepare("SELECT count(*) FROM items WHERE source = 'http'").pluck().get() as number;
  expect(rdb.prepare('SELECT count(*) FROM attempts WHERE status_code = 200').pluck().get()).toBeGreaterThanOrEqual(http);
  rdb.close();
});
