import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createMatrix, createRng, readNpyMatrix, writeTripletText } from '@conceptlab/core';
import { answerByEmbedding, sampleUniform } from '@conceptlab/triplet-sampler';
import { expectOneLineError, runCli, runJson, tempDir } from './run-cli.js';

interface MergeJson {
  kept: number;
  refit?: { epochs: number; file: string; heldOut: { count: number; merged: number; refitted: number } | null; method: string };
}

describe('conceptlab merge --refit (ours)', () => {
  const dir = tempDir();
  // 30 objects on 4 planted dims (one main dim each, some a second), answered by the SPoSE observer.
  const n = 30, d = 4;
  const rng = createRng(6);
  const w = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    w[i * d + (i % d)] = 1.5 + rng.nextFloat();
    if (rng.nextFloat() < 0.3) w[i * d + ((i + 1) % d)] = 0.5 + rng.nextFloat();
  }
  const answered = answerByEmbedding(sampleUniform({ nObjects: n, count: 7000, seed: 1, allowDuplicates: true }), createMatrix(n, d, w), { seed: 2 });
  const train = join(dir, 'train.txt'), val = join(dir, 'val.txt');
  writeTripletText(train, { count: 6000, data: answered.data.slice(0, 18000) });
  writeTripletText(val, { count: 1000, data: answered.data.slice(18000) });
  const fitOut = join(dir, 'fit');
  beforeAll(() => {
    runJson(['fit', '--train', train, '--dims', '10', '--lambda', '0.02', '--lr', '0.005', '--epochs', '30', '--seeds', '0,1,2', '--threads', '1', '--out', fitOut]);
  }, 120_000);

  test('writes <out>-refit.npy with the merged dims, and both held-out accuracies: the refit predicts better', () => {
    const out = join(dir, 'merged.npy');
    const r = runJson<MergeJson>(['merge', fitOut, '--top', '8', '--no-stats', '--refit', '10', '--train', train, '--val', val, '--lambda', '0.02', '--out', out]);
    expect(r.refit).toMatchObject({ epochs: 10, file: join(dir, 'merged-refit.npy'), heldOut: { count: 1000 } });
    expect(r.refit!.method).toMatch(/^ours: the merged embedding refitted for 10 epochs/);
    expect(r.refit!.heldOut!.refitted).toBeGreaterThan(r.refit!.heldOut!.merged);
    const refitted = readNpyMatrix(r.refit!.file), merged = readNpyMatrix(out);
    expect([refitted.rows, refitted.cols]).toEqual([merged.rows, merged.cols]);
    // The human summary has the line too.
    const human = runCli(['merge', fitOut, '--top', '8', '--no-stats', '--refit', '10', '--train', train, '--val', val, '--lambda', '0.02', '--out', join(dir, 'm2.npy')]);
    expect(human.stdout.trim()).toMatch(/\nrefit \(ours\): 10 epochs on .*train\.txt, dims fixed → .*m2-refit\.npy; held-out accuracy on 1000 triplets: merged \d+\.\d\d%, refitted \d+\.\d\d%$/);
  }, 60_000);

  test('refit options without --refit, or --refit without --train: one line, nothing written', () => {
    const out = join(dir, 'bad.npy');
    const refused = (args: string[], pattern: RegExp) => {
      const t0 = performance.now();
      const r = runCli(['merge', fitOut, '--no-stats', ...args, '--out', out]);
      expectOneLineError(r, performance.now() - t0, pattern);
    };
    refused(['--refit', '5'], /--refit: expected with --train/);
    refused(['--train', train], /--train: expected with --refit/);
    refused(['--lambda', '0.01'], /--lambda: expected with --refit/);
    refused(['--refit', '5', '--train', join(dir, 'missing.txt')], /missing\.txt/);
    expect(existsSync(out)).toBe(false);
  });
});
