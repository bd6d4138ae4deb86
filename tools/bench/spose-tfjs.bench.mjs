// Benchmark: the SPoSE tfjs training engine (createTfjsEngine) at the THINGS size — 1,854 objects,
// 100 dimensions — with batches of 100 and 1000 triplets, on the tfjs wasm and cpu backends; the CPU
// engine (createCpuEngine) on the same batches as the baseline. Throughput is triplets per second of
// complete training steps (forward, gradient, dense Adam over all n·D weights, loss read back).
//
// Uses the BUILT package (cd packages/spose-embed && npx tsc -p tsconfig.build.json). Prints ONE JSON
// object to stdout (tfjs's own notices go to stderr).
//
//   node spose-tfjs.bench.mjs                       (from tools/bench)
//   BENCH_SECONDS=5 BENCH_BACKENDS=wasm BENCH_BATCHES=100,1000 node spose-tfjs.bench.mjs
import os from 'node:os';
import { timeEngineSteps, tripletBatches } from './bench-utils.mjs';
import { createCpuEngine, createTfjsEngine, DEFAULT_HYPER, initWeights, selectTfjsBackend } from '@conceptlab/spose-embed';

const nObjects = Number(process.env.BENCH_OBJECTS ?? 1854);
const dims = Number(process.env.BENCH_DIMS ?? 100);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const minSteps = Number(process.env.BENCH_MIN_STEPS ?? 5);
const warmupSteps = Number(process.env.BENCH_WARMUP ?? 3);
const batchSizes = (process.env.BENCH_BATCHES ?? '100,1000').split(',').map(Number);
const backends = (process.env.BENCH_BACKENDS ?? 'wasm,cpu').split(',');
const withCpuEngine = process.env.BENCH_CPU_ENGINE !== '0';

const hyper = { ...DEFAULT_HYPER, nObjects, dims };
const init = initWeights(nObjects, dims, 1);

const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Warm-up steps, then steps until `seconds` have passed (at least minSteps); the timing. */
function timeEngine(engine, batches, B) {
  const { steps, ms, last } = timeEngineSteps(engine, batches, { seconds, warmup: warmupSteps, minSteps });
  return {
    steps,
    seconds: round(ms / 1000, 3),
    msPerStep: round(ms / steps, 2),
    tripletsPerSecond: Math.round((steps * B) / (ms / 1000)),
    lastLoss: round(last.total, 5),
  };
}

const results = [];
const backendInfo = {};
for (const preference of backends) {
  const sel = await selectTfjsBackend(preference);
  backendInfo[preference] = { backend: sel.backend, ...(sel.wasm ? { wasm: sel.wasm } : {}) };
  for (const B of batchSizes) {
    const batches = tripletBatches(nObjects, B, 20, 1000 + B);
    const engine = createTfjsEngine(hyper, init, sel);
    const tensorsBefore = sel.tf.memory().numTensors;
    const timing = timeEngine(engine, batches, B);
    const tensorsAfter = sel.tf.memory().numTensors;
    engine.dispose();
    results.push({ engine: `tfjs-${sel.backend}`, batch: B, ...timing, tensorLeak: tensorsAfter - tensorsBefore });
  }
}
if (withCpuEngine) {
  for (const B of batchSizes) {
    const engine = createCpuEngine(hyper, init);
    const timing = timeEngine(engine, tripletBatches(nObjects, B, 20, 1000 + B), B);
    results.push({ engine: `cpu-engine (${engine.kernel})`, batch: B, ...timing });
    engine.dispose();
  }
}

const result = {
  bench: 'spose-tfjs',
  nObjects,
  dims,
  batchSizes,
  secondsPerCase: seconds,
  warmupSteps,
  backends: backendInfo,
  results,
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
};
process.stdout.write(JSON.stringify(result) + '\n');
