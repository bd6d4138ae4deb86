// Benchmark (issue 14): Kendall's tau-a between two RDMs of 1,854 conditions (1,717,731 pairs) through the public
// API a user calls, one thread (compareRdms) and two threads (compareRdmsParallel, whose worker thread is kept
// between calls by core/runtime's createWorkerPool: the untimed warm-up call starts it (cold, timed separately as
// coldSeconds2Threads), the timed calls reuse it (warm; it is kept 5 s after a call, and the calls here are
// seconds apart at most)), against ONE anchor run measured in the same process run: reference/rsa_anchor.py,
// numpy/scipy doing rsatoolbox's compare (tau-a: _tau_a with scipy's _kendall_dis) on the same two vectors.
// Target: anchor / ours ≥ 5.
//   node rsa-tau-a.bench.mjs            (BENCH_CONDITIONS=500 BENCH_REPEATS=5 for a quick run)
// Uses the BUILT package. Prints ONE JSON object: seconds1Thread / seconds2Threads (medians; the two are timed
// alternately, call by call, after one untimed warm-up call each), coldSeconds2Threads (the warm-up call of
// compareRdmsParallel, which starts the worker), anchorSeconds (median of the same number of
// repeats after one warm-up), ratio1Thread / ratio2Threads = anchorSeconds / ours, agree (our value equals the
// anchor's within 1e-9 relative), parallelEqualsOneThread (bit for bit), the machine (load average before and
// after). Without python3 + numpy + scipy the anchor is null with the reason.
import { availableParallelism } from 'node:os';
import { compareRdms, compareRdmsParallel, KENDALL_PARALLEL_MIN_LENGTH } from '@conceptlab/neuro-rsa';
import { agreement, machine, median, relatedRdmVectors, ratioOf, round3, runAnchor } from './bench-utils.mjs';

const conditions = Number(process.env.BENCH_CONDITIONS ?? 1854);
const repeats = Number(process.env.BENCH_REPEATS ?? 7);
// The user's call: compareRdmsParallel with its default threads (2 at this length on a machine with 2+ cores),
// unless BENCH_THREADS says otherwise.
const options = process.env.BENCH_THREADS ? { threads: Number(process.env.BENCH_THREADS) } : {};
const threads = options.threads ?? (pairsOf(conditions) >= KENDALL_PARALLEL_MIN_LENGTH ? Math.min(2, availableParallelism()) : 1);
function pairsOf(n) {
  return (n * (n - 1)) / 2;
}

// The inputs of rsa-compare.bench.mjs tau-a: two related RDMs with continuous dissimilarities, plus a few exact ties.
const pairs = pairsOf(conditions);
const { a, b } = relatedRdmVectors(conditions);
const A = { n: conditions, vector: a };
const B = { n: conditions, vector: b };

const before = machine();
const { anchor, reason } = runAnchor('tau-a', { a: { dtype: 'f8', shape: [pairs], data: a }, b: { dtype: 'f8', shape: [pairs], data: b } }, repeats, 1);
const afterAnchor = machine();
// One untimed warm-up call each (JIT, the WebAssembly instance's memory, the worker module in the page cache).
compareRdms(A, B, 'tau-a');
const tCold = performance.now();
await compareRdmsParallel(A, B, 'tau-a', options);
const cold2 = (performance.now() - tCold) / 1000;
const one = [];
const two = [];
let valueOne;
let valueTwo;
for (let r = 0; r < repeats; r++) {
  let t0 = performance.now();
  valueOne = compareRdms(A, B, 'tau-a');
  one.push((performance.now() - t0) / 1000);
  t0 = performance.now();
  valueTwo = await compareRdmsParallel(A, B, 'tau-a', options);
  two.push((performance.now() - t0) / 1000);
}
const after = machine();
const s1 = round3(median(one));
const s2 = round3(median(two));
console.log(
  JSON.stringify({
    bench: 'rsa-tau-a',
    conditions,
    pairs,
    repeats,
    warmup: 1,
    threads,
    threadsOption: options.threads ?? 'default',
    parallelMinLength: KENDALL_PARALLEL_MIN_LENGTH,
    cpus: availableParallelism(),
    seconds1Thread: s1,
    runs1Thread: one.map(round3),
    seconds2Threads: s2,
    runs2Threads: two.map(round3),
    workerPool:
      threads > 1
        ? 'warm: compareRdmsParallel keeps its worker thread between calls (core/runtime createWorkerPool); the untimed warm-up call started it (coldSeconds2Threads), every timed call reused it'
        : 'none: one thread at this length (no worker)',
    poolWarm: threads > 1,
    coldSeconds2Threads: round3(cold2),
    value: valueTwo,
    parallelEqualsOneThread: Object.is(valueOne, valueTwo),
    anchorSeconds: anchor ? Number(anchor.seconds.toFixed(3)) : null,
    ratio1Thread: anchor ? ratioOf(anchor.seconds, s1) : null,
    ratio2Threads: anchor ? ratioOf(anchor.seconds, s2) : null,
    targetRatio: 5,
    targetMet2Threads: anchor ? anchor.seconds / s2 >= 5 : null,
    ...(anchor
      ? { anchorValue: anchor.value, ...agreement([valueOne, valueTwo], [anchor.value, anchor.value]), anchor: { what: "numpy/scipy doing rsatoolbox's compare (tools/bench/reference/rsa_anchor.py)", runs: anchor.runs.map((x) => Number(x.toFixed(3))), python: anchor.python, numpy: anchor.numpy, scipy: anchor.scipy, blas: anchor.blas } }
      : { anchor: null, anchorReason: reason }),
    loadAverage1m: before.loadAverage1m,
    loadAverage1mAfterAnchor: afterAnchor.loadAverage1m,
    loadAverage1mAfter: after.loadAverage1m,
  }),
);
