import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMatrix, readNpy, readNpyMatrix, writeNpyMatrix, writeTripletText } from '@conceptlab/core';
import { answerByEmbedding, sampleUniform } from '@conceptlab/triplet-sampler';
import { expectClose } from '../../../test-support/expect-close.js';
import { plantedEmbedding } from './planted-embedding.js';
import { runCli, runJson, tempDir, writeText } from './run-cli.js';

/** The numpy ports of the authors' scripts in @conceptlab/spose-embed (commands in their headers). */
const REF = join(__dirname, '..', '..', '..', 'packages', 'spose-embed', 'reference');
const mergePort = JSON.parse(readFileSync(join(REF, 'merge_step2_port.json'), 'utf8'));
const evalPort = JSON.parse(readFileSync(join(REF, 'evaluate_accuracy_port.json'), 'utf8'));
const rowsText = (rows: number[][]) => rows.map((r) => r.join(' ')).join('\n') + '\n';

// A planted sparse embedding: 40 objects, each mostly on one of 4 dims.
function plant(dir: string) {
  const n = 40;
  const emb = plantedEmbedding(n, 4, 9);
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
    const res = runJson<{ runs: number; kept: number; dimsFile: string; dims: { reproducibility: number }[]; runOrder: { by: string; seeds: number[] }[]; method: { reproducibility: string } }>(['merge', out, '--top', '4', '--out', merged]);
    expect(res.runs).toBe(2);
    expect(res.runOrder).toEqual([{ dir: out, by: 'seeds.json', seeds: [1, 2] }]);
    expect(res.method.reproducibility).toBe('paper-own-run-included');
    expect(res.kept).toBeLessThanOrEqual(4);
    expect(res.kept).toBeGreaterThanOrEqual(3);
    expect(readNpyMatrix(merged).rows).toBe(n);
    const dims = JSON.parse(readFileSync(res.dimsFile, 'utf8'));
    expect(dims.dims).toHaveLength(res.kept);
    for (const d of res.dims) expect(d.reproducibility).toBeGreaterThan(0.5);
  });

  test('fit: λ defaults to the paper\'s text-model value; --preset names the others; --preset and --lambda conflict', () => {
    const r = runCli(['fit', '--train', join(dir, 'train.txt'), '--out', join(dir, 'bad-preset'), '--preset', 'du2024-vision', '--lambda', '0.1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--preset: expected either --preset or --lambda/);
    const bad = runCli(['fit', '--train', join(dir, 'train.txt'), '--out', join(dir, 'bad-preset2'), '--preset', 'nope']);
    expect(bad.stderr).toMatch(/--preset: expected du2024-text, du2024-vision, spose-readme/);
    const help = runCli(['fit', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain("default 0.004, the paper's text-model (ChatGPT) λ");
    expect(help).toContain('spose-readme (λ 0.008)');
    const one = runJson<{ lambda: number; lambdaSource: string; trainAccuracyTies: string; similarity: string }>(['fit', '--train', join(dir, 'train.txt'), '--dims', '5', '--epochs', '1', '--batch', '500', '--out', join(dir, 'fit-default'), '--similarity', 'euclidean']);
    expect(one).toMatchObject({ lambda: 0.004, lambdaSource: "default: the paper's text-model λ (du2024-text)", trainAccuracyTies: 'reference', similarity: 'euclidean-distance' });
    const results = JSON.parse(readFileSync(join(dir, 'fit-default', 'seed-0', 'results.json'), 'utf8'));
    expect(results.config.hyper).toMatchObject({ lambda: 0.004, similarity: 'euclidean-distance', trainAccuracyTies: 'reference' });
    expect(results.config.trainAccuracyTies).toBe('reference');
  });

  test('merge: matches the numpy port of the authors\' step 1 + 2 (top-k cut, own run excluded, --include from the top 10), names its methods, reports the rank test', () => {
    const files = (mergePort.runs as number[][][]).map((r, i) => writeText(dir, `port-run${i}.txt`, rowsText(r)));
    const c = mergePort.cases[2]; // own run excluded, top 5 + include 9,4 from the top 10
    const res = runJson<{
      afterPruning: number;
      kept: number;
      method: Record<string, unknown>;
      dims: { run: number; column: number; reproducibility: number; ciLow: number | null; selectedBy: string; file: string }[];
      stats: { rankTest: { rRank: number; ind: number[]; permutation: { p: number; permutations: number }; bootstrap: { status: string } } };
    }>(['merge', ...files, '--top', '5', '--exclude-own-run', '--include', '9,4', '--include-from-top', '10', '--permutations', '20000', '--out', join(dir, 'port-merged.npy')]);
    expect(res.afterPruning).toBe(17);
    expect(res.kept).toBe(7); // 17 candidates cut to the top 5, plus 2 picks
    expect(res.method).toMatchObject({ reproducibility: 'own-run-excluded', references: [1, 2, 3, 4, 5], include: [9, 4], includeFromTop: 10 });
    const ids = mergePort.candidateIds as [number, number][];
    expect(res.dims.map((d) => [d.run, d.column])).toEqual(c.selected.map((i: number) => ids[i]));
    expect(res.dims.map((d) => d.selectedBy)).toEqual(['top', 'top', 'top', 'top', 'top', 'include', 'include']);
    expectClose(res.dims.map((d) => d.reproducibility), c.selected.map((i: number) => c.candidates[i].reproducibility), { abs: 1e-9 });
    expect(res.dims[0].file).toBe(files[res.dims[0].run]);
    const rankPort = mergePort.rankTests[0];
    expect(res.stats.rankTest.ind).toEqual(rankPort.ind);
    expectClose(res.stats.rankTest.rRank, rankPort.rRank, { abs: 1e-12 });
    // 20,000 permutations here vs 100,000 in the port: 5 SE of the difference.
    const p = rankPort.p;
    expectClose(res.stats.rankTest.permutation.p, p, { abs: 5 * Math.sqrt(p * (1 - p) * (1 / 20000 + 1 / 100000)) });
    const text = runCli(['merge', ...files, '--top', '5', '--exclude-own-run', '--permutations', '2000', '--out', join(dir, 'port-merged2.npy')]).stdout;
    expect(text).toContain('reproducibility: own-run-excluded against 5 reference run(s)');
    expect(text).toMatch(/rank test \(authors' fig\. 2e–g\): r\(dim number, reproducibility rank\) = /);
    // The default (the authors' own-run handling): with runs 1-3 as references every kept dim from them scores 1, named.
    const paper = runCli(['merge', ...files, '--top', '5', '--references', '1-3', '--no-stats', '--out', join(dir, 'port-merged3.npy')]).stdout;
    expect(paper).toContain('reproducibility: paper-own-run-included against 3 reference run(s)');
    expect(paper).toContain('5 kept dim(s) have r = 1 in a run (z = +∞): reproducibility 1, CI not computable');
    expect(paper).toContain('rank test: skipped (--no-stats)');
    // An --include position naming a dim already kept is refused.
    const dup = runCli(['merge', ...files, '--top', '5', '--include', '1', '--out', join(dir, 'never2.npy')]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/include/);
  });

  test('merge: runs are pooled in the order given; a fit directory in its seeds.json order, else by seed number (said)', () => {
    const a = writeText(dir, 'order-a.txt', '1\n0\n0\n0\n');
    const b = writeText(dir, 'order-b.txt', '1\n1\n0\n0\n'); // r(a, b) = 1/√3 > 0.4: the first given survives
    const ab = runJson<{ dims: { file: string }[] }>(['merge', a, b, '--out', join(dir, 'ab.npy')]);
    const ba = runJson<{ dims: { file: string }[] }>(['merge', b, a, '--out', join(dir, 'ba.npy')]);
    expect(ab.dims.map((d) => d.file)).toEqual([a]);
    expect(ba.dims.map((d) => d.file)).toEqual([b]);
    const fitDir = join(dir, 'fit-order');
    for (const [seed, f] of [[5, a], [10, b]] as const) {
      mkdirSync(join(fitDir, `seed-${seed}`), { recursive: true });
      writeNpyMatrix(join(fitDir, `seed-${seed}`, 'embedding.npy'), createMatrix(4, 1, Float64Array.from(readFileSync(f, 'utf8').trim().split('\n').map(Number))));
    }
    const bySeed = runJson<{ runOrder: { by: string; seeds: number[] }[]; dims: { file: string }[] }>(['merge', fitDir, '--out', join(dir, 'fo1.npy')]);
    expect(bySeed.runOrder[0]).toMatchObject({ by: 'seed number (no seeds.json)', seeds: [5, 10] });
    expect(bySeed.dims[0].file).toBe(join(fitDir, 'seed-5', 'embedding.npy'));
    writeFileSync(join(fitDir, 'seeds.json'), JSON.stringify({ seeds: [10, 5] }));
    const recorded = runJson<{ runOrder: { by: string; seeds: number[] }[]; dims: { file: string }[] }>(['merge', fitDir, '--out', join(dir, 'fo2.npy')]);
    expect(recorded.runOrder[0]).toMatchObject({ by: 'seeds.json', seeds: [10, 5] });
    expect(recorded.dims[0].file).toBe(join(fitDir, 'seed-10', 'embedding.npy'));
  });

  test('evaluate: the paper\'s CI by default, named in text and JSON; the binomial CI second; --chance (numpy port of the authors\' figure 2h)', () => {
    const e = writeText(dir, 'port-emb.txt', rowsText(evalPort.embedding));
    const t = writeText(dir, 'port-triplets.txt', rowsText(evalPort.triplets));
    const r = runJson<{ accuracy: number; ci95Percent: number; ci95Method: string; ci: { paper: { halfWidth: number; objectsSeen: number; objectsUnseen: number }; binomial: { halfWidth: number; method: string } }; chance: { mean: number; low: number; high: number } }>(['evaluate', '--embedding', e, '--triplets', t, '--chance']);
    expectClose(r.accuracy, evalPort.accuracy, { abs: 1e-12 });
    expect(r.ci95Method).toBe('paper-per-object: 1.96·SD(per-object accuracy)/√(objects seen)');
    expectClose(r.ci95Percent, 100 * evalPort.paperHalfWidth, { abs: 1e-10 });
    expectClose(r.ci.paper.halfWidth, evalPort.paperHalfWidth, { abs: 1e-12 });
    expect([r.ci.paper.objectsSeen, r.ci.paper.objectsUnseen]).toEqual([12, 2]);
    expectClose(r.ci.binomial.halfWidth, evalPort.binomialHalfWidth, { abs: 1e-12 });
    expect(r.ci.binomial.method).toBe('binomial-over-triplets: 1.96·√(p(1−p)/triplets)');
    // Chance: 80 triplets, σ = √(2/9/80) per draw; the two means differ by ≲ 5·√2·σ/√1000.
    const sigma = Math.sqrt(2 / 9 / 80);
    expectClose(r.chance.mean, evalPort.chance.mean, { abs: (5 * Math.SQRT2 * sigma) / Math.sqrt(1000) });
    const text = runCli(['evaluate', '--embedding', e, '--triplets', t]).stdout;
    expect(text).toContain("accuracy: 41.25% ± 5.42 (95% CI, the paper's: 1.96·SD of per-object accuracy/√12 objects seen; 2 objects in no triplet left out) on 80 triplets");
    expect(text).toContain('binomial CI over triplets: ± 10.79');
    expect(text).not.toContain('chance');
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
