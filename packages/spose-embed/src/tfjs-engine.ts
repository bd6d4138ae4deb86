import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import type { GradSaveFunc, Scalar, Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import { checkHyperParams, type SimilarityKind, type SposeHyperParams } from './config.js';
import type { EngineState, StepLoss, TrainingEngine } from './engine.js';
import { currentTfjsBackend, selectTfjsBackend, type TfCoreModule, type TfjsBackendPreference, type TfModule } from './tfjs-backend.js';
import { createWebGpuStepPrograms } from './tfjs-webgpu-step.js';

/**
 * The SPoSE training step on TensorFlow.js (any backend: tfjs-node / tfjs-node-gpu, wasm, cpu).
 *
 * Per batch of B triplets `i j k` (k the odd one out):
 *   loss = mean_b −log softmax((s_ij, s_ik, s_jk) / T)_0 + positivityWeight·Σ relu(−W) + (λ/n)·Σ|W|
 * with s the dot product (or −squared distance), followed by one dense Adam step with torch.optim.Adam's
 * formula (m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²; W −= (lr/bc1)·m / (√v/√bc2 + ε); float32, in
 * torch's operation order — m by lerp — as the CPU engine's dense kernel), or, for the proximal variant, the Adam step on the
 * cross-entropy alone followed by W ← max(0, W − lr·λ/n). The loss is reported at the weights before the
 * step; in the proximal variant its positivity term is 0 and its l1 term is reported but not differentiated.
 *
 * Gradients. `@tensorflow/tfjs-core`'s Node bundle registers no op gradients at all (they ship with the
 * `@tensorflow/tfjs` union package, which is not a dependency), and tf.gather's gradient would be
 * unsortedSegmentSum anyway: not implemented by the wasm backend and O(nObjects·B·D) on the cpu
 * backend (a mask per segment). So the tape holds exactly two custom ops:
 *   - `gatherRows` (tf.customGrad): forward a gather of the 3B rows, gradient a tf.scatterND of the
 *     3B row gradients into a dense nObjects × dims tensor (duplicate rows summed);
 *   - `tripletLoss` (tf.customGrad): the mean cross-entropy, with its analytic gradient.
 * The penalty gradients and Adam are explicit tensor ops. W, m, v are tf.Variables; each step runs in
 * one tf.tidy and reads its four loss scalars with a single dataSync, so the tensor count stays constant.
 */

export interface TfjsEngineOptions {
  /** The tfjs-core module (from {@link selectTfjsBackend}). */
  readonly tf: TfModule;
  /** The tfjs backend the engine's tensors live on ('wasm', 'cpu', 'tensorflow', 'webgpu'); must be initialised. */
  readonly backend: string;
  /**
   * On 'webgpu': `fused` (default) runs the step as five WGSL programs (tfjs-webgpu-step.ts); `ops` builds it
   * from tfjs operations as on the other backends (86 tfjs kernels a step; kept to measure the difference).
   */
  readonly webgpuKernels?: 'fused' | 'ops';
}

export interface TfjsEngine extends TrainingEngine {
  /** The tfjs backend the engine runs on. */
  readonly backend: string;
}

interface Constants {
  readonly oneMinusBeta1: Scalar;
  readonly beta2: Scalar;
  readonly oneMinusBeta2: Scalar;
  readonly eps: Scalar;
  readonly l1: Scalar;
  readonly positivityWeight: Scalar;
  /** Penalty gradient of a negative weight: −positivityWeight − λ/n (rounded once). */
  readonly gNeg: Scalar;
  /** Penalty gradient of a positive weight: λ/n. */
  readonly gPos: Scalar;
  readonly proximalShrink: Scalar;
  readonly zero: Scalar;
  readonly one: Scalar;
  readonly invTemperature: Scalar;
}

/**
 * gatherRows(W, idx): the rows idx (int32, shape [R]) of W (R × D). Its gradient scatters the row
 * gradients back into a dense nObjects × D tensor with tf.scatterND (which sums duplicate indices);
 * idx is never differentiated (it gets zeros, pruned by the tape).
 *
 * The forward uses tf.gatherND on the wasm backend (its GatherV2 kernel is ~20× slower: 7.6 ms against
 * 0.4 ms for 3000 rows of 100) and tf.gather elsewhere (on the cpu backend gatherND is ~3× slower).
 * Internal (tested on its own; its tfjs types stay out of the shipped declarations). @internal
 */
export function makeGatherRows(tf: TfCoreModule, backend: string = tf.getBackend()): (W: Tensor, idx: Tensor) => Tensor2D {
  const useGatherNd = backend === 'wasm';
  const op = tf.customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const W = args[0] as Tensor2D;
    const idx = args[1] as Tensor;
    const save = args[2] as GradSaveFunc;
    const idx2 = tf.reshape(idx, [idx.size, 1]);
    save([idx2]);
    const shape = W.shape;
    return {
      value: (useGatherNd ? tf.gatherND(W, idx2) : tf.gather(W, idx)) as Tensor2D,
      gradFunc: (dy: Tensor, saved: Tensor[]) => [tf.scatterND(saved[0], dy, shape), tf.zeros([saved[0].size])],
    };
  });
  return (W, idx) => op(W, idx) as Tensor2D;
}

interface CorrectSink {
  /** Set by the forward pass (kept tensor; whoever reads it disposes it). */
  correct: Tensor | undefined;
}

/**
 * tripletLoss(X): X holds the gathered rows in three blocks (3B × D: rows 0…B−1 the objects i, B…2B−1
 * the j, 2B…3B−1 the k — contiguous slices, where tf.unstack of an interleaved layout costs ~90 ms per
 * step on the cpu backend at B = 1000); the value is the mean −log p(first two are the pair). The
 * forward also leaves the count of correctly predicted triplets (s_ij strictly largest) in `sink`.
 */
function makeTripletLoss(
  tf: TfCoreModule,
  backend: string,
  similarity: SimilarityKind,
  c: Constants,
  temperature: number,
  sink: CorrectSink,
): (X: Tensor2D) => Scalar {
  const scaleByT = temperature !== 1;
  // The wasm backend's Slice kernel copies its whole input out of the wasm heap (readSync) for every
  // slice; its GatherNd copies rows in place, so blocks are taken with gatherND there.
  const viaGatherNd = backend === 'wasm';
  // The cpu backend's binary ops take a per-element index path when one operand broadcasts ([B, 1] ×
  // [B, D]: 6.5 ms at B = 1000, D = 100); widening the column with a [B, 1] × [1, D] matMul first and
  // multiplying same-shape tensors costs ~2.5 ms. Other backends broadcast natively.
  const widenColumns = backend === 'cpu';
  const block = (X: Tensor2D, b: number, B: number, D: number): Tensor =>
    viaGatherNd ? tf.gatherND(X, tf.reshape(tf.range(b * B, (b + 1) * B, 1, 'int32'), [B, 1])) : tf.slice(X, [b * B, 0], [B, D]);
  const op = tf.customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const X = args[0] as Tensor2D;
    const save = args[1] as GradSaveFunc;
    const B = X.shape[0] / 3;
    const D = X.shape[1];
    const xi = block(X, 0, B, D);
    const xj = block(X, 1, B, D);
    const xk = block(X, 2, B, D);
    // Similarities as B × 1 columns (softmax over the three by elementwise ops: no stack along axis 1).
    let sij: Tensor, sik: Tensor, sjk: Tensor;
    let savedRows: Tensor[];
    if (similarity === 'dot') {
      sij = tf.sum(tf.mul(xi, xj), 1, true);
      sik = tf.sum(tf.mul(xi, xk), 1, true);
      sjk = tf.sum(tf.mul(xj, xk), 1, true);
      savedRows = [xi, xj, xk];
    } else {
      const dij = tf.sub(xi, xj);
      const dik = tf.sub(xi, xk);
      const djk = tf.sub(xj, xk);
      sij = tf.neg(tf.sum(tf.square(dij), 1, true));
      sik = tf.neg(tf.sum(tf.square(dik), 1, true));
      sjk = tf.neg(tf.sum(tf.square(djk), 1, true));
      savedRows = [dij, dik, djk];
    }
    sink.correct = tf.keep(tf.sum(tf.cast(tf.logicalAnd(tf.greater(sij, sik), tf.greater(sij, sjk)), 'float32')));
    const zij = scaleByT ? tf.mul(sij, c.invTemperature) : sij;
    const zik = scaleByT ? tf.mul(sik, c.invTemperature) : sik;
    const zjk = scaleByT ? tf.mul(sjk, c.invTemperature) : sjk;
    const zmax = tf.maximum(tf.maximum(zij, zik), zjk);
    const aij = tf.sub(zij, zmax);
    const eij = tf.exp(aij), eik = tf.exp(tf.sub(zik, zmax)), ejk = tf.exp(tf.sub(zjk, zmax));
    const total = tf.add(tf.add(eij, eik), ejk);
    // −log p_ij = log Σ exp(z − max) − (z_ij − max)
    const nll = tf.sub(tf.log(total), aij);
    save([...savedRows, tf.div(eij, total), tf.div(eik, total), tf.div(ejk, total)]);
    return {
      value: tf.mean(nll) as Scalar,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [a, b, cc, pij, pik, pjk] = saved;
        // d mean(nll) / dz = (p − e_ij) / B; ds = dz / T.
        let scale = tf.div(dy, B);
        if (scaleByT) scale = tf.mul(scale, c.invTemperature);
        let gij = tf.mul(tf.sub(pij, c.one), scale);
        let gik = tf.mul(pik, scale);
        let gjk = tf.mul(pjk, scale);
        if (widenColumns) {
          const onesRow = tf.ones([1, D]);
          [gij, gik, gjk] = [gij, gik, gjk].map((col) => tf.matMul(col as Tensor2D, onesRow));
        }
        let dxi: Tensor, dxj: Tensor, dxk: Tensor;
        if (similarity === 'dot') {
          // s_ij = xi·xj: ∂/∂xi = xj, ∂/∂xj = xi.
          const [xi_, xj_, xk_] = [a, b, cc];
          dxi = tf.add(tf.mul(gij, xj_), tf.mul(gik, xk_));
          dxj = tf.add(tf.mul(gij, xi_), tf.mul(gjk, xk_));
          dxk = tf.add(tf.mul(gik, xi_), tf.mul(gjk, xj_));
        } else {
          // s_ab = −‖xa − xb‖²: ∂/∂xa = −2(xa − xb), ∂/∂xb = 2(xa − xb).
          const [dij, dik, djk] = [a, b, cc];
          const tij = tf.mul(gij, dij), tik = tf.mul(gik, dik), tjk = tf.mul(gjk, djk);
          dxi = tf.mul(tf.add(tij, tik), -2);
          dxj = tf.mul(tf.sub(tij, tjk), 2);
          dxk = tf.mul(tf.add(tik, tjk), 2);
        }
        return tf.concat([dxi, dxj, dxk], 0);
      },
    };
  });
  return (X) => op(X) as Scalar;
}

function checkInit(hyper: SposeHyperParams, init: ArrayLike<number>, what: string): void {
  const size = hyper.nObjects * hyper.dims;
  if (init.length !== size) {
    throw new ShapeError(`${what}: expected nObjects × dims = ${hyper.nObjects} × ${hyper.dims} = ${size} values, got ${init.length}`);
  }
}

function checkBatch(batch: Int32Array, nObjects: number): void {
  if (!(batch instanceof Int32Array)) throw new InvalidArgumentError('batch', 'an Int32Array of 3·B object indices', batch);
  if (batch.length === 0 || batch.length % 3 !== 0) {
    throw new ShapeError(`batch: expected a positive multiple of 3 indices (triplets i j k), got ${batch.length}`);
  }
  for (let t = 0; t < batch.length; t++) {
    const o = batch[t];
    if (o < 0 || o >= nObjects) {
      throw new ShapeError(`batch: triplet ${Math.floor(t / 3)} holds object index ${o}, outside 0…${nObjects - 1}`);
    }
  }
}

/**
 * A TrainingEngine on tfjs. `options` defaults to the most recent {@link selectTfjsBackend} result; the
 * backend must already be initialised (await selectTfjsBackend, or use {@link createTfjsEngineAsync}).
 * `init` (nObjects × dims, row-major) is copied.
 */
export function createTfjsEngine(hyper: SposeHyperParams, init: Float32Array, options?: TfjsEngineOptions): TfjsEngine {
  checkHyperParams(hyper);
  checkInit(hyper, init, 'init');
  if (!(init instanceof Float32Array)) throw new InvalidArgumentError('init', 'a Float32Array of nObjects × dims weights', init);
  hyper = Object.freeze({ ...hyper });
  const sel = options ?? currentTfjsBackend();
  if (sel === undefined) {
    throw new InvalidArgumentError('options', '{ tf, backend } from selectTfjsBackend() (no tfjs backend has been selected yet; or use createTfjsEngineAsync)');
  }
  const { backend } = sel;
  const tf = sel.tf as TfCoreModule;
  if (tf.engine().registry[backend] == null) {
    throw new InvalidArgumentError('options.backend', 'an initialised tfjs backend (await selectTfjsBackend() first)', backend);
  }
  const ensureBackend = (): void => {
    if (tf.getBackend() === backend) return;
    // The backend is initialised, so setBackend switches synchronously (its async body has no await).
    tf.setBackend(backend).catch(() => undefined);
    if (tf.getBackend() !== backend) throw new InvalidArgumentError('backend', `the tfjs backend '${backend}' to be active`, tf.getBackend());
  };
  ensureBackend();

  const n = hyper.nObjects, D = hyper.dims;
  const soft = hyper.positivity === 'soft';
  const l1Coef = hyper.lambda / n;
  const keep = <T extends Tensor>(t: T): T => tf.keep(t);
  const c: Constants = {
    oneMinusBeta1: keep(tf.scalar(1 - hyper.beta1)),
    beta2: keep(tf.scalar(hyper.beta2)),
    oneMinusBeta2: keep(tf.scalar(1 - hyper.beta2)),
    eps: keep(tf.scalar(hyper.eps)),
    l1: keep(tf.scalar(l1Coef)),
    positivityWeight: keep(tf.scalar(hyper.positivityWeight)),
    gNeg: keep(tf.scalar(-hyper.positivityWeight - l1Coef)),
    gPos: keep(tf.scalar(l1Coef)),
    proximalShrink: keep(tf.scalar(hyper.lr * l1Coef)),
    zero: keep(tf.scalar(0)),
    one: keep(tf.scalar(1)),
    invTemperature: keep(tf.scalar(1 / hyper.temperature)),
  };
  const variable = (data: Float32Array): Variable => tf.tidy(() => tf.variable(tf.tensor2d(data, [n, D], 'float32'), false));
  // Copies: the cpu backend keeps a tensor's source array by reference.
  const W = variable(Float32Array.from(init));
  const m = variable(new Float32Array(n * D));
  const v = variable(new Float32Array(n * D));
  let t = 0;
  let disposed = false;

  const sink: CorrectSink = { correct: undefined };
  let currentIdx: Tensor | undefined;
  // Reused between steps: the tensor made from it lives only within one step's tidy.
  let blockIdx = new Int32Array(0);
  const gatherRows = makeGatherRows(tf, backend);
  if (hyper.similarity === 'euclidean-distance') {
    throw new InvalidArgumentError('hyper.similarity', '"dot" or "euclidean-squared" with the tfjs engine ("euclidean-distance" needs the cpu engine)', hyper.similarity);
  }
  const tripletLoss = makeTripletLoss(tf, backend, hyper.similarity, c, hyper.temperature, sink);
  const crossEntropyAndGrad = tf.valueAndGrad((w: Tensor) => tripletLoss(gatherRows(w, currentIdx!)));

  const usable = (): void => {
    if (disposed) throw new InvalidArgumentError('engine', 'an engine that has not been disposed');
  };

  const webgpuKernels = options?.webgpuKernels ?? 'fused';
  if (webgpuKernels !== 'fused' && webgpuKernels !== 'ops') throw new InvalidArgumentError('options.webgpuKernels', '"fused" or "ops"', webgpuKernels);
  const fused =
    backend === 'webgpu' && webgpuKernels === 'fused'
      ? createWebGpuStepPrograms(tf, {
          nObjects: n,
          dims: D,
          similarity: hyper.similarity as 'dot' | 'euclidean-squared',
          temperature: hyper.temperature,
          soft,
          beta1: hyper.beta1,
          beta2: hyper.beta2,
          eps: hyper.eps,
          gNeg: -hyper.positivityWeight - l1Coef,
          gPos: l1Coef,
        })
      : undefined;
  // The batch's rows sorted by object (a counting sort, stable): the fused programs sum each object's row
  // gradients in this fixed order.
  let csrOrder = new Int32Array(0);
  const csrOffsets = new Int32Array(n + 1);
  const csrNext = new Int32Array(n);

  /** Queue one step on the device; returns the loss-parts tensor (the caller reads and disposes it; see toLoss). */
  const enqueue = (batch: Int32Array, lrScale: number): Tensor => {
    usable();
    checkBatch(batch, n);
    if (!(lrScale >= 0 && lrScale <= 1e6)) throw new InvalidArgumentError('lrScale', 'a learning-rate factor in [0, 1e6]', lrScale);
    const lr = lrScale === 1 ? hyper.lr : hyper.lr * lrScale;
    ensureBackend();
    const step = t + 1;
    const bc1 = 1 - Math.pow(hyper.beta1, step);
    const bc2 = 1 - Math.pow(hyper.beta2, step);
    // Block layout (all i, then all j, then all k): tripletLoss's slices and the fused programs' rows.
    const B = batch.length / 3;
    if (blockIdx.length !== batch.length) blockIdx = new Int32Array(batch.length);
    for (let b = 0; b < B; b++) {
      blockIdx[b] = batch[3 * b];
      blockIdx[B + b] = batch[3 * b + 1];
      blockIdx[2 * B + b] = batch[3 * b + 2];
    }
    if (fused) {
      if (csrOrder.length !== batch.length) csrOrder = new Int32Array(batch.length);
      csrOffsets.fill(0);
      for (let r = 0; r < blockIdx.length; r++) csrOffsets[blockIdx[r] + 1]++;
      for (let o = 0; o < n; o++) csrOffsets[o + 1] += csrOffsets[o];
      csrNext.set(csrOffsets.subarray(0, n));
      for (let r = 0; r < blockIdx.length; r++) csrOrder[csrNext[blockIdx[r]]++] = r;
      const out = tf.tidy(() => {
        const r = fused.step({ W, m, v, rows: blockIdx, order: csrOrder, offsets: csrOffsets, negLrOverBc1: -lr / bc1, sqrtBc2: Math.sqrt(bc2), shrink: lr * l1Coef });
        W.assign(r.W as Tensor2D);
        m.assign(r.m as Tensor2D);
        v.assign(r.v as Tensor2D);
        return r.parts;
      });
      t = step;
      return out;
    }
    let out: Tensor;
    try {
      out = tf.tidy(() => {
        currentIdx = tf.tensor1d(blockIdx, 'int32');
        const { value: ce, grad: gCE } = crossEntropyAndGrad(W);
        // Penalties at the weights before the step (row sums first: a shorter float32 sum chain).
        const l1 = tf.mul(tf.sum(tf.sum(tf.abs(W), 1)), c.l1);
        const negW = soft ? tf.neg(W) : undefined;
        const pos = negW ? tf.mul(tf.sum(tf.sum(tf.relu(negW), 1)), c.positivityWeight) : c.zero;
        let g: Tensor = gCE;
        if (negW) {
          // Penalty gradient, as torch's autograd: (λ/n)·sign(w) (0 at 0) + pw·(−1 for w < 0, else 0), i.e.
          // gPos for w > 0, gNeg = −pw − λ/n for w < 0, 0 at 0; built exactly as [w > 0]·gPos + [w < 0]·gNeg.
          // Not with tf.sign: the wasm backend's Sign kernel returns 0 for |w| < FLT_EPSILON (≈ 1.19e-7).
          g = tf.add(gCE, tf.add(tf.mul(tf.step(W, 0), c.gPos), tf.mul(tf.step(negW, 0), c.gNeg)));
        }
        // torch.optim.Adam, float32, in torch's operation order (m by lerp; the same order as the CPU
        // engine's dense kernel, so given the same gradient both give the same bits):
        //   m ← m + (1−β1)(g − m); v ← v·β2 + ((1−β2)·g)·g; w ← w + (−lr/bc1 · m) / (√v / √bc2 + ε).
        const m1 = tf.add(m, tf.mul(tf.sub(g, m), c.oneMinusBeta1));
        const v1 = tf.add(tf.mul(v, c.beta2), tf.mul(tf.mul(g, c.oneMinusBeta2), g));
        const denom = tf.add(tf.div(tf.sqrt(v1), tf.scalar(Math.sqrt(bc2))), c.eps);
        let w1 = tf.add(W, tf.div(tf.mul(m1, tf.scalar(-lr / bc1)), denom));
        if (!soft) w1 = tf.relu(tf.sub(w1, lrScale === 1 ? c.proximalShrink : tf.scalar(lr * l1Coef)));
        W.assign(w1 as Tensor2D);
        m.assign(m1 as Tensor2D);
        v.assign(v1 as Tensor2D);
        return tf.stack([ce, pos, l1, sink.correct!]);
      });
    } finally {
      currentIdx = undefined;
      // Kept by the forward pass (outside the tidy): always released here, also after an error.
      if (sink.correct !== undefined) {
        sink.correct.dispose();
        sink.correct = undefined;
      }
    }
    t = step;
    return out;
  };
  const toLoss = (r: ArrayLike<number>, B: number): StepLoss => {
    if (fused) {
      // [Σ nll, Σ correct, Σ|w|, Σ relu(−w)] from the fused programs.
      const crossEntropy = r[0] / B, l1 = r[2] * l1Coef, positivity = soft ? r[3] * hyper.positivityWeight : 0;
      return { crossEntropy, positivity, l1, total: crossEntropy + positivity + l1, correct: r[1] };
    }
    const crossEntropy = r[0], positivity = r[1], l1 = r[2];
    return { crossEntropy, positivity, l1, total: crossEntropy + positivity + l1, correct: r[3] };
  };
  // WebGPU has no synchronous read under Node (tfjs reads through an OffscreenCanvas, which Node lacks).
  const asyncOnly = backend === 'webgpu';
  const syncRead = (what: string): void => {
    if (asyncOnly) throw new InvalidArgumentError('engine', `${what}Async() on the '${backend}' backend (it cannot read the device synchronously)`, `${what}()`);
  };

  const engine: TfjsEngine = {
    name: `tfjs-${backend}`,
    backend,
    hyper,
    asyncOnly,
    step(batch: Int32Array, lrScale = 1): StepLoss {
      usable();
      syncRead('step');
      const out = enqueue(batch, lrScale);
      const r = out.dataSync();
      out.dispose();
      return toLoss(r, batch.length / 3);
    },
    async stepAsync(batch: Int32Array, lrScale = 1): Promise<StepLoss> {
      const out = enqueue(batch, lrScale);
      try {
        return toLoss(await out.data(), batch.length / 3);
      } finally {
        out.dispose();
      }
    },
    getState(): EngineState {
      usable();
      syncRead('getState');
      ensureBackend();
      return {
        weights: Float32Array.from(W.dataSync()),
        m: Float32Array.from(m.dataSync()),
        v: Float32Array.from(v.dataSync()),
        step: t,
      };
    },
    async getStateAsync(): Promise<EngineState> {
      usable();
      ensureBackend();
      const [w, mm, vv] = await Promise.all([W.data(), m.data(), v.data()]);
      return { weights: Float32Array.from(w as Float32Array), m: Float32Array.from(mm as Float32Array), v: Float32Array.from(vv as Float32Array), step: t };
    },
    setState(state: EngineState): void {
      usable();
      checkInit(hyper, state.weights, 'state.weights');
      checkInit(hyper, state.m, 'state.m');
      checkInit(hyper, state.v, 'state.v');
      if (!Number.isInteger(state.step) || state.step < 0) throw new InvalidArgumentError('state.step', 'a non-negative integer', state.step);
      ensureBackend();
      tf.tidy(() => {
        W.assign(tf.tensor2d(Float32Array.from(state.weights), [n, D], 'float32'));
        m.assign(tf.tensor2d(Float32Array.from(state.m), [n, D], 'float32'));
        v.assign(tf.tensor2d(Float32Array.from(state.v), [n, D], 'float32'));
      });
      t = state.step;
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      W.dispose();
      m.dispose();
      v.dispose();
      for (const x of Object.values(c) as Tensor[]) x.dispose();
    },
  };
  return engine;
}

/** Select the backend (see {@link selectTfjsBackend}; default 'auto'), then create the engine on it. */
export async function createTfjsEngineAsync(
  hyper: SposeHyperParams,
  init: Float32Array,
  options: { readonly backend?: TfjsBackendPreference } = {},
): Promise<TfjsEngine> {
  checkHyperParams(hyper);
  checkInit(hyper, init, 'init');
  const sel = await selectTfjsBackend(options.backend ?? 'auto');
  return createTfjsEngine(hyper, init, sel);
}
