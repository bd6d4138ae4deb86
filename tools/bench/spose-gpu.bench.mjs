// Benchmark: the SPoSE tfjs engine on a GPU through WebGPU (tfjs's webgpu backend; under Node, Dawn's `webgpu`
// package: Vulkan on a GPU), beside, in the same run, on the same machine:
//   - the PyTorch reference's training step (reference/spose_torch_step.py: ViCCo-Group/SPoSE's loop, same
//     torch calls) on that GPU (CUDA), where python3 has torch and CUDA;
//   - our CPU engine (wasm kernel, one thread) on the same batches, and the machine's dense-pass time;
//   - the PyTorch reference's step on the CPU (torch threads: BENCH_TORCH_CPU_THREADS, default 1 and 2).
// THINGS size (1,854 objects × 100 dims). Throughput is triplets per second of complete training steps (forward,
// gradient, dense Adam over all n·D weights, the loss read back). The webgpu engine's losses are read 8 steps
// behind (as fitSpose does); `awaitEach` reads each before the next step. Plus one whole fitSpose run on the
// webgpu engine (its per-epoch state reads and validation included).
//
// Uses the BUILT packages. Prints ONE JSON object to stdout (Dawn's notices go to stderr).
//
//   node spose-gpu.bench.mjs                          (from tools/bench)
//   BENCH_SECONDS=3 BENCH_BATCHES=100,1000,10000 BENCH_TORCH=0 node spose-gpu.bench.mjs
import os from 'node:os';
import { createCpuEngine, createTfjsEngine, DEFAULT_HYPER, fitSpose, initWeights, selectTfjsBackend } from '@conceptlab/spose-embed';
import { sampleUniform } from '@conceptlab/triplet-sampler';
import { machine, timeEngineSteps, torchSposeAnchor, tripletBatches } from './bench-utils.mjs';
import { denseAdamPassMs } from './dense-pass.mjs';

const nObjects = Number(process.env.BENCH_OBJECTS ?? 1854);
const dims = Number(process.env.BENCH_DIMS ?? 100);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const batchSizes = (process.env.BENCH_BATCHES ?? '100,1000,10000').split(',').map(Number);
const cpuBatchSizes = (process.env.BENCH_CPU_BATCHES ?? '100,1000').split(',').map(Number);
const withTorch = process.env.BENCH_TORCH !== '0';
const torchBatchSizes = (process.env.BENCH_TORCH_BATCHES ?? '100,1000,10000').split(',').map(Number);
const opsBatchSizes = (process.env.BENCH_OPS_BATCHES ?? '100,1000,10000').split(',').map(Number);
const fitTriplets = Number(process.env.BENCH_FIT_TRIPLETS ?? 1_000_000);
const fitBatch = Number(process.env.BENCH_FIT_BATCH ?? 1000);
const IN_FLIGHT = 8;

const hyper = { ...DEFAULT_HYPER, nObjects, dims };
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function rate(steps, B, ms) {
  return { steps, seconds: round(ms / 1000, 3), msPerStep: round(ms / steps, 3), tripletsPerSecond: Math.round((steps * B) / (ms / 1000)) };
}

async function timeAsync(engine, batches, B, window) {
  let s = 0;
  for (let i = 0; i < 10; i++) await engine.stepAsync(batches[s++ % batches.length]);
  const pending = [];
  let steps = 0, last;
  const t0 = performance.now();
  while (steps < 10 || performance.now() - t0 < seconds * 1000) {
    pending.push(engine.stepAsync(batches[s++ % batches.length]));
    steps++;
    if (pending.length >= window) last = await pending.shift();
  }
  while (pending.length) last = await pending.shift();
  return { ...rate(steps, B, performance.now() - t0), lastLoss: round(last.total, 5) };
}

function timeSync(engine, batches, B) {
  const { steps, ms, last } = timeEngineSteps(engine, batches, { seconds, warmup: 5, minSteps: 5 });
  return { ...rate(steps, B, ms), lastLoss: round(last.total, 5) };
}

function torchAnchor(device = 'cuda', batches = torchBatchSizes, threads = 0) {
  if (!withTorch) return { skipped: 'BENCH_TORCH=0' };
  return torchSposeAnchor({ device, batches, seconds, threads, objects: nObjects, dims });
}

const out = {
  bench: 'spose-gpu',
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model,
  ...machine(),
  nObjects,
  dims,
  denseAdamPassMs: round(denseAdamPassMs(nObjects, dims), 3),
};

const sel = await selectTfjsBackend('webgpu');
out.webgpu = sel.webgpu;
// `fused`: the engine's default on webgpu (five WGSL programs a step); `ops`: the same step from tfjs operations.
out.webgpuSteps = [];
for (const B of batchSizes) {
  const batches = tripletBatches(nObjects, B, 16, B);
  const engine = createTfjsEngine(hyper, initWeights(nObjects, dims, 1), { ...sel, webgpuKernels: 'fused' });
  const ahead = await timeAsync(engine, batches, B, IN_FLIGHT);
  const awaitEach = B === 1000 ? await timeAsync(engine, batches, B, 1) : undefined;
  engine.dispose();
  let ops;
  if (opsBatchSizes.includes(B)) {
    const opsEngine = createTfjsEngine(hyper, initWeights(nObjects, dims, 1), { ...sel, webgpuKernels: 'ops' });
    ops = await timeAsync(opsEngine, batches, B, IN_FLIGHT);
    opsEngine.dispose();
  }
  out.webgpuSteps.push({
    batch: B,
    kernels: 'fused',
    ...ahead,
    ...(awaitEach ? { awaitEachTripletsPerSecond: awaitEach.tripletsPerSecond } : {}),
    ...(ops ? { opsKernels: { msPerStep: ops.msPerStep, tripletsPerSecond: ops.tripletsPerSecond }, fusedOverOps: round(ahead.tripletsPerSecond / ops.tripletsPerSecond, 2) } : {}),
  });
  console.error(`webgpu batch ${B}: ${ahead.tripletsPerSecond} triplets/s fused${ops ? `, ${ops.tripletsPerSecond} ops` : ''}`);
}

out.cpuEngineSteps = [];
for (const B of cpuBatchSizes) {
  const engine = createCpuEngine(hyper, initWeights(nObjects, dims, 1));
  out.cpuEngineSteps.push({ batch: B, kernel: engine.name, ...timeSync(engine, tripletBatches(nObjects, B, 16, B), B) });
  engine.dispose();
}

// One whole fit on the webgpu engine: uniform triplets (throughput does not depend on the answers), 2 epochs.
{
  const train = sampleUniform({ nObjects, count: fitTriplets, seed: 1 });
  const t0 = performance.now();
  const fit = await fitSpose({ train, hyper: { nObjects, dims }, seed: 1, epochs: 2, batchSize: fitBatch, earlyStopping: false, createEngine: (h, w) => createTfjsEngine(h, w, sel) });
  const ms = performance.now() - t0;
  out.webgpuFit = { triplets: fitTriplets, epochs: 2, batch: fitBatch, seconds: round(ms / 1000, 2), tripletsPerSecond: Math.round((2 * fitTriplets) / (ms / 1000)), stopReason: fit.stopReason, lastLoss: round(fit.records.at(-1).loss, 5) };
}

out.torchReference = torchAnchor();
// The reference on this machine's CPU too (torch.set_num_threads each of BENCH_TORCH_CPU_THREADS), beside our CPU engine (1 thread).
const torchCpuThreads = (process.env.BENCH_TORCH_CPU_THREADS ?? '1,2').split(',').filter(Boolean).map(Number);
out.torchReferenceCpu = torchCpuThreads.map((t) => torchAnchor('cpu', cpuBatchSizes, t));
const ratios = {};
for (const w of out.webgpuSteps) {
  const t = out.torchReference.results?.find((r) => r.batch === w.batch);
  if (t) ratios[`webgpuVsTorchCuda_b${w.batch}`] = round(w.tripletsPerSecond / t.tripletsPerSecond, 2);
  const c = out.cpuEngineSteps.find((r) => r.batch === w.batch);
  if (c) ratios[`webgpuVsCpuEngine_b${w.batch}`] = round(w.tripletsPerSecond / c.tripletsPerSecond, 2);
}
for (const ref of out.torchReferenceCpu) {
  for (const t of ref.results ?? []) {
    const c = out.cpuEngineSteps.find((r) => r.batch === t.batch);
    if (c) ratios[`cpuEngineVsTorchCpu${ref.threads}Threads_b${t.batch}`] = round(c.tripletsPerSecond / t.tripletsPerSecond, 1);
  }
}
out.ratios = ratios;
console.log(JSON.stringify(out, null, 1));
// Dawn's instance may hold the event loop open.
process.exit(0);
