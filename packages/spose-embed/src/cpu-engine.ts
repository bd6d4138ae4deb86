import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { adamCoefficients, createAdamCoefficients } from './adam.js';
import { checkHyperParams, isSquaredEuclidean, type SposeHyperParams } from './config.js';
import type { EngineState, StepLoss, TrainingEngine } from './engine.js';
import { adamDenseJs } from './kernels/dense-js.js';
import { createWasmArena, wasmArenaBytes, wasmKernelAvailable, WASM_MAX_BYTES, type WasmArena } from './kernels/dense-wasm.js';
import { batchGradient, OUT_CE_SUM, OUT_CORRECT, releaseRows, SIM_DOT, SIM_EUCLIDEAN_DISTANCE, SIM_EUCLIDEAN_SQUARED, type SimMode } from './kernels/sparse-grad.js';

/**
 * Which implementation runs the dense Adam pass: `wasm` (WebAssembly 128-bit SIMD, several times
 * faster) or `js` (plain JavaScript). Both round every operation to float32 in the same order, so they
 * give identical weights; the sparse gradient pass is the same JavaScript code for both.
 */
export type CpuKernel = 'js' | 'wasm';

export interface CpuEngineOptions {
  /** Default: `wasm` where WebAssembly SIMD is available and the problem fits 2 GiB, else `js`. */
  readonly kernel?: CpuKernel;
}

/** The CPU engine: a {@link TrainingEngine} plus the kernel it runs. */
export interface CpuEngine extends TrainingEngine {
  readonly kernel: CpuKernel;
}

/** The kernel {@link createCpuEngine} picks when none is given. */
export function defaultCpuKernel(nObjects: number, dims: number): CpuKernel {
  return wasmKernelAvailable() && wasmArenaBytes(nObjects, dims) <= WASM_MAX_BYTES ? 'wasm' : 'js';
}

/**
 * A SPoSE training engine in hand-written TypeScript (and optionally WebAssembly SIMD) over float32
 * arrays: W (nObjects × dims, row-major), Adam's m and v.
 *
 * One step on a batch of B triplets:
 * 1. sparse pass (src/kernels/sparse-grad.ts): similarities (dot, −distance or −distance²), max-shifted
 *    log-softmax, the mean cross-entropy and its gradient, the training-accuracy count (ties by
 *    `hyper.trainAccuracyTies`), gathered into the ≤ 3B touched rows (a compact scratch G plus a
 *    row→slot map that is reset in O(touched rows));
 * 2. dense pass over all n·D weights (src/kernels/dense-js.ts or assembly/adam.ts): gradient = the
 *    row's sparse gradient (if touched) + the penalty gradients (soft variant: positivityWeight·∂relu(−w)
 *    + (λ/n)·sign(w), as torch's autograd: −1 for w < 0 else 0, and sign(0) = 0), then torch's Adam
 *    update of every weight; in the proximal variant the penalties are left out of the gradient and
 *    w ← max(0, w − lr·λ/n) follows the Adam step. The penalty sums are taken in the same pass at the
 *    old weights, so the returned {@link StepLoss} is the loss before the update.
 *
 * All buffers are allocated here; a step allocates nothing but the returned StepLoss object.
 * `init` is copied; the engine starts at Adam step 0 with m = v = 0.
 *
 * @throws InvalidArgumentError for bad hyper-parameters (see checkHyperParams), an unknown or
 *   unavailable kernel; ShapeError when `init` does not hold nObjects × dims values.
 */
export function createCpuEngine(hyper: SposeHyperParams, init: Float32Array, options: CpuEngineOptions = {}): CpuEngine {
  checkHyperParams(hyper);
  const h: SposeHyperParams = Object.freeze({ ...hyper });
  const n = h.nObjects, D = h.dims, size = n * D;
  if (!(init instanceof Float32Array)) throw new InvalidArgumentError('init', 'a Float32Array of nObjects × dims weights', init);
  if (init.length !== size) throw new ShapeError(`init has ${init.length} weights; ${n} objects × ${D} dims needs ${size}`);
  const kernel = options.kernel ?? defaultCpuKernel(n, D);
  if (kernel !== 'js' && kernel !== 'wasm') throw new InvalidArgumentError('kernel', '"js" or "wasm"', kernel);
  if (kernel === 'wasm') {
    if (!wasmKernelAvailable()) throw new InvalidArgumentError('kernel', '"js": WebAssembly SIMD is not available here', kernel);
    if (wasmArenaBytes(n, D) > WASM_MAX_BYTES) throw new InvalidArgumentError('kernel', `"js" for ${n} × ${D} weights (over 2 GiB in wasm memory)`, kernel);
  }

  let arena: WasmArena | null = null;
  let W: Float32Array, M: Float32Array, V: Float32Array, G: Float32Array, rowSlot: Int32Array, sums: Float64Array;
  if (kernel === 'wasm') {
    arena = createWasmArena(n, D);
    ({ W, M, V, G, rowSlot, sums } = arena);
  } else {
    W = new Float32Array(size);
    M = new Float32Array(size);
    V = new Float32Array(size);
    G = new Float32Array(size); // at most n distinct rows are touched
    rowSlot = new Int32Array(n).fill(-1);
    sums = new Float64Array(2);
  }
  W.set(init);
  const touched = new Int32Array(n);
  const out = new Float64Array(2);
  const coef = createAdamCoefficients();
  const mode: SimMode = h.similarity === 'dot' ? SIM_DOT : isSquaredEuclidean(h.similarity) ? SIM_EUCLIDEAN_SQUARED : SIM_EUCLIDEAN_DISTANCE;
  const strictTies = h.trainAccuracyTies === 'strict';
  const proximal = h.positivity === 'proximal';
  const l1w = h.lambda / n;
  let step = 0;
  let disposed = false;

  const alive = () => {
    if (disposed) throw new InvalidArgumentError('engine', 'an engine that has not been disposed');
  };

  return {
    name: 'cpu',
    kernel,
    hyper: h,
    step(batch: Int32Array, lrScale = 1): StepLoss {
      alive();
      if (!(lrScale >= 0 && lrScale <= 1e6)) throw new InvalidArgumentError('lrScale', 'a learning-rate factor in [0, 1e6]', lrScale);
      if (!(batch instanceof Int32Array) || batch.length === 0 || batch.length % 3 !== 0) {
        throw new ShapeError(`a batch must be a non-empty Int32Array of 3·B object indices; got ${batch?.length} values`);
      }
      const B = batch.length / 3;
      for (let x = 0; x < batch.length; x++) {
        const o = batch[x];
        if (o < 0 || o >= n) {
          const t = (x / 3) | 0;
          throw new ShapeError(`batch triplet ${t} holds object ${o}, outside [0, ${n - 1}]: ${batch[3 * t]} ${batch[3 * t + 1]} ${batch[3 * t + 2]}`);
        }
      }
      const count = batchGradient(W, D, batch, B, h.temperature, mode, G, rowSlot, touched, out, strictTies);
      adamCoefficients(h, step + 1, coef, lrScale);
      if (arena) arena.dense(coef, proximal);
      else adamDenseJs(W, M, V, G, rowSlot, n, D, coef, proximal, sums);
      releaseRows(rowSlot, touched, count);
      step++;
      const crossEntropy = out[OUT_CE_SUM] / B;
      const positivity = proximal ? 0 : h.positivityWeight * sums[0];
      const l1 = l1w * sums[1];
      return { crossEntropy, positivity, l1, total: crossEntropy + positivity + l1, correct: out[OUT_CORRECT] };
    },
    getState(): EngineState {
      alive();
      return { weights: W.slice(), m: M.slice(), v: V.slice(), step };
    },
    setState(state: EngineState): void {
      alive();
      for (const [name, a] of [['weights', state.weights], ['m', state.m], ['v', state.v]] as const) {
        if (!a || a.length !== size) throw new ShapeError(`state.${name} has ${a?.length} values; ${n} objects × ${D} dims needs ${size}`);
      }
      if (!Number.isSafeInteger(state.step) || state.step < 0) throw new InvalidArgumentError('state.step', 'a non-negative integer', state.step);
      W.set(state.weights);
      M.set(state.m);
      V.set(state.v);
      step = state.step;
    },
    dispose(): void {
      disposed = true;
      arena = null;
    },
  };
}
