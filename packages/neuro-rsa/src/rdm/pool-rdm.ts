import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { ranks as rankData } from '@conceptlab/core/stats';
import { COMPARE_METHODS, type CompareMethod } from '../inference/compare.js';
import { checkRdm, type Rdm } from './rdm.js';

/**
 * The group RDM that rsatoolbox's `pool_rdm(rdms, method)` builds for a comparator before it is used
 * as a noise-ceiling prediction. Each RDM vector is first normalised for the comparator, then the
 * vectors are averaged entry by entry (rsatoolbox's `_nan_mean`: only the entries that are finite in
 * the first RDM are averaged, the others are NaN; a NaN in a later RDM at such an entry makes the mean
 * NaN there):
 *
 * - `'cosine'`, `'cosine_cov'`: divide each vector by its root mean square (`√nanmean(d²)`);
 * - `'corr'`, `'corr_cov'`: subtract the nanmean, divide by the nanstd (ddof = 0), average, then
 *   subtract the minimum of the average (nanmin);
 * - `'spearman'`, `'rho-a'`, `'kendall'`, `'tau-b'`, `'tau-a'`: replace each vector by the average
 *   ranks of its finite entries (scipy `rankdata`, NaN kept), then average.
 *
 * @throws InvalidArgumentError with no RDMs or an unknown method.
 * @throws ShapeError when the RDMs have different numbers of conditions.
 */
export function poolRdm(rdms: readonly Rdm[], method: CompareMethod): Rdm {
  if (rdms.length === 0) throw new InvalidArgumentError('rdms', 'at least one RDM', 0);
  if (!COMPARE_METHODS.includes(method)) throw new InvalidArgumentError('method', COMPARE_METHODS.join(', '), method);
  const n = rdms[0]!.n;
  rdms.forEach((r, s) => {
    checkRdm(r, `rdms[${s}]`);
    if (r.n !== n) throw new ShapeError(`rdms[${s}] has ${r.n} conditions, rdms[0] has ${n}`);
  });
  const normalised = rdms.map((r) => normalise(r.vector, method));
  const first = normalised[0]!;
  const out = new Float64Array(first.length);
  for (let k = 0; k < out.length; k++) {
    if (Number.isNaN(first[k]!)) {
      out[k] = Number.NaN;
      continue;
    }
    let s = 0;
    for (const v of normalised) s += v[k]!;
    out[k] = s / normalised.length;
  }
  if (method === 'corr' || method === 'corr_cov') {
    let min = Infinity;
    for (const v of out) if (v < min) min = v;
    for (let k = 0; k < out.length; k++) out[k]! -= min;
  }
  return { n, vector: out };
}

function normalise(v: Float64Array, method: CompareMethod): Float64Array {
  const out = new Float64Array(v.length);
  switch (method) {
    case 'cosine':
    case 'cosine_cov': {
      let ss = 0;
      let c = 0;
      for (const x of v) if (!Number.isNaN(x)) { ss += x * x; c++; }
      const rms = Math.sqrt(ss / c);
      for (let k = 0; k < v.length; k++) out[k] = v[k]! / rms;
      return out;
    }
    case 'corr':
    case 'corr_cov': {
      let s = 0;
      let c = 0;
      for (const x of v) if (!Number.isNaN(x)) { s += x; c++; }
      const mean = s / c;
      let ss = 0;
      for (const x of v) if (!Number.isNaN(x)) ss += (x - mean) ** 2;
      const sd = Math.sqrt(ss / c);
      for (let k = 0; k < v.length; k++) out[k] = (v[k]! - mean) / sd;
      return out;
    }
    default: {
      const idx: number[] = [];
      for (let k = 0; k < v.length; k++) if (!Number.isNaN(v[k]!)) idx.push(k);
      const ranks = rankData(idx.map((k) => v[k]!));
      out.fill(Number.NaN);
      idx.forEach((k, r) => (out[k] = ranks[r]!));
      return out;
    }
  }
}
