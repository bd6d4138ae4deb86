// Benchmark: SPoSE training throughput of the CPU engine at the THINGS size (1,854 objects × 100 dims,
// dense Adam over all 185,400 weights every step), for both kernels (WebAssembly SIMD and plain JS)
// and batch sizes 100, 500, 1000; plus the step split into its sparse part (forward + gathered
// gradient) and its dense part (fused Adam pass), and the dense pass alone as the theoretical bound.
// Uses the BUILT package (cd packages/spose-embed && npx tsc -p tsconfig.build.json). Prints ONE JSON object.
//
//   node spose-train.bench.mjs                 (from tools/bench)
//   BENCH_SECONDS=2 BENCH_REPEATS=5 node spose-train.bench.mjs
import { cpus } from 'node:os';
import { sampleUniform } from '@conceptlab/triplet-sampler';
import { median } from '@conceptlab/core/stats';
import { torchSposeAnchor } from './bench-utils.mjs';
// Public entry only: the inner kernels come from `sposeBenchKernels`, exported for these timings.
import { createCpuEngine, DEFAULT_HYPER, fitSpose, initWeights, sposeBenchKernels } from '@conceptlab/spose-embed';

const { adamCoefficients, createAdamCoefficients, adamDenseJs, createWasmArena, batchGradient, releaseRows } = sposeBenchKernels;

const nObjects = Number(process.env.BENCH_OBJECTS ?? 1854);
const dims = Number(process.env.BENCH_DIMS ?? 100);
const seconds = Number(process.env.BENCH_SECONDS ?? 1);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const batchSizes = [100, 500, 1000];
// The anchor: the PyTorch reference's step (ViCCo-Group/SPoSE) timed in this run on this CPU, one torch thread and
// torch's default, where python3 has torch (BENCH_TORCH=0 skips it); no ratio is printed without it.
const withTorch = process.env.BENCH_TORCH !== '0';

const hyper = { ...DEFAULT_HYPER, nObjects, dims };
const size = nObjects * dims;

// 200,000 uniform random triplets of distinct objects (which one is odd does not change the cost).
const COUNT = 200_000;
const triplets = sampleUniform({ nObjects, count: COUNT, seed: 1 }).data;
const batchAt = (B, s) => {
  const per = Math.floor(COUNT / B);
  const i = s % per;
  return triplets.subarray(3 * B * i, 3 * B * (i + 1));
};

const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Run `fn(i)` repeatedly for about `seconds`; returns ms per call (median over repeats, after a warm-up). */
function timeIt(fn) {
  for (let i = 0; i < 200; i++) fn(i);
  const out = [];
  for (let r = 0; r < repeats; r++) {
    let calls = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < seconds * 1000) {
      for (let k = 0; k < 20; k++) fn(calls++);
      t = performance.now();
    }
    out.push((t - t0) / calls);
  }
  return median(out);
}

// Full engine steps.
const engines = {};
for (const kernel of ['wasm', 'js']) {
  engines[kernel] = {};
  for (const B of batchSizes) {
    const engine = createCpuEngine(hyper, initWeights(nObjects, dims, 1), { kernel });
    let sink = 0;
    const ms = timeIt((i) => {
      sink += engine.step(batchAt(B, i)).total;
    });
    if (!Number.isFinite(sink)) throw new Error('non-finite loss');
    engine.dispose();
    engines[kernel][B] = { tripletsPerSec: Math.round((B * 1000) / ms), msPerStep: round(ms, 4) };
  }
}

// The sparse part alone (same code for both kernels): forward, CE gradient gathered into touched rows.
const W = initWeights(nObjects, dims, 1);
const G = new Float32Array(size), rowSlot = new Int32Array(nObjects).fill(-1), touched = new Int32Array(nObjects), out = new Float64Array(2);
const sparse = {};
for (const B of batchSizes) {
  const ms = timeIt((i) => {
    const count = batchGradient(W, dims, batchAt(B, i), B, 1, false, G, rowSlot, touched, out);
    releaseRows(rowSlot, touched, count);
  });
  sparse[B] = round(ms, 4);
}

// The dense pass alone (the bound): one Adam update of all weights, with ~300 touched rows.
const coef = adamCoefficients(hyper, 10, createAdamCoefficients());
const dense = {};
{
  const M = new Float32Array(size), V = new Float32Array(size), sums = new Float64Array(2);
  const Wd = W.slice();
  const slots = new Int32Array(nObjects).fill(-1);
  for (let s = 0; s < Math.min(300, nObjects); s++) slots[(s * 6) % nObjects] = s;
  const msJs = timeIt(() => adamDenseJs(Wd, M, V, G, slots, nObjects, dims, coef, false, sums));
  const arena = createWasmArena(nObjects, dims);
  arena.W.set(W);
  arena.rowSlot.set(slots);
  const msWasm = timeIt(() => arena.dense(coef, false));
  for (const [kernel, ms] of [['wasm', msWasm], ['js', msJs]]) {
    dense[kernel] = {
      msPerPass: round(ms, 4),
      weightsPerSec: Math.round((size * 1000) / ms),
      boundTripletsPerSecAtBatch100: Math.round((100 * 1000) / ms),
    };
  }
}

// End to end: fitSpose (batch copies, per-epoch records, a 20,000-triplet validation set), 3 epochs.
const fit = {};
{
  const train = { count: COUNT, data: triplets };
  const validation = { count: 20000, data: triplets.subarray(0, 60000) };
  for (const kernel of ['wasm', 'js']) {
    const t0 = performance.now();
    const r = await fitSpose({
      train,
      validation,
      hyper: { nObjects, dims },
      seed: 1,
      epochs: 3,
      batchSize: 100,
      createEngine: (h, init) => createCpuEngine(h, init, { kernel }),
    });
    const sec = (performance.now() - t0) / 1000;
    fit[kernel] = { tripletsPerSec: Math.round((r.state.step * 100) / sec), seconds: round(sec, 2), epochs: r.records.length };
  }
}

const kernels = {};
for (const kernel of ['wasm', 'js']) {
  kernels[kernel] = {};
  for (const B of batchSizes) {
    kernels[kernel][B] = { ...engines[kernel][B], sparseMsPerStep: sparse[B], denseMsPerStep: dense[kernel].msPerPass };
  }
}

const result = {
  benchmark: 'spose-train (CPU engine, dense Adam every step)',
  nObjects,
  dims,
  weights: size,
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  seconds,
  repeats,
  kernels,
  denseOnly: dense,
  fitSposeBatch100: fit,
};
if (withTorch) {
  const anchors = [1, 0].map((threads) => torchSposeAnchor({ device: 'cpu', batches: [100, 1000], seconds: Math.max(seconds, 2), threads, objects: nObjects, dims }));
  result.torchReferenceCpu = anchors;
  const speedup = {};
  for (const a of anchors) {
    for (const r of a.results ?? []) {
      speedup[`wasmVsTorch${a.threads}Threads_b${r.batch}`] = round(kernels.wasm[r.batch].tripletsPerSec / r.tripletsPerSecond);
    }
  }
  result.speedupOverReference = Object.keys(speedup).length ? speedup : 'no anchor: torch is not installed for python3';
} else {
  result.torchReferenceCpu = { skipped: 'BENCH_TORCH=0' };
}
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
