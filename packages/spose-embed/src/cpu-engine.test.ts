import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { expectClose } from '../../../test-support/expect-close.js';
import { DEFAULT_HYPER, type SposeHyperParams } from './config.js';
import { createCpuEngine, defaultCpuKernel, type CpuKernel } from './cpu-engine.js';
import { initWeights } from './init.js';
import { wasmKernelAvailable } from './kernels/dense-wasm.js';
import { batchGradient, releaseRows, SIM_DOT, SIM_EUCLIDEAN_DISTANCE, SIM_EUCLIDEAN_SQUARED } from './kernels/sparse-grad.js';

const KERNELS: CpuKernel[] = ['js', 'wasm'];

interface RefStep { crossEntropy: number; positivity: number; l1: number; total: number; correct: number }
interface RefCase { name: string; hyper: SposeHyperParams; steps: RefStep[]; finalWeights: number[]; finalM: number[]; finalV: number[] }
interface RefFixture { nObjects: number; dims: number; triplets: number[][]; batches: number[][]; initialWeights: number[]; cases: RefCase[] }
const ref: RefFixture = JSON.parse(readFileSync(join(__dirname, '../test/fixtures/reference-trajectory.json'), 'utf8'));

const hyper = (over: Partial<SposeHyperParams> & { nObjects: number }): SposeHyperParams => ({ ...DEFAULT_HYPER, ...over });

/** Random triplets of distinct objects, flat. */
function randomTriplets(n: number, count: number, seed: number): Int32Array {
  const rng = createRng(seed, 7);
  const out = new Int32Array(3 * count);
  for (let t = 0; t < count; t++) out.set(rng.sampleWithoutReplacement(n, 3), 3 * t);
  return out;
}

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('CPU engine', () => {
  test.each(KERNELS)('step(batch, f) is a step with lr·f (%s kernel): the same bytes as an engine made with that lr; f = 0 leaves W unchanged', (kernel) => {
    const n = 30, dims = 6;
    const init = initWeights(n, dims, 4);
    const data = randomTriplets(n, 200, 2);
    for (const positivity of ['soft', 'proximal'] as const) {
      const scaled = createCpuEngine(hyper({ nObjects: n, dims, lr: 0.004, positivity }), init, { kernel });
      const plain = createCpuEngine(hyper({ nObjects: n, dims, lr: 0.004 * 0.25, positivity }), init, { kernel });
      for (let s = 0; s < 10; s++) {
        const batch = data.subarray(60 * s, 60 * (s + 1));
        scaled.step(batch, 0.25);
        plain.step(batch);
      }
      expect(bytes(scaled.getState().weights).equals(bytes(plain.getState().weights))).toBe(true);
      expect(bytes(scaled.getState().m).equals(bytes(plain.getState().m))).toBe(true);
      const before = scaled.getState();
      scaled.step(data.subarray(0, 60), 0);
      const after = scaled.getState();
      expect(bytes(after.weights).equals(bytes(before.weights))).toBe(true);
      expect(after.step).toBe(before.step + 1); // Adam's moments and step count still advance
      expect(() => scaled.step(data.subarray(0, 60), -1)).toThrow(/lrScale/);
      expect(() => scaled.step(data.subarray(0, 60), NaN)).toThrow(/lrScale/);
    }
  });

  test('the WebAssembly SIMD kernel is available and the default here', () => {
    expect(wasmKernelAvailable()).toBe(true);
    expect(defaultCpuKernel(1854, 100)).toBe('wasm');
    expect(createCpuEngine(hyper({ nObjects: 3, dims: 2 }), new Float32Array(6)).kernel).toBe('wasm');
  });

  test('a hand-computed step: 3 objects, 2 dims, one triplet', () => {
    // x0 = (1, 0), x1 = (1, 0.5), x2 = (0, 1): s01 = 1, s02 = 0, s12 = 0.5.
    // p01 = e / (e + 1 + e^0.5) = 0.50648, CE = ln(e + 1 + √e) − 1 = ln 5.36700 − 1 = 0.680270.
    for (const kernel of KERNELS) {
      const e = createCpuEngine(hyper({ nObjects: 3, dims: 2, lambda: 0, lr: 0.1 }), Float32Array.of(1, 0, 1, 0.5, 0, 1), { kernel });
      const loss = e.step(Int32Array.of(0, 1, 2));
      const S = Math.E + 1 + Math.sqrt(Math.E);
      expect(loss.crossEntropy).toBeCloseTo(Math.log(S) - 1, 7);
      expect(loss.crossEntropy).toBeCloseTo(0.68027, 5);
      expect(loss.correct).toBe(1);
      expect(loss.positivity).toBe(0);
      expect(loss.l1).toBe(0);
      expect(loss.total).toBe(loss.crossEntropy);
      // ∂CE/∂s = (p01 − 1, p02, p12) = (−0.49352, 0.18632, 0.30720); row gradients
      // g0 = a·x1 + b·x2 = (−0.4935, −0.0604), g1 = a·x0 + c·x2 = (−0.4935, 0.3072), g2 = b·x0 + c·x1 = (0.4935, 0.1536).
      // Adam's first step moves every weight by −lr·sign(g) (m̂ = g, v̂ = g²).
      const w = e.getState().weights;
      const expected = [1.1, 0.1, 1.1, 0.4, -0.1, 0.9];
      expected.forEach((x, i) => expect(w[i]).toBeCloseTo(x, 6));
      expect(e.getState().step).toBe(1);
    }
  });

  test('training accuracy ties: the SPoSE reference\'s rule by default (argmax takes the first maximum; a three-way tie is wrong), strict on request', () => {
    // x0 = x1 = x2 = (1, 0): all three similarities 1 → wrong under both rules (the reference: mean == max → −1).
    const all = (ties: 'reference' | 'strict') => createCpuEngine(hyper({ nObjects: 3, dims: 2, trainAccuracyTies: ties }), Float32Array.of(1, 0, 1, 0, 1, 0)).step(Int32Array.of(0, 1, 2)).correct;
    expect([all('reference'), all('strict')]).toEqual([0, 0]);
    // x0 = (1, 1), x1 = (1, 0), x2 = (0, 1): s01 = s02 = 1 > s12 = 0 → argmax = 0 → correct (reference), wrong (strict).
    const pairTied = (ties: 'reference' | 'strict') => createCpuEngine(hyper({ nObjects: 3, dims: 2, trainAccuracyTies: ties }), Float32Array.of(1, 1, 1, 0, 0, 1)).step(Int32Array.of(0, 1, 2)).correct;
    expect([pairTied('reference'), pairTied('strict')]).toEqual([1, 0]);
    // Triplet (1, 2, 0): s12 = 0 < s10 = s20 = 1 → argmax = 1 → wrong under both.
    const otherTied = (ties: 'reference' | 'strict') => createCpuEngine(hyper({ nObjects: 3, dims: 2, trainAccuracyTies: ties }), Float32Array.of(1, 1, 1, 0, 0, 1)).step(Int32Array.of(1, 2, 0)).correct;
    expect([otherTied('reference'), otherTied('strict')]).toEqual([0, 0]);
    expect(DEFAULT_HYPER.trainAccuracyTies).toBe('reference');
  });

  test('euclidean-distance (the reference\'s −‖x − y‖): hand-computed forward pass', () => {
    // x0 = (0, 0), x1 = (3, 4), x2 = (6, 0): s01 = −5, s02 = −6, s12 = −5. CE = log(2e^−5 + e^−6) + 5.
    // Squared: s = (−25, −36, −25), CE = log(2e^−25 + e^−36) + 25.
    const init = Float32Array.of(0, 0, 3, 4, 6, 0);
    const step = (similarity: SposeHyperParams['similarity']) => createCpuEngine(hyper({ nObjects: 3, dims: 2, lambda: 0, similarity }), init, { kernel: 'js' }).step(Int32Array.of(0, 1, 2));
    const d = step('euclidean-distance');
    expect(Math.abs(d.crossEntropy - (Math.log(2 * Math.exp(-5) + Math.exp(-6)) + 5))).toBeLessThan(1e-12);
    expect(d.correct).toBe(1); // s01 = s12 = −5 tie, pair first → correct under the reference rule
    for (const k of ['euclidean-squared'] as const) {
      expect(Math.abs(step(k).crossEntropy - (Math.log(2 * Math.exp(-25) + Math.exp(-36)) + 25))).toBeLessThan(1e-12);
    }
  });

  describe.each(ref.cases.map((c) => [c.name, c] as const))('reproduces the numpy reference trajectory: %s', (_, c) => {
    test.each(KERNELS)('kernel %s', (kernel) => {
      // The fixture's "euclidean" is the squared form (test/reference/spose_reference.py): our euclidean-squared.
      const similarity = (c.hyper.similarity as string) === 'euclidean' ? 'euclidean-squared' : c.hyper.similarity;
      const e = createCpuEngine(hyper({ ...c.hyper, similarity }), Float32Array.from(ref.initialWeights), { kernel });
      ref.batches.forEach((idx, s) => {
        const batch = Int32Array.from(idx.flatMap((t) => ref.triplets[t]));
        const got = e.step(batch);
        const want = c.steps[s];
        expectClose([got.crossEntropy, got.l1, got.total], [want.crossEntropy, want.l1, want.total], { rel: 1e-5 });
        if (want.positivity === 0) expect(got.positivity).toBe(0);
        else expectClose(got.positivity, want.positivity, { rel: 1e-5 });
        expect(got.correct).toBe(want.correct);
      });
      const st = e.getState();
      expect(st.step).toBe(ref.batches.length);
      let maxW = 0, maxM = 0, maxV = 0;
      c.finalWeights.forEach((w, i) => (maxW = Math.max(maxW, Math.abs(st.weights[i] - w))));
      c.finalM.forEach((m, i) => (maxM = Math.max(maxM, Math.abs(st.m[i] - m))));
      c.finalV.forEach((v, i) => (maxV = Math.max(maxV, Math.abs(st.v[i] - v) / Math.max(v, 1e-12))));
      expect(maxW).toBeLessThan(1e-5);
      expect(maxM).toBeLessThan(1e-6);
      expect(maxV).toBeLessThan(1e-4);
    });
  });

  test.each([
    ['dot', 'soft', 100],
    ['dot', 'proximal', 7],
    ['euclidean-squared', 'soft', 7],
    ['euclidean-squared', 'proximal', 13],
    ['euclidean-distance', 'soft', 7],
    ['euclidean-distance', 'proximal', 13],
    ['dot', 'soft', 1],
  ] as const)('js and wasm kernels give identical bytes (%s, %s, %i dims)', (similarity, positivity, dims) => {
    const n = 40;
    const h = hyper({ nObjects: n, dims, similarity, positivity, lambda: 0.5, lr: 0.01 });
    const init = initWeights(n, dims, 3);
    for (let i = 0; i < init.length; i += 5) init[i] = -init[i]; // some negative weights
    init[1] = 0;
    const [a, b] = (['js', 'wasm'] as const).map((kernel) => createCpuEngine(h, init, { kernel }));
    const data = randomTriplets(n, 600, 1);
    for (let s = 0; s < 60; s++) {
      const batch = data.subarray(30 * s, 30 * (s + 10)); // 10 triplets, overlapping windows
      const la = a.step(batch), lb = b.step(batch);
      expect(la.crossEntropy).toBe(lb.crossEntropy);
      expect(la.correct).toBe(lb.correct);
      // The penalty sums are accumulated in a different order (float32 lanes per row in wasm).
      expectClose([la.positivity, la.l1], [lb.positivity, lb.l1], { rel: 1e-6 });
    }
    const sa = a.getState(), sb = b.getState();
    expect(bytes(sa.weights).equals(bytes(sb.weights))).toBe(true);
    expect(bytes(sa.m).equals(bytes(sb.m))).toBe(true);
    expect(bytes(sa.v).equals(bytes(sb.v))).toBe(true);
  });

  test.each(KERNELS)('deterministic, and setState continues bit-for-bit (%s)', (kernel) => {
    const n = 30, dims = 9;
    const h = hyper({ nObjects: n, dims, lambda: 0.1 });
    const data = randomTriplets(n, 400, 2);
    const batch = (s: number) => data.subarray(3 * 20 * s, 3 * 20 * (s + 1));
    const run = () => {
      const e = createCpuEngine(h, initWeights(n, dims, 5), { kernel });
      for (let s = 0; s < 20; s++) e.step(batch(s));
      return e.getState();
    };
    const x = run(), y = run();
    expect(bytes(x.weights).equals(bytes(y.weights))).toBe(true);

    const e1 = createCpuEngine(h, initWeights(n, dims, 5), { kernel });
    for (let s = 0; s < 8; s++) e1.step(batch(s));
    const mid = e1.getState();
    const e2 = createCpuEngine(h, new Float32Array(n * dims), { kernel });
    e2.setState(mid);
    for (let s = 8; s < 20; s++) e2.step(batch(s));
    const z = e2.getState();
    expect(z.step).toBe(20);
    expect(bytes(z.weights).equals(bytes(x.weights))).toBe(true);
    expect(bytes(z.m).equals(bytes(x.m))).toBe(true);
    expect(bytes(z.v).equals(bytes(x.v))).toBe(true);
    // getState copies
    mid.weights[0] = 123;
    expect(e1.getState().weights[0]).not.toBe(123);
  });

  test('bad inputs', () => {
    const h = hyper({ nObjects: 4, dims: 2 });
    expect(() => createCpuEngine(h, new Float32Array(7))).toThrow(ShapeError);
    expect(() => createCpuEngine({ ...h, lambda: -1 }, new Float32Array(8))).toThrow(InvalidArgumentError);
    expect(() => createCpuEngine(h, new Float32Array(8), { kernel: 'gpu' as CpuKernel })).toThrow(InvalidArgumentError);
    const e = createCpuEngine(h, new Float32Array(8).fill(0.1));
    expect(() => e.step(Int32Array.of(0, 1, 2, 0, 1, 4))).toThrow(/batch triplet 1 holds object 4, outside \[0, 3\]/);
    expect(() => e.step(Int32Array.of(0, -1, 2))).toThrow(ShapeError);
    expect(() => e.step(Int32Array.of(0, 1))).toThrow(ShapeError);
    expect(() => e.step(new Int32Array(0))).toThrow(ShapeError);
    expect(e.getState().step).toBe(0); // nothing happened
    expect(() => e.setState({ weights: new Float32Array(8), m: new Float32Array(7), v: new Float32Array(8), step: 0 })).toThrow(ShapeError);
    expect(() => e.setState({ weights: new Float32Array(8), m: new Float32Array(8), v: new Float32Array(8), step: -1 })).toThrow(InvalidArgumentError);
    e.dispose();
    expect(() => e.step(Int32Array.of(0, 1, 2))).toThrow(InvalidArgumentError);
  });
});

describe('sparse cross-entropy gradient (float64) against central finite differences', () => {
  test.each([
    ['dot', 1],
    ['dot', 0.7],
    ['euclidean-squared', 1],
    ['euclidean-squared', 1.8],
    ['euclidean-distance', 1],
    ['euclidean-distance', 1.8],
  ] as const)('%s similarity, T = %d', (similarity, T) => {
    const n = 6, D = 4;
    const rng = createRng(11);
    const W = new Float64Array(n * D).map(() => rng.nextNormal(0.2, 0.5));
    // Objects repeat across triplets, so row gradients accumulate.
    const batch = Int32Array.of(0, 1, 2, 2, 3, 0, 4, 5, 1, 1, 0, 3, 5, 2, 4);
    const B = batch.length / 3;
    const mode = similarity === 'dot' ? SIM_DOT : similarity === 'euclidean-squared' ? SIM_EUCLIDEAN_SQUARED : SIM_EUCLIDEAN_DISTANCE;
    const G = new Float64Array(n * D);
    const rowSlot = new Int32Array(n).fill(-1);
    const touched = new Int32Array(n);
    const out = new Float64Array(2);
    const ce = (w: Float64Array) => {
      const g = new Float64Array(n * D), rs = new Int32Array(n).fill(-1), o = new Float64Array(2);
      batchGradient(w, D, batch, B, T, mode, g, rs, new Int32Array(n), o);
      return o[0] / B;
    };
    const count = batchGradient(W, D, batch, B, T, mode, G, rowSlot, touched, out);
    expect(count).toBe(6);
    const h = 1e-6;
    for (let o = 0; o < n; o++) {
      for (let d = 0; d < D; d++) {
        const wp = W.slice(), wm = W.slice();
        wp[o * D + d] += h;
        wm[o * D + d] -= h;
        const fd = (ce(wp) - ce(wm)) / (2 * h);
        const analytic = G[rowSlot[o] * D + d];
        expect(Math.abs(fd - analytic)).toBeLessThan(1e-8 * Math.max(1, Math.abs(fd)));
      }
    }
    releaseRows(rowSlot, touched, count);
    expect(Array.from(rowSlot)).toEqual(new Array(n).fill(-1));
  });
});
