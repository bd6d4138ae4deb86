import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '@conceptlab/core';
import { readRdmStack } from '@conceptlab/neuro-rsa';
import { expectClose } from '../../../test-support/expect-close.js';
import { runCli, runJson, tempDir, writeText } from './run-cli.js';

const tsv = (rows: number[][]) => rows.map((r) => r.join('\t')).join('\n') + '\n';
const grid = (rows: number, cols: number, f: (r: number, c: number) => number) =>
  Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => f(r, c)));

// The inputs and outputs of the numpy script (literal ports of rsatoolbox's prec_from_residuals with
// 'shrinkage_diag', calc_rdm_mahalanobis and calc_rdm_crossnobis; see packages/neuro-rsa/src/mahalanobis.test.ts).
const R = grid(12, 4, (r, c) => ((r * 17 + c * 5 + r * c * c) % 23) / 7);
const X = grid(5, 4, (i, c) => ((i * 7 + c * 13) % 11) / 3 - 1);
const rows: [number, number][] = [[0, 2], [0, 0], [0, 1], [0, 3], [1, 0], [1, 1], [1, 2], [1, 3], [2, 3], [2, 2], [2, 1], [2, 0], [2, 1]];
const Y = grid(13, 4, (k, c) => ((k * 11 + c * 5 + k * c) % 13) / 4 - 1.5);
const MAHAL_P = [3.578445086851451, 0.9644377955676192, 2.6644692546082176, 3.759054062639332, 3.3290148218677467, 2.2887564571510715, 3.2356503014896294, 2.339981365646661, 2.448198441782141, 3.102532066873948];
const CROSS_I = [0.09809027777777779, 0.14583333333333334, 0.2604166666666667, 0.04383680555555556, 0.2938368055555556, 0.578125];
const CROSS_P = [0.08928908969364513, 0.1846529995112287, 0.28206640061797766, 0.04610155897808077, 0.31549528190920845, 0.5345061988155603];

describe('conceptlab rdm', () => {
  const dir = tempDir();
  const patterns = writeText(dir, 'x.tsv', tsv(X));
  const residuals = writeText(dir, 'r.tsv', tsv(R));
  const obs = writeText(dir, 'y.tsv', tsv(Y));
  const runs = writeText(dir, 'runs.txt', rows.map(([r]) => r).join('\n'));
  const conds = writeText(dir, 'conds.txt', rows.map(([, c]) => c).join(' '));

  test('euclidean to .npy: squared distance / channels (hand: rows 0 and 1)', () => {
    const out = join(dir, 'e.npy');
    const r = runJson<{ measure: string; conditions: number; channels: number }>(['rdm', '--patterns', patterns, '--measure', 'euclidean', '--out', out]);
    expect(r).toMatchObject({ measure: 'euclidean', conditions: 5, channels: 4 });
    const a = readNpy(out);
    expect(a.shape).toEqual([5, 5]);
    const d01 = X[0]!.reduce((s, v, c) => s + (v - X[1]![c]!) ** 2, 0) / 4;
    expect(Number(a.data[1])).toBeCloseTo(d01, 14);
  });

  test("euclidean --euclidean-sums differences / gram / blas = numpy doing rsatoolbox's two forms (reference/rsa_speed_reference.json); the summary names the sums and the BLAS", () => {
    // packages/neuro-rsa: python3 reference/rsa_speed_reference.py > reference/rsa_speed_reference.json (numpy 2.4):
    // 7 × 9 patterns (rows 5 and 6 1e-7 apart), scipy pdist 'sqeuclidean' / p, and rsatoolbox's ‖a‖² + ‖b‖² − 2a·b.
    const ref = JSON.parse(readFileSync(join(__dirname, '../../../packages/neuro-rsa/reference/rsa_speed_reference.json'), 'utf8')).euclideanGram as {
      patterns: number[][];
      gram: number[];
      differences: number[];
    };
    const input = writeText(dir, 'ref.tsv', tsv(ref.patterns));
    // The close pair's Gram values are cancellation noise of size 1e-16·‖x‖²/p (as in neuro-rsa's own tests).
    const cancellation = (1e-15 * Math.max(...ref.patterns.map((r) => r.reduce((s, v) => s + v * v, 0)))) / 9;
    const base = join(dir, 'e-diff.npy');
    expect(runJson(['rdm', '--patterns', input, '--measure', 'euclidean', '--out', base])).toMatchObject({ euclideanSums: 'differences' });
    expectClose(readRdmStack(base).rdms[0]!.rdm.vector, ref.differences, { rel: 1e-12 });
    const g = join(dir, 'e-gram.npy');
    expect(runJson(['rdm', '--patterns', input, '--measure', 'euclidean', '--euclidean-sums', 'gram', '--out', g])).toMatchObject({ euclideanSums: 'gram' });
    expectClose(readRdmStack(g).rdms[0]!.rdm.vector, ref.gram, { rel: 1e-12, abs: cancellation });
    const b = join(dir, 'e-blas.npy');
    const r = runCli(['rdm', '--patterns', input, '--measure', 'euclidean', '--euclidean-sums', 'blas', '--out', b, '--json']);
    if (r.code !== 0 && /@conceptlab\/native-blas: /.test(r.stderr) && process.env.CI !== 'true') {
      console.warn(`SKIPPED: no native BLAS here (${r.stderr.trim()}): rdm --euclidean-sums blas`);
      return;
    }
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout) as { euclideanSums: string; blas: { library: string; symbol: string; coreType: { requested: string } } };
    expect(summary).toMatchObject({ euclideanSums: 'blas', blas: { coreType: { requested: 'auto' } } });
    expect(typeof summary.blas.library).toBe('string');
    expect(summary.blas.symbol).toMatch(/dsyrk/);
    expectClose(readRdmStack(b).rdms[0]!.rdm.vector, ref.gram, { rel: 1e-12, abs: cancellation });
  });

  test('mahalanobis with a shrinkage_diag precision from residuals = rsatoolbox within 1e-12; TSV out', () => {
    const out = join(dir, 'm.tsv');
    const r = runJson<{ noise: { method: string; dof: number } }>(['rdm', '--patterns', patterns, '--measure', 'mahalanobis', '--residuals', residuals, '--shrinkage', 'diag', '--out', out]);
    expect(r.noise).toMatchObject({ method: 'shrinkage_diag', dof: 11 });
    expectClose(readRdmStack(out).rdms[0]!.rdm.vector, MAHAL_P, { abs: 1e-12 });
  });

  test('crossnobis with --runs/--conditions, identity and residual precision = rsatoolbox within 1e-12', () => {
    const o1 = join(dir, 'c1.npy');
    runJson(['rdm', '--patterns', obs, '--measure', 'crossnobis', '--runs', runs, '--conditions', conds, '--out', o1]);
    expectClose(readRdmStack(o1).rdms[0]!.rdm.vector, CROSS_I, { abs: 1e-12 });
    const o2 = join(dir, 'c2.npy');
    runJson(['rdm', '--patterns', obs, '--measure', 'crossnobis', '--runs', runs, '--conditions', conds, '--residuals', residuals, '--out', o2]);
    expectClose(readRdmStack(o2).rdms[0]!.rdm.vector, CROSS_P, { abs: 1e-12 });
  });

  test('usage errors exit 2, bad input exits 1 naming the file', () => {
    const out = join(dir, 'z.npy');
    expect(runCli(['rdm', '--patterns', obs, '--measure', 'crossnobis', '--out', out]).code).toBe(2);
    expect(runCli(['rdm', '--patterns', patterns, '--measure', 'euclidean', '--noise', residuals, '--out', out]).code).toBe(2);
    expect(runCli(['rdm', '--patterns', patterns, '--measure', 'manhattan', '--out', out]).code).toBe(2);
    const sumsElsewhere = runCli(['rdm', '--patterns', patterns, '--measure', 'correlation', '--euclidean-sums', 'blas', '--out', out]);
    expect(sumsElsewhere.code).toBe(2);
    expect(sumsElsewhere.stderr).toContain('--euclidean-sums applies to euclidean, not correlation');
    expect(runCli(['rdm', '--patterns', patterns, '--measure', 'euclidean', '--euclidean-sums', 'mkl', '--out', out]).code).toBe(2);
    const badRuns = writeText(dir, 'bad-runs.txt', '0 0 1\n');
    const r = runCli(['rdm', '--patterns', obs, '--measure', 'crossnobis', '--runs', badRuns, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${badRuns}: expected one run label per pattern row (13)`);
    const wrongNoise = runCli(['rdm', '--patterns', patterns, '--measure', 'mahalanobis', '--noise', patterns, '--out', out]);
    expect(wrongNoise.code).toBe(1);
    expect(wrongNoise.stderr).toContain(`${patterns}: expected a 4×4 precision matrix`);
  });
});
