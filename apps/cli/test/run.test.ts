import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpyMatrix } from '@conceptlab/core';
import type { ChildProcess } from 'node:child_process';
import { chromiumAvailable, inChromium } from '../../../test-support/chromium.js';
import { BIN, runAsync, runThenTerm, serve, tempDir } from './run-cli.js';

const BUILTIN = join(__dirname, '..', 'concepts', 'everyday150');

interface Result {
  heldOut: { accuracy: number; count: number; ci95: number; ciMethod: string; binomialCi95: number; objectsSeen: number };
  r48?: { r: number; pairs: number; drawn: number; removed: number; answered: number; ci: { low: number; high: number; method: string } | null; curve: { dims: number; r: number | null }[]; method: Record<string, string> };
  merged: { dims: number };
  fit: { seed: number; dims: number; valAccuracy: number }[];
  annotation: { answered: number; total: number };
  design: { objects: number; train: number; validation: number };
  categories: { spearman: number; tauA: number; objects: number; categories: number; meanWithin: number; meanBetween: number };
  stages: Record<string, { skipped: boolean }>;
  files: Record<string, string>;
  human?: { kind: string; pearson: number; spearman: number };
  report: { html: string; dims: string; classification?: { accuracy: number; chance: number; categories: number } };
}

const demoOut = join(tempDir(), 'demo');

describe('conceptlab demo (offline: the built-in concepts answered by the word-vectors server)', () => {
  const out = demoOut;
  let first: Result;

  test('runs the whole pipeline and prints the three headline numbers as JSON', async () => {
    const r = await runAsync(['demo', '--out', out, '--triplets', '4000', '--epochs', '30', '--seeds', '2', '--r48-triplets', '3000', '--json']);
    expect(r.code).toBe(0);
    first = JSON.parse(r.stdout) as Result;
    expect(first.design).toEqual({ objects: 150, train: 3600, validation: 400 });
    expect(first.annotation).toMatchObject({ answered: 4000, total: 4000 });
    // Word vectors carry real structure: far above chance (1/3) on held-out triplets, and same-category pairs more similar.
    expect(first.heldOut.count).toBe(400);
    expect(first.heldOut.accuracy).toBeGreaterThan(0.5);
    // the paper's CI (per-object SD over the 150 objects) by default, the binomial one second, both named
    expect(first.heldOut.ciMethod).toMatch(/^paper-per-object/);
    expect(first.heldOut.objectsSeen).toBe(150);
    expect(first.heldOut.ci95).toBeGreaterThan(0);
    expect(first.merged.dims).toBeGreaterThan(0);
    // r48 on the built-in 48 objects: every within-48 pair measured, the authors' CI around r, the curve up to all dims
    const q = first.r48!;
    expect(q.pairs).toBe(1128);
    expect(q.answered + q.removed).toBe(q.drawn);
    expect(q.drawn).toBe(3000);
    expect(q.ci!.method).toBe('paper');
    expect(q.ci!.low).toBeLessThan(q.r);
    expect(q.ci!.high).toBeGreaterThan(q.r);
    expect(q.r).toBeGreaterThan(0.2);
    expect(q.curve.map((p) => p.dims)).toEqual(Array.from({ length: first.merged.dims }, (_, d) => d + 1));
    // the r48 design holds no set of the run's own design (the authors removed training-set triplets)
    const sets = (f: string) => readFileSync(f, 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number).sort((a, b) => a - b).join(' '));
    const own = new Set(sets(join(out, 'design.txt')));
    expect(sets(join(out, 'design-r48.txt')).filter((k) => own.has(k))).toEqual([]);
    expect(first.categories).toMatchObject({ objects: 150, categories: 10 });
    expect(first.categories.spearman).toBeGreaterThan(0.1);
    expect(first.categories.meanWithin).toBeGreaterThan(first.categories.meanBetween);
    for (const f of ['embedding', 'similarity', 'results', 'train', 'validation', 'journal']) expect(existsSync(first.files[f]!)).toBe(true);
    expect(JSON.parse(readFileSync(first.files.results!, 'utf8'))).toEqual(first);
    expect(Object.values(first.stages).every((s) => !s.skipped)).toBe(true);
    // progress and stage lines went to stderr as JSON lines
    expect(r.stderr).toContain('"stage":"fit"');
    // the report: the 10 categories classified far above chance from the learned dims
    expect(first.report.classification!.categories).toBe(10);
    expect(first.report.classification!.accuracy).toBeGreaterThan(first.report.classification!.chance + 0.2);
    const dims = JSON.parse(readFileSync(first.report.dims, 'utf8')) as { dims: number; facts: { title: string; rows: [string, string][] }[] };
    expect(dims.dims).toBe(first.merged.dims);
    expect(dims.facts[1]!.rows).toEqual(expect.arrayContaining([['fit.epochs', '30'], ['model', 'word-vectors']]));
  }, 240_000);

  (chromiumAvailable() ? test : test.skip)('the demo report renders in Chromium with a card per dimension, the map and the run parameters', async () => {
    const r = await inChromium(first.report.html, 'demo-report.png', async (page) => {
      expect(await page.locator('article.card').count()).toBe(first.merged.dims);
      expect(await page.locator('svg.map circle.pt').count()).toBe(150);
      expect(await page.locator('section.facts').count()).toBe(2);
      expect(await page.locator('section.facts').first().innerText()).toContain('held-out odd-one-out accuracy');
    });
    expect(r.errors).toEqual([]);
    expect(r.external).toEqual([]);
    expect(existsSync(r.screenshot)).toBe(true);
  }, 60_000);

  test('run again: every stage is already complete and skipped, with the same numbers', async () => {
    const r = await runAsync(['demo', '--out', out, '--triplets', '4000', '--epochs', '30', '--seeds', '2', '--r48-triplets', '3000', '--json']);
    expect(r.code).toBe(0);
    const again = JSON.parse(r.stdout) as Result;
    expect(Object.values(again.stages).every((s) => s.skipped)).toBe(true);
    expect(again.heldOut).toEqual(first.heldOut);
    expect(again.categories).toEqual(first.categories);
  }, 60_000);

  test('other parameters on the same directory are refused, naming them', async () => {
    const r = await runAsync(['demo', '--out', out, '--triplets', '4000', '--epochs', '31', '--seeds', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('fit.epochs');
    expect(r.stderr).toContain('conceptlab.config.json');
  }, 60_000);
});

describe('conceptlab demo stopped during the fit', () => {
  test('SIGTERM while SPoSE trains: one line, exit 1 (not an internal error), in < 2 s; the finished stages are kept', async () => {
    const out = join(tempDir(), 'stopped');
    const args = ['demo', '--out', out, '--triplets', '2000', '--epochs', '400', '--seeds', '1', '--r48-triplets', '500', '--json'];
    const a = await runThenTerm(args, { ready: (s) => s.includes('"stage":"fit","status":"start"') && s.includes('"task":"fit seed 0"') });
    expect(a.exitMs).toBeLessThan(2000);
    expect(a.code).toBe(1);
    const lines = a.stderr.trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1]!)).toMatchObject({ error: { tag: 'AbortedError', message: expect.stringMatching(/^interrupted by SIGTERM: finished stages, .* run the same command again to continue$/) } });
    expect(existsSync(join(out, 'stages', 'annotate.json'))).toBe(true);
    expect(existsSync(join(out, 'stages', 'fit.json'))).toBe(false);
  }, 120_000);
});

describe('conceptlab demo --refit (ours): the merged embedding refitted, its held-out accuracy beside the merged one', () => {
  test('a refit stage, embedding-refit.npy, the number in results.json and the report; the analyses keep the merged embedding', async () => {
    const out = join(tempDir(), 'refit');
    const r = await runAsync(['demo', '--out', out, '--triplets', '3000', '--epochs', '20', '--seeds', '2', '--r48-triplets', '1000', '--refit', '25', '--json']);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as Result & { config: { merge: Record<string, unknown> }; refit: { epochs: number; accuracy: number; ci95: number; count: number; file: string; method: string } };
    expect(res.config.merge).toMatchObject({ refitEpochs: 25 });
    expect(res.stages.refit).toMatchObject({ skipped: false });
    expect(res.refit).toMatchObject({ epochs: 25, count: res.heldOut.count, file: join(out, 'embedding-refit.npy') });
    expect(res.refit.method).toMatch(/^ours: the merged embedding refitted for 25 epochs/);
    // The merged dims were fitted in different runs: a short joint refit predicts the held-out choices better
    // (on these 2,700 training triplets under the fast schedule: 5 epochs leave it equal, 25 are 3.3 points better).
    expect(res.refit.accuracy).toBeGreaterThan(res.heldOut.accuracy);
    const refit = readNpyMatrix(res.refit.file);
    expect([refit.rows, refit.cols]).toEqual([150, res.merged.dims]);
    const dims = JSON.parse(readFileSync(res.report.dims, 'utf8')) as { facts: { rows: [string, string][] }[] };
    expect(dims.facts[0]!.rows.find(([k]) => k === 'held-out accuracy after a refit (ours)')?.[1]).toMatch(/^\d+\.\d\d% ± \d+\.\d\d%: the merged embedding refitted for 25 epochs/);
  }, 240_000);
});

describe('conceptlab run against `conceptlab serve` (real HTTP), interrupted and continued', () => {
  const dir = tempDir();
  const out = join(dir, 'run');
  let server: { url: string; child: ChildProcess };
  beforeAll(async () => {
    server = await serve(['--observer', 'word-vectors', '--concepts', BUILTIN]);
  });
  afterAll(() => server?.child.kill('SIGTERM'));

  // The demo's embedding (same observer, another design) serves as the "human" reference.
  const args = () => ['run', '--concepts', BUILTIN, '--base-url', server.url, '--model', 'wv', '--triplets', '3000', '--epochs', '20', '--seeds', '2', '--concurrency', '2', '--human', join(demoOut, 'embedding.npy'), '--out', out];

  test('Ctrl-C during annotation keeps the journal; `run --out DIR` alone continues and finishes', async () => {
    // Start, and interrupt once annotation progress has been reported.
    const child = spawn(process.execPath, [BIN, ...args(), '--json'], { env: { ...process.env, FORCE_COLOR: '0' } });
    let stderr = '';
    const code = await new Promise<number>((resolve) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        const annotating = stderr.split('\n').some((l) => {
          if (!l.startsWith('{"progress"')) return false;
          const e = (JSON.parse(l) as { progress: { task: string; done: number } }).progress;
          return e.task === 'annotate' && e.done > 0;
        });
        if (annotating && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c ?? -1));
    });
    expect(code).toBe(1);
    expect(existsSync(join(out, 'annotations.sqlite'))).toBe(true);
    expect(existsSync(join(out, 'stages', 'annotate.json'))).toBe(false);
    expect(existsSync(join(out, 'stages', 'sample.json'))).toBe(true);

    const r = await runAsync(['run', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as Result;
    expect(res.stages.sample!.skipped).toBe(true);
    expect(res.stages.annotate!.skipped).toBe(false);
    expect(res.annotation).toMatchObject({ answered: 3000, total: 3000 });
    expect(res.heldOut.accuracy).toBeGreaterThan(0.45);
    // two embeddings of the same observer's choices predict similar similarity structure
    expect(res.human!.kind).toBe('embedding');
    expect(res.human!.pearson).toBeGreaterThan(0.5);
  }, 240_000);

  test('--config takes every parameter from a config file; a bad one is refused naming the parameter', async () => {
    const recorded = join(out, 'conceptlab.config.json');
    const same = await runAsync(['run', '--config', recorded, '--out', out, '--json']);
    expect(same.code).toBe(0);
    expect(Object.values((JSON.parse(same.stdout) as Result).stages).every((s) => s.skipped)).toBe(true);
    const cfg = JSON.parse(readFileSync(recorded, 'utf8')) as { fit: { epochs: number } };
    cfg.fit.epochs = 0;
    const bad = join(dir, 'bad.config.json');
    writeFileSync(bad, JSON.stringify(cfg));
    const r = await runAsync(['run', '--config', bad, '--out', join(dir, 'bad-run')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}: expected "fit.epochs": an integer ≥ 1, found 0`);
    const both = await runAsync(['run', '--config', recorded, '--epochs', '3', '--out', join(dir, 'both')]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('either a config file or parameter flags');
  }, 60_000);

  test('an endpoint that cannot be reached, or that wants a key, fails at once with what to check', async () => {
    const closed = await runAsync(['run', '--concepts', BUILTIN, '--base-url', 'http://127.0.0.1:59999/v1', '--model', 'm', '--triplets', '20', '--batch', '10', '--out', join(dir, 'closed')]);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain('expected a reachable OpenAI-compatible endpoint (GET http://127.0.0.1:59999/v1/models failed: ECONNREFUSED)');
    expect(closed.stderr).toContain('conceptlab serve');
    const keyed = await serve(['--observer', 'word-vectors', '--concepts', BUILTIN, '--api-key-env', 'SERVE_KEY'], { SERVE_KEY: 'sk-preflight-secret' });
    try {
      const noKey = await runAsync(['run', '--concepts', BUILTIN, '--base-url', keyed.url, '--model', 'm', '--triplets', '20', '--batch', '10', '--out', join(dir, 'nokey')], { OPENAI_API_KEY: '' });
      expect(noKey.code).toBe(1);
      expect(noKey.stderr).toContain('it answered 401; export the key and pass --api-key-env NAME');
      const wrongKey = await runAsync(['run', '--concepts', BUILTIN, '--base-url', keyed.url, '--model', 'm', '--triplets', '20', '--batch', '10', '--api-key-env', 'MY_KEY', '--out', join(dir, 'wrongkey')], { MY_KEY: 'sk-wrong-key-value' });
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.stderr).toContain('it answered 401 to the key in $MY_KEY');
      expect(wrongKey.stderr + wrongKey.stdout).not.toContain('sk-wrong-key-value');
    } finally {
      keyed.child.kill('SIGTERM');
    }
  }, 60_000);
});
