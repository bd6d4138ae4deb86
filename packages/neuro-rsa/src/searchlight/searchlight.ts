import { availableParallelism } from 'node:os';
import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { runWorkerPool, shareArray, WorkerTaskError } from '@conceptlab/core/runtime';
import { checkRdm, type Rdm } from '../rdm/rdm.js';
import type { CompareMethod } from '../inference/compare.js';
import type { RdmMethod } from '../rdm/measures.js';
import { cubeOffsets, sphereOffsets, type Neighbourhood } from './sphere.js';
import { evaluateSearchlights, type SearchlightJob } from './searchlight-kernel.js';
import { gridSize, type Grid, type Volume } from '../nifti/volume.js';

/** The searchlights of a mask: their centres and, per centre, the voxels it covers. */
export interface Searchlights {
  /** Linear (NIfTI-order) voxel index of each centre, ascending. */
  readonly centres: Int32Array;
  /** CSR offsets: centre m covers `members[start[m] … start[m+1])`; length centres + 1. */
  readonly start: Int32Array;
  /** Linear voxel indices of the covered voxels, ascending within each centre. */
  readonly members: Int32Array;
}

/** How to lay searchlights over a mask ({@link getVolumeSearchlight}). */
export interface SearchlightShapeOptions {
  /** Sphere radius in voxels (voxels at distance < radius; rsatoolbox's default 2). Exclusive with `cube`. */
  readonly radius?: number;
  /** Cube side in voxels (odd; the paper's 7). Exclusive with `radius`. */
  readonly cube?: number;
  /** Minimum fraction of a neighbourhood's in-grid voxels that lie in the mask for its centre to be kept (default 1). */
  readonly threshold?: number;
  /**
   * Keep only in-mask voxels in each neighbourhood (rsatoolbox's `truncate_at_boundary`; default false, which
   * keeps every in-grid voxel of the neighbourhood as rsatoolbox does).
   */
  readonly truncateAtBoundary?: boolean;
}

function neighbourhoodOf(options: SearchlightShapeOptions): Neighbourhood {
  if (options.radius !== undefined && options.cube !== undefined) {
    throw new InvalidArgumentError('radius/cube', 'either a sphere radius or a cube side, not both', `${options.radius} and ${options.cube}`);
  }
  return options.cube !== undefined ? cubeOffsets(options.cube) : sphereOffsets(options.radius ?? 2);
}

/**
 * Searchlight centres and neighbourhoods over a 3-D mask, as rsatoolbox's `get_volume_searchlight`
 * (`rsatoolbox.util.searchlight`): every non-zero mask voxel is a candidate centre; its neighbourhood is the
 * sphere (distance < `radius`) or cube around it, clipped to the grid; the centre is kept when the fraction of
 * those in-grid voxels that are in the mask is ≥ `threshold`. The fraction is taken before any
 * `truncateAtBoundary` trimming (rsatoolbox takes it after, which makes the threshold vacuous when trimming).
 * Mask voxels are "in" when non-zero (and not NaN).
 *
 * @throws ShapeError when `mask` does not have one value per grid voxel.
 * @throws InvalidArgumentError for a bad radius, cube side or threshold (outside [0, 1]), or both radius and cube.
 */
export function getVolumeSearchlight(mask: ArrayLike<number>, shape: Grid['shape'], options: SearchlightShapeOptions = {}): Searchlights {
  const [X, Y, Z] = shape;
  const size = X * Y * Z;
  if (mask.length !== size) throw new ShapeError(`mask has ${mask.length} voxels, the grid ${X}×${Y}×${Z} has ${size}`);
  const threshold = options.threshold ?? 1;
  if (!(threshold >= 0 && threshold <= 1)) throw new InvalidArgumentError('threshold', 'a fraction in [0, 1]', threshold);
  const { count, offsets } = neighbourhoodOf(options);
  const truncate = options.truncateAtBoundary ?? false;
  const inMask = new Uint8Array(size);
  for (let v = 0; v < size; v++) inMask[v] = mask[v]! !== 0 && !Number.isNaN(mask[v]!) ? 1 : 0;

  const centres: number[] = [];
  const start: number[] = [0];
  let members = new Int32Array(1024);
  let used = 0;
  const scratch = new Int32Array(count);
  for (let v = 0; v < size; v++) {
    if (!inMask[v]) continue;
    const i = v % X, j = Math.floor(v / X) % Y, k = Math.floor(v / (X * Y));
    let inGrid = 0, inside = 0, kept = 0;
    for (let o = 0; o < count; o++) {
      const a = i + offsets[3 * o]!, b = j + offsets[3 * o + 1]!, c = k + offsets[3 * o + 2]!;
      if (a < 0 || a >= X || b < 0 || b >= Y || c < 0 || c >= Z) continue;
      const w = a + X * (b + Y * c);
      inGrid++;
      if (inMask[w]) inside++;
      if (!truncate || inMask[w]) scratch[kept++] = w;
    }
    if (inside / inGrid < threshold) continue;
    if (used + kept > members.length) {
      const grown = new Int32Array(Math.max(2 * members.length, used + kept));
      grown.set(members.subarray(0, used));
      members = grown;
    }
    members.set(scratch.subarray(0, kept).sort(), used);
    used += kept;
    centres.push(v);
    start.push(used);
  }
  return { centres: Int32Array.from(centres), start: Int32Array.from(start), members: members.slice(0, used) };
}

/** Options of {@link searchlightRsa}. */
export interface SearchlightRsaOptions extends SearchlightShapeOptions {
  /** Dissimilarity measure of each searchlight's RDM (default `'correlation'`, as rsatoolbox's `get_searchlight_RDMs`). */
  readonly measure?: RdmMethod;
  /** RDM comparator (default `'corr'`, as rsatoolbox's `evaluate_models_searchlight`). */
  readonly method?: CompareMethod;
  /**
   * Divide every score by this noise ceiling: one number, or a map with one value per grid voxel (the value at
   * the centre is used).
   */
  readonly noiseCeiling?: number | ArrayLike<number>;
  /** Worker threads (default: available cores, at most one per 64 centres). 1 runs in this thread. */
  readonly threads?: number;
  /** The worker script (default: searchlight-worker.js beside this module); for running from sources in tests. */
  readonly workerUrl?: URL | string;
}

/** The result of {@link searchlightRsa}. */
export interface SearchlightRsaResult extends Searchlights {
  /** One map per model on the data's grid (X·Y·Z values, NIfTI order): the score at each centre, NaN elsewhere. */
  readonly maps: Float32Array[];
  /** Scores per model at each centre (same order as `centres`), in double precision. */
  readonly scores: Float64Array[];
}

const CHUNK = 256;

/**
 * Searchlight RSA (rsatoolbox's `get_volume_searchlight` → `get_searchlight_RDMs` → `evaluate_models_searchlight`
 * with fixed models): at every searchlight centre of `mask`, the RDM of the conditions × neighbourhood-voxels
 * patterns (`computeRdm` with `measure`), compared with each model RDM (`compareRdms` semantics with `method`).
 * The conditions are the volumes of `bold` (frame c = condition c of the model RDMs).
 *
 * Runs on `threads` worker threads over chunks of centres; every centre is computed by the same code whatever
 * the thread count, so the maps are bit-identical for any `threads`.
 *
 * @throws ShapeError when the mask or noise-ceiling map does not match the grid, or a model RDM is over a
 *   different number of conditions than `bold` has volumes.
 * @throws InvalidArgumentError for bad shape options, threads or noise ceiling.
 */
export async function searchlightRsa(bold: Volume, mask: ArrayLike<number>, models: readonly Rdm[], options: SearchlightRsaOptions = {}): Promise<SearchlightRsaResult> {
  const voxels = gridSize(bold.grid);
  const n = bold.frames;
  if (bold.data.length !== voxels * n) throw new ShapeError(`volume data has ${bold.data.length} values, expected ${voxels}×${n} frames`);
  if (n < 2) throw new ShapeError(`searchlight RSA needs at least 2 volumes (conditions), got ${n}`);
  if (models.length === 0) throw new InvalidArgumentError('models', 'at least one model RDM', 0);
  models.forEach((m, q) => {
    checkRdm(m, `models[${q}]`);
    if (m.n !== n) throw new ShapeError(`model ${q} is an RDM over ${m.n} conditions, the data has ${n} volumes`);
  });
  const nc = options.noiseCeiling;
  if (typeof nc === 'number') {
    if (!(Number.isFinite(nc) && nc !== 0)) throw new InvalidArgumentError('noiseCeiling', 'a finite non-zero number', nc);
  } else if (nc !== undefined && nc.length !== voxels) {
    throw new ShapeError(`noise-ceiling map has ${nc.length} voxels, the grid has ${voxels}`);
  }
  const sl = getVolumeSearchlight(mask, bold.grid.shape, options);
  const count = sl.centres.length;
  const threadsOpt = options.threads;
  if (threadsOpt !== undefined && (!Number.isInteger(threadsOpt) || threadsOpt < 1)) throw new InvalidArgumentError('threads', 'a positive integer', threadsOpt);
  const threads = Math.max(1, Math.min(threadsOpt ?? availableParallelism(), Math.ceil(count / 64)));
  const job: SearchlightJob = {
    data: bold.data,
    voxels,
    conditions: n,
    start: sl.start,
    members: sl.members,
    models: models.map((m) => m.vector),
    measure: options.measure ?? 'correlation',
    method: options.method ?? 'corr',
  };
  const block = threads === 1 || count === 0 ? evaluateSearchlights(job, 0, count) : await runWorkers(job, count, threads, options.workerUrl);

  const k = models.length;
  const scores = models.map(() => new Float64Array(count));
  const maps = models.map(() => new Float32Array(voxels).fill(Number.NaN));
  for (let m = 0; m < count; m++) {
    const v = sl.centres[m]!;
    const div = nc === undefined ? 1 : typeof nc === 'number' ? nc : nc[v]!;
    for (let q = 0; q < k; q++) {
      const s = block[m * k + q]! / div;
      scores[q]![m] = s;
      maps[q]![v] = s;
    }
  }
  return { ...sl, maps, scores };
}

/** The chunks of centres of {@link searchlightRsa} on core/runtime's worker pool (the data shared, not copied per worker). */
async function runWorkers(job: SearchlightJob, count: number, threads: number, workerUrl: URL | string | undefined): Promise<Float64Array> {
  const shared: SearchlightJob = { ...job, data: shareArray(job.data) };
  const k = job.models.length;
  const out = new Float64Array(count * k);
  const chunks: [number, number][] = [];
  for (let a = 0; a < count; a += CHUNK) chunks.push([a, Math.min(count, a + CHUNK)]);
  const url = workerUrl ?? new URL('./searchlight-worker.js', import.meta.url);
  let values: Float64Array[];
  try {
    values = await runWorkerPool<readonly [number, number], Float64Array>({ url, tasks: chunks, threads, workerData: shared, name: 'searchlight' });
  } catch (err) {
    throw err instanceof WorkerTaskError ? new Error(`searchlight worker: ${err.originalMessage}`) : err;
  }
  chunks.forEach(([from], c) => out.set(values[c]!, from * k));
  return out;
}
