import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMatrix, createRng, readNpy, readNpyMatrix, writeNpyMatrix, writeTripletText } from '@conceptlab/core';
import { answerByEmbedding, sampleUniform } from '@conceptlab/triplet-sampler';
import { runCli, runJson, tempDir, writeText } from './run-cli.js';

// A planted sparse embedding: 40 objects, each mostly on one of 4 dims.
function plant(dir: string) {
  const n = 40, d = 4;
  const rng = createRng(9);
  const w = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    w[i * d + (i % d)] = 1.5 + rng.nextFloat();
    w[i * d + ((i + 1) % d)] = 0.3 * rng.nextFloat();
  }
  const emb = createMatrix(n, d, w);
  const sets = sampleUniform({ nObjects: n, count: 6000, seed: 1 });
  const answered = answerByEmbedding(sets, emb, { seed: 2 });
  const train = { count: 5000, data: answered.data.slice(0, 15000) };
  const val = { count: 1000, data: answered.data.slice(15000) };
  writeNpyMatrix(join(dir, 'true.npy'), emb);
  writeTripletText(join(dir, 'train.txt'), train);
  writeTripletText(join(dir, 'val.txt'), val);
  return { n };
}

interface FitJson {
  objects: number;
  runs: { seed: number; dir: string; epochs: number; dims: number; valAccuracy: number; stopReason: string; files: string[] }[];
}

describe('conceptlab fit / merge / evaluate / similarity', () => {
  const dir = tempDir();
  const { n } = plant(dir);
  const out = join(dir, 'fit');
  const fitArgs = ['fit', '--train', join(dir, 'train.txt'), '--val', join(dir, 'val.txt'), '--dims', '10', '--lambda', '0.005', '--batch', '50', '--seeds', '1,2', '--out', out];
  // Deterministic: with these settings both seeds reach the generating accuracy (some other seeds settle in a
  // local minimum, as SPoSE fits do: the reason the paper fits many seeds and merges them).
  let fit: FitJson;

  beforeAll(() => {
    fit = runJson<FitJson>([...fitArgs, '--epochs', '30', '--threads', '2']);
  });

  test('fit: one run per seed, on worker threads, with results, checkpoints and the exported embedding', () => {
    expect(fit.objects).toBe(n);
    expect(fit.runs.map((r) => r.seed)).toEqual([1, 2]);
    for (const r of fit.runs) {
      expect(r.epochs).toBe(30);
      expect(r.stopReason).toBe('completed');
      expect(r.valAccuracy).toBeGreaterThan(0.66); // the generating embedding: 0.713
      expect(r.dims).toBeGreaterThanOrEqual(3);
      const results = JSON.parse(readFileSync(join(r.dir, 'results.json'), 'utf8'));
      expect(results.epochs).toHaveLength(30);
      expect(results.config.hyper.lambda).toBe(0.005);
      expect(existsSync(join(r.dir, 'checkpoint.json'))).toBe(true);
      expect(readNpyMatrix(join(r.dir, 'embedding.npy')).cols).toBe(r.dims);
      expect(existsSync(join(r.dir, 'embedding.txt'))).toBe(true);
    }
  });

  test('fit: an existing run is not overwritten by accident; --resume continues it; other settings are refused', () => {
    const again = runCli([...fitArgs, '--epochs', '30']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/resume|overwrite/);
    const more = runJson<FitJson>([...fitArgs, '--epochs', '32', '--resume', '--threads', '1']);
    expect(more.runs.map((r) => r.epochs)).toEqual([32, 32]);
    const changed = runCli(['fit', '--train', join(dir, 'train.txt'), '--val', join(dir, 'val.txt'), '--dims', '10', '--lambda', '0.05', '--batch', '50', '--seeds', '1', '--out', out, '--epochs', '40', '--resume']);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/lambda/);
  });

  test('merge: pools the runs, writes the embedding and the dims with reproducibility', () => {
    const merged = join(dir, 'merged.npy');
    const res = runJson<{ runs: number; kept: number; dimsFile: string; dims: { reproducibility: number }[] }>(['merge', out, '--top', '4', '--out', merged]);
    expect(res.runs).toBe(2);
    expect(res.kept).toBeLessThanOrEqual(4);
    expect(res.kept).toBeGreaterThanOrEqual(3);
    expect(readNpyMatrix(merged).rows).toBe(n);
    const dims = JSON.parse(readFileSync(res.dimsFile, 'utf8'));
    expect(dims.dims).toHaveLength(res.kept);
    for (const d of res.dims) expect(d.reproducibility).toBeGreaterThan(0.5);
  });

  test('evaluate: a fitted embedding predicts held-out choices nearly as well as the generating one', () => {
    const truth = runJson<{ accuracy: number; count: number }>(['evaluate', '--embedding', join(dir, 'true.npy'), '--triplets', join(dir, 'val.txt')]);
    const fitted = runJson<{ accuracy: number }>(['evaluate', '--embedding', join(fit.runs[0].dir, 'embedding.npy'), '--triplets', join(dir, 'val.txt')]);
    expect(truth.count).toBe(1000);
    expect(fitted.accuracy).toBeGreaterThan(truth.accuracy - 0.02);
  });

  test('similarity: symmetric n×n with unit diagonal; subset and context', () => {
    const s = join(dir, 'S.npy');
    runJson(['similarity', '--embedding', join(dir, 'true.npy'), '--out', s]);
    const a = readNpy(s);
    expect(a.shape).toEqual([n, n]);
    const d = a.data as Float64Array;
    for (let i = 0; i < n; i++) {
      expect(d[i * n + i]).toBe(1);
      for (let j = 0; j < i; j++) {
        expect(d[i * n + j]).toBe(d[j * n + i]);
        expect(d[i * n + j]).toBeGreaterThan(0);
        expect(d[i * n + j]).toBeLessThan(1);
      }
    }
    const objects = writeText(dir, 'objects.txt', '0\n1\n2\n3\n');
    const sub = join(dir, 'S4.npy');
    runJson(['similarity', '--embedding', join(dir, 'true.npy'), '--objects', objects, '--out', sub]);
    expect(readNpy(sub).shape).toEqual([4, 4]);
  });

  test.each([
    [['--lambda', '-1'], 2, /--lambda must be a number ≥ 0/],
    [['--seeds', '1,x'], 1, /--seeds: expected a comma-separated list/],
    [['--engine', 'gpu'], 1, /--engine: expected cpu or tfjs/],
  ])('fit rejects %j', (args, code, re) => {
    const r = runCli(['fit', '--train', join(dir, 'train.txt'), '--out', join(dir, 'bad'), ...args]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(re);
  });

  test('fit rejects an empty training file and out-of-range indices, naming the file', () => {
    const empty = writeText(dir, 'empty.txt', '\n');
    const r = runCli(['fit', '--train', empty, '--out', join(dir, 'bad2')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${empty}: expected at least one training triplet, found none`);
    const oob = writeText(dir, 'oob.txt', '0 1 2\n0 1 40\n');
    const r2 = runCli(['fit', '--train', oob, '--objects', '40', '--out', join(dir, 'bad3')]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`${oob}:2: column 3: expected an object index in [0, 39], found 40`);
  });

  test('evaluate checks THINGS TSV triplets against the embedding size, and rejects NaN weights', () => {
    const tsv = writeText(dir, 'nc.tsv', '1\t2\t41\t1\t1\n');
    const r = runCli(['evaluate', '--embedding', join(dir, 'true.npy'), '--triplets', tsv]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${tsv}:1: column 3: expected a 1-based object number in [1, 40], found 41`);
    const nanFile = writeText(dir, 'nan.txt', '0.5 1\nnan 2\n');
    const r2 = runCli(['evaluate', '--embedding', nanFile, '--triplets', join(dir, 'val.txt')]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`${nanFile}: expected finite values, found NaN at object row 1, dimension 0 (0-based)`);
    const neg = writeText(dir, 'neg.txt', '0.5 1\n-0.2 2\n');
    const r3 = runCli(['merge', neg, neg, '--out', join(dir, 'never.npy')]);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toContain(`${neg}: expected finite non-negative weights, found -0.2 at object row 1, dimension 0`);
    expect(existsSync(join(dir, 'never.npy'))).toBe(false);
  });
});
