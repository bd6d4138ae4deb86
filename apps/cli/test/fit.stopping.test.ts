import { join } from 'node:path';
import { createMatrix, createRng, writeTripletText } from '@conceptlab/core';
import { answerByEmbedding, sampleUniform } from '@conceptlab/triplet-sampler';
import { expectOneLineError, runCli, runJson, tempDir } from './run-cli.js';

/** 24 objects on 3 planted dims, 3,000 training and 600 validation answers of the SPoSE observer. */
function data(dir: string) {
  const n = 24, d = 3;
  const rng = createRng(4);
  const w = new Float64Array(n * d);
  for (let i = 0; i < n; i++) w[i * d + (i % d)] = 1.5 + rng.nextFloat();
  const answered = answerByEmbedding(sampleUniform({ nObjects: n, count: 3600, seed: 1, allowDuplicates: true }), createMatrix(n, d, w), { seed: 2 });
  writeTripletText(join(dir, 'train.txt'), { count: 3000, data: answered.data.slice(0, 9000) });
  writeTripletText(join(dir, 'val.txt'), { count: 600, data: answered.data.slice(9000) });
}

interface Run {
  epochs: number;
  stopReason: string;
  stopDetail: string;
}

describe('conceptlab fit --early-stopping reference | plateau', () => {
  const dir = tempDir();
  data(dir);
  const base = ['fit', '--train', join(dir, 'train.txt'), '--dims', '8', '--lambda', '0.01', '--lr', '0.01', '--batch', '100', '--epochs', '300', '--threads', '1'];

  test('plateau: the run stops when validation cross-entropy and dims hold, and says why', () => {
    const r = runJson<{ runs: Run[] }>([...base, '--val', join(dir, 'val.txt'), '--early-stopping', 'plateau', '--stopping-window', '5', '--out', join(dir, 'plateau')]);
    const run = r.runs[0]!;
    expect(run.stopReason).toBe('early-stopping');
    expect(run.epochs).toBeLessThan(300);
    expect(run.stopDetail).toMatch(new RegExp(`^plateau at epoch ${run.epochs}: the best validation cross-entropy improved by \\S+ \\(< 0\\.001\\) over the last 5 epochs and the active dims changed by 0 \\(≤ 0; \\d+ dims\\)$`));
    const human = runCli([...base, '--val', join(dir, 'val.txt'), '--early-stopping', 'plateau', '--stopping-window', '5', '--out', join(dir, 'plateau2')]);
    expect(human.stdout).toMatch(/^seed 0: \d+ epochs \(plateau at epoch \d+: /);
  });

  test("plain --early-stopping is still the reference's rule", () => {
    const r = runJson<{ runs: Run[] }>([...base, '--early-stopping', '--out', join(dir, 'reference')]);
    const run = r.runs[0]!;
    // On these data the loss flattens well before 300 epochs: the regression's p passes 0.1 and the run stops.
    expect(run.stopReason).toBe('early-stopping');
    expect(run.epochs).toBeLessThan(300);
    expect(run.stopDetail).toMatch(new RegExp(`^the reference's rule at epoch ${run.epochs}: the last 50 epoch losses' slope -\\S+ has p = \\S+ > 0\\.1$`));
  });

  test('bad combinations are one-line errors before any work', () => {
    const out = join(dir, 'bad');
    const refused = (args: string[], pattern: RegExp) => {
      const t0 = performance.now();
      const r = runCli(args);
      expectOneLineError(r, performance.now() - t0, pattern);
    };
    refused([...base, '--early-stopping', 'plateau', '--out', out], /--early-stopping: expected plateau with --val/);
    refused([...base, '--early-stopping', 'sometimes', '--val', join(dir, 'val.txt'), '--out', out], /--early-stopping: expected reference or plateau/);
    refused([...base, '--stopping-window', '5', '--out', out], /--stopping-window: expected with --early-stopping/);
    refused([...base, '--early-stopping', '--min-improvement', '0.01', '--out', out], /--min-improvement: expected with --early-stopping plateau/);
    refused([...base, '--early-stopping', 'reference', '--stopping-window', '2', '--out', out], /--stopping-window: expected at least 3/);
  });
});
