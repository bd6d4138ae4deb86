// Benchmark (issue 14): an RDM comparator between two RDMs of 1,854 conditions (1,717,731 pairs) through the
// public compareRdms, against its anchor measured in the same run: reference/rsa_anchor.py, numpy/scipy doing
// rsatoolbox's compare (tau-a: _tau_a with scipy's _kendall_dis; corr_cov: _cov_weighting with sparse
// indicators) on the same two vectors. Target: anchor / ours ≥ 5.
//   node rsa-compare.bench.mjs tau-a
//   node rsa-compare.bench.mjs corr_cov
// Uses the BUILT package. Prints ONE JSON object: seconds (ours, median), anchorSeconds (median of the same
// number of repeats), ratio = anchorSeconds / seconds, agree (our value equals the anchor's within 1e-9
// relative), and the machine (load average before and after). Both sides first make one untimed warm-up
// call (JIT and caches; the first call of either is slower). Without python3 + numpy + scipy the anchor
// is null with the reason.   BENCH_CONDITIONS=500 BENCH_REPEATS=5 node rsa-compare.bench.mjs tau-a
import { compareRdms } from '@conceptlab/neuro-rsa';
import { agreement, machine, relatedRdmVectors, ratioOf, runAnchor, timeRuns } from './bench-utils.mjs';

// rsatoolbox's time on another machine of this class when the bench was written (issue 5): history only.
const HISTORICAL = { 'tau-a': 1.03, corr_cov: 0.29 };
const REPEATS = { 'tau-a': 7, corr_cov: 9 };
const method = process.argv[2] ?? 'tau-a';
if (!(method in REPEATS)) {
  console.error(`usage: node rsa-compare.bench.mjs tau-a|corr_cov (got ${method})`);
  process.exit(2);
}
const conditions = Number(process.env.BENCH_CONDITIONS ?? 1854);
const repeats = Number(process.env.BENCH_REPEATS ?? REPEATS[method]);

// Two related RDMs with continuous dissimilarities (as correlation distances), plus a few exact ties.
const pairs = (conditions * (conditions - 1)) / 2;
const { a, b } = relatedRdmVectors(conditions);
const before = machine();
const { anchor, reason } = runAnchor(method.replace('_', '-'), { a: { dtype: 'f8', shape: [pairs], data: a }, b: { dtype: 'f8', shape: [pairs], data: b } }, repeats, 1);
compareRdms({ n: conditions, vector: a }, { n: conditions, vector: b }, method); // warm-up, untimed
const t = await timeRuns(repeats, () => compareRdms({ n: conditions, vector: a }, { n: conditions, vector: b }, method));
const after = machine();
console.log(
  JSON.stringify({
    bench: `rsa-${method.replace('_', '-')}`,
    conditions,
    pairs,
    repeats,
    warmup: 1,
    seconds: t.seconds,
    runs: t.runs,
    value: t.last,
    anchorSeconds: anchor ? Number(anchor.seconds.toFixed(3)) : null,
    ratio: anchor ? ratioOf(anchor.seconds, t.seconds) : null,
    targetRatio: 5,
    targetMet: anchor ? anchor.seconds / t.seconds >= 5 : null,
    ...(anchor
      ? { anchorValue: anchor.value, ...agreement([t.last], [anchor.value]), anchor: { what: "numpy/scipy doing rsatoolbox's compare (tools/bench/reference/rsa_anchor.py)", runs: anchor.runs.map((x) => Number(x.toFixed(3))), python: anchor.python, numpy: anchor.numpy, scipy: anchor.scipy, blas: anchor.blas } }
      : { anchor: null, anchorReason: reason }),
    historicalRsatoolboxSeconds: { seconds: HISTORICAL[method], note: 'measured once on another machine of this class (issue 5); not a ratio of this run' },
    ...before,
    loadAverage1mAfter: after.loadAverage1m,
  }),
);
