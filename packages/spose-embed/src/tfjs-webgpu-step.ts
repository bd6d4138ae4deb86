import type { Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { SimilarityKind } from './config.js';
import type { TfCoreModule } from './tfjs-backend.js';

/**
 * The SPoSE step as five fused WGSL programs for tfjs's WebGPU backend (used by the tfjs engine on 'webgpu').
 *
 * Built from tfjs operations, a step runs 86 tfjs kernels, each with its own uniform buffer and bind group;
 * on an H200 that costs ~10 ms a step whatever the batch. Here a step is:
 *   1. tripletCoef [5, B]  per triplet the cross-entropy's derivatives by s_ij, s_ik, s_jk, −log p(first two are the
 *                          pair) and 1 if s_ij is strictly the largest;
 *   2. rowGrad    [3B, D]  each row's gradient (those derivatives times the other two rows);
 *   3. objectGrad [n, D]   the row gradients summed per object in a fixed order (a CSR of the batch's rows by
 *                          object, built on the CPU): deterministic, unlike an atomic scatter-add;
 *   4. penaltyRows [2, n]  per object Σ|w| and Σ relu(−w) (the penalties at the weights before the step);
 *   5. update     [n, D]   ×3 (W, m, v): the penalty gradient, torch's Adam in the CPU engine's operation order, and
 *                          the proximal shrink — the same formulas as the tfjs-op path, element by element.
 * plus two row sums and one concat. The loss parts come back as [Σ nll, Σ correct, Σ|w|, Σ relu(−w)].
 * @internal
 */

/** What this module needs of tfjs's WebGPUBackend (not part of tfjs-core's types). */
interface WebGpuBackendLike {
  runWebGPUProgram(program: WebGpuProgram, inputs: TensorInfo[], outputDtype: 'float32' | 'int32', uniforms?: { type: 'float32' | 'int32'; data: number[] }[]): TensorInfo;
}

interface WebGpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms?: string;
  workgroupSize: [number, number, number];
  size: boolean;
  getUserCode(): string;
}

const WORKGROUP = 128;

function program(name: string, outputShape: number[], variableNames: string[], uniforms: string, body: string): WebGpuProgram {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    outputShape,
    shaderKey: `spose_${name}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    variableNames,
    uniforms,
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    getUserCode: () => body,
  };
}

/** WGSL: the similarity of rows a and c of W (dot product, or −squared distance). */
function similaritiesSnippet(similarity: SimilarityKind): string {
  const pair =
    similarity === 'dot'
      ? 'acc = acc + W[a * D + d] * W[c * D + d];'
      : 'let diff = W[a * D + d] - W[c * D + d]; acc = acc - diff * diff;';
  return `
      fn similarity(a : i32, c : i32, D : i32) -> f32 {
        var acc = 0.0;
        for (var d = 0; d < D; d = d + 1) { ${pair} }
        return acc;
      }`;
}

export interface WebGpuStepPrograms {
  /**
   * Queue one step. `rows` are the batch's 3B object indices in block layout (all i, all j, all k); `order` and
   * `offsets` the rows sorted by object (stable) and each object's start in that order (n + 1 entries).
   * Returns the new W, m, v and the [4] loss-parts tensor (all kept by the caller's tidy).
   */
  step(args: {
    W: Tensor;
    m: Tensor;
    v: Tensor;
    rows: Int32Array;
    order: Int32Array;
    offsets: Int32Array;
    negLrOverBc1: number;
    sqrtBc2: number;
    shrink: number;
  }): { W: Tensor; m: Tensor; v: Tensor; parts: Tensor };
}

export interface WebGpuStepConfig {
  readonly nObjects: number;
  readonly dims: number;
  readonly similarity: Exclude<SimilarityKind, 'euclidean-distance'>;
  readonly temperature: number;
  readonly soft: boolean;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** −positivityWeight − λ/n and λ/n: the penalty gradient of a negative and of a positive weight. */
  readonly gNeg: number;
  readonly gPos: number;
}

export function createWebGpuStepPrograms(tf: TfCoreModule, c: WebGpuStepConfig): WebGpuStepPrograms {
  const n = c.nObjects, D = c.dims;
  const euclid = c.similarity === 'euclidean-squared';
  const sims = similaritiesSnippet(c.similarity);
  const key = `${c.similarity}_${c.soft ? 'soft' : 'prox'}`;
  const f32 = (x: number) => ({ type: 'float32' as const, data: [x] });
  const i32 = (x: number) => ({ type: 'int32' as const, data: [x] });

  // Per triplet: z = s / T, p = softmax(z); d mean(nll)/ds = (p − e_ij) / (B·T).
  const softmaxSnippet = `
        let sij = similarity(i, j, D);
        let sik = similarity(i, k, D);
        let sjk = similarity(j, k, D);
        let zij = sij * uniforms.invT;
        let zik = sik * uniforms.invT;
        let zjk = sjk * uniforms.invT;
        let zmax = max(max(zij, zik), zjk);
        let eij = exp(zij - zmax);
        let eik = exp(zik - zmax);
        let ejk = exp(zjk - zmax);
        let total = eij + eik + ejk;`;

  const rowGradBody = `
      fn main(index : i32) {
        if (index >= uniforms.size) { return; }
        let D = uniforms.D;
        let B = uniforms.B;
        let r = index / D;
        let d = index - r * D;
        let role = r / B;
        let b = r - role * B;
        let gij = Coef[b];
        let gik = Coef[B + b];
        let gjk = Coef[2 * B + b];
        let xi = W[Idx[b] * D + d];
        let xj = W[Idx[B + b] * D + d];
        let xk = W[Idx[2 * B + b] * D + d];
        var g = 0.0;
        ${
          euclid
            ? `let dij = xi - xj; let dik = xi - xk; let djk = xj - xk;
        if (role == 0) { g = -2.0 * (gij * dij + gik * dik); }
        else if (role == 1) { g = 2.0 * (gij * dij - gjk * djk); }
        else { g = 2.0 * (gik * dik + gjk * djk); }`
            : `if (role == 0) { g = gij * xj + gik * xk; }
        else if (role == 1) { g = gij * xi + gjk * xk; }
        else { g = gik * xi + gjk * xj; }`
        }
        setOutputAtIndex(index, g);
      }`;

  // Per triplet, part 0–2: d mean(nll)/ds for s_ij, s_ik, s_jk, i.e. (p − e_ij) / (B·T); part 3: −log p_ij;
  // part 4: 1 if s_ij is strictly the largest.
  const coefBody = `
      ${sims}
      fn main(index : i32) {
        if (index >= uniforms.size) { return; }
        let D = uniforms.D;
        let B = uniforms.B;
        let part = index / B;
        let b = index - part * B;
        let i = Idx[b];
        let j = Idx[B + b];
        let k = Idx[2 * B + b];
        ${softmaxSnippet}
        let scale = uniforms.invT / f32(B);
        var out = 0.0;
        if (part == 0) { out = (eij / total - 1.0) * scale; }
        else if (part == 1) { out = (eik / total) * scale; }
        else if (part == 2) { out = (ejk / total) * scale; }
        else if (part == 3) { out = log(total) - (zij - zmax); }
        else { out = select(0.0, 1.0, sij > sik && sij > sjk); }
        setOutputAtIndex(index, out);
      }`;

  const objectGradBody = `
      fn main(index : i32) {
        if (index >= uniforms.size) { return; }
        let D = uniforms.D;
        let o = index / D;
        let d = index - o * D;
        var acc = 0.0;
        for (var t = Offsets[o]; t < Offsets[o + 1]; t = t + 1) {
          acc = acc + G[Order[t] * D + d];
        }
        setOutputAtIndex(index, acc);
      }`;

  const penaltyBody = `
      fn main(index : i32) {
        if (index >= uniforms.size) { return; }
        let D = uniforms.D;
        let part = index / uniforms.N;
        let o = index - part * uniforms.N;
        var acc = 0.0;
        for (var d = 0; d < D; d = d + 1) {
          let w = W[o * D + d];
          if (part == 0) { acc = acc + abs(w); } else { acc = acc + max(-w, 0.0); }
        }
        setOutputAtIndex(index, acc);
      }`;

  // torch.optim.Adam in the CPU engine's order: m ← m + (g − m)(1−β1); v ← v·β2 + ((1−β2)·g)·g;
  // w ← w + (−lr/bc1 · m) / (√v / √bc2 + ε); proximal: w ← max(w − lr·λ/n, 0).
  const updateBody = `
      fn main(index : i32) {
        if (index >= uniforms.size) { return; }
        let w = W[index];
        var g = G[index];
        ${c.soft ? 'g = g + (select(0.0, uniforms.gPos, w > 0.0) + select(0.0, uniforms.gNeg, w < 0.0));' : ''}
        let m1 = M[index] + (g - M[index]) * uniforms.oneMinusBeta1;
        let v1 = V[index] * uniforms.beta2 + (g * uniforms.oneMinusBeta2) * g;
        let denom = sqrt(v1) / uniforms.sqrtBc2 + uniforms.eps;
        var w1 = w + (m1 * uniforms.negLrOverBc1) / denom;
        ${c.soft ? '' : 'w1 = max(w1 - uniforms.shrink, 0.0);'}
        if (uniforms.which == 0) { setOutputAtIndex(index, w1); }
        else if (uniforms.which == 1) { setOutputAtIndex(index, m1); }
        else { setOutputAtIndex(index, v1); }
      }`;

  // The update's uniforms, in updateDecl's order: those fixed for the run, then the step's own.
  const updateDecl = 'oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32, eps : f32, gPos : f32, gNeg : f32, negLrOverBc1 : f32, sqrtBc2 : f32, shrink : f32, which : i32,';
  const updateConstants = [f32(1 - c.beta1), f32(c.beta2), f32(1 - c.beta2), f32(c.eps), f32(c.gPos), f32(c.gNeg)];

  const backend = (): WebGpuBackendLike => tf.backend() as unknown as WebGpuBackendLike;
  const run = (p: WebGpuProgram, inputs: Tensor[], uniforms: { type: 'float32' | 'int32'; data: number[] }[]): Tensor =>
    tf.engine().makeTensorFromTensorInfo(backend().runWebGPUProgram(p, inputs, 'float32', uniforms));

  return {
    step({ W, m, v, rows, order, offsets, negLrOverBc1, sqrtBc2, shrink }) {
      const B = rows.length / 3;
      const idx = tf.tensor1d(rows, 'int32');
      const ord = tf.tensor1d(order, 'int32');
      const off = tf.tensor1d(offsets, 'int32');
      const coef = run(program(`tripletCoef_${key}`, [5, B], ['W', 'Idx'], 'D : i32, B : i32, invT : f32,', coefBody), [W, idx], [i32(D), i32(B), f32(1 / c.temperature)]);
      const grad = run(program(`rowGrad_${key}`, [3 * B, D], ['W', 'Idx', 'Coef'], 'D : i32, B : i32,', rowGradBody), [W, idx, coef], [i32(D), i32(B)]);
      const G = run(program('objectGrad', [n, D], ['G', 'Order', 'Offsets'], 'D : i32,', objectGradBody), [grad, ord, off], [i32(D)]);
      const pen = run(program('penaltyRows', [2, n], ['W'], 'D : i32, N : i32,', penaltyBody), [W], [i32(D), i32(n)]);
      const updateUniforms = (which: number) => [...updateConstants, f32(negLrOverBc1), f32(sqrtBc2), f32(shrink), i32(which)];
      const update = (which: number) => run(program(`update_${key}`, [n, D], ['W', 'G', 'M', 'V'], updateDecl, updateBody), [W, G, m, v], updateUniforms(which));
      const parts = tf.concat([tf.sum(tf.slice(coef, [3, 0], [2, B]), 1), tf.sum(pen, 1)]);
      return { W: update(0), m: update(1), v: update(2), parts };
    },
  };
}
