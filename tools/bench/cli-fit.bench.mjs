// Benchmark (issue 14): what a user waits for with `conceptlab fit`, against the kernel, measured in one run on one
// machine, as ratios. THINGS size (1,854 objects × 100 dims), batch 100, one seed, the same 200,000 training triplets:
//   kernel   — the cpu engine's step() in a loop (sparse gradient + the dense Adam pass), no epoch bookkeeping;
//   fitSpose — the library's whole fit (per-epoch shuffles, records, validation on 20,000 triplets);
//   CLI      — `node apps/cli/dist/bin.js fit …` as a process: start-up, reading the text files, the fit, writing
//              checkpoints, results and the embedding; timed from spawn to exit (and its own triplets/s).
// Also the dense Adam pass alone (the machine's bound: every absolute number here scales with it).
// Uses the BUILT packages and CLI. Prints ONE JSON object.    BENCH_EPOCHS=10 node cli-fit.bench.mjs (10: real fits run hundreds of epochs; at 3 the process start-up weighs)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerByEmbedding, sampleUniform } from '@conceptlab/triplet-sampler';
import { createCpuEngine, DEFAULT_HYPER, fitSpose, initWeights } from '@conceptlab/spose-embed';
import { denseAdamPassMs } from './dense-pass.mjs';
import { machine } from './bench-utils.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const N = 1854, D = 100, B = 100, COUNT = 200_000, VAL = 20_000;
const epochs = Number(process.env.BENCH_EPOCHS ?? 10);
const before = machine();

// Answered triplets from a random 10-dim embedding (which one is odd does not change the cost).
const gen = { rows: N, cols: 10, data: Float64Array.from({ length: N * 10 }, (_, i) => ((i * 2654435761) % 1000) / 1000) };
const all = answerByEmbedding(sampleUniform({ nObjects: N, count: COUNT + VAL, seed: 1 }), gen, { seed: 2 });
const train = { count: COUNT, data: all.data.subarray(0, 3 * COUNT) };
const validation = { count: VAL, data: all.data.subarray(3 * COUNT) };
const dir = mkdtempSync(join(tmpdir(), 'cli-fit-bench-'));
const text = (t) => Array.from({ length: t.count }, (_, i) => `${t.data[3 * i]} ${t.data[3 * i + 1]} ${t.data[3 * i + 2]}`).join('\n') + '\n';
writeFileSync(join(dir, 'train.txt'), text(train));
writeFileSync(join(dir, 'val.txt'), text(validation));

const hyper = { ...DEFAULT_HYPER, nObjects: N, dims: D };
const round = (x, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

try {
  // The dense pass alone.
  const denseMs = denseAdamPassMs(N, D);

  // The kernel: one epoch's worth of steps (after a warm-up), in the training order.
  const engine = createCpuEngine(hyper, initWeights(N, D, 1));
  const steps = Math.floor(COUNT / B);
  for (let s = 0; s < 200; s++) engine.step(train.data.subarray(3 * B * s, 3 * B * (s + 1)));
  let t0 = performance.now();
  for (let e = 0; e < epochs; e++) for (let s = 0; s < steps; s++) engine.step(train.data.subarray(3 * B * s, 3 * B * (s + 1)));
  const kernelSeconds = (performance.now() - t0) / 1000;
  engine.dispose();

  // fitSpose.
  t0 = performance.now();
  await fitSpose({ train, validation, hyper: { nObjects: N, dims: D }, seed: 1, epochs, batchSize: B, progressIntervalMs: 1e9 });
  const fitSeconds = (performance.now() - t0) / 1000;

  // The CLI as a process.
  t0 = performance.now();
  const p = spawnSync(
    process.execPath,
    [join(root, 'apps', 'cli', 'dist', 'bin.js'), 'fit', '--train', join(dir, 'train.txt'), '--val', join(dir, 'val.txt'), '--objects', String(N), '--epochs', String(epochs), '--batch', String(B), '--seeds', '1', '--threads', '1', '--out', join(dir, 'out'), '--json'],
    { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  );
  const cliSeconds = (performance.now() - t0) / 1000;
  if (p.status !== 0) throw new Error(`conceptlab fit exited ${p.status}: ${p.stderr.trim().split('\n').pop()}`);
  const cliOwn = JSON.parse(p.stdout).tripletsPerSecond;

  const triplets = epochs * steps * B;
  const rate = (s) => round(triplets / s);
  console.log(
    JSON.stringify({
      bench: 'cli-fit (one seed, batch 100, THINGS size)',
      objects: N,
      dims: D,
      batch: B,
      epochs,
      trainTriplets: COUNT,
      validationTriplets: VAL,
      tripletsPerSecond: { kernel: rate(kernelSeconds), fitSpose: rate(fitSeconds), cliProcess: rate(cliSeconds), cliReported: round(cliOwn) },
      ratios: {
        kernelOverCliProcess: round(cliSeconds / kernelSeconds, 2),
        kernelOverFitSpose: round(fitSeconds / kernelSeconds, 2),
        fitSposeOverCliProcess: round(cliSeconds / fitSeconds, 2),
        kernelOverDenseBound: round(kernelSeconds / ((triplets / B) * denseMs / 1000), 2),
        target: 'kernelOverCliProcess ≤ 1.5',
      },
      machine: { cpu: cpus()[0]?.model ?? 'unknown', denseAdamPassMs: round(denseMs, 4), boundTripletsPerSecondAtBatch100: round((B * 1000) / denseMs), node: process.version, ...before },
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
