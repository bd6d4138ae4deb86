import { gramPanelJs } from './gram-js.js';
import { createGramWasmArena, gramWasmAvailable, GRAM_WASM_MAX_BYTES } from './gram-wasm.js';

/** Which sum over channels the pairwise kernel forms: Σ x_i·x_j (`'dot'`) or Σ (x_i − x_j)² (`'sqdist'`). */
export type PairSum = 'dot' | 'sqdist';
/** Which implementation runs the kernel; `'auto'` is WebAssembly SIMD when available, else JavaScript. */
export type KernelChoice = 'auto' | 'wasm' | 'js';

/** Channels per packed chunk (4 KiB per row: a 4-row block stays in L1, a 128-row panel in L2). */
export const CHUNK = 512;
/** Columns per panel (a multiple of 4); panels are the unit of work split over threads. */
export const PANEL = 128;

/** Conditions × channels patterns, row-major, with an optional mean per row subtracted on the fly. */
export interface PairwiseInput {
  readonly n: number;
  readonly p: number;
  readonly data: ArrayLike<number>;
  /** Subtracted from every value of row i before use (x − mean, as the straightforward centring). */
  readonly means: Float64Array | null;
}

/** Rows padded to a multiple of 4 (the micro-kernel's row block). */
export const paddedRows = (n: number) => (n + 3) & ~3;
/** Number of column panels of an n-row problem. */
export const panelCount = (n: number) => Math.ceil(paddedRows(n) / PANEL);

/**
 * Raw pairwise sums of the rows of `input` for the given column panels, in the kernels' fixed
 * summation order (see assembly/gram.ts): for each pair i < j with j in one of `panels`,
 * `vector[rdmIndex(n, i, j)]` gets the sum, and for each i in one of `panels`, `diag[i]` gets the
 * sum of row i with itself. Other entries are left untouched, so threads can share the outputs.
 * The channel chunks are packed one at a time; the whole matrix is never copied.
 */
export function pairwiseSums(
  input: PairwiseInput,
  kind: PairSum,
  kernel: KernelChoice,
  panels: readonly number[],
  vector: Float64Array,
  diag: Float64Array,
): void {
  const { n, p, data, means } = input;
  const nn = paddedRows(n);
  const kcMax = Math.min(CHUNK, p + (p & 1));
  const useWasm =
    kernel === 'wasm' || (kernel === 'auto' && gramWasmAvailable() && 8 * (nn * kcMax + nn * nn) + 2 ** 20 < GRAM_WASM_MAX_BYTES);
  const sqdist = kind === 'sqdist';
  let xc: Float64Array;
  let out: Float64Array;
  let panel: (kc: number, j0: number, j1: number, acc: boolean) => void;
  if (useWasm) {
    const arena = createGramWasmArena(nn, kcMax);
    ({ xc, out } = arena);
    panel = (kc, j0, j1, acc) => arena.panel(kc, j0, j1, acc, sqdist);
  } else {
    xc = new Float64Array(nn * kcMax);
    out = new Float64Array(nn * nn);
    panel = (kc, j0, j1, acc) => gramPanelJs(xc, kc, out, nn, j0, j1, acc, sqdist);
  }
  let rowsNeeded = 0;
  for (const q of panels) rowsNeeded = Math.max(rowsNeeded, Math.min((q + 1) * PANEL, nn));
  const rowsPacked = Math.min(rowsNeeded, n);
  for (let c0 = 0; c0 < p; c0 += CHUNK) {
    const w = Math.min(CHUNK, p - c0);
    const kc = w + (w & 1); // even: an odd last channel is padded with 0 (adds exact zeros)
    for (let i = 0; i < rowsPacked; i++) {
      const src = i * p + c0;
      const dst = i * kc;
      const mean = means ? means[i]! : 0;
      if (means) for (let c = 0; c < w; c++) xc[dst + c] = data[src + c]! - mean;
      else for (let c = 0; c < w; c++) xc[dst + c] = data[src + c]!;
      if (kc > w) xc[dst + w] = 0;
    }
    xc.fill(0, rowsPacked * kc, rowsNeeded * kc); // padding rows
    for (const q of panels) panel(kc, q * PANEL, Math.min((q + 1) * PANEL, nn), c0 > 0);
  }
  for (const q of panels) {
    const j0 = q * PANEL;
    const j1 = Math.min((q + 1) * PANEL, n);
    for (let j = j0; j < j1; j++) {
      diag[j] = out[j * nn + j]!;
      // rdmIndex(n, i, j) = i·n − i(i+1)/2 + j − i − 1 for i < j
      for (let i = 0; i < j; i++) vector[i * n - (i * (i + 1)) / 2 + j - i - 1] = out[i * nn + j]!;
    }
  }
}

/** Every panel of an n-row problem, largest (most work) first. */
export function allPanels(n: number): number[] {
  return Array.from({ length: panelCount(n) }, (_, q) => panelCount(n) - 1 - q);
}

/**
 * Turns raw pairwise sums into distances in place: `'euclidean'` divides the squared distance by
 * the number of channels p; `'euclidean-gram'` takes dot products and forms rsatoolbox's
 * ((‖x_i‖² + ‖x_j‖²) − 2·x_i·x_j) / p with ‖x_i‖² = diag[i]; `'correlation'` and `'cosine'` take
 * 1 − dot / (‖x_i‖·‖x_j‖) with ‖x_i‖ = √diag[i], or NaN when that product is not positive (a constant
 * or zero pattern).
 */
export function finishDistances(
  method: 'euclidean' | 'euclidean-gram' | 'correlation' | 'cosine',
  n: number,
  p: number,
  vector: Float64Array,
  diag: Float64Array,
): void {
  if (method === 'euclidean') {
    for (let k = 0; k < vector.length; k++) vector[k] = vector[k]! / p;
    return;
  }
  if (method === 'euclidean-gram') {
    let k = 0;
    for (let i = 0; i < n; i++) {
      const si = diag[i]!;
      for (let j = i + 1; j < n; j++, k++) vector[k] = (si + diag[j]! - 2 * vector[k]!) / p;
    }
    return;
  }
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) norms[i] = Math.sqrt(diag[i]!);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const ni = norms[i]!;
    for (let j = i + 1; j < n; j++, k++) {
      const denom = ni * norms[j]!;
      vector[k] = denom > 0 ? 1 - vector[k]! / denom : Number.NaN;
    }
  }
}

/** Row means (Σ x / p, summed in channel order), the centring of the correlation distance. */
export function rowMeans(n: number, p: number, data: ArrayLike<number>): Float64Array {
  const means = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < p; c++) s += data[i * p + c]!;
    means[i] = s / p;
  }
  return means;
}
