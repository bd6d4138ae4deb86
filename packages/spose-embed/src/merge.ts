import { InvalidArgumentError, ShapeError, type Matrix } from '@conceptlab/core';
import { standardizeColumns, standardizedDot } from './pearson.js';

export interface MergeOptions {
  /** Greedy pruning drops a later column whose Pearson r with a kept column is above this (default 0.4). In (−1, 1). */
  readonly threshold?: number;
  /** How many dims to keep by reproducibility (default 66; fewer if fewer remain after pruning). */
  readonly top?: number;
  /** A run's dim takes part in the reproducibility of others if any of its weights exceeds this (default 0.1). */
  readonly minWeight?: number;
}

/** One merged dimension: where it came from and how reproducible it is across runs. */
export interface MergedDim {
  /** Index of the run (in the `runs` array) the column came from. */
  readonly run: number;
  /** Column of that run. */
  readonly column: number;
  /** tanh(mean over runs of atanh(clamped best r)): the back-transformed Fisher-z mean. */
  readonly reproducibility: number;
  /** tanh(mean_z − 1.96·SD_z/√runs); NaN with a single run. */
  readonly ciLow: number;
  /** tanh(mean_z + 1.96·SD_z/√runs); NaN with a single run. */
  readonly ciHigh: number;
  /** The column's sum over objects (its sort key). */
  readonly sum: number;
}

export interface MergeResult {
  /** objects × k: the kept dims (original weights), sorted by column sum, descending. */
  readonly embedding: Matrix<Float64Array>;
  /** One record per column of `embedding`, same order. */
  readonly dims: readonly MergedDim[];
  /**
   * Every dim left after pruning, sorted by column sum (descending), with its reproducibility — the
   * candidates the top-k was chosen from (the paper's Fig. 2a plots these; it hand-picked 5 extra ChatGPT dims
   * from the top 70).
   */
  readonly candidates: readonly MergedDim[];
  /** Columns pooled from all runs. */
  readonly pooled: number;
  /** Columns left after redundancy pruning. */
  readonly afterPruning: number;
}

/** |r| is clamped to 1 − this before the Fisher z transform, so a dim's own run (r = 1) gives a finite z. */
export const REPRODUCIBILITY_CLAMP = 1e-7;

/**
 * The paper's many-seed merge (Du et al. 2025, Methods; shared/docs/methods.md "From many seeds to 66
 * dimensions"; the authors' get_final_66dim_embedding_step1/step2 scripts):
 *
 * 1. Pool: concatenate all runs' dims column-wise, in run order (each run = one seed's exported embedding,
 *    objects × its kept dims; all runs share the objects/rows). Columns are pooled as given — pass exported
 *    runs (dims with max weight > 0.1, absolute values), as the paper did.
 * 2. Greedy redundancy pruning: walk the pooled columns in order; each column still kept drops every later
 *    column with Pearson r > `threshold` to it. (A dropped column drops nothing, so in a chain a–b–c with
 *    r(a,b), r(b,c) > threshold but r(a,c) ≤ threshold, a and c both stay.)
 * 3. Sort the remaining columns by column sum, descending (stable: ties keep pooled order).
 * 4. Reproducibility of each remaining dim: for each run, the largest Pearson r with any of that run's dims
 *    that have a weight > `minWeight`; Fisher z of r clamped to ±(1 − 1e−7); mean over runs; back-transform.
 *    CI95 = tanh(mean_z ± 1.96·SD_z/√runs), SD with n − 1. Followed literally, as in the authors' code: the
 *    dim's own run is among the runs and contributes r = 1 (clamped: z ≈ 8.4), which raises every dim's
 *    mean z by about 8.4/runs; the ranking between dims is what step 5 uses.
 *    NaN r (a constant column) is ignored in the maximum; a run whose r are all NaN makes the dim's
 *    reproducibility NaN.
 * 5. Keep the `top` dims by reproducibility (descending, NaN last, ties by column sum), then re-sort the
 *    kept dims by column sum, descending.
 *
 * Cost: one standardized dot product (length = objects) per pair of (kept column, pooled column), each pair once:
 * at most afterPruning × pooled × objects multiply-adds (20 runs × 60 dims × 1,854 objects: ~1 s).
 *
 * @throws InvalidArgumentError for no runs, a bad option, non-finite weights, fewer than 2 objects, or a run
 *   with no weight above `minWeight`; ShapeError when the runs' row counts (or a run's data length) disagree.
 */
export function mergeRuns(runs: readonly Matrix<Float32Array | Float64Array>[], options: MergeOptions = {}): MergeResult {
  const threshold = options.threshold ?? 0.4;
  const top = options.top ?? 66;
  const minWeight = options.minWeight ?? 0.1;
  if (!(threshold > -1 && threshold < 1)) throw new InvalidArgumentError('threshold', 'a number in (−1, 1)', threshold);
  if (!Number.isInteger(top) || top < 1) throw new InvalidArgumentError('top', 'a positive integer', top);
  if (!Number.isFinite(minWeight)) throw new InvalidArgumentError('minWeight', 'a finite number', minWeight);
  if (runs.length === 0) throw new InvalidArgumentError('runs', 'at least one run');
  const n = runs[0].rows;
  if (n < 2) throw new InvalidArgumentError('runs', 'embeddings with at least 2 objects (rows)', n);

  // Pool: run/column of each pooled column, standardized columns (column-major), column sums, run qualifiers.
  let P = 0;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r];
    if (run.rows !== n) throw new ShapeError(`run ${r} has ${run.rows} rows; run 0 has ${n}`);
    if (run.data.length !== run.rows * run.cols) throw new ShapeError(`run ${r}'s data has ${run.data.length} values; ${run.rows}×${run.cols} needs ${run.rows * run.cols}`);
    for (let t = 0; t < run.data.length; t++) {
      if (!Number.isFinite(run.data[t])) throw new InvalidArgumentError(`runs[${r}][${Math.floor(t / run.cols)}][${t % run.cols}]`, 'a finite weight', run.data[t]);
    }
    P += run.cols;
  }
  const runOf = new Int32Array(P), colOf = new Int32Array(P);
  const sums = new Float64Array(P);
  const qualifies = new Uint8Array(P);
  const Z = new Float64Array(P * n);
  let p0 = 0;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r], cols = run.cols;
    Z.set(standardizeColumns(run), p0 * n);
    let any = false;
    for (let c = 0; c < cols; c++) {
      const p = p0 + c;
      runOf[p] = r;
      colOf[p] = c;
      let s = 0, q = 0;
      for (let i = 0; i < n; i++) {
        const v = run.data[i * cols + c];
        s += v;
        if (v > minWeight) q = 1;
      }
      sums[p] = s;
      qualifies[p] = q;
      if (q) any = true;
    }
    if (!any) throw new InvalidArgumentError(`runs[${r}]`, `at least one dim with a weight > minWeight (${minWeight})`, `${cols} dims, none`);
    p0 += cols;
  }

  // Greedy pruning. The full correlation row of each kept column is kept for the reproducibility step.
  const alive = new Uint8Array(P).fill(1);
  const kept: number[] = [];
  const corrRows = new Map<number, Float64Array>();
  for (let p = 0; p < P; p++) {
    if (!alive[p]) continue;
    kept.push(p);
    const row = new Float64Array(P);
    for (let q = 0; q < P; q++) {
      const earlier = q < p ? corrRows.get(q) : undefined; // r is symmetric: reuse a kept column's row
      row[q] = earlier ? earlier[p] : q === p ? (Number.isNaN(Z[p * n]) ? NaN : 1) : standardizedDot(Z, p * n, Z, q * n, n);
    }
    corrRows.set(p, row);
    for (let q = p + 1; q < P; q++) if (alive[q] && row[q] > threshold) alive[q] = 0;
  }

  // Sort by column sum (descending; Array.prototype.sort is stable).
  const candidatesIdx = [...kept].sort((a, b) => sums[b] - sums[a]);

  // Reproducibility across runs.
  const R = runs.length;
  const lim = 1 - REPRODUCIBILITY_CLAMP;
  const candidates: MergedDim[] = candidatesIdx.map((p) => {
    const row = corrRows.get(p)!;
    const best = new Float64Array(R).fill(-Infinity);
    for (let q = 0; q < P; q++) {
      if (!qualifies[q]) continue;
      const v = row[q];
      if (v > best[runOf[q]]) best[runOf[q]] = v; // NaN never wins
    }
    let meanZ = 0;
    const z = new Float64Array(R);
    for (let r = 0; r < R; r++) {
      const b = best[r] === -Infinity ? NaN : best[r];
      z[r] = Math.atanh(Math.min(lim, Math.max(-lim, b)));
      meanZ += z[r];
    }
    meanZ /= R;
    let ss = 0;
    for (let r = 0; r < R; r++) ss += (z[r] - meanZ) ** 2;
    const half = R > 1 ? (1.96 * Math.sqrt(ss / (R - 1))) / Math.sqrt(R) : NaN;
    return {
      run: runOf[p],
      column: colOf[p],
      reproducibility: Math.tanh(meanZ),
      ciLow: Math.tanh(meanZ - half),
      ciHigh: Math.tanh(meanZ + half),
      sum: sums[p],
    };
  });

  // Top `top` by reproducibility (NaN last; stable, so ties keep the column-sum order), then back to column-sum order.
  const order = candidates.map((_, i) => i);
  const key = (i: number) => (Number.isNaN(candidates[i].reproducibility) ? -Infinity : candidates[i].reproducibility);
  order.sort((a, b) => {
    const d = key(b) - key(a);
    return d > 0 ? 1 : d < 0 ? -1 : 0;
  });
  const chosen = order.slice(0, Math.min(top, order.length)).sort((a, b) => a - b);
  const dims = chosen.map((i) => candidates[i]);

  const k = dims.length;
  const data = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    const run = runs[dims[c].run], col = dims[c].column, cols = run.cols;
    for (let i = 0; i < n; i++) data[i * k + c] = run.data[i * cols + col];
  }
  return { embedding: { rows: n, cols: k, data }, dims, candidates, pooled: P, afterPruning: kept.length };
}
