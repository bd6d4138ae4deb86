import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpyMatrix, writeNpyMatrix, writeTripletText, type Matrix } from '@conceptlab/core';
import { answerByEmbedding, sampleUniform } from '@conceptlab/triplet-sampler';
import { plantedEmbedding } from './planted-embedding.js';
import { expectOneLineError, runCli, runJson, snapshot, tempDir, writeText } from './run-cli.js';

interface FitJson {
  objects: number;
  init?: { file: string; objects: number; dims: number; description: string };
  runs: { seed: number; dir: string; epochs: number; loss: number; dims: number }[];
}

/** For each exported column, the largest |difference| to the init column it matches best (export sorts and takes |w|). */
function columnDistance(exported: Matrix<Float64Array>, init: Matrix<Float64Array>): number {
  let worst = 0;
  for (let c = 0; c < exported.cols; c++) {
    let best = Infinity;
    for (let j = 0; j < init.cols; j++) {
      let d = 0;
      for (let i = 0; i < init.rows; i++) d = Math.max(d, Math.abs(exported.data[i * exported.cols + c] - Math.abs(init.data[i * init.cols + j])));
      best = Math.min(best, d);
    }
    worst = Math.max(worst, best);
  }
  return worst;
}

describe('conceptlab fit --init (warm start)', () => {
  const dir = tempDir();
  // 30 objects on 5 planted dims, 3,000 answers of the SPoSE observer on it.
  const planted = plantedEmbedding(30, 5, 11);
  const init = join(dir, 'planted.npy');
  writeNpyMatrix(init, planted);
  const train = join(dir, 'train.txt');
  writeTripletText(train, answerByEmbedding(sampleUniform({ nObjects: 30, count: 3000, seed: 1 }), planted, { seed: 2 }));
  const base = ['fit', '--train', train, '--batch', '100', '--threads', '1'];

  test('every seed starts at the given weights: one epoch at a tiny learning rate leaves the embedding ≈ the init', () => {
    const out = join(dir, 'tiny');
    const r = runJson<FitJson>([...base, '--init', init, '--epochs', '1', '--lr', '1e-6', '--seeds', '0,1', '--out', out]);
    expect(r.objects).toBe(30);
    expect(r.init).toMatchObject({ file: init, objects: 30, dims: 5 });
    expect(r.init!.description).toMatch(/^warm start: the given weights \(float32 sha256 [0-9a-f]{64}\)$/);
    for (const run of r.runs) {
      expect(run.dims).toBe(5);
      // 30 Adam steps of at most ~1e-6 each, from float32 weights.
      expect(columnDistance(readNpyMatrix(join(run.dir, 'embedding.npy')), planted)).toBeLessThan(1e-3);
      // The run records the warm start.
      const results = JSON.parse(readFileSync(join(run.dir, 'results.json'), 'utf8'));
      expect(results.config.init).toBe(r.init!.description);
      expect(results.config.hyper).toMatchObject({ nObjects: 30, dims: 5 });
    }
    const help = runCli(['fit', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('with several --seeds every seed starts from it');
  });

  test("a warm start's first epoch has a far lower loss than a cold start's; the human output says it was warm", () => {
    const cold = runJson<FitJson>([...base, '--epochs', '1', '--out', join(dir, 'cold')]);
    const warm = runJson<FitJson>([...base, '--init', init, '--epochs', '1', '--out', join(dir, 'warm')]);
    expect(cold.init).toBeUndefined();
    // Cold: ≈ ln 3 (1.10) after one epoch from N(0.1, 0.01²); warm: near the generator's own cross-entropy.
    expect(cold.runs[0].loss).toBeGreaterThan(1);
    expect(warm.runs[0].loss).toBeLessThan(cold.runs[0].loss - 0.3);
    const human = runCli([...base, '--init', init, '--epochs', '1', '--out', join(dir, 'warm-human')]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`warm start: every seed from --init ${init} (30 objects × 5 dims)\n`);
  });

  test('--resume continues a warm start from the same init, and refuses another init or a cold start', () => {
    const out = join(dir, 'resume');
    runJson<FitJson>([...base, '--init', init, '--epochs', '2', '--checkpoint-every', '1', '--out', out]);
    const other = join(dir, 'other.npy');
    const shifted = plantedEmbedding(30, 5, 12);
    writeNpyMatrix(other, shifted);
    const before = snapshot(out);
    const another = runCli([...base, '--init', other, '--epochs', '3', '--resume', '--out', out]);
    expectOneLineError(another, 0, /checkpoint\.json: the checkpoint was made with initHash = "[0-9a-f]{64}", but this run has initHash = "[0-9a-f]{64}"/);
    const cold = runCli([...base, '--dims', '5', '--epochs', '3', '--resume', '--out', out]);
    expectOneLineError(cold, 0, /checkpoint\.json: the checkpoint was made with initHash = "[0-9a-f]{64}", but this run has initHash = "\(none\)"/);
    expect(snapshot(out)).toEqual(before);
    const same = runJson<FitJson>([...base, '--init', init, '--epochs', '3', '--resume', '--out', out]);
    expect(same.runs[0].epochs).toBe(3);
    // A run's weights.npy (the last checkpoint's raw float32 weights) is an init too.
    const fromWeights = runJson<FitJson>([...base, '--init', join(out, 'seed-0', 'weights.npy'), '--epochs', '1', '--out', join(dir, 'from-weights')]);
    expect(fromWeights.init).toMatchObject({ objects: 30, dims: 5 });
    // A cold run resumed with an init is refused too.
    const coldOut = join(dir, 'cold-resume');
    runJson<FitJson>([...base, '--dims', '5', '--epochs', '1', '--out', coldOut]);
    const warmOnCold = runCli([...base, '--init', init, '--epochs', '2', '--resume', '--out', coldOut]);
    expectOneLineError(warmOnCold, 0, /the checkpoint was made with initHash = undefined, but this run has initHash = "[0-9a-f]{64}"/);
  });

  describe('bad input: a one-line error before any work, nothing written', () => {
    const refused = (args: string[], pattern: RegExp) => {
      const out = join(dir, 'never');
      const before = snapshot(dir);
      const t0 = performance.now();
      const r = runCli([...base, ...args, '--out', out]);
      expectOneLineError(r, performance.now() - t0, pattern);
      expect(r.code).toBe(1);
      expect(existsSync(out)).toBe(false);
      expect(snapshot(dir)).toEqual(before);
    };
    test('an explicit --dims other than the init\'s columns', () => refused(['--init', init, '--dims', '7'], new RegExp(`--dims: expected 5, the columns of --init ${init.replace(/[.]/g, '\\.')} \\(or no --dims: the warm start sets them\\), got 7`)));
    test('an --objects other than the init\'s rows', () => refused(['--init', init, '--objects', '31'], /planted\.npy: expected 31 rows, one per object \(--objects 31\), found 30 rows/));
    test('a training index beyond the init\'s rows names the file and line', () => {
      const small = join(dir, 'small.npy');
      writeNpyMatrix(small, plantedEmbedding(20, 5, 3));
      refused(['--init', small], new RegExp(`${train.replace(/[.]/g, '\\.')}:\\d+: column \\d: expected an object index in \\[0, 19\\], found 2\\d`));
    });
    test('a non-finite weight', () => {
      const bad = writeText(dir, 'nan.txt', '1 0\n0 nan\n1 1\n');
      refused(['--init', bad], /nan\.txt: expected finite values, found NaN at object row 1, dimension 1/);
    });
    test('a weight beyond the float32 range', () => {
      const big = writeText(dir, 'big.txt', '1 0\n0 1e39\n1 1\n');
      refused(['--init', big], /big\.txt: expected values within the float32 range \(the weights are float32\), found 1e\+39 at object row 1, dimension 1/);
    });
    test('--init with --select-lambda', () => refused(['--init', init, '--val', train, '--lambda', '0.002,0.004', '--select-lambda'], /--init: expected no --init with --select-lambda/));
    test('a missing init file', () => refused(['--init', join(dir, 'nope.npy')], /nope\.npy/));
  });
});
