// Benchmark: sampleUniform at the THINGS design size (4.7 million distinct triplets over 1,854 objects).
// Uses the BUILT package (packages/triplet-sampler/dist; run its build first). Prints ONE JSON object.
//
//   node sample-uniform.bench.mjs            (from tools/bench)
//   BENCH_COUNT=1000000 BENCH_REPEATS=5 node sample-uniform.bench.mjs
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { median } from '@conceptlab/core/stats';
import { sampleUniform } from '@conceptlab/triplet-sampler';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const nObjects = Number(process.env.BENCH_OBJECTS ?? 1854);
const count = Number(process.env.BENCH_COUNT ?? 4_700_000);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const MB = 1024 * 1024;

/** Number of rows whose unordered set already appeared in an earlier row. */
function countDuplicateSets(t, n) {
  const codes = new Float64Array(t.count);
  const d = t.data;
  for (let r = 0; r < t.count; r++) {
    let a = d[3 * r], b = d[3 * r + 1], c = d[3 * r + 2], x;
    if (a > b) { x = a; a = b; b = x; }
    if (b > c) { x = b; b = c; c = x; }
    if (a > b) { x = a; a = b; b = x; }
    codes[r] = (a * n + b) * n + c;
  }
  codes.sort();
  let dups = 0;
  for (let i = 1; i < codes.length; i++) if (codes[i] === codes[i - 1]) dups++;
  return dups;
}


const round1 = (x) => Math.round(x * 10) / 10;
const settle = async () => {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
};

await settle();
const baselineRssMB = round1(process.memoryUsage().rss / MB);
const runs = [];
for (let i = 0; i < repeats; i++) {
  await settle();
  const before = process.memoryUsage();
  const t0 = performance.now();
  let t = sampleUniform({ nObjects, count, seed: 1000 + i });
  const ms = performance.now() - t0;
  const allocated = process.memoryUsage(); // right after the call: result + garbage not yet collected
  await settle();
  const retained = process.memoryUsage(); // after a full GC, with the result still alive
  const duplicates = countDuplicateSets(t, nObjects);
  runs.push({
    seed: 1000 + i,
    ms: round1(ms),
    // Typed-array memory (ArrayBuffers) and JS heap, before → right after the call and after GC.
    arrayBuffersDeltaMB: round1((allocated.arrayBuffers - before.arrayBuffers) / MB),
    arrayBuffersRetainedMB: round1((retained.arrayBuffers - before.arrayBuffers) / MB),
    heapDeltaMB: round1((allocated.heapUsed - before.heapUsed) / MB),
    rssDeltaMB: round1((allocated.rss - before.rss) / MB),
    duplicates,
    rows: t.count,
  });
  t = null; // let the next run's baseline exclude this result (the async loop keeps its locals alive)
}

const medianMs = median(runs.map((r) => r.ms));
const result = {
  bench: 'sampleUniform',
  nObjects,
  count,
  repeats,
  medianMs,
  tripletsPerSecond: Math.round((count / medianMs) * 1000),
  medianHeapDeltaMB: median(runs.map((r) => r.heapDeltaMB)),
  medianArrayBuffersDeltaMB: median(runs.map((r) => r.arrayBuffersDeltaMB)),
  medianRssDeltaMB: median(runs.map((r) => r.rssDeltaMB)),
  baselineRssMB,
  maxRssMB: round1((process.resourceUsage().maxRSS * 1024) / MB),
  // The result itself: 3 int32 per triplet. Working memory adds one float64 per triplet (the set codes).
  outputMB: round1((count * 3 * 4) / MB),
  noDuplicates: runs.every((r) => r.duplicates === 0 && r.rows === count),
  under5s: medianMs < 5000,
  runs,
  node: process.version,
};
process.stdout.write(JSON.stringify(result) + '\n');
