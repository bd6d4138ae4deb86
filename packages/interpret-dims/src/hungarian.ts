import { InvalidArgumentError, type Matrix, type NumericArray } from '@conceptlab/core';

/** An optimal assignment: row `rows[t]` is matched to column `cols[t]`; rows ascending. */
export interface Assignment {
  readonly rows: number[];
  readonly cols: number[];
  /** Sum of the matched entries of the (original, not negated) matrix. */
  readonly total: number;
}

/**
 * Optimal one-to-one assignment of a rectangular matrix (the linear sum assignment problem): min(rows, cols)
 * pairs, each row and column used at most once, minimising (or with `maximize`, maximising) the sum of the
 * chosen entries — the same problem and result as `scipy.optimize.linear_sum_assignment`. Implemented as the
 * Hungarian method with potentials and shortest augmenting paths (O(n²m)); when the optimum is not unique,
 * the chosen pairs may differ from scipy's but the total is the same.
 *
 * @throws InvalidArgumentError for a non-finite entry.
 */
export function linearSumAssignment(cost: Matrix<NumericArray>, maximize = false): Assignment {
  const { rows: R, cols: Cn, data } = cost;
  for (let t = 0; t < data.length; t++) if (!Number.isFinite(data[t])) throw new InvalidArgumentError(`cost[${Math.floor(t / Cn)}][${t % Cn}]`, 'a finite number', data[t]);
  if (R === 0 || Cn === 0) return { rows: [], cols: [], total: 0 };
  const transposed = R > Cn;
  const n = transposed ? Cn : R, m = transposed ? R : Cn;
  const sign = maximize ? -1 : 1;
  const a = (i: number, j: number): number => sign * (transposed ? data[j * Cn + i] : data[i * Cn + j]);
  // 1-based arrays; p[j] = row matched to column j (0 = none).
  const u = new Float64Array(n + 1), v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1), way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity, j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = a(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
        if (minv[j] < delta) { delta = minv[j]; j1 = j; }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) { u[p[j]] += delta; v[j] -= delta; } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const pairs: [number, number][] = [];
  for (let j = 1; j <= m; j++) if (p[j] !== 0) pairs.push(transposed ? [j - 1, p[j] - 1] : [p[j] - 1, j - 1]);
  pairs.sort((x, y) => x[0] - y[0]);
  let total = 0;
  for (const [r, c] of pairs) total += data[r * Cn + c];
  return { rows: pairs.map((x) => x[0]), cols: pairs.map((x) => x[1]), total };
}
