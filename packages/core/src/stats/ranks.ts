/**
 * 1-based ranks with ties given their average rank — `scipy.stats.rankdata(x)` (method 'average'), the ranks
 * behind Spearman's ρ. E.g. ranks([10, 30, 20, 20]) = [1, 4, 2.5, 2.5]. An empty input gives an empty result.
 * NaN anywhere makes every rank NaN (scipy's default `nan_policy='propagate'`): NaN has no place in an order.
 */
export function ranks(x: ArrayLike<number>): Float64Array {
  const m = x.length;
  const out = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    if (Number.isNaN(x[k])) return out.fill(NaN);
  }
  const order = Array.from({ length: m }, (_, k) => k).sort((i, j) => x[i] - x[j] || i - j);
  let start = 0;
  while (start < m) {
    let end = start + 1;
    while (end < m && x[order[end]] === x[order[start]]) end++;
    const r = (start + 1 + end) / 2; // mean of ranks start+1 … end
    for (let k = start; k < end; k++) out[order[k]] = r;
    start = end;
  }
  return out;
}
