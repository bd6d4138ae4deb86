import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Reference values computed by an independent numpy script from the data files and the authors'
 * definitions (apps/repro/reference/repro_reference.py; its header gives the command). The reproduction
 * checks its own numbers against these: none of them is computed by conceptlab.
 */
export interface ReproReference {
  readonly nc_accuracy: {
    readonly percent: number;
    readonly correct: number;
    readonly count: number;
    readonly min_margin: number;
    readonly objects_seen: number;
    readonly paper_ci95_seen_objects: number;
  };
  readonly similarity_subset: { readonly step: number; readonly objects: number; readonly values: readonly number[] };
  readonly categories: {
    readonly names: readonly string[];
    readonly objects: number;
    readonly accuracy_percent: number;
    readonly chance_exact_percent: number;
    readonly chance_numpy_shuffles: { readonly mean: number; readonly sd: number; readonly prctile2_5: number; readonly prctile97_5: number };
  };
}

/** A file of the committed reference folder (apps/repro/reference/). */
export function referenceFile(name: string): string {
  return fileURLToPath(new URL(`../reference/${name}`, import.meta.url));
}

export const REFERENCE_FILE = referenceFile('repro_reference.json');

let cached: ReproReference | undefined;
/** The committed reference values (read once). */
export function reproReference(): ReproReference {
  cached ??= JSON.parse(readFileSync(REFERENCE_FILE, 'utf8')) as ReproReference;
  return cached;
}

/** The subset of objects the similarity reference covers: 0, step, 2·step, … below n. */
export function similaritySubset(n: number, step: number): number[] {
  return Array.from({ length: Math.ceil(n / step) }, (_, i) => i * step);
}

/** The strict upper triangle of a square matrix in the reference's order: for j = 1…m−1, for i < j: S[i][j]. */
export function upperTriangleByColumn(m: { rows: number; cols: number; data: ArrayLike<number> }): Float64Array {
  const n = m.rows;
  const out = new Float64Array((n * (n - 1)) / 2);
  let t = 0;
  for (let j = 1; j < n; j++) for (let i = 0; i < j; i++) out[t++] = m.data[i * n + j];
  return out;
}
