import { assertValidTriplets, createProgress, InvalidArgumentError, ShapeError, type Matrix, type ProgressListener, type Triplets } from '@conceptlab/core';
import { evaluateTriplets } from './evaluate.js';

export interface DimsNeededOptions {
  /** Shares of the full margin / variance to reach (default [0.95, 0.99]); each in (0, 1]. */
  readonly quantiles?: readonly number[];
  /** Tie-break seed passed to evaluateTriplets for every evaluation (default 0). */
  readonly seed?: number;
  /** The objects to analyse (distinct indices; default all). Row r of the per-object results is objects[r]. */
  readonly objects?: Int32Array | readonly number[];
  /** Progress in objects. */
  readonly onProgress?: ProgressListener;
}

/** Distribution over objects of the smallest number of dims reaching a criterion. */
export interface DimsNeededSummary {
  readonly median: number;
  readonly mean: number;
  /** Objects for which the criterion is defined (the others are NaN and left out). */
  readonly objects: number;
}

export interface DimsNeeded {
  /** This variant: each object reduced alone (see dimsNeededPaper for the authors' definition). */
  readonly method: 'per-object';
  /** D: the embedding's dims (m runs over 1..D). */
  readonly dims: number;
  /** The analysed objects; row r of every per-object array is objects[r]. */
  readonly objects: Int32Array;
  /** Held-out triplets containing each object. */
  readonly triplets: Int32Array;
  /** Accuracy on the object's triplets with the full embedding (NaN without triplets). */
  readonly fullAccuracy: Float64Array;
  /** objects × D: column m − 1 = accuracy on the object's triplets when it keeps only its m strongest dims. */
  readonly accuracy: Matrix<Float64Array>;
  /**
   * objects × D: column m − 1 = r² between the object's dot-product similarity to every other object with its m
   * strongest dims and with all its dims (NaN where either row is constant).
   */
  readonly r2: Matrix<Float64Array>;
  readonly quantiles: readonly number[];
  /**
   * Per quantile q, per object: the smallest m with (acc_m − 1/3) ≥ q·(acc_full − 1/3). NaN when the object has no
   * triplets or no margin above chance (acc_full ≤ 1/3).
   */
  readonly accuracyDims: readonly Float64Array[];
  /** Per quantile q, per object: the smallest m with r²_m ≥ q. NaN when the object's full similarity row is constant. */
  readonly varianceDims: readonly Float64Array[];
  /** Per quantile: median and mean over objects of accuracyDims and varianceDims. */
  readonly summary: readonly { readonly quantile: number; readonly accuracy: DimsNeededSummary; readonly variance: DimsNeededSummary }[];
}

const CHANCE = 1 / 3;

/**
 * A per-object variant of the paper's "dimensions needed" analysis (Du et al. 2025; Hebart et al. 2020): how many
 * of an object's strongest dims carry its behaviour and its similarity structure. The authors' own definition is
 * {@link dimsNeededPaper} (the default of `conceptlab dims-needed`).
 *
 * For each object o, its dims are ordered by weight (descending; ties by dim index). For m = 1..D, o keeps only its
 * m strongest dims (the others zeroed in o's row only; every other row is untouched), and
 * - accuracy: {@link evaluateTriplets} (dot similarity, the given seed) on the held-out triplets that contain o,
 *   with the modified embedding; the criterion for quantile q is (acc_m − 1/3) ≥ q·(acc_full − 1/3): q of the
 *   full accuracy's margin above chance;
 * - variance: r² (Pearson) between o's row of the dot-product similarity to all other objects (j ≠ o) under the
 *   modified and the full embedding; the criterion is r² ≥ q. This uses dot products rather than o's row of the
 *   full predicted-similarity matrix (which would cost a predictedSimilarity row per (o, m)); it is the quantity
 *   the predicted similarity is a smooth monotone function of.
 * Reported per object: the smallest m meeting each criterion, and the median and mean over objects.
 *
 * Differences from the authors' script (draw_figure4h_num_dims_retained_*.m), which removes every object's weakest
 * dim at the same time and compares overall accuracy and the whole predicted-similarity matrix: here each object
 * is reduced alone and judged on its own triplets and similarity row (per-object distributions), and the
 * accuracy margin is taken above chance as (acc_m − 1/3) ≥ q·(acc_full − 1/3) with ≥.
 *
 * Cost: an index object → triplet rows is built once; per object only its triplets are evaluated, and only for
 * m up to its number of non-zero dims (beyond that the row is the full row: acc_m = acc_full, r² = 1).
 * Altogether about 3·(triplets)·(non-zero dims per object) triplet evaluations plus objects²·D for the similarity rows.
 *
 * @throws InvalidArgumentError for triplets out of range, a bad quantile, seed or object list;
 *   ShapeError when the embedding's data does not match its shape.
 */
export function dimsNeeded(embedding: Matrix<Float32Array | Float64Array>, triplets: Triplets, options: DimsNeededOptions = {}): DimsNeeded {
  const n = embedding.rows, D = embedding.cols, w = embedding.data;
  if (w.length !== n * D) throw new ShapeError(`embedding data has ${w.length} values; ${n}×${D} needs ${n * D}`);
  assertValidTriplets(triplets, n, 'triplets');
  const quantiles = [...(options.quantiles ?? [0.95, 0.99])];
  for (const q of quantiles) if (!(q > 0 && q <= 1)) throw new InvalidArgumentError('quantiles', 'numbers in (0, 1]', q);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError('seed', 'a non-negative safe integer', seed);
  const objs = objectList(options.objects, n);
  const nObj = objs.length;

  // Index: object → rows of the triplets containing it (CSR).
  const start = new Int32Array(n + 1);
  const td = triplets.data;
  for (let t = 0; t < td.length; t++) start[td[t] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const rowsOf = new Int32Array(td.length);
  for (let t = 0; t < triplets.count; t++) for (let c = 0; c < 3; c++) rowsOf[fill[td[3 * t + c]]++] = t;

  const work = w.slice(); // the modified embedding (same element type, so similarities match evaluateTriplets on w)
  const evalOpts = { seed };
  const tripletCounts = new Int32Array(nObj);
  const fullAccuracy = new Float64Array(nObj);
  const acc = new Float64Array(nObj * D).fill(NaN);
  const r2 = new Float64Array(nObj * D).fill(NaN);
  const f = new Float64Array(n), g = new Float64Array(n);
  const orig = new Float64Array(D);
  const progress = createProgress('dims needed', options.onProgress, { total: nObj, unit: 'objects' });

  for (let r = 0; r < nObj; r++) {
    const o = objs[r], oo = o * D;
    // o's triplets.
    const cnt = start[o + 1] - start[o];
    tripletCounts[r] = cnt;
    const sub = new Int32Array(cnt * 3);
    for (let t = 0; t < cnt; t++) sub.set(td.subarray(3 * rowsOf[start[o] + t], 3 * rowsOf[start[o] + t] + 3), 3 * t);
    const subT: Triplets = { count: cnt, data: sub };
    const full = cnt > 0 ? evaluateTriplets(embedding, subT, evalOpts).accuracy : NaN;
    fullAccuracy[r] = full;

    // Dims by weight, descending (stable: ties by index); `last` = how many lead up to the final non-zero one.
    for (let d = 0; d < D; d++) orig[d] = w[oo + d];
    const order = Array.from({ length: D }, (_, d) => d).sort((a, b) => orig[b] - orig[a] || a - b);
    let last = 0;
    for (let p = 0; p < D; p++) if (orig[order[p]] !== 0) last = p + 1;

    // Full similarity row (j ≠ o), centred once.
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += orig[d] * w[j * D + d];
      f[j] = s;
    }
    let fm = 0;
    for (let j = 0; j < n; j++) if (j !== o) fm += f[j];
    fm /= n - 1;
    let sff = 0;
    for (let j = 0; j < n; j++) if (j !== o) { f[j] -= fm; sff += f[j] * f[j]; }
    const fullConstant = !(sff > 0);

    g.fill(0);
    for (let d = 0; d < D; d++) work[oo + d] = 0;
    for (let m = 1; m <= D; m++) {
      const idx = r * D + m - 1;
      if (m > last) {
        // The row is complete again: same embedding as the full one.
        acc[idx] = full;
        r2[idx] = fullConstant ? NaN : 1;
        continue;
      }
      const d = order[m - 1], x = orig[d];
      work[oo + d] = w[oo + d];
      for (let j = 0; j < n; j++) g[j] += x * w[j * D + d];
      if (cnt > 0) acc[idx] = evaluateTriplets({ rows: n, cols: D, data: work }, subT, evalOpts).accuracy;
      r2[idx] = fullConstant ? NaN : rSquaredSkip(f, sff, g, o, n);
    }
    for (let d = 0; d < D; d++) work[oo + d] = w[oo + d];
    progress.update(r + 1);
  }

  const accuracyDims = quantiles.map((q) => {
    const out = new Float64Array(nObj).fill(NaN);
    for (let r = 0; r < nObj; r++) {
      const margin = fullAccuracy[r] - CHANCE;
      if (!(margin > 0)) continue;
      for (let m = 1; m <= D; m++) {
        if (acc[r * D + m - 1] - CHANCE >= q * margin) { out[r] = m; break; }
      }
    }
    return out;
  });
  const varianceDims = quantiles.map((q) => {
    const out = new Float64Array(nObj).fill(NaN);
    for (let r = 0; r < nObj; r++) {
      for (let m = 1; m <= D; m++) {
        if (r2[r * D + m - 1] >= q) { out[r] = m; break; }
      }
    }
    return out;
  });
  const summary = quantiles.map((quantile, i) => ({ quantile, accuracy: summarize(accuracyDims[i]), variance: summarize(varianceDims[i]) }));
  progress.end();
  return {
    method: 'per-object',
    dims: D,
    objects: objs,
    triplets: tripletCounts,
    fullAccuracy,
    accuracy: { rows: nObj, cols: D, data: acc },
    r2: { rows: nObj, cols: D, data: r2 },
    quantiles,
    accuracyDims,
    varianceDims,
    summary,
  };
}

/** r² of the centred row `f` (Σf² = sff) with `g`, both over j ≠ skip. NaN when g is constant. */
function rSquaredSkip(f: Float64Array, sff: number, g: Float64Array, skip: number, n: number): number {
  let gm = 0;
  for (let j = 0; j < n; j++) if (j !== skip) gm += g[j];
  gm /= n - 1;
  let sfg = 0, sgg = 0;
  for (let j = 0; j < n; j++) {
    if (j === skip) continue;
    const v = g[j] - gm;
    sfg += f[j] * v;
    sgg += v * v;
  }
  if (!(sgg > 0)) return NaN;
  const r = sfg / Math.sqrt(sff * sgg);
  return r >= 1 || r <= -1 ? 1 : r * r;
}

/** Median and mean of the non-NaN values. */
function summarize(values: Float64Array): DimsNeededSummary {
  const v = Array.from(values).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const k = v.length;
  if (k === 0) return { median: NaN, mean: NaN, objects: 0 };
  const median = k % 2 ? v[(k - 1) / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
  let s = 0;
  for (const x of v) s += x;
  return { median, mean: s / k, objects: k };
}

function objectList(list: Int32Array | readonly number[] | undefined, n: number): Int32Array {
  if (list === undefined) return Int32Array.from({ length: n }, (_, i) => i);
  const seen = new Uint8Array(n);
  const out = new Int32Array(list.length);
  for (let r = 0; r < list.length; r++) {
    const x = list[r];
    if (!Number.isInteger(x) || x < 0 || x >= n) throw new InvalidArgumentError(`objects[${r}]`, `an object index in [0, ${n - 1}]`, x);
    if (seen[x]) throw new InvalidArgumentError(`objects[${r}]`, 'distinct object indices', `${x} again`);
    seen[x] = 1;
    out[r] = x;
  }
  return out;
}
