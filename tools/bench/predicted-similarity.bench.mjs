// Benchmark: predictedSimilarity at the THINGS size (1,854 objects, all objects as context, 66 dims:
// 1,854·1,853·1,852 ≈ 6.4·10⁹ (i, j, k) terms, half of them computed thanks to symmetry).
// Uses the BUILT module (build first: cd packages/spose-embed && npx tsc -p tsconfig.build.json).
// Prints ONE JSON object.
//
//   node predicted-similarity.bench.mjs            (from tools/bench)
//   BENCH_OBJECTS=1000 BENCH_DIMS=49 BENCH_REPEATS=3 BENCH_SCALE=1 node predicted-similarity.bench.mjs
import { predictedSimilarity } from '@conceptlab/spose-embed';
import { mulberry32, round3 } from './bench-utils.mjs';

const nObjects = Number(process.env.BENCH_OBJECTS ?? 1854);
const dims = Number(process.env.BENCH_DIMS ?? 66);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
// Weights: 0 with probability 0.7, else uniform in [0, scale) — a sparse, non-negative, SPoSE-like embedding
// (dot products up to ~10 at the default scale, as the paper's 66-d embeddings).
const scale = Number(process.env.BENCH_SCALE ?? 1.5);
const seed = Number(process.env.BENCH_SEED ?? 1);

const rand = mulberry32(seed);
const data = new Float32Array(nObjects * dims);
for (let i = 0; i < data.length; i++) data[i] = rand() < 0.7 ? 0 : rand() * scale;
const embedding = { rows: nObjects, cols: dims, data };

const runs = [];
let info = {};
let check = 0;
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  const S = predictedSimilarity(embedding, {
    onProgress: (e) => {
      if (e.phase === 'end') info = e.detail ?? {};
    },
  });
  runs.push((performance.now() - t0) / 1000);
  // A cheap checksum so the work cannot be optimised away, and a sanity check of the output.
  check = 0;
  for (let i = 0; i < S.data.length; i += 997) check += S.data[i];
}

const seconds = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)];
// (i, j, k) terms of the definition: ordered pairs i ≠ j times the n − 2 third objects.
const terms = nObjects * (nObjects - 1) * (nObjects - 2);
const computedTerms = terms / 2; // i < j, mirrored
const result = {
  bench: 'predictedSimilarity',
  nObjects,
  dims,
  repeats,
  seconds: round3(seconds),
  runs: runs.map(round3),
  terms,
  termsPerSecond: Math.round(terms / seconds),
  computedTermsPerSecond: Math.round(computedTerms / seconds),
  under60s: seconds < 60,
  shift: info.shift,
  exactPairs: info.exactPairs,
  checksum: round3(check),
  node: process.version,
};
process.stdout.write(JSON.stringify(result) + '\n');
