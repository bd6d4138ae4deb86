import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMatrix, createRng, writeTripletText } from '@conceptlab/core';
import { answerByEmbedding, sampleUniform } from '@conceptlab/triplet-sampler';
import { expectOneLineError, runCli, runJson, snapshot, tempDir } from './run-cli.js';

/** 24 objects on 3 planted dims, 600 training and 1,000 validation answers of the SPoSE observer. */
function data(dir: string) {
  const n = 24, d = 3;
  const rng = createRng(4);
  const w = new Float64Array(n * d);
  for (let i = 0; i < n; i++) w[i * d + (i % d)] = 1.5 + rng.nextFloat();
  const answered = answerByEmbedding(sampleUniform({ nObjects: n, count: 1600, seed: 1, allowDuplicates: true }), createMatrix(n, d, w), { seed: 2 });
  writeTripletText(join(dir, 'train.txt'), { count: 600, data: answered.data.slice(0, 1800) });
  writeTripletText(join(dir, 'val.txt'), { count: 1000, data: answered.data.slice(1800) });
}

interface Candidate {
  lambda: number;
  valCrossEntropy: number | null;
  valAccuracy: number | null;
  activeDims: number;
  epochs: number;
  stopReason: string;
  stopDetail: string | null;
  seconds: number;
}
interface Selection {
  criterion: string;
  rule: string;
  seed: number;
  chosen: number;
  candidates: Candidate[];
}
interface FitJson {
  out: string;
  lambda: number;
  lambdaSource: string;
  lambdaSelection?: Selection & { file: string };
  runs: { seed: number; epochs: number; valAccuracy: number; dims: number }[];
}

describe('conceptlab fit --lambda a,b,c --select-lambda', () => {
  const dir = tempDir();
  data(dir);
  const train = join(dir, 'train.txt'), val = join(dir, 'val.txt');
  const base = ['fit', '--train', train, '--dims', '10', '--lr', '0.01', '--batch', '50', '--epochs', '60', '--threads', '1'];

  test('fits each candidate on the first seed, picks the lowest validation cross-entropy, records all, then fits every seed with it', () => {
    const out = join(dir, 'sel');
    // λ 100 prunes every dim (every triplet at p = 1/3: cross-entropy ln 3) and must lose; 1e-4 and 0.03 both fit.
    const r = runJson<FitJson>([...base, '--val', val, '--lambda', '100,0.0001,0.03', '--select-lambda', '--seeds', '3,5', '--out', out]);
    const s = r.lambdaSelection!;
    expect(s.file).toBe(join(out, 'lambda-selection.json'));
    expect(s.criterion).toBe('validation cross-entropy');
    expect(s.seed).toBe(3);
    expect(s.candidates.map((c) => c.lambda)).toEqual([100, 0.0001, 0.03]);
    for (const c of s.candidates) {
      expect(c.epochs).toBe(60);
      expect(c.stopReason).toBe('completed');
      expect(c.seconds).toBeGreaterThan(0);
    }
    expect(s.candidates[0].activeDims).toBe(0);
    expect(Math.abs(s.candidates[0].valCrossEntropy! - Math.log(3))).toBeLessThan(1e-4);
    const best = s.candidates.reduce((a, b) => (b.valCrossEntropy! < a.valCrossEntropy! ? b : a));
    expect(s.chosen).toBe(best.lambda);
    expect(s.chosen).not.toBe(100);
    expect(r.lambda).toBe(s.chosen);
    expect(r.lambdaSource).toBe(`--select-lambda: the lowest validation cross-entropy of 100, 0.0001, 0.03 (seed 3)`);
    // Every seed ran with the chosen λ; the first seed's run is the chosen candidate's again, to the same numbers.
    expect(r.runs.map((x) => x.seed)).toEqual([3, 5]);
    const chosen = s.candidates.find((c) => c.lambda === s.chosen)!;
    expect(r.runs[0].valAccuracy).toBe(chosen.valAccuracy);
    for (const seed of [3, 5]) {
      const results = JSON.parse(readFileSync(join(out, `seed-${seed}`, 'results.json'), 'utf8'));
      expect(results.config.hyper.lambda).toBe(s.chosen);
    }
    const seed3 = JSON.parse(readFileSync(join(out, 'seed-3', 'results.json'), 'utf8'));
    expect(seed3.epochs.at(-1).valCrossEntropy).toBe(chosen.valCrossEntropy);
    // The file: the same selection, with the data and the chosen run's settings.
    const file = JSON.parse(readFileSync(s.file, 'utf8'));
    expect(file).toMatchObject({ format: 'conceptlab-lambda-selection', version: 1, train, validation: val, criterion: s.criterion, rule: s.rule, seed: 3, chosen: s.chosen });
    expect(file.candidates).toEqual(s.candidates);
    expect(file.config).toMatchObject({ seed: 3, epochs: 60, batchSize: 50, hyper: { lambda: s.chosen, dims: 10, lr: 0.01 } });
    // Text output: one line per candidate and the choice.
    const human = runCli([...base, '--val', val, '--lambda', '100,0.0001,0.03', '--select-lambda', '--seeds', '3', '--out', join(dir, 'sel-text')]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^λ 100: validation cross-entropy 1\.0986, accuracy \d+\.\d\d%, 0 dims, 60 epochs \(completed\), \d+\.\d s$/m);
    expect(human.stdout).toMatch(new RegExp(`^λ ${s.chosen} \\(chosen\\): validation cross-entropy `, 'm'));
    expect(human.stdout).toContain(`λ selection (seed 3, lowest validation cross-entropy; exact ties: the larger λ) → ${join(dir, 'sel-text', 'lambda-selection.json')}`);
  }, 120_000);

  test('with --early-stopping plateau each candidate stops when converged', () => {
    const r = runJson<FitJson>([...base, '--epochs', '300', '--val', val, '--lambda', '0.0001,0.05', '--select-lambda', '--early-stopping', 'plateau', '--stopping-window', '5', '--out', join(dir, 'plateau')]);
    for (const c of r.lambdaSelection!.candidates) {
      expect(c.stopReason).toBe('early-stopping');
      expect(c.epochs).toBeLessThan(300);
      expect(c.stopDetail).toMatch(/^plateau at epoch \d+: /);
    }
  }, 120_000);

  test('usage errors: one line, before anything is written', () => {
    const out = join(dir, 'refused');
    const before = snapshot(dir);
    const refused = (args: string[], pattern: RegExp) => {
      const t0 = performance.now();
      const r = runCli([...base, ...args, '--out', out]);
      expectOneLineError(r, performance.now() - t0, pattern);
      expect(existsSync(out)).toBe(false);
    };
    refused(['--val', val, '--lambda', '0.002,0.004'], /--lambda: expected one value, or several with --select-lambda \(which chooses among them\), got "?0\.002,0\.004"?/);
    refused(['--lambda', '0.002,0.004', '--select-lambda'], /--select-lambda: expected --val \(the candidates are scored on the validation triplets\)/);
    refused(['--val', val, '--lambda', '0.002', '--select-lambda'], /--select-lambda: expected at least 2 candidates in --lambda/);
    refused(['--val', val, '--select-lambda'], /--select-lambda: expected at least 2 candidates in --lambda/);
    refused(['--val', val, '--preset', 'spose-readme', '--select-lambda'], /--select-lambda: expected at least 2 candidates in --lambda .*--preset spose-readme/);
    refused(['--val', val, '--lambda', '0,0.004', '--select-lambda'], /--lambda: expected candidates > 0 with --select-lambda, got 0/);
    refused(['--val', val, '--lambda', '0.004,0.008,0.004', '--select-lambda'], /--lambda: expected distinct candidates \(0\.004 is given twice\)/);
    refused(['--val', val, '--lambda', '0.004,,0.008', '--select-lambda'], /--lambda must be a comma-separated list of numbers ≥ 0, no empty items, got "0\.004,,0\.008"/);
    refused(['--val', val, '--lambda', '0.004,-1', '--select-lambda'], /--lambda must be a comma-separated list of numbers ≥ 0/);
    refused(['--val', val, '--lambda', 'x'], /--lambda must be a number ≥ 0, got "x"/);
    refused(['--val', val, '--lambda', '0.002,0.004', '--select-lambda', '--shard', '1/1'], /--select-lambda: expected no --shard \(select λ once, then run the shards with --lambda <chosen>\)/);
    expect(snapshot(dir)).toEqual(before);
  });
});
