// Benchmark: the whole `interpret` run (no LLM labels) at the THINGS size: 1,854 objects × 100 dims of a random
// sparse non-negative embedding (seeded), 20 categories — summaries, enrichment, 18-category-style classification
// with 1,000 label permutations, predicted similarity, t-SNE (metric-MDS start, 750 steps), figures (SVG + PNG),
// report.html and dims.json. Target: under 60 s on 2 cores.
// Uses the BUILT packages (build first: NX_DAEMON=false npx nx run-many -t build --projects=@conceptlab/interpret-dims).
// Prints ONE JSON object.
//
//   node interpret.bench.mjs            (from tools/bench)
//   BENCH_OBJECTS=500 BENCH_DIMS=42 BENCH_SEED=2 node interpret.bench.mjs
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@conceptlab/core';
import { interpret } from '@conceptlab/interpret-dims';

const nObjects = Number(process.env.BENCH_OBJECTS ?? 1854);
const dims = Number(process.env.BENCH_DIMS ?? 100);
const nCategories = Number(process.env.BENCH_CATEGORIES ?? 20);
const seed = Number(process.env.BENCH_SEED ?? 1);

// Weights: 0 with probability 0.8, else uniform in [0, 1.5) — sparse and non-negative, like a SPoSE embedding.
const rng = createRng(seed, 0);
const data = new Float64Array(nObjects * dims);
for (let i = 0; i < data.length; i++) data[i] = rng.nextFloat() < 0.8 ? 0 : rng.nextFloat() * 1.5;
const concepts = Array.from({ length: nObjects }, (_, i) => ({ index: i, id: `obj${i}`, word: `object ${i}`, definition: '', prompt: '' }));
const membership = new Uint8Array(nObjects * nCategories);
for (let i = 0; i < nObjects; i++) membership[i * nCategories + rng.nextInt(nCategories)] = 1;
const categories = { names: Array.from({ length: nCategories }, (_, c) => `category ${c}`), membership: { rows: nObjects, cols: nCategories, data: membership } };

const out = mkdtempSync(join(tmpdir(), 'interpret-bench-'));
const phases = {};
const t0 = performance.now();
let last = t0;
const r = await interpret({
  embedding: { rows: nObjects, cols: dims, data },
  concepts,
  categories,
  outDir: out,
  seed,
  onProgress: (e) => {
    if (e.phase === 'end') {
      const now = performance.now();
      phases[e.task] = Math.round(now - last) / 1000;
      last = now;
    }
  },
});
const seconds = (performance.now() - t0) / 1000;
const reportBytes = statSync(join(out, 'report.html')).size;
rmSync(out, { recursive: true, force: true });
console.log(JSON.stringify({
  bench: 'interpret',
  nObjects,
  dims,
  categories: nCategories,
  seconds: Math.round(seconds * 1000) / 1000,
  targetSeconds: 60,
  phases,
  accuracy: r.classification?.accuracy,
  chance: r.classification?.chance.mean,
  reportBytes,
  node: process.version,
}));
