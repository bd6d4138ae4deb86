// Benchmark (issue 14): 1,000 condition bootstraps of tau-a for 8 model RDMs × 8 data RDMs of 92 images,
// against its anchor measured in the same run: reference/rsa_anchor.py, numpy/scipy doing the per-sample work
// of rsatoolbox's eval_bootstrap_pattern (subsample_pattern of the data and of every model, compare tau-a,
// mean over data RDMs; no noise ceiling, as here) on the same RDMs and the same resamples. Target: anchor /
// ours ≥ 5. Calls the public bootstrapConditions(model, brains, 'tau-a', { samples, seed }) once per model
// (every model sees the same resamples: same seed); agree: every mean and bootstrap sample equals the
// anchor's within 1e-9 relative.
// Uses the BUILT package (build first: npx tsc -p packages/neuro-rsa/tsconfig.build.json).
// Prints ONE JSON object (anchor null, with the reason, without python3 + numpy + scipy).
//
//   node rsa-bootstrap-tau-a.bench.mjs            (from tools/bench)
//   BENCH_SAMPLES=100 BENCH_REPEATS=1 node rsa-bootstrap-tau-a.bench.mjs
import { createRng } from '@conceptlab/core';
import { bootstrapConditions } from '@conceptlab/neuro-rsa';
import { agreement, machine, mulberry32, ratioOf, runAnchor, timeRuns } from './bench-utils.mjs';

const images = Number(process.env.BENCH_IMAGES ?? 92);
const models = Number(process.env.BENCH_MODELS ?? 8);
const subjects = Number(process.env.BENCH_SUBJECTS ?? 8);
const samples = Number(process.env.BENCH_SAMPLES ?? 1000);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const seed = 1;

// A shared "true" RDM; models and subjects are noisy versions of it (continuous values).
const rand = mulberry32(3);
const pairs = (images * (images - 1)) / 2;
const truth = Float64Array.from({ length: pairs }, () => rand());
const noisy = (noise) => ({ n: images, vector: truth.map((v) => v + noise * rand()) });
const modelRdms = Array.from({ length: models }, (_, m) => noisy(0.5 + m * 0.25));
const dataRdms = Array.from({ length: subjects }, () => noisy(1));

// bootstrapConditions' resamples (createRng(seed): n draws of nextInt(n) each, sorted), for the anchor.
const rng = createRng(seed);
const picks = new Int32Array(samples * images);
for (let r = 0; r < samples; r++) {
  const row = picks.subarray(r * images, (r + 1) * images);
  for (let p = 0; p < images; p++) row[p] = rng.nextInt(images);
  row.sort();
}
const stack = (rdms) => {
  const out = new Float64Array(rdms.length * pairs);
  rdms.forEach((r, k) => out.set(r.vector, k * pairs));
  return { dtype: 'f8', shape: [rdms.length, pairs], data: out };
};

const before = machine();
const { anchor, reason } = runAnchor('bootstrap-tau-a', { models: stack(modelRdms), data: stack(dataRdms), picks: { dtype: 'i4', shape: [samples, images], data: picks } }, repeats);
const t = await timeRuns(repeats, () => modelRdms.map((model) => bootstrapConditions(model, dataRdms, 'tau-a', { samples, seed })));
const after = machine();
const ours = t.last;
let agree = null;
if (anchor) {
  const flat = (rows) => rows.flatMap((r) => Array.from(r));
  agree = agreement([...ours.map((r) => r.mean), ...flat(ours.map((r) => r.samples))], [...anchor.means, ...flat(anchor.evaluations)]);
}
console.log(
  JSON.stringify({
    bench: 'rsa-bootstrap-tau-a',
    images,
    models,
    subjects,
    samples,
    repeats,
    seconds: t.seconds,
    runs: t.runs,
    firstModel: [ours[0].mean, ours[0].ciLow, ours[0].ciHigh],
    anchorSeconds: anchor ? Number(anchor.seconds.toFixed(3)) : null,
    ratio: anchor ? ratioOf(anchor.seconds, t.seconds) : null,
    targetRatio: 5,
    targetMet: anchor ? anchor.seconds / t.seconds >= 5 : null,
    ...(anchor
      ? {
          ...agree,
          anchor: { what: "numpy/scipy doing eval_bootstrap_pattern's per-sample work (tools/bench/reference/rsa_anchor.py)", runs: anchor.runs.map((x) => Number(x.toFixed(3))), python: anchor.python, numpy: anchor.numpy, scipy: anchor.scipy, blas: anchor.blas },
        }
      : { anchor: null, anchorReason: reason }),
    historicalRsatoolboxSeconds: { seconds: 125, note: "eval_bootstrap_pattern measured once on another machine of this class (issue 5); not a ratio of this run" },
    ...before,
    loadAverage1mAfter: after.loadAverage1m,
  }),
);
