import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Tensor } from '@tensorflow/tfjs-core';
import { createRng, InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { expectClose } from '../../../test-support/expect-close.js';
import { BATCH, DIMS, expectRunsClose, hyperOf, makeBatches, maxAbsDiff, maxRelLossDiff, N, normalWeights, ReferenceEngine, runEngine, SCENARIOS, STEPS } from '../test/engine-scenarios.js';
import { DEFAULT_HYPER, type SposeHyperParams } from './config.js';
import { createCpuEngine } from './cpu-engine.js';
import type { StepLoss, TrainingEngine } from './engine.js';
import { initWeights } from './init.js';
import { currentTfjsBackend, resolveWasmDir, selectTfjsBackend, type TfCoreModule, type TfjsBackendSelection } from './tfjs-backend.js';
import { createTfjsEngine, createTfjsEngineAsync, makeGatherRows } from './tfjs-engine.js';

function resolvable(name: string): boolean {
  try {
    createRequire(__filename).resolve(name);
    return true;
  } catch {
    return false;
  }
}

describe('selectTfjsBackend', () => {
  test('resolves the wasm binaries (here under jest/CommonJS, from the package itself)', () => {
    const dir = resolveWasmDir();
    expect(dir).toBeDefined();
    expect(dir).toMatch(/tfjs-backend-wasm[\\/]dist[\\/]$/);
    for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) expect(existsSync(dir + f)).toBe(true);
  });

  test('wasm: loads with the resolved paths and reports SIMD / threads', async () => {
    const sel = await selectTfjsBackend('wasm');
    expect(sel.backend).toBe('wasm');
    expect(sel.kind).toBe('wasm');
    expect(sel.tf.getBackend()).toBe('wasm');
    expect(sel.wasm).toBeDefined();
    expect(typeof sel.wasm!.simd).toBe('boolean');
    expect(sel.wasm!.threads).toBe(false); // tfjs disables wasm threads under Node (tfjs#3830)
    expect(sel.wasm!.threadsCount).toBeGreaterThanOrEqual(1);
    expect(sel.wasm!.wasmDir).toBe(resolveWasmDir());
    expect(currentTfjsBackend()).toBe(sel);
  });

  test('cpu', async () => {
    const sel = await selectTfjsBackend('cpu');
    expect(sel.backend).toBe('cpu');
    expect(sel.tf.getBackend()).toBe('cpu');
    expect(sel.wasm).toBeUndefined();
  });

  for (const [pref, pkg] of [['node-gpu', '@tensorflow/tfjs-node-gpu'], ['node', '@tensorflow/tfjs-node']] as const) {
    (resolvable(pkg) ? test.skip : test)(`${pref}: fails loudly with InvalidArgumentError when ${pkg} is not installed`, async () => {
      const err = await selectTfjsBackend(pref).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect((err as InvalidArgumentError).argument).toBe('backend');
      expect((err as Error).message).toContain(pkg);
    });
  }

  (resolvable('@tensorflow/tfjs-node') || resolvable('@tensorflow/tfjs-node-gpu') ? test.skip : test)(
    'auto: skips the absent native backends and takes wasm',
    async () => {
      const sel = await selectTfjsBackend();
      expect(sel.backend).toBe('wasm');
      expect(sel.skipped.map((s) => s.kind)).toEqual(['node-gpu', 'node']);
      expect(sel.skipped[0].reason).toMatch(/tfjs-node-gpu/);
    },
  );

  test('rejects an unknown preference', async () => {
    await expect(selectTfjsBackend('webgl' as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe.each(['wasm', 'cpu'] as const)('tfjs engine on the %s backend', (backend) => {
  let sel: TfjsBackendSelection;
  let tf: TfCoreModule;
  beforeAll(async () => {
    sel = await selectTfjsBackend(backend);
    tf = sel.tf as TfCoreModule;
  });

  describe('gradients', () => {
    test("tfjs-core's Node bundle registers no op gradients: tf.gather's (and tf.sum's) gradient is not there", () => {
      // tf.gather's own gradient would be unsortedSegmentSum: not a wasm kernel at all, and on cpu an O(n·B·D)
      // mask-per-segment loop. We never rely on it; if some package registers gradients later, this only notes it.
      if (tf.getGradient('GatherV2') != null) return;
      const W = tf.ones([4, 2]);
      const idx = tf.tensor1d([1, 1, 3], 'int32');
      expect(() => tf.grad((w: Tensor) => tf.gather(w, idx))(W, tf.ones([3, 2]))).toThrow(/gradient function not found for GatherV2/);
      tf.dispose([W, idx]);
    });

    test('unsortedSegmentSum (what tf.gather’s gradient uses) on this backend', () => {
      const x = tf.ones([3, 2]);
      const ids = tf.tensor1d([1, 1, 3], 'int32');
      if (backend === 'wasm') {
        expect(() => tf.unsortedSegmentSum(x, ids, 4)).toThrow(/UnsortedSegmentSum' not registered for backend 'wasm'/);
      } else {
        const r = tf.unsortedSegmentSum(x, ids, 4);
        expect(r.arraySync()).toEqual([[0, 0], [2, 2], [0, 0], [1, 1]]);
        r.dispose();
      }
      tf.dispose([x, ids]);
    });

    test('gatherRows: forward is tf.gather, gradient scatters (duplicate rows summed) into a dense dW', () => {
      const gatherRows = makeGatherRows(tf);
      const W = tf.tensor2d([0, 1, 10, 11, 20, 21, 30, 31, 40, 41], [5, 2]);
      const idx = tf.tensor1d([1, 3, 1, 0], 'int32');
      const dy = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
      const before = tf.memory().numTensors;
      const { value, grad } = tf.valueAndGrad((w: Tensor) => gatherRows(w, idx))(W, dy);
      expect(value.arraySync()).toEqual([[10, 11], [30, 31], [10, 11], [0, 1]]);
      expect(grad.arraySync()).toEqual([[7, 8], [6, 8], [0, 0], [3, 4], [0, 0]]);
      tf.dispose([value, grad]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([W, idx, dy]);
    });
  });

  describe.each(SCENARIOS)('$label: same start and batches', ({ hyper, init }) => {
    const batches = makeBatches(N, BATCH, STEPS, 42);

    test(`matches the float64 reference step (${STEPS} steps of ${BATCH}: total loss rel < 1e-4, weights abs < 1e-4)`, () => {
      const w0 = init();
      const ref = new ReferenceEngine(hyper, w0);
      const eng = createTfjsEngine(hyper, w0, sel);
      try {
        expectRunsClose(`${backend} ${hyper.similarity}/${hyper.positivity} vs float64 reference`, runEngine(eng, batches, () => eng.getState().weights), runEngine(ref, batches, () => ref.W));
        expect(eng.getState().step).toBe(STEPS);
      } finally {
        eng.dispose();
      }
    });

    test('matches the CPU engine (createCpuEngine)', () => {
      const w0 = init();
      const cpu: TrainingEngine = createCpuEngine(hyper, w0);
      const eng = createTfjsEngine(hyper, w0, sel);
      try {
        const a = runEngine(eng, batches, () => eng.getState().weights);
        const b = runEngine(cpu, batches, () => cpu.getState().weights);
        expectRunsClose(`${backend} ${hyper.similarity}/${hyper.positivity} vs CPU engine`, a, b);
        const sa = eng.getState(), sb = cpu.getState();
        expect(maxAbsDiff(sa.m, sb.m)).toBeLessThan(1e-4);
        expect(maxAbsDiff(sa.v, sb.v)).toBeLessThan(1e-6);
        expect(sa.step).toBe(sb.step);
      } finally {
        eng.dispose();
        cpu.dispose();
      }
    });
  });

  test('weights within FLT_EPSILON of 0 get the exact penalty gradient (not through tf.sign: wasm rounds it to 0 there)', () => {
    for (const positivity of ['soft', 'proximal'] as const) {
      const hyper = hyperOf({ nObjects: N, dims: DIMS, positivity });
      const w0 = initWeights(N, DIMS, 4);
      for (let x = 0; x < w0.length; x += 7) w0[x] = [5e-8, -5e-8, 1e-30, -1e-30, 0, -0][(x / 7) % 6];
      const cpu = createCpuEngine(hyper, w0);
      const eng = createTfjsEngine(hyper, w0, sel);
      try {
        // A penalty of the wrong sign moves a weight by ~lr (1e-3) in one Adam step.
        for (const b of makeBatches(N, BATCH, 3, 14)) {
          const la = eng.step(b), lb = cpu.step(b);
          expect(Math.abs(la.total - lb.total)).toBeLessThan(1e-6 * lb.total);
          expect(maxAbsDiff(eng.getState().weights, cpu.getState().weights)).toBeLessThan(1e-7);
        }
      } finally {
        eng.dispose();
        cpu.dispose();
      }
    }
  });

  test('batch sizes may change from step to step', () => {
    const { hyper, init } = SCENARIOS[1];
    const w0 = init();
    const cpu = createCpuEngine(hyper, w0);
    const eng = createTfjsEngine(hyper, w0, sel);
    try {
      const batches = [...makeBatches(N, 16, 2, 20), ...makeBatches(N, 5, 2, 21), ...makeBatches(N, 1, 1, 22), ...makeBatches(N, 16, 2, 23)];
      const before = tf.memory().numTensors;
      const a = runEngine(eng, batches, () => eng.getState().weights);
      const b = runEngine(cpu, batches, () => cpu.getState().weights);
      expect(tf.memory().numTensors).toBe(before);
      expect(maxRelLossDiff(a.losses, b.losses)).toBeLessThan(1e-5);
      expect(maxAbsDiff(a.weights, b.weights)).toBeLessThan(1e-6);
    } finally {
      eng.dispose();
      cpu.dispose();
    }
  });

  test('step(batch, f) is a step with lr·f: the same bytes as an engine made with that lr (soft and proximal), and follows the cpu engine', () => {
    for (const { hyper, init } of [SCENARIOS[0]!, SCENARIOS[2]!]) {
      const w0 = init();
      const scaled = createTfjsEngine(hyper, w0, sel);
      const plain = createTfjsEngine({ ...hyper, lr: hyper.lr * 0.5 }, w0, sel);
      const cpu = createCpuEngine(hyper, w0);
      try {
        const batches = makeBatches(N, 16, 6, 31);
        for (const b of batches) {
          scaled.step(b, 0.5);
          plain.step(b);
          cpu.step(b, 0.5);
        }
        const ws = scaled.getState().weights, wp = plain.getState().weights;
        expect(Buffer.from(ws.buffer).equals(Buffer.from(wp.buffer))).toBe(true);
        expect(maxAbsDiff(ws, cpu.getState().weights)).toBeLessThan(1e-6);
        expect(() => scaled.step(batches[0]!, -1)).toThrow(/lrScale/);
      } finally {
        scaled.dispose();
        plain.dispose();
        cpu.dispose();
      }
    }
  });

  test('a CPU-engine checkpoint resumes on tfjs (and back) with the same losses', () => {
    const hyper = SCENARIOS[0].hyper;
    const batches = makeBatches(N, BATCH, 20, 5);
    const cpu = createCpuEngine(hyper, initWeights(N, DIMS, 3));
    const eng = createTfjsEngine(hyper, initWeights(N, DIMS, 99), sel);
    try {
      for (const b of batches.slice(0, 10)) cpu.step(b);
      eng.setState(cpu.getState());
      const a = runEngine(eng, batches.slice(10), () => eng.getState().weights);
      const b = runEngine(cpu, batches.slice(10), () => cpu.getState().weights);
      expect(maxRelLossDiff(a.losses, b.losses)).toBeLessThan(1e-5);
      expect(maxAbsDiff(a.weights, b.weights)).toBeLessThan(1e-5);
      cpu.setState(eng.getState());
      expect(cpu.getState().weights).toEqual(eng.getState().weights);
    } finally {
      eng.dispose();
      cpu.dispose();
    }
  });

  test('no tensor leaks: numTensors is constant over steps, getState and setState; dispose frees everything', () => {
    const before = tf.memory().numTensors;
    for (const { hyper, init } of SCENARIOS) {
      const eng = createTfjsEngine(hyper, init(), sel);
      const batches = makeBatches(N, BATCH, 30, 6);
      eng.step(batches[0]);
      const after1 = tf.memory().numTensors;
      for (const b of batches.slice(1, 20)) eng.step(b);
      expect(tf.memory().numTensors).toBe(after1);
      eng.setState(eng.getState());
      for (const b of batches.slice(20)) eng.step(b);
      expect(tf.memory().numTensors).toBe(after1);
      expect(() => eng.step(new Int32Array([0, 1, N]))).toThrow(ShapeError);
      expect(tf.memory().numTensors).toBe(after1);
      eng.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  test('getState / setState round trip: resuming reproduces the run bit for bit; states are copies', () => {
    const { hyper, init } = SCENARIOS[4];
    const batches = makeBatches(N, BATCH, 15, 8);
    const w0 = init();
    const eng = createTfjsEngine(hyper, w0, sel);
    try {
      w0.fill(123); // init was copied
      for (const b of batches.slice(0, 10)) eng.step(b);
      const saved = eng.getState();
      expect(saved.step).toBe(10);
      const first = batches.slice(10).map((b) => eng.step(b));
      const end1 = eng.getState();
      eng.setState(saved);
      expect(eng.getState()).toEqual(saved);
      const second = batches.slice(10).map((b) => eng.step(b));
      expect(second).toEqual(first);
      expect(eng.getState()).toEqual(end1);
      // getState returns copies; setState copies its input
      const s = eng.getState();
      s.weights[0] = 99;
      expect(eng.getState().weights[0]).not.toBe(99);
      const mine = { weights: new Float32Array(N * DIMS).fill(0.5), m: new Float32Array(N * DIMS), v: new Float32Array(N * DIMS), step: 3 };
      eng.setState(mine);
      mine.weights.fill(7);
      expect(eng.getState().weights.every((x) => x === 0.5)).toBe(true);
      expect(eng.getState().step).toBe(3);
    } finally {
      eng.dispose();
    }
  });

  test('checks its inputs', () => {
    const hyper = SCENARIOS[0].hyper;
    expect(() => createTfjsEngine(hyper, new Float32Array(N * DIMS - 1), sel)).toThrow(ShapeError);
    expect(() => createTfjsEngine({ ...hyper, lr: 0 }, new Float32Array(N * DIMS), sel)).toThrow(InvalidArgumentError);
    const eng = createTfjsEngine(hyper, initWeights(N, DIMS, 1), sel);
    expect(eng.name).toBe(`tfjs-${backend}`);
    expect(eng.backend).toBe(backend);
    expect(() => eng.step(new Int32Array([0, 1]))).toThrow(ShapeError);
    expect(() => eng.step(new Int32Array(0))).toThrow(ShapeError);
    expect(() => eng.step(new Int32Array([0, 1, -1]))).toThrow(ShapeError);
    expect(() => eng.setState({ weights: new Float32Array(3), m: new Float32Array(N * DIMS), v: new Float32Array(N * DIMS), step: 0 })).toThrow(ShapeError);
    const ok = eng.getState();
    expect(() => eng.setState({ ...ok, step: -1 })).toThrow(InvalidArgumentError);
    eng.dispose();
    eng.dispose(); // idempotent
    expect(() => eng.step(new Int32Array([0, 1, 2]))).toThrow(InvalidArgumentError);
    expect(() => eng.getState()).toThrow(InvalidArgumentError);
  });
});

describe('engines on different backends in one process', () => {
  test('wasm and cpu engines interleave (each re-activates its backend) and agree', async () => {
    const { hyper, init } = SCENARIOS[1];
    const batches = makeBatches(N, BATCH, 20, 13);
    const wasm = await createTfjsEngineAsync(hyper, init(), { backend: 'wasm' });
    const cpu = await createTfjsEngineAsync(hyper, init(), { backend: 'cpu' });
    try {
      expect([wasm.backend, cpu.backend]).toEqual(['wasm', 'cpu']);
      const a: StepLoss[] = [], b: StepLoss[] = [];
      for (const batch of batches) {
        a.push(wasm.step(batch));
        b.push(cpu.step(batch));
      }
      expect(maxRelLossDiff(a, b)).toBeLessThan(1e-6);
      expect(maxAbsDiff(wasm.getState().weights, cpu.getState().weights)).toBeLessThan(1e-6);
    } finally {
      wasm.dispose();
      cpu.dispose();
    }
  });

  test('createTfjsEngine without options uses the last selected backend', async () => {
    const sel = await selectTfjsBackend('cpu');
    const eng = createTfjsEngine(SCENARIOS[0].hyper, initWeights(N, DIMS, 1));
    expect(eng.backend).toBe(sel.backend);
    eng.dispose();
  });
});
