/**
 * The sparse half of a SPoSE step: the forward pass of one batch and the gradient of its mean
 * cross-entropy, gathered into the ≤ 3B embedding rows the batch touches (never a one-hot product).
 *
 * For a triplet (i, j, k), k the odd one out, with similarities s_ij, s_ik, s_jk (dot products, minus
 * squared distances, or minus distances) and p = softmax(s / T):
 *   −log p_ij = logsumexp(s / T) − s_ij / T                      (max-shifted)
 *   ∂(mean CE)/∂s = (p − e₁) / (T·B),   e₁ = (1, 0, 0)
 * and the chain rule through s gives the row gradients (dot: ∂s_ij/∂x_i = x_j; squared distance:
 * ∂s_ij/∂x_i = −2(x_i − x_j), ∂s_ij/∂x_j = 2(x_i − x_j); distance d_ij = ‖x_i − x_j‖:
 * ∂s_ij/∂x_i = −(x_i − x_j)/d_ij, taken as 0 where d_ij = 0).
 *
 * Rows are mapped to compact slots of G: `rowSlot[o]` is the slot of object o or −1, `touched[s]` the
 * object in slot s. `rowSlot` must be all −1 on entry; {@link releaseRows} restores that after the
 * dense pass in O(touched rows), so nothing of size n·D is ever cleared. Nothing is allocated here.
 *
 * Generic over Float32Array (the engines) and Float64Array (the gradient check in the tests).
 */
export type FloatArray = Float32Array | Float64Array;

/** out[0] after {@link batchGradient}: Σ over the batch of −log p(pair). */
export const OUT_CE_SUM = 0;
/**
 * out[1] after {@link batchGradient}: triplets counted correct — by default (the SPoSE reference's accuracy_)
 * s_ij ≥ both others unless all three are equal; with `strictTies`, s_ij strictly the largest.
 */
export const OUT_CORRECT = 1;

/** Similarity modes of {@link batchGradient}. */
export const SIM_DOT = 0;
export const SIM_EUCLIDEAN_SQUARED = 1;
export const SIM_EUCLIDEAN_DISTANCE = 2;
export type SimMode = typeof SIM_DOT | typeof SIM_EUCLIDEAN_SQUARED | typeof SIM_EUCLIDEAN_DISTANCE;

/** Claim a slot of G for `row` (zeroing it) unless it has one; returns the new count of touched rows. */
function claim(row: number, rowSlot: Int32Array, touched: Int32Array, count: number, G: FloatArray, D: number): number {
  if (rowSlot[row] >= 0) return count;
  rowSlot[row] = count;
  touched[count] = row;
  G.fill(0, count * D, count * D + D);
  return count + 1;
}

/**
 * Forward and backward pass of `B` triplets (`batch` holds 3B object indices, odd one out last), with the
 * similarity `mode` (SIM_DOT, SIM_EUCLIDEAN_SQUARED, SIM_EUCLIDEAN_DISTANCE; a boolean is read as the former
 * euclidean flag: true = squared) and the training-accuracy tie rule (`strictTies`; default the reference's).
 * Adds ∂(mean CE)/∂W of each touched row to its slot of G; writes the CE sum and the count of correct
 * triplets to `out`; returns the number of touched rows (slots 0 … count−1 of G and `touched`).
 * Indices are not checked here.
 */
export function batchGradient(
  W: FloatArray,
  D: number,
  batch: Int32Array,
  B: number,
  temperature: number,
  mode: SimMode | boolean,
  G: FloatArray,
  rowSlot: Int32Array,
  touched: Int32Array,
  out: Float64Array,
  strictTies = false,
): number {
  // A boolean is the former `euclidean` flag: true = squared distance, false = dot.
  const m = mode === true ? SIM_EUCLIDEAN_SQUARED : mode === false ? SIM_DOT : mode;
  const euclidean = m !== SIM_DOT;
  const distance = m === SIM_EUCLIDEAN_DISTANCE;
  const invT = 1 / temperature;
  const scale = 1 / (temperature * B);
  let count = 0;
  let ceSum = 0;
  let correct = 0;
  for (let b = 0; b < B; b++) {
    const ri = batch[3 * b], rj = batch[3 * b + 1], rk = batch[3 * b + 2];
    const oi = ri * D, oj = rj * D, ok = rk * D;
    let sij = 0, sik = 0, sjk = 0;
    if (euclidean) {
      for (let d = 0; d < D; d++) {
        const xi = W[oi + d], xj = W[oj + d], xk = W[ok + d];
        const dij = xi - xj, dik = xi - xk, djk = xj - xk;
        sij += dij * dij;
        sik += dik * dik;
        sjk += djk * djk;
      }
      if (distance) {
        sij = Math.sqrt(sij);
        sik = Math.sqrt(sik);
        sjk = Math.sqrt(sjk);
      }
      sij = -sij;
      sik = -sik;
      sjk = -sjk;
    } else {
      for (let d = 0; d < D; d++) {
        const xi = W[oi + d], xj = W[oj + d], xk = W[ok + d];
        sij += xi * xj;
        sik += xi * xk;
        sjk += xj * xk;
      }
    }
    if (strictTies ? sij > sik && sij > sjk : sij >= sik && sij >= sjk && !(sij === sik && sij === sjk)) correct++;
    const zij = sij * invT, zik = sik * invT, zjk = sjk * invT;
    const mx = zij > zik ? (zij > zjk ? zij : zjk) : zik > zjk ? zik : zjk;
    const eij = Math.exp(zij - mx), eik = Math.exp(zik - mx), ejk = Math.exp(zjk - mx);
    const z = eij + eik + ejk;
    ceSum += mx + Math.log(z) - zij;
    const a = (eij / z - 1) * scale; // ∂CE/∂s_ij
    const bb = (eik / z) * scale; //     ∂CE/∂s_ik
    const c = (ejk / z) * scale; //      ∂CE/∂s_jk

    count = claim(ri, rowSlot, touched, count, G, D);
    count = claim(rj, rowSlot, touched, count, G, D);
    count = claim(rk, rowSlot, touched, count, G, D);
    const gi = rowSlot[ri] * D, gj = rowSlot[rj] * D, gk = rowSlot[rk] * D;
    if (euclidean) {
      // ∂s/∂x_i = −coef·(x_i − x_j): coef = 2 (squared) or 1/d_ij (distance; s_ij = −d_ij, 0 at d = 0).
      const a2 = distance ? (sij < 0 ? a / -sij : 0) : 2 * a;
      const b2 = distance ? (sik < 0 ? bb / -sik : 0) : 2 * bb;
      const c2 = distance ? (sjk < 0 ? c / -sjk : 0) : 2 * c;
      for (let d = 0; d < D; d++) {
        const xi = W[oi + d], xj = W[oj + d], xk = W[ok + d];
        const dij = xi - xj, dik = xi - xk, djk = xj - xk;
        G[gi + d] -= a2 * dij + b2 * dik;
        G[gj + d] += a2 * dij - c2 * djk;
        G[gk + d] += b2 * dik + c2 * djk;
      }
    } else {
      for (let d = 0; d < D; d++) {
        const xi = W[oi + d], xj = W[oj + d], xk = W[ok + d];
        G[gi + d] += a * xj + bb * xk;
        G[gj + d] += a * xi + c * xk;
        G[gk + d] += bb * xi + c * xj;
      }
    }
  }
  out[OUT_CE_SUM] = ceSum;
  out[OUT_CORRECT] = correct;
  return count;
}

/** Reset the slots of the `count` touched rows to −1 (O(count)). */
export function releaseRows(rowSlot: Int32Array, touched: Int32Array, count: number): void {
  for (let s = 0; s < count; s++) rowSlot[touched[s]] = -1;
}
