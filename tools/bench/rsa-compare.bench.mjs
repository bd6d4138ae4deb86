// Benchmark (issue 5): an RDM comparator between two RDMs of 1,854 conditions (1,717,731 pairs), against
// rsatoolbox's compare on this 2-core machine class (target ≥ 5× faster), through the public compareRdms:
//   tau-a:    rsatoolbox 1.03 s     node rsa-compare.bench.mjs tau-a
//   corr_cov: rsatoolbox 0.29 s     node rsa-compare.bench.mjs corr_cov
// Uses the BUILT package. Prints ONE JSON object.   BENCH_CONDITIONS=500 BENCH_REPEATS=5 node rsa-compare.bench.mjs tau-a
import { compareRdms } from '@conceptlab/neuro-rsa';
import { againstRsatoolbox, machine, mulberry32, timeRuns } from './bench-utils.mjs';

const REFERENCE = { 'tau-a': { repeats: 7, rsatoolboxSeconds: 1.03 }, corr_cov: { repeats: 9, rsatoolboxSeconds: 0.29 } };
const method = process.argv[2] ?? 'tau-a';
const ref = REFERENCE[method];
if (!ref) {
  console.error(`usage: node rsa-compare.bench.mjs tau-a|corr_cov (got ${method})`);
  process.exit(2);
}
const conditions = Number(process.env.BENCH_CONDITIONS ?? 1854);
const repeats = Number(process.env.BENCH_REPEATS ?? ref.repeats);

// Two related RDMs with continuous dissimilarities (as correlation distances), plus a few exact ties.
const rand = mulberry32(2);
const pairs = (conditions * (conditions - 1)) / 2;
const a = new Float64Array(pairs);
const b = new Float64Array(pairs);
for (let k = 0; k < pairs; k++) {
  a[k] = rand() * 2;
  b[k] = k % 101 === 0 ? 1 : a[k] * 0.5 + rand();
}
const before = machine();
const t = await timeRuns(repeats, () => compareRdms({ n: conditions, vector: a }, { n: conditions, vector: b }, method));
console.log(
  JSON.stringify({
    bench: `rsa-${method.replace('_', '-')}`,
    conditions,
    pairs,
    repeats,
    seconds: t.seconds,
    runs: t.runs,
    value: t.last,
    ...againstRsatoolbox(ref.rsatoolboxSeconds, t.seconds, conditions === 1854),
    ...before,
  }),
);
