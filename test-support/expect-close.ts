/**
 * The one tolerance helper for every package's tests (as tfjs-core's `expectArraysClose`):
 * |actual − expected| ≤ abs + rel·|expected|, element-wise, with NaN equal only to NaN and ±Infinity only to
 * itself. The failure message names the first offending index, both values and the tolerance.
 */
export interface Tolerance {
  /** Absolute tolerance (default 0). */
  readonly abs?: number;
  /** Relative tolerance, times |expected| (default 0). */
  readonly rel?: number;
}

function within(a: number, e: number, tol: Tolerance): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= (tol.abs ?? 0) + (tol.rel ?? 0) * Math.abs(e);
}

export function expectClose(actual: number | ArrayLike<number>, expected: number | ArrayLike<number>, tol: Tolerance): void {
  const a = typeof actual === 'number' ? [actual] : actual;
  const e = typeof expected === 'number' ? [expected] : expected;
  if (a.length !== e.length) throw new Error(`expectClose: ${a.length} values, expected ${e.length}`);
  for (let i = 0; i < e.length; i++) {
    if (!within(a[i], e[i], tol)) {
      throw new Error(`expectClose: at [${i}] got ${a[i]}, expected ${e[i]} (abs ${tol.abs ?? 0}, rel ${tol.rel ?? 0}; diff ${Math.abs(a[i] - e[i])})`);
    }
  }
}
