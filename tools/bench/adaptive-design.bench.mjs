// Benchmark (issue 15): how many answered triplets each design needs to reach the paper's quality, in simulation
// where the truth is known. Observer: the human embedding (human_embedding_vice42.npy, SPoSE softmax choice, T = 1)
// over all 1,854 THINGS objects. Every design runs the same loop: a uniform start, then rounds of "fit, choose the
// next batch with the design's rule, answer it with the observer, refit (warm start)". Held-out evaluation is NEVER
// on the design's own triplets: accuracy on the human noise-ceiling triplets (the 20,000 human answers of THINGS;
// the generating embedding scores 63.57%) and the median over the 42 generating dims of the best Pearson r with a
// fitted dim (member 0 of the ensemble). Targets: (i) 63.0% NC accuracy, (ii) median best-match r ≥ 0.85.
// The number of triplets a design needs is where its curve first reaches the target, interpolated linearly
// between the two rounds around the crossing (null if the budget ran out first).
//
//   node adaptive-design.bench.mjs                      (defaults below; ≈ 1–2 h on a 2-core machine)
//   BENCH_DESIGNS=uniform,information-gain BENCH_REPS=1,2 BENCH_BUDGET=2400000 node adaptive-design.bench.mjs
//
// Knobs (env): BENCH_DESIGNS (rules, comma-separated), BENCH_REPS (replicate seeds), BENCH_INITIAL (uniform start),
// BENCH_ROUND (triplets per round), BENCH_BUDGET (per design; uniform gets BENCH_UNIFORM_BUDGET), BENCH_ENSEMBLE
// (fits per round of the model rules), BENCH_LAMBDA, BENCH_DIMS, BENCH_POOL (candidates per chosen triplet),
// BENCH_SELECTION (top|stochastic), BENCH_OUT (also write the JSON there). Uses the BUILT packages. Prints ONE JSON.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { readNoiseCeilingTsv, readNpyMatrix } from '@conceptlab/core';
import { columnCorrelations, median } from '@conceptlab/core/stats';
import { evaluateTriplets, fitSpose, pruneAndSort, resolveSchedule } from '@conceptlab/spose-embed';
import { answerByEmbedding, sampleUniform, selectBatch } from '@conceptlab/triplet-sampler';
import { machine } from './bench-utils.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const dataDir = process.env.CONCEPTLAB_DATA ?? resolve(root, '..', 'shared', 'data');
const vice = join(dataDir, 'things', 'human_embedding_vice42.npy');
const ncFile = join(dataDir, 'things', 'human_noise_ceiling_triplets.tsv');
if (!existsSync(vice) || !existsSync(ncFile)) {
  console.log(JSON.stringify({ bench: 'adaptive-design', skipped: `no THINGS data under ${dataDir} (set CONCEPTLAB_DATA)` }));
  process.exit(0);
}
const env = (k, d) => process.env[k] ?? d;
const designs = env('BENCH_DESIGNS', 'uniform,coverage,uncertainty,information-gain').split(',');
const reps = env('BENCH_REPS', '1').split(',').map(Number);
const INITIAL = Number(env('BENCH_INITIAL', 100_000));
const ROUND = Number(env('BENCH_ROUND', 100_000));
const BUDGET = Number(env('BENCH_BUDGET', 1_000_000));
const UNIFORM_BUDGET = Number(env('BENCH_UNIFORM_BUDGET', 2_400_000));
const ENSEMBLE = Number(env('BENCH_ENSEMBLE', 2));
const LAMBDA = Number(env('BENCH_LAMBDA', 0.004));
const D = Number(env('BENCH_DIMS', 100));
const POOL = Number(env('BENCH_POOL', 10));
const SELECTION = env('BENCH_SELECTION', 'top');
const TARGET_NC = 63.0, TARGET_R = 0.85;
const N = 1854;

const nc = readNoiseCeilingTsv(ncFile, { nObjects: N }).answered;
const gen = readNpyMatrix(vice);
const pct = (x) => Math.round(x * 10000) / 100;
const log = (s) => process.env.BENCH_QUIET ? undefined : process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

/** NC accuracy, dims and median best-match r of a fit's weights. */
function quality(emb) {
  const c = columnCorrelations(gen, emb);
  const best = [];
  for (let i = 0; i < c.rows; i++) {
    let m = -Infinity;
    for (let j = 0; j < c.cols; j++) if (c.data[i * c.cols + j] > m) m = c.data[i * c.cols + j];
    best.push(m);
  }
  return { ncAccuracyPercent: pct(evaluateTriplets(emb, nc, { seed: 0 }).accuracy), dims: emb.cols, medianBestMatchR: Math.round(median(Float64Array.from(best)) * 1000) / 1000 };
}

function concat(a, b) {
  const data = new Int32Array(a.data.length + b.data.length);
  data.set(a.data, 0);
  data.set(b.data, a.data.length);
  return { count: a.count + b.count, data };
}

/** The first triplet count at which `key` reaches `target` (linear between rounds), or null. */
function crossing(curve, key, target) {
  for (let i = 0; i < curve.length; i++) {
    if (curve[i][key] >= target) {
      if (i === 0) return curve[0].triplets;
      const a = curve[i - 1], b = curve[i];
      return Math.round(a.triplets + ((target - a[key]) / (b[key] - a[key])) * (b.triplets - a.triplets));
    }
  }
  return null;
}

/** One design, one replicate: the loop until the budget (or both targets) is reached. */
async function runDesign(rule, rep) {
  const members = rule === 'uncertainty' ? 1 : rule === 'information-gain' ? ENSEMBLE : 1;
  const budget = rule === 'uniform' ? UNIFORM_BUDGET : BUDGET;
  let asked = sampleUniform({ nObjects: N, count: INITIAL, seed: 1000 * rep + 1 });
  let answered = answerByEmbedding(asked, gen, { seed: 1000 * rep + 2 });
  const weights = new Array(members).fill(undefined);
  const curve = [];
  const t0 = performance.now();
  for (let round = 0; ; round++) {
    const schedule = resolveSchedule('fast', answered.count);
    const ensemble = [];
    for (let e = 0; e < members; e++) {
      const r = await fitSpose({
        train: answered,
        hyper: { nObjects: N, dims: D, lambda: LAMBDA, lr: schedule.lr },
        seed: 100 * rep + e,
        epochs: schedule.epochs,
        batchSize: schedule.batchSize,
        lrSchedule: schedule.lrSchedule,
        ...(weights[e] ? { initialWeights: weights[e] } : {}),
        progressIntervalMs: 1e9,
      });
      weights[e] = r.weights;
      ensemble.push(pruneAndSort(r.weights, N, D));
    }
    const q = quality(ensemble[0]);
    const point = { round, triplets: answered.count, ...q, seconds: Math.round((performance.now() - t0) / 100) / 10 };
    curve.push(point);
    log(`${rule} rep ${rep} ${JSON.stringify(point)}`);
    const met = q.ncAccuracyPercent >= TARGET_NC && q.medianBestMatchR >= TARGET_R;
    if (answered.count >= budget || met) break;
    const count = Math.min(ROUND, budget - answered.count);
    const batch = selectBatch({
      nObjects: N,
      count,
      rule,
      seed: 1000 * rep + 10 + round,
      asked,
      ...(rule === 'uncertainty' || rule === 'information-gain' ? { ensemble, poolSize: POOL * count, selection: SELECTION } : {}),
    });
    point.batchMeanScore = batch.meanScore;
    point.poolMeanScore = batch.poolMeanScore;
    asked = concat(asked, batch.triplets);
    answered = concat(answered, answerByEmbedding(batch.triplets, gen, { seed: 1000 * rep + 500 + round }));
  }
  return {
    rule,
    rep,
    ensemble: members,
    curve,
    tripletsToNc63: crossing(curve, 'ncAccuracyPercent', TARGET_NC),
    tripletsToR085: crossing(curve, 'medianBestMatchR', TARGET_R),
  };
}

const before = machine();
const runs = [];
for (const rep of reps) for (const rule of designs) runs.push(await runDesign(rule, rep));

const summary = {};
for (const rule of designs) {
  const mine = runs.filter((r) => r.rule === rule);
  const uni = runs.filter((r) => r.rule === 'uniform');
  summary[rule] = {
    tripletsToNc63: mine.map((r) => r.tripletsToNc63),
    tripletsToR085: mine.map((r) => r.tripletsToR085),
    ratioToUniformNc63: mine.map((r) => {
      const u = uni.find((x) => x.rep === r.rep);
      return u && u.tripletsToNc63 && r.tripletsToNc63 ? Math.round((r.tripletsToNc63 / u.tripletsToNc63) * 1000) / 1000 : null;
    }),
  };
}
const out = {
  bench: 'adaptive-design',
  observer: 'sim:human_embedding_vice42.npy (softmax, T = 1)',
  heldOut: 'human noise-ceiling triplets (THINGS, 20,000 human answers), never the design\'s own triplets',
  generator: quality(gen),
  settings: { objects: N, initial: INITIAL, round: ROUND, budget: BUDGET, uniformBudget: UNIFORM_BUDGET, ensemble: ENSEMBLE, lambda: LAMBDA, dims: D, poolPerTriplet: POOL, selection: SELECTION, fit: "spose-embed resolveSchedule('fast', triplets so far), warm start from the previous round" },
  targets: { ncAccuracyPercent: TARGET_NC, medianBestMatchR: TARGET_R, adaptiveAtMostOneThirdOfUniform: true },
  summary,
  runs,
  machine: { cpu: cpus()[0]?.model ?? 'unknown', node: process.version, ...before, loadAverage1mAtEnd: machine().loadAverage1m },
};
if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, `${JSON.stringify(out, null, 1)}\n`);
console.log(JSON.stringify(out));
