import { InvalidArgumentError, ShapeError, writeFileAtomic, writeNpyMatrix, type Matrix } from '@conceptlab/core';

/** Dimensions whose largest weight is at most this are dropped (the reference's `get_nneg_dims` / `remove_zeros`, eps = 0.1). */
export const DEFAULT_PRUNE_THRESHOLD = 0.1;

/**
 * How exported dims are ordered and signed:
 * - `reference` (default; the SPoSE reference's sort_weights — torch `W.norm(p=1)` — and the authors'
 *   weights_sorted.npy, "sorted by L1 norm and made absolute"): order by Σ|w| (negatives included), values |w|.
 * - `clamped` (ours): order by Σ max(w, 0), values max(w, 0) (negatives set to 0).
 * Both keep dims whose signed maximum is > threshold; ties keep the original dim order (torch's argsort does
 * not promise one); norms are summed in float64 (torch sums float32).
 */
export type ExportMethod = 'reference' | 'clamped';

export interface PruneOptions {
  /** Keep dimensions whose maximum weight is > threshold (default 0.1). */
  readonly threshold?: number;
  /** Ordering and sign of the exported values (default 'reference'). */
  readonly method?: ExportMethod;
}

export interface DimensionRanking {
  /** The kept dimensions (0-based indices into the trained weights), by L1 norm descending. */
  readonly order: Int32Array;
  /** The L1 norm of each kept dimension, in `order`'s order (Σ|w| for 'reference', Σ max(w, 0) for 'clamped'). */
  readonly l1: Float64Array;
  readonly method: ExportMethod;
}

function checkWeights(weights: Float32Array | Float64Array, nObjects: number, dims: number): void {
  if (!Number.isInteger(nObjects) || nObjects < 1) throw new InvalidArgumentError('nObjects', 'a positive integer', nObjects);
  if (!Number.isInteger(dims) || dims < 1) throw new InvalidArgumentError('dims', 'a positive integer', dims);
  if (weights.length !== nObjects * dims) {
    throw new ShapeError(`weights has ${weights.length} values; ${nObjects} objects × ${dims} dims needs ${nObjects * dims}`);
  }
}

/**
 * The threshold in the weights' precision: float32 weights are compared with the float32 nearest to the
 * threshold, as torch and numpy compare a float32 array with a Python float (so a weight of
 * Math.fround(0.1) is not "> 0.1").
 */
function comparableThreshold(weights: Float32Array | Float64Array, threshold: number): number {
  if (Number.isNaN(threshold)) throw new InvalidArgumentError('threshold', 'a number', threshold);
  return weights instanceof Float32Array ? Math.fround(threshold) : threshold;
}

function exportMethod(options: PruneOptions): ExportMethod {
  const m = options.method ?? 'reference';
  if (m !== 'reference' && m !== 'clamped') throw new InvalidArgumentError('method', '"reference" or "clamped"', m);
  return m;
}

/**
 * Which dimensions of trained weights (nObjects × dims, row-major) survive pruning, and their order:
 * dimensions whose maximum weight is > threshold, sorted by L1 norm descending (Σ|w| by default, as the
 * reference; Σ max(w, 0) with method 'clamped'), ties by original index.
 */
export function rankDimensions(weights: Float32Array | Float64Array, nObjects: number, dims: number, options: PruneOptions = {}): DimensionRanking {
  checkWeights(weights, nObjects, dims);
  const threshold = comparableThreshold(weights, options.threshold ?? DEFAULT_PRUNE_THRESHOLD);
  const method = exportMethod(options);
  const abs = method === 'reference';
  const max = new Float64Array(dims).fill(-Infinity);
  const l1 = new Float64Array(dims);
  for (let o = 0; o < nObjects; o++) {
    for (let d = 0; d < dims; d++) {
      const w = weights[o * dims + d];
      if (w > max[d]) max[d] = w;
      if (w > 0) l1[d] += w;
      else if (abs && w < 0) l1[d] -= w;
    }
  }
  const kept: number[] = [];
  for (let d = 0; d < dims; d++) if (max[d] > threshold) kept.push(d);
  kept.sort((a, b) => l1[b] - l1[a] || a - b);
  return { order: Int32Array.from(kept), l1: Float64Array.from(kept, (d) => l1[d]), method };
}

/** The number of dimensions whose maximum weight is > threshold (the reference's "non-negative dimensions"). */
export function countActiveDims(weights: Float32Array | Float64Array, nObjects: number, dims: number, threshold = DEFAULT_PRUNE_THRESHOLD): number {
  checkWeights(weights, nObjects, dims);
  threshold = comparableThreshold(weights, threshold);
  let count = 0;
  for (let d = 0; d < dims; d++) {
    for (let o = 0; o < nObjects; o++) {
      if (weights[o * dims + d] > threshold) {
        count++;
        break;
      }
    }
  }
  return count;
}

/**
 * An exported SPoSE embedding: objects × dims in **float32** — the precision the weights are trained and stored
 * in (the reference saves float32 too), so `.npy` files keep dtype float32 and text shows the shortest float32
 * decimals. Note that core's `Matrix` defaults to `Float64Array`: where float64 is wanted, convert explicitly
 * with core's `toFloat64Matrix` (same numbers, exactly).
 */
export type SposeEmbedding = Matrix<Float32Array>;

/**
 * The exported SPoSE embedding ({@link SposeEmbedding}, float32): nObjects × k, the k dimensions whose maximum weight is > threshold
 * (default 0.1; compared in float32 for float32 weights), sorted by L1 norm descending (see
 * {@link rankDimensions}), non-negative: |w| by default (the reference's L1 order and the authors' absolute
 * values), max(w, 0) with method 'clamped'. The positivity penalty leaves only small negative weights, so
 * the two differ only where negative mass reorders dims of nearly equal norm or in those small values.
 * May have 0 columns.
 */
export function pruneAndSort(weights: Float32Array | Float64Array, nObjects: number, dims: number, options: PruneOptions = {}): SposeEmbedding {
  const { order, method } = rankDimensions(weights, nObjects, dims, options);
  const abs = method === 'reference';
  const k = order.length;
  const data = new Float32Array(nObjects * k);
  for (let o = 0; o < nObjects; o++) {
    for (let c = 0; c < k; c++) {
      const w = weights[o * dims + order[c]];
      data[o * k + c] = w > 0 ? w : abs && w < 0 ? -w : 0; // also maps −0 and NaN to 0
    }
  }
  return { rows: nObjects, cols: k, data };
}

/**
 * The shortest decimal that reads back (as a float32) to the same float32 value, e.g. 0.1 for
 * Math.fround(0.1) rather than 0.10000000149011612. `nan`, `inf`, `-inf` for the special values.
 */
export function formatFloat32(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const f = Math.fround(x);
  if (f === 0) return '0';
  for (let p = 1; p < 9; p++) {
    const y = Number(f.toPrecision(p));
    if (Math.fround(y) === f) return String(y);
  }
  return String(Number(f.toPrecision(9)));
}

function formatFloat64(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x);
}

/**
 * An embedding as text in the reference's layout: one row per object, values separated by single spaces,
 * newline-terminated (numpy.loadtxt and core's readMatrixText read it). Values use the shortest decimal
 * that reads back exactly: float32 data round-trips as float32, float64 data as float64 (the reference's
 * numpy.savetxt writes '%.18e'; the numbers are the same).
 */
export function formatEmbeddingText(embedding: Matrix<Float32Array | Float64Array>): string {
  const { rows, cols, data } = embedding;
  const fmt = data instanceof Float32Array ? formatFloat32 : formatFloat64;
  const lines: string[] = new Array(rows);
  const row: string[] = new Array(cols);
  for (let o = 0; o < rows; o++) {
    for (let c = 0; c < cols; c++) row[c] = fmt(data[o * cols + c]);
    lines[o] = row.join(' ');
  }
  return rows > 0 ? lines.join('\n') + '\n' : '';
}

export type EmbeddingFormat = 'npy' | 'txt';

export interface WriteEmbeddingOptions {
  /** Which files to write (default both). */
  readonly formats?: readonly EmbeddingFormat[];
}

/**
 * Write an embedding (e.g. from {@link pruneAndSort}) next to `basePath`: `<base>.npy` (the matrix's
 * dtype, float32 for pruneAndSort's result) and `<base>.txt` (see {@link formatEmbeddingText}), each
 * atomically, creating parent directories. A `.npy` or `.txt` extension on basePath is dropped first.
 * Returns the paths written.
 * @throws FileError when a file cannot be written.
 */
export function writeEmbedding(basePath: string, embedding: Matrix<Float32Array | Float64Array>, options: WriteEmbeddingOptions = {}): string[] {
  if (embedding.data.length !== embedding.rows * embedding.cols) {
    throw new ShapeError(`embedding data has ${embedding.data.length} values; ${embedding.rows}×${embedding.cols} needs ${embedding.rows * embedding.cols}`);
  }
  const formats = options.formats ?? ['npy', 'txt'];
  const base = basePath.replace(/\.(npy|txt)$/, '');
  const written: string[] = [];
  for (const f of formats) {
    if (f === 'npy') {
      writeNpyMatrix(`${base}.npy`, embedding);
    } else if (f === 'txt') {
      writeFileAtomic(`${base}.txt`, formatEmbeddingText(embedding));
    } else {
      throw new InvalidArgumentError('formats', '"npy" and/or "txt"', f);
    }
    written.push(`${base}.${f}`);
  }
  return written;
}
