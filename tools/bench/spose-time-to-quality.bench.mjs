// Benchmark (issue 14): time to quality of SPoSE at the paper's scale, the `paper` schedule against `fast`, on
// the same machine in the same run. Data: 4.7M uniform THINGS triplets (`conceptlab sample --objects 1854
// --count 4700000 --seed 7 --split 0.9`: 4.23M train, 470k validation) answered by `conceptlab simulate` from
// the human embedding (human_embedding_vice42.npy, softmax T = 1, seed 1). Quality: accuracy on the human
// noise-ceiling triplets (the generator scores 63.57%), dims kept (generator 42) and the median over the 42
// generating dims of the best Pearson r with a fitted dim.
//   paper: batch 100, Adam lr 0.001 constant, 500 epochs — timed for BENCH_PAPER_EPOCHS epochs (default 1), its
//          500-epoch time extrapolated from that per-epoch time (≈ 6 h per seed on a 2-core machine).
//   fast:  spose-embed's resolveSchedule('fast', 4.23M): batch 1000, lr 0.01 after a 1-epoch warm-up, cosine
//          decay to 0, 8 epochs — run to the end for each seed of BENCH_SEEDS (default 1).
// Both fits see the same 50,000 validation triplets each epoch. Uses the BUILT packages and CLI. Prints ONE JSON
// object with the machine's facts (CPU, load, the dense Adam pass's time, the bound of every absolute number here).
//
//   node spose-time-to-quality.bench.mjs               (≈ 5 min on a 2-core machine; data cached in $BENCH_DIR)
//   BENCH_SEEDS=1,2,3 BENCH_PAPER_EPOCHS=2 BENCH_DIR=/tmp/ttq node spose-time-to-quality.bench.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTripletText, selectTriplets } from '@conceptlab/core';
import { median } from '@conceptlab/core/stats';
import { evaluateTriplets, fitSpose, pruneAndSort, resolveSchedule } from '@conceptlab/spose-embed';
import { denseAdamPassMs } from './dense-pass.mjs';
import { machine } from './bench-utils.mjs';
import { embeddingQuality, pct, thingsBenchData } from './things-quality.mjs';

const { root, vice, gen, nc } = thingsBenchData('spose-time-to-quality');
const dir = process.env.BENCH_DIR ?? join(tmpdir(), 'conceptlab-ttq');
const seeds = (process.env.BENCH_SEEDS ?? '1').split(',').map(Number);
const paperEpochs = Number(process.env.BENCH_PAPER_EPOCHS ?? 1);
const N = 1854, D = 100, LAMBDA = 0.004;

// 1. The data, through the CLI as a user would make it (kept in BENCH_DIR for the next run).
mkdirSync(dir, { recursive: true });
const cli = (args) => {
  const r = spawnSync(process.execPath, [join(root, 'apps', 'cli', 'dist', 'bin.js'), ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`conceptlab ${args.join(' ')}: ${r.stderr.trim().split('\n').pop()}`);
};
if (!existsSync(join(dir, 'train.txt')) || !existsSync(join(dir, 'val.txt'))) {
  cli(['sample', '--objects', '1854', '--count', '4700000', '--seed', '7', '--split', '0.9', '--out', 'sets.txt']);
  cli(['simulate', '--embedding', vice, '--triplets', 'sets.train.txt', '--seed', '1', '--out', 'train.txt']);
  cli(['simulate', '--embedding', vice, '--triplets', 'sets.validation.txt', '--seed', '2', '--out', 'val.txt']);
}
const train = readTripletText(join(dir, 'train.txt'), { nObjects: N });
const validation = selectTriplets(readTripletText(join(dir, 'val.txt'), { nObjects: N }), Int32Array.from({ length: 50_000 }, (_, i) => i));

/** NC-triplet accuracy, dims kept and median best-match r of a fit's weights. */
const quality = (weights) => embeddingQuality(pruneAndSort(weights, N, D), gen, nc);

// 2. The machine: the dense Adam pass over all 185,400 weights (wasm), the bound of a batch-100 step.
const denseMs = Math.round(denseAdamPassMs(N, D) * 10000) / 10000;
const before = machine();

// 3. paper: its per-epoch time on the same data and machine.
const paper = resolveSchedule('paper', train.count);
const t0 = performance.now();
const p = await fitSpose({ train, validation, hyper: { nObjects: N, dims: D, lambda: LAMBDA, lr: paper.lr }, seed: seeds[0], epochs: paperEpochs, batchSize: paper.batchSize, progressIntervalMs: 1e9 });
const paperEpochSeconds = (performance.now() - t0) / 1000 / paperEpochs;

// 4. fast: every seed run to the end.
const fast = resolveSchedule('fast', train.count);
const fastRuns = [];
for (const seed of seeds) {
  const t = performance.now();
  const r = await fitSpose({ train, validation, hyper: { nObjects: N, dims: D, lambda: LAMBDA, lr: fast.lr }, seed, epochs: fast.epochs, batchSize: fast.batchSize, lrSchedule: fast.lrSchedule, progressIntervalMs: 1e9 });
  const seconds = (performance.now() - t) / 1000;
  fastRuns.push({ seed, seconds: Math.round(seconds * 10) / 10, epochs: r.records.length, valAccuracyPercent: pct(r.summary.valAccuracy), ...quality(r.weights) });
}
const fastSeconds = median(Float64Array.from(fastRuns.map((r) => r.seconds)));
const paper500 = paperEpochSeconds * 500;
const generator = { ncAccuracyPercent: pct(evaluateTriplets(gen, nc, { seed: 0 }).accuracy), dims: gen.cols };

console.log(
  JSON.stringify({
    bench: 'spose-time-to-quality',
    data: { train: train.count, validationPerEpoch: validation.count, objects: N, generator: 'human_embedding_vice42.npy (softmax, T = 1)', lambda: LAMBDA },
    generator,
    paper: {
      schedule: paper.method,
      epochsTimed: paperEpochs,
      epochSeconds: Math.round(paperEpochSeconds * 10) / 10,
      seconds500EpochsExtrapolated: Math.round(paper500),
      afterTimedEpochs: quality(p.weights),
    },
    fast: { schedule: fast.method, runs: fastRuns, medianSeconds: fastSeconds },
    ratio: { paper500OverFast: Math.round((paper500 / fastSeconds) * 10) / 10, target: '≥ 100' },
    targets: {
      ncAccuracyAtLeast63_35: fastRuns.every((r) => r.ncAccuracyPercent >= 63.35),
      medianBestMatchRAtLeast0_92: fastRuns.every((r) => r.medianBestMatchR >= 0.92),
      dims42Plus3: fastRuns.every((r) => Math.abs(r.dims - 42) <= 3),
      atMostOneHundredthOfPaper: paper500 / fastSeconds >= 100,
    },
    machine: { cpu: cpus()[0]?.model ?? 'unknown', denseAdamPassMs: denseMs, node: process.version, ...before, loadAverage1mAtEnd: machine().loadAverage1m },
  }),
);
