import { denseRanks } from './kendall.js';
import type { Rdm } from '../rdm/rdm.js';

/**
 * @internal Kendall's tau-a of a model RDM against each of several RDMs over a condition resample, without
 * building the resampled vectors: the fast path of {@link bootstrapConditions} for `'tau-a'`.
 *
 * A resample that picks condition c `counts[c]` times holds the pair (i, j), i < j, `counts[i]·counts[j]`
 * times (pairs of the same condition picked twice are NaN and dropped), so its tau-a is
 * S / (m(m−1)/2) with m = Σ w_e and S = Σ_{e<f} w_e·w_f·sgn(x_e − x_f)·sgn(y_e − y_f) over the pairs e, f of
 * the full RDM with weights w_e = counts[i_e]·counts[j_e] (copies of one pair tie in both vectors and add 0).
 * S is counted exactly (integers below 2^53) by walking the model's pairs in ascending order — sorted once
 * per call — with a Fenwick tree of the weights over each RDM's y ranks (ranked once per call), so the
 * result has the same bits as `kendallTau` on the resampled vectors (same integers, same division, same
 * clamp), in O(M log M) per RDM and resample for M = n(n−1)/2, and no resampled vector is formed.
 *
 * @returns null when the model or an RDM has a NaN (the caller uses the general path).
 */
export function resampledTauA(model: Rdm, others: readonly Rdm[]): ((counts: Int32Array, out: Float64Array) => void) | null {
  const n = model.n;
  const len = model.vector.length;
  if (hasNaN(model.vector) || others.some((o) => hasNaN(o.vector))) return null;
  // The model's pairs in ascending order (counting sort of its dense ranks), and where each tie run starts.
  const rx = denseRanks(model.vector);
  const start = new Int32Array(rx.distinct + 1);
  for (let e = 0; e < len; e++) start[rx.ranks[e]! + 1]!++;
  for (let r = 0; r < rx.distinct; r++) start[r + 1]! += start[r]!;
  const order = new Int32Array(len);
  const fill = start.slice(0, rx.distinct);
  for (let e = 0; e < len; e++) order[fill[rx.ranks[e]!]!++] = e;
  const xDistinct = rx.distinct === len;
  const newRun = new Uint8Array(len + 1); // 1 where a tie run of the model starts (and at the end)
  for (let r = 0; r <= rx.distinct; r++) newRun[start[r]!] = 1;
  // The conditions of each pair, in the model's order.
  const ci = new Int32Array(len);
  const cj = new Int32Array(len);
  {
    const pi = new Int32Array(len);
    const pj = new Int32Array(len);
    let e = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++, e++) (pi[e] = i), (pj[e] = j);
    for (let k = 0; k < len; k++) (ci[k] = pi[order[k]!]!), (cj[k] = pj[order[k]!]!);
  }
  // Each RDM's y ranks (1-based for the Fenwick tree), in the model's order.
  const ys = others.map((o) => {
    const ry = denseRanks(o.vector);
    const y = new Int32Array(len);
    for (let k = 0; k < len; k++) y[k] = ry.ranks[order[k]!]! + 1;
    return { y, size: ry.distinct };
  });
  const maxSize = ys.reduce((s, o) => Math.max(s, o.size), 0);
  const tree = new Float64Array(maxSize + 1);
  const atRank = new Float64Array(maxSize + 1);
  const w = new Float64Array(len);
  const pos = new Int32Array(len); // positions with weight > 0
  const runEnd = new Uint8Array(len); // 1 where the kept position ends a tie run of the model

  return (counts, out) => {
    let kept = 0;
    let m = 0;
    for (let k = 0; k < len; k++) {
      const wk = counts[ci[k]!]! * counts[cj[k]!]!;
      if (wk > 0) {
        w[kept] = wk;
        pos[kept] = k;
        kept++;
        m += wk;
      }
      if (newRun[k + 1] && kept > 0) runEnd[kept - 1] = 1;
    }
    const tot = (m * (m - 1)) / 2;
    for (let s = 0; s < ys.length; s++) {
      if (m < 2) {
        out[s] = Number.NaN;
        continue;
      }
      const { y, size } = ys[s]!;
      tree.fill(0, 0, size + 1);
      atRank.fill(0, 0, size + 1);
      let inserted = 0;
      let sum = 0;
      if (xDistinct) {
        // No ties in the model: insert each pair right after counting it.
        for (let q = 0; q < kept; q++) {
          const r = y[pos[q]!]!;
          const wq = w[q]!;
          let less = 0;
          for (let t = r - 1; t > 0; t -= t & -t) less += tree[t]!;
          sum += wq * (2 * less + atRank[r]! - inserted);
          for (let t = r; t <= size; t += t & -t) tree[t]! += wq;
          atRank[r]! += wq;
          inserted += wq;
        }
        out[s] = Math.min(1, Math.max(-1, sum / tot));
        continue;
      }
      let runFrom = 0;
      for (let q = 0; q < kept; q++) {
        const r = y[pos[q]!]!;
        // Weight of the inserted pairs (all below this one in x) with a smaller y rank.
        let less = 0;
        for (let t = r - 1; t > 0; t -= t & -t) less += tree[t]!;
        const greater = inserted - less - atRank[r]!;
        sum += w[q]! * (less - greater);
        if (runEnd[q]) {
          // The tie run of x is complete: insert its pairs.
          for (let u = runFrom; u <= q; u++) {
            const ru = y[pos[u]!]!;
            const wu = w[u]!;
            for (let t = ru; t <= size; t += t & -t) tree[t]! += wu;
            atRank[ru]! += wu;
            inserted += wu;
          }
          runFrom = q + 1;
        }
      }
      out[s] = Math.min(1, Math.max(-1, sum / tot));
    }
    runEnd.fill(0, 0, kept);
  };
}

function hasNaN(v: Float64Array): boolean {
  for (let k = 0; k < v.length; k++) if (Number.isNaN(v[k]!)) return true;
  return false;
}
