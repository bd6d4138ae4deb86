/**
 * `@conceptlab/core/stats` — the shared numerics: one implementation each, used by every package
 * (`import { pearson } from '@conceptlab/core/stats'`). The root `@conceptlab/core` re-exports the older
 * names (`mean`, `sampleSd`, `matlabPrctile`, `fisherBootstrapCi`) for existing importers; import everything
 * from here in new code.
 *
 * ## The rule for degenerate inputs (one rule, every function here)
 * - A statistic the data do not define is **NaN**, never a thrown error and never a substitute value: the
 *   Pearson r of a constant vector (as numpy's `corrcoef`), the mean / median / percentile of no values, the
 *   sample SD of fewer than 2 values, any statistic of data holding NaN (numpy propagates NaN; ranks become
 *   all NaN). `matlabPrctile` alone drops NaN first, because MATLAB's `prctile` treats NaN as missing.
 * - A call that makes no sense throws a typed error: mismatched shapes (`ShapeError`), a percentile outside
 *   [0, 100], a p-value outside [0, 1], log Γ of x ≤ 0, fewer than 2 observations for a correlation
 *   (`InvalidArgumentError`).
 * - A caller that needs another value for a degenerate case (r = 0 for a constant vector as
 *   `scipy.stats.linregress`, an error for an empty sample, …) maps it explicitly at the call site, with a
 *   comment saying so — never a second copy of the kernel.
 *
 * ## What each does
 * - `mean(x)`, `sampleSd(x)` — arithmetic mean; SD with n − 1 (numpy `std(ddof=1)`, MATLAB `std`).
 * - `median(x)` — `np.median`: middle value, or the mean of the two middle values.
 * - `percentile(x, q)` — `np.percentile(x, q)` (q in [0, 100], numpy's default 'linear' method, bit-exact);
 *   `percentileSorted(sorted, q)` the same for values already sorted ascending (many percentiles of one sample).
 * - `matlabPrctile(x, p)` — MATLAB's `prctile` (numpy method 'hazen'), the authors' percentile; a different
 *   definition from `percentile`, kept under its own name.
 * - `ranks(x)` — `scipy.stats.rankdata(x)`: 1-based ranks, ties get their average rank (Spearman = Pearson of ranks).
 * - `pearson(x, y)` — Pearson r of two vectors (two-pass, clipped to [−1, 1]).
 * - `columnCorrelations(a, b?)` — the a.cols × b.cols matrix of r between columns (`np.corrcoef(a.T, b.T)`'s
 *   off-diagonal block; b defaults to a: symmetric, unit diagonal).
 * - `columnPairCorrelations(a, b)` — r of column c of a with column c of b, for every c (one r per voxel).
 * - `standardizeColumns(m)`, `standardizedDot(z, i, w, j, n)` — the building blocks of `columnCorrelations` for
 *   callers that correlate many column pairs of the same matrices (each column centred and scaled to unit
 *   length, column-major; r is then a dot product).
 * - `fisherZ(r)` = atanh(r), `inverseFisherZ(z)` = tanh(z); `fisherBootstrapCi(r, rb)` the authors' CI.
 * - `benjaminiHochberg(p)` — BH adjusted p-values (q-values) in input order, `number[]`
 *   (`scipy.stats.false_discovery_control(p, method='bh')`); rejected at level α ⇔ q ≤ α.
 * - `logGamma(x)` — ln Γ(x) for x > 0 (`scipy.special.gammaln`, ≈ 1e-13 relative).
 * - `symmetricEigen(a, k)` — eigen-decomposition of a symmetric k×k matrix (row-major) by cyclic Jacobi:
 *   `{ values (descending), vectors (row-major k×k, eigenvectors as columns) }`, as `numpy.linalg.eigh` up to
 *   order and sign.
 *
 * Every kernel is tested against hand-computed cases and numpy/scipy values
 * (`packages/core/reference/stats_reference.py` → `stats_reference.json`).
 */
export { mean, sampleSd, matlabPrctile } from './summary.js';
export { fisherBootstrapCi, type FisherBootstrapCi } from './fisher-ci.js';
export { median } from './median.js';
export { percentile, percentileSorted } from './percentile.js';
export { ranks } from './ranks.js';
export {
  pearson,
  columnCorrelations,
  columnPairCorrelations,
  standardizeColumns,
  standardizedDot,
  fisherZ,
  inverseFisherZ,
} from './pearson.js';
export { benjaminiHochberg } from './fdr.js';
export { logGamma } from './log-gamma.js';
export { symmetricEigen, type SymmetricEigen } from './symmetric-eigen.js';
