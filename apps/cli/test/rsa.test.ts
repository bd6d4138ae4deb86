import { join } from 'node:path';
import { dataDirForTests, writeNpy } from '@conceptlab/core';
import { runCli, runJson, tempDir, writeText } from './run-cli.js';

/** A 4×4 RDM whose upper triangle (row-major) is `v`. */
function rdmText(v: number[]): string {
  const m = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  let k = 0;
  for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) m[i][j] = m[j][i] = v[k++];
  return m.map((r) => r.join('\t')).join('\n') + '\n';
}

describe('conceptlab rsa', () => {
  const dir = tempDir();
  const model = writeText(dir, 'model.tsv', rdmText([1, 2, 3, 4, 5, 6]));
  const twice = writeText(dir, 'twice.tsv', rdmText([2, 4, 6, 8, 10, 12]));
  const swapped = writeText(dir, 'swapped.tsv', rdmText([1, 3, 2, 4, 6, 5]));

  test('values[model][brain], hand-computed', () => {
    const corr = runJson<{ method: string; models: string[]; brains: string[]; values: number[][] }>(['rsa', '--model', model, '--brain', twice, swapped, '--method', 'corr']);
    expect(corr.models).toEqual(['model']);
    expect(corr.brains).toEqual(['twice', 'swapped']);
    expect(corr.values[0][0]).toBeCloseTo(1, 12);
    // Spearman of 1..6 against 1 3 2 4 6 5: Σd² = 4, rho = 1 − 6·4 / (6·35) = 0.885714…
    const sp = runJson<{ values: number[][] }>(['rsa', '--model', model, '--brain', swapped, '--method', 'spearman']);
    expect(sp.values[0][0]).toBeCloseTo(1 - 24 / 210, 12);
  });

  test('stacks in .npy are flattened, with the noise ceiling of the brains', () => {
    const data = new Float64Array(2 * 16);
    const a = [1, 2, 3, 4, 5, 6], b = [1, 2, 4, 3, 5, 6];
    [a, b].forEach((v, s) => {
      let k = 0;
      for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) data[s * 16 + i * 4 + j] = data[s * 16 + j * 4 + i] = v[k++];
    });
    const f = join(dir, 'brains.npy');
    writeNpy(f, { dtype: 'f8', shape: [2, 4, 4], data });
    const r = runJson<{ brains: string[]; noiseCeiling: { lower: number; upper: number } }>(['rsa', '--model', model, '--brain', f, '--method', 'corr', '--noise-ceiling']);
    expect(r.brains).toEqual(['brains[0]', 'brains[1]']);
    // Two subjects: the lower bound is corr(a, b) = 16.5 / 17.5 (centred 1..6 vs 1 2 4 3 5 6, by hand).
    expect(r.noiseCeiling.lower).toBeCloseTo(16.5 / 17.5, 12);
    expect(r.noiseCeiling.upper).toBeGreaterThan(r.noiseCeiling.lower);
  });

  test('an asymmetric RDM is an error naming the file', () => {
    const bad = writeText(dir, 'bad.tsv', '0\t1\n2\t0\n');
    const r = runCli(['rsa', '--model', bad, '--brain', twice]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}: expected a symmetric RDM with a zero diagonal`);
  });

  const data = dataDirForTests(__dirname, 'RSA of the 92-image model and brain RDMs');
  (data ? test : test.skip)('rsa92: 8 models × 8 session RDMs, with a noise ceiling', () => {
    const r = runJson<{ models: string[]; brains: string[]; values: number[][]; noiseCeiling: { lower: number; upper: number } }>([
      'rsa', '--model', join(data!, 'rsa92', 'model_rdms.npy'), '--brain', join(data!, 'rsa92', 'brain_rdms.npy'), '--noise-ceiling', '--bootstrap', '100',
    ]);
    expect(r.models).toHaveLength(8);
    expect(r.brains).toEqual(['brain_rdms[0,0]', 'brain_rdms[0,1]', 'brain_rdms[1,0]', 'brain_rdms[1,1]', 'brain_rdms[2,0]', 'brain_rdms[2,1]', 'brain_rdms[3,0]', 'brain_rdms[3,1]']);
    expect(r.values.every((row) => row.length === 8 && row.every(Number.isFinite))).toBe(true);
    expect(r.noiseCeiling.lower).toBeGreaterThan(0);
    expect(r.noiseCeiling.upper).toBeGreaterThan(r.noiseCeiling.lower);
    const ci = (r as unknown as { ci: { mean: number; low: number; high: number }[] }).ci;
    expect(ci).toHaveLength(8);
    for (let m = 0; m < 8; m++) {
      expect(ci[m].mean).toBeCloseTo(r.values[m].reduce((s, v) => s + v, 0) / 8, 12);
      expect(ci[m].low).toBeLessThan(ci[m].high);
    }
  });
});
