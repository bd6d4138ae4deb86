// Benchmark (issue 5): correlation RDM of 1,854 conditions × 10,000 voxels — rsatoolbox's calc_rdm
// (method='correlation') took 22.5 s on this 2-core machine class; the target is ≥ 5× faster (≤ 4.5 s).
// Times computeRdmParallel (worker threads, WebAssembly SIMD kernel) and computeRdm (one thread).
// Uses the BUILT package (build first: cd packages/neuro-rsa && npx tsc -p tsconfig.build.json).
// Prints ONE JSON object.
//
//   node rsa-correlation-rdm.bench.mjs            (from tools/bench)
//   BENCH_CONDITIONS=500 BENCH_VOXELS=2000 BENCH_REPEATS=3 BENCH_THREADS=2 node rsa-correlation-rdm.bench.mjs
import { availableParallelism, loadavg } from 'node:os';
import { computeRdm, computeRdmParallel } from '@conceptlab/neuro-rsa';

const conditions = Number(process.env.BENCH_CONDITIONS ?? 1854);
const voxels = Number(process.env.BENCH_VOXELS ?? 10000);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const threads = Number(process.env.BENCH_THREADS ?? availableParallelism());
const RSATOOLBOX_SECONDS = 22.5;

/** mulberry32: a tiny seeded generator, so the bench needs nothing beyond the built package. */
function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round3 = (x) => Math.round(x * 1000) / 1000;

// fMRI-like patterns: a shared voxel profile + condition-specific noise.
const rand = mulberry32(1);
const profile = Float64Array.from({ length: voxels }, () => rand() * 2 - 1);
const data = new Float64Array(conditions * voxels);
for (let i = 0; i < conditions; i++) for (let c = 0; c < voxels; c++) data[i * voxels + c] = profile[c] + (rand() - 0.5);
const patterns = { rows: conditions, cols: voxels, data };

const load = loadavg()[0];
const parallelRuns = [];
const singleRuns = [];
let a;
let b;
for (let r = 0; r < repeats; r++) {
  let t0 = performance.now();
  a = await computeRdmParallel(patterns, 'correlation', { threads });
  parallelRuns.push((performance.now() - t0) / 1000);
  t0 = performance.now();
  b = computeRdm(patterns, 'correlation');
  singleRuns.push((performance.now() - t0) / 1000);
}
let identical = a.vector.length === b.vector.length;
for (let k = 0; identical && k < a.vector.length; k++) identical = Object.is(a.vector[k], b.vector[k]);

// The headline time is the faster of the two modes (worker start-up can outweigh a second core).
const fastest = median(parallelRuns) <= median(singleRuns) ? 'parallel' : 'oneThread';
const seconds = Math.min(median(parallelRuns), median(singleRuns));
const speedup = RSATOOLBOX_SECONDS / seconds;
console.log(
  JSON.stringify({
    bench: 'rsa-correlation-rdm',
    conditions,
    voxels,
    threads,
    repeats,
    seconds: round3(seconds),
    fastest,
    secondsParallel: round3(median(parallelRuns)),
    runsParallel: parallelRuns.map(round3),
    secondsOneThread: round3(median(singleRuns)),
    runsOneThread: singleRuns.map(round3),
    parallelEqualsOneThread: identical,
    rsatoolboxSeconds: RSATOOLBOX_SECONDS,
    speedup: Math.round(speedup * 10) / 10,
    targetSpeedup: 5,
    targetMet: conditions === 1854 && voxels === 10000 ? speedup >= 5 : null,
    loadAverage1m: Math.round(load * 100) / 100,
    cpus: availableParallelism(),
  }),
);
