// Benchmark (issue 5): 1,000 condition bootstraps of tau-a for 8 model RDMs × 8 data RDMs of 92
// images — rsatoolbox's eval_bootstrap_pattern took 125 s on this 2-core machine class; the target is
// ≥ 5× faster (≤ 25 s). Calls the public bootstrapConditions(model, brains, 'tau-a', { samples, seed })
// once per model (every model sees the same resamples: same seed).
// Uses the BUILT package (build first: cd packages/neuro-rsa && npx tsc -p tsconfig.build.json).
// Prints ONE JSON object.
//
//   node rsa-bootstrap-tau-a.bench.mjs            (from tools/bench)
//   BENCH_SAMPLES=100 BENCH_REPEATS=1 node rsa-bootstrap-tau-a.bench.mjs
import { bootstrapConditions } from '@conceptlab/neuro-rsa';
import { againstRsatoolbox, machine, mulberry32, timeRuns } from './bench-utils.mjs';

const images = Number(process.env.BENCH_IMAGES ?? 92);
const models = Number(process.env.BENCH_MODELS ?? 8);
const subjects = Number(process.env.BENCH_SUBJECTS ?? 8);
const samples = Number(process.env.BENCH_SAMPLES ?? 1000);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);

// A shared "true" RDM; models and subjects are noisy versions of it (continuous values).
const rand = mulberry32(3);
const pairs = (images * (images - 1)) / 2;
const truth = Float64Array.from({ length: pairs }, () => rand());
const noisy = (noise) => ({ n: images, vector: truth.map((v) => v + noise * rand()) });
const modelRdms = Array.from({ length: models }, (_, m) => noisy(0.5 + m * 0.25));
const dataRdms = Array.from({ length: subjects }, () => noisy(1));

const before = machine();
const t = await timeRuns(repeats, () =>
  modelRdms.map((model) => {
    const res = bootstrapConditions(model, dataRdms, 'tau-a', { samples, seed: 1 });
    return [res.mean, res.ciLow, res.ciHigh];
  }),
);
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
    firstModel: t.last[0],
    ...againstRsatoolbox(125, t.seconds, images === 92 && models === 8 && subjects === 8 && samples === 1000),
    ...before,
  }),
);
