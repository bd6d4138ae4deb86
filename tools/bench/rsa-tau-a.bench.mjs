// Benchmark (issue 5): Kendall tau-a between two RDMs of 1,854 conditions (1,717,731 pairs) —
// rsatoolbox's compare(…, method='tau-a') took 1.03 s on this 2-core machine class; the target is
// ≥ 5× faster (≤ 0.206 s). Calls the public compareRdms(a, b, 'tau-a').
// Uses the BUILT package (build first: cd packages/neuro-rsa && npx tsc -p tsconfig.build.json).
// Prints ONE JSON object.
//
//   node rsa-tau-a.bench.mjs            (from tools/bench)
//   BENCH_CONDITIONS=500 BENCH_REPEATS=5 node rsa-tau-a.bench.mjs
import { availableParallelism, loadavg } from 'node:os';
import { compareRdms } from '@conceptlab/neuro-rsa';

const conditions = Number(process.env.BENCH_CONDITIONS ?? 1854);
const repeats = Number(process.env.BENCH_REPEATS ?? 7);
const RSATOOLBOX_SECONDS = 1.03;

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

// Two related RDMs with continuous dissimilarities (as correlation distances), plus a few exact ties.
const rand = mulberry32(2);
const pairs = (conditions * (conditions - 1)) / 2;
const a = new Float64Array(pairs);
const b = new Float64Array(pairs);
for (let k = 0; k < pairs; k++) {
  a[k] = rand() * 2;
  b[k] = k % 101 === 0 ? 1 : a[k] * 0.5 + rand();
}
const rdmA = { n: conditions, vector: a };
const rdmB = { n: conditions, vector: b };

const load = loadavg()[0];
const runs = [];
let value;
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  value = compareRdms(rdmA, rdmB, 'tau-a');
  runs.push((performance.now() - t0) / 1000);
}
const seconds = median(runs);
const speedup = RSATOOLBOX_SECONDS / seconds;
console.log(
  JSON.stringify({
    bench: 'rsa-tau-a',
    conditions,
    pairs,
    repeats,
    seconds: round3(seconds),
    runs: runs.map(round3),
    value,
    rsatoolboxSeconds: RSATOOLBOX_SECONDS,
    speedup: Math.round(speedup * 10) / 10,
    targetSpeedup: 5,
    targetMet: conditions === 1854 ? speedup >= 5 : null,
    loadAverage1m: Math.round(load * 100) / 100,
    cpus: availableParallelism(),
  }),
);
