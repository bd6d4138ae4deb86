import { InvalidArgumentError, mean, sampleSd, ShapeError, type Matrix } from '@conceptlab/core';
import { standardizeColumns, standardizedDot } from '@conceptlab/core/stats';

/**
 * How a merged dim's own run takes part in its reproducibility score.
 * - `paper-own-run-included` (default; the authors' step-2 script): the own run is one of the reference runs.
 *   Its best r is the dim's own column, r = 1 exactly, so z = atanh(1) = +∞ and, as in MATLAB,
 *   reproducibility = tanh(+∞) = 1 and no CI can be formed (MATLAB: std of a +∞ is NaN). We report
 *   reproducibility 1, `zInfinite: true`, and `ci: null` with `ciStatus` naming why.
 * - `own-run-excluded` (ours; `excludeOwnRun: true`): the dim's own run is left out, so every dim is scored
 *   against the other runs only and the score is finite and comparable between dims.
 */
export type ReproducibilityMethod = 'paper-own-run-included' | 'own-run-excluded';

/** The CI of a reproducibility score (in r space): tanh(mean_z ± 1.96·SD_z/√runs), SD with n − 1. */
export const REPRODUCIBILITY_CI_METHOD = 'fisher-z: tanh(mean_z ± 1.96·SD_z/√runs), SD over reference runs (n − 1)';

export interface MergeOptions {
  /** Greedy pruning drops a later column whose Pearson r with a kept column is above this (default 0.4). In (−1, 1). */
  readonly threshold?: number;
  /** How many dims to keep by reproducibility (default 66; fewer if fewer remain after pruning). */
  readonly top?: number;
  /** A reference run's dim takes part in the reproducibility of others if any of its weights exceeds this (default 0.1). */
  readonly minWeight?: number;
  /**
   * Leave each dim's own run out of its reproducibility (ours; default false = the authors' procedure, the
   * own run included: see {@link ReproducibilityMethod}).
   */
  readonly excludeOwnRun?: boolean;
  /**
   * Which runs (0-based indices into `runs`, distinct) serve as reference runs for the reproducibility
   * score; default all given runs. The authors used s01–s20 only (Gemini's runs 21–29 were pooled but never
   * references): pass [0, 1, …, 19] for that.
   */
  readonly references?: readonly number[];
  /**
   * Hand-picked dims appended after the top `top` (the authors' ChatGPT case), in the given order and not
   * re-sorted: 1-based positions (as the authors' `add_index = [35, 56, 59, 63, 66]`) in the list named by
   * `includeFromTop`. A position naming a dim already kept (or twice) is refused.
   */
  readonly include?: readonly number[];
  /**
   * With `include`: the positions index the top `includeFromTop` dims by reproducibility, re-sorted by column
   * sum (the authors: 70). Without it they index `candidates` (every dim left after pruning, by column sum).
   */
  readonly includeFromTop?: number;
}

/** One merged dimension: where it came from and how reproducible it is across the reference runs. */
export interface MergedDim {
  /** Index of the run (in the `runs` array) the column came from. */
  readonly run: number;
  /** Column of that run. */
  readonly column: number;
  /**
   * tanh(mean over reference runs of atanh(best r)): the back-transformed Fisher-z mean. Exactly 1 when a
   * run's best r is 1 (z = +∞; `zInfinite`), as MATLAB's tanh(+∞).
   */
  readonly reproducibility: number;
  /** tanh(mean_z − 1.96·SD_z/√runs); null when not computable (`ciStatus` says why). */
  readonly ciLow: number | null;
  /** tanh(mean_z + 1.96·SD_z/√runs); null when not computable. */
  readonly ciHigh: number | null;
  /** 'ok', or why the CI is null: a z of ±∞ (r = ±1 in some run), or fewer than 2 runs scored. */
  readonly ciStatus: 'ok' | 'not-computable: r = 1 in a run (z = +∞)' | 'not-computable: r = −1 in a run (z = −∞)' | 'not-computable: fewer than 2 runs';
  /** Some run's best r is exactly ±1 (z infinite). */
  readonly zInfinite: boolean;
  /**
   * Each reference run's best r (Pearson, float64, clamped to [−1, 1] as MATLAB's corr), in `references`
   * order; null for the dim's own run when it is excluded.
   */
  readonly runR: readonly (number | null)[];
  /** The column's sum over objects (its sort key). */
  readonly sum: number;
  /** How the dim entered `dims`: the top k by reproducibility, or a hand-picked `include` position. */
  readonly selectedBy?: 'top' | 'include';
}

export interface MergeResult {
  /** objects × k: the top dims (original weights) sorted by column sum, descending, then any `include` dims. */
  readonly embedding: Matrix<Float64Array>;
  /** One record per column of `embedding`, same order. */
  readonly dims: readonly MergedDim[];
  /**
   * Every dim left after pruning, sorted by column sum (descending), with its reproducibility — the
   * candidates the top-k was chosen from.
   */
  readonly candidates: readonly MergedDim[];
  /** Columns pooled from all runs. */
  readonly pooled: number;
  /** Columns left after redundancy pruning. */
  readonly afterPruning: number;
  /** Which methods produced the numbers. */
  readonly method: {
    readonly reproducibility: ReproducibilityMethod;
    readonly ci: typeof REPRODUCIBILITY_CI_METHOD;
    /** The reference runs (0-based indices into `runs`), in the order of `runR`. */
    readonly references: readonly number[];
    readonly threshold: number;
    readonly top: number;
    readonly minWeight: number;
    readonly include: readonly number[];
    readonly includeFromTop: number | null;
  };
}

function distinctIndices(name: string, values: readonly number[], lo: number, hi: number): void {
  const seen = new Set<number>();
  for (const v of values) {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new InvalidArgumentError(name, `integers in [${lo}, ${hi}]`, v);
    if (seen.has(v)) throw new InvalidArgumentError(name, 'distinct values', v);
    seen.add(v);
  }
}

/**
 * The paper's many-seed merge (Du et al. 2025, Methods; shared/docs/methods.md "From many seeds to 66
 * dimensions"; shared/docs/authors-procedures.md item 5, the authors' get_final_66dim_embedding_step1/step2):
 *
 * 1. Pool: concatenate all runs' dims column-wise, in the order the runs are given (the authors: seed642
 *    first). Pass exported runs (dims with max weight > 0.1, absolute values), as the paper did.
 * 2. Greedy redundancy pruning: walk the pooled columns in order; each column still kept drops every later
 *    column with Pearson r > `threshold` to it (a dropped column drops nothing).
 * 3. Sort the remaining columns by column sum, descending (stable: ties keep pooled order).
 * 4. Reproducibility of each remaining dim: for each reference run, the largest (signed) Pearson r with any
 *    of that run's dims that have a weight > `minWeight`; r in float64, clamped to [−1, 1] (MATLAB's corr);
 *    z = atanh(r); mean_z over the runs; reproducibility = tanh(mean_z); CI = tanh(mean_z ± 1.96·SD_z/√runs).
 *    No clamp below 1: the own run's r is exactly 1 (the same column; we do not emulate the 1 − ulp MATLAB's
 *    two-argument corr may return) and, with the default method, makes z = +∞ and reproducibility 1 with no
 *    CI (see {@link ReproducibilityMethod}). With every run a reference, every dim then scores 1 and the
 *    top-k falls back to column-sum order, exactly as the authors' stable sort would with r = 1 — use
 *    `excludeOwnRun` for a ranking by reproducibility across the other runs.
 * 5. Keep the `top` dims by reproducibility (stable descending sort: ties, e.g. at exactly 1, keep the
 *    column-sum order), re-sort them by column sum; then append the `include` dims, in the given order.
 *
 * Cost: one standardized dot product (length = objects) per pair of (kept column, pooled column).
 *
 * @throws InvalidArgumentError for no runs, a bad option, non-finite weights, a constant column, fewer
 *   than 2 objects, a reference run with no weight above `minWeight`, or an own-run exclusion that leaves a
 *   dim no run; ShapeError when the runs' row counts (or a run's data length) disagree.
 */
export function mergeRuns(runs: readonly Matrix<Float32Array | Float64Array>[], options: MergeOptions = {}): MergeResult {
  const threshold = options.threshold ?? 0.4;
  const top = options.top ?? 66;
  const minWeight = options.minWeight ?? 0.1;
  const excludeOwn = options.excludeOwnRun ?? false;
  if (!(threshold > -1 && threshold < 1)) throw new InvalidArgumentError('threshold', 'a number in (−1, 1)', threshold);
  if (!Number.isInteger(top) || top < 1) throw new InvalidArgumentError('top', 'a positive integer', top);
  if (!Number.isFinite(minWeight)) throw new InvalidArgumentError('minWeight', 'a finite number', minWeight);
  if (typeof excludeOwn !== 'boolean') throw new InvalidArgumentError('excludeOwnRun', 'a boolean', excludeOwn);
  if (runs.length === 0) throw new InvalidArgumentError('runs', 'at least one run');
  const references = options.references ? [...options.references] : runs.map((_, r) => r);
  if (references.length === 0) throw new InvalidArgumentError('references', 'at least one reference run');
  distinctIndices('references', references, 0, runs.length - 1);
  const include = options.include ? [...options.include] : [];
  const includeFromTop = options.includeFromTop ?? null;
  if (includeFromTop !== null) {
    if (!Number.isInteger(includeFromTop) || includeFromTop < 1) throw new InvalidArgumentError('includeFromTop', 'a positive integer', includeFromTop);
    if (include.length === 0) throw new InvalidArgumentError('includeFromTop', 'to come with include positions', includeFromTop);
  }
  const n = runs[0].rows;
  if (n < 2) throw new InvalidArgumentError('runs', 'embeddings with at least 2 objects (rows)', n);

  // Pool: run/column of each pooled column, standardized columns (column-major), column sums, qualifiers.
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
  const isReference = new Int32Array(runs.length).fill(-1); // position in `references`, or −1
  references.forEach((r, i) => (isReference[r] = i));
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
      if (Number.isNaN(Z[p * n])) throw new InvalidArgumentError(`runs[${r}] column ${c}`, 'a column that is not constant (its Pearson r is undefined)');
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
    if (!any && isReference[r] >= 0) throw new InvalidArgumentError(`runs[${r}]`, `at least one dim with a weight > minWeight (${minWeight}) in a reference run`, `${cols} dims, none`);
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
      row[q] = earlier ? earlier[p] : q === p ? 1 : standardizedDot(Z, p * n, Z, q * n, n);
    }
    corrRows.set(p, row);
    for (let q = p + 1; q < P; q++) if (alive[q] && row[q] > threshold) alive[q] = 0;
  }

  // Sort by column sum (descending; Array.prototype.sort is stable).
  const candidatesIdx = [...kept].sort((a, b) => sums[b] - sums[a]);

  // Reproducibility across the reference runs.
  const R = references.length;
  const candidates: MergedDim[] = candidatesIdx.map((p) => {
    const row = corrRows.get(p)!;
    const best = new Float64Array(R).fill(-Infinity);
    for (let q = 0; q < P; q++) {
      const ref = isReference[runOf[q]];
      if (ref < 0 || !qualifies[q]) continue;
      if (row[q] > best[ref]) best[ref] = row[q];
    }
    const own = isReference[runOf[p]];
    const runR: (number | null)[] = [];
    const z: number[] = [];
    for (let i = 0; i < R; i++) {
      if (excludeOwn && i === own) {
        runR.push(null);
        continue;
      }
      runR.push(best[i]);
      z.push(Math.atanh(best[i]));
    }
    if (z.length === 0) throw new InvalidArgumentError('excludeOwnRun', 'at least one reference run besides a dim\'s own run', `run ${runOf[p]} is the only reference`);
    return { run: runOf[p], column: colOf[p], ...scoreFromZ(z), runR, sum: sums[p] };
  });

  // Top `top` by reproducibility (stable: ties keep the column-sum order), then back to column-sum order.
  const order = candidates.map((_, i) => i);
  order.sort((a, b) => {
    const d = candidates[b].reproducibility - candidates[a].reproducibility;
    return d > 0 ? 1 : d < 0 ? -1 : 0;
  });
  const chosen = order.slice(0, Math.min(top, order.length)).sort((a, b) => a - b);
  const picked: number[] = [];
  if (include.length > 0) {
    if (includeFromTop !== null && includeFromTop > candidates.length) {
      throw new InvalidArgumentError('includeFromTop', `at most the ${candidates.length} dims left after pruning`, includeFromTop);
    }
    const list = includeFromTop === null ? candidates.map((_, i) => i) : order.slice(0, includeFromTop).sort((a, b) => a - b);
    distinctIndices('include', include, 1, list.length);
    const taken = new Set(chosen);
    for (const pos of include) {
      const c = list[pos - 1];
      if (taken.has(c)) throw new InvalidArgumentError('include', `positions of dims not already kept (position ${pos} is candidate ${c + 1} by column sum, already among the top ${top})`, pos);
      taken.add(c);
      picked.push(c);
    }
  }
  const dims: MergedDim[] = [
    ...chosen.map((i) => ({ ...candidates[i], selectedBy: 'top' as const })),
    ...picked.map((i) => ({ ...candidates[i], selectedBy: 'include' as const })),
  ];

  const k = dims.length;
  const data = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    const run = runs[dims[c].run], col = dims[c].column, cols = run.cols;
    for (let i = 0; i < n; i++) data[i * k + c] = run.data[i * cols + col];
  }
  return {
    embedding: { rows: n, cols: k, data },
    dims,
    candidates,
    pooled: P,
    afterPruning: kept.length,
    method: {
      reproducibility: excludeOwn ? 'own-run-excluded' : 'paper-own-run-included',
      ci: REPRODUCIBILITY_CI_METHOD,
      references,
      threshold,
      top,
      minWeight,
      include,
      includeFromTop,
    },
  };
}

/** Reproducibility and CI from the per-run Fisher z values (finite or ±∞). */
function scoreFromZ(z: readonly number[]): Pick<MergedDim, 'reproducibility' | 'ciLow' | 'ciHigh' | 'ciStatus' | 'zInfinite'> {
  let pos = 0, neg = 0;
  for (const v of z) {
    if (v === Infinity) pos++;
    else if (v === -Infinity) neg++;
  }
  if (pos > 0 || neg > 0) {
    // MATLAB: mean = ±∞ → tanh = ±1 (+∞ and −∞ together give NaN there; we report the sign of the majority, 0 on a tie).
    const reproducibility = pos > neg ? 1 : neg > pos ? -1 : 0;
    return { reproducibility, ciLow: null, ciHigh: null, ciStatus: pos > 0 ? 'not-computable: r = 1 in a run (z = +∞)' : 'not-computable: r = −1 in a run (z = −∞)', zInfinite: true };
  }
  const m = z.length;
  const meanZ = mean(z);
  if (m < 2) return { reproducibility: Math.tanh(meanZ), ciLow: null, ciHigh: null, ciStatus: 'not-computable: fewer than 2 runs', zInfinite: false };
  const half = (1.96 * sampleSd(z)) / Math.sqrt(m);
  return { reproducibility: Math.tanh(meanZ), ciLow: Math.tanh(meanZ - half), ciHigh: Math.tanh(meanZ + half), ciStatus: 'ok', zInfinite: false };
}
