import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { FileError, InvalidArgumentError, writeFileAtomic } from '@conceptlab/core';
import {
  applyAffine,
  gridSize,
  read3dOnGrid,
  readMask,
  readNifti,
  searchlightRsa,
  writeNifti,
  type CompareMethod,
  type RdmMethod,
} from '@conceptlab/neuro-rsa';
import { checkAtMost, checkMemory, MEMORY_BUDGET_BYTES, floatOption, intOption } from '../options.js';
import { printResult, type Io } from '../output.js';
import { readRdmFile } from './rsa.js';

const MEASURES: readonly RdmMethod[] = ['correlation', 'euclidean', 'cosine'];
const METHODS: readonly CompareMethod[] = ['corr', 'cosine', 'spearman', 'kendall', 'tau-b', 'tau-a', 'rho-a'];

interface SearchlightCliOptions {
  bold: string;
  mask: string;
  model: string[];
  radius?: number;
  cube?: number;
  threshold: number;
  truncate?: boolean;
  measure: string;
  method: string;
  noiseCeiling?: string;
  threads?: number;
  resample?: string;
  out: string;
  json?: boolean;
}

/** A file-name-safe version of a model name. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export function registerSearchlight(program: Command, io: Io): void {
  program
    .command('searchlight')
    .description('searchlight RSA (rsatoolbox semantics): at every mask voxel, the RDM of the surrounding voxels compared with each model RDM; one NIfTI map per model')
    .requiredOption('--bold <file>', '4-D NIfTI: one volume per condition (e.g. a beta series), in the model RDMs\' condition order')
    .requiredOption('--mask <file>', 'binary NIfTI mask on the same grid (non-zero = inside)')
    .requiredOption('--model <files...>', 'model RDM files: .npy (n, n) or a stack (…, n, n), or TSV/text n × n')
    .option('--radius <voxels>', 'sphere radius in voxels: voxels at distance < radius (default 2)', floatOption('--radius', (x) => x > 0, 'a number > 0'))
    .option('--cube <side>', 'a cube of side × side × side voxels instead of a sphere (odd; the paper: 7)', intOption('--cube', 1))
    .option('--threshold <fraction>', 'minimum fraction of a searchlight\'s in-grid voxels inside the mask for its centre to count', floatOption('--threshold', (x) => x >= 0 && x <= 1, 'a fraction in [0, 1]'), 1)
    .option('--truncate', 'use only in-mask voxels of each searchlight (rsatoolbox truncate_at_boundary)')
    .option('--measure <measure>', MEASURES.join(' | '), 'correlation')
    .option('--method <method>', METHODS.join(' | '), 'corr')
    .option('--noise-ceiling <value|file>', 'divide the scores by a noise ceiling: a number, or a 3-D NIfTI map on the same grid')
    .option('--threads <n>', 'worker threads (default: available cores)', intOption('--threads', 1))
    .option('--resample <how>', "put a mask or noise-ceiling map on another grid onto the data's grid: nearest (otherwise a different grid is an error)")
    .requiredOption('--out <dir>', 'output directory: searchlight-<model>.nii.gz per model and summary.json')
    .option('--json', 'print the summary as JSON')
    .action(async (o: SearchlightCliOptions) => {
      if (!(MEASURES as readonly string[]).includes(o.measure)) throw new InvalidArgumentError('--measure', MEASURES.join(', '), o.measure);
      if (!(METHODS as readonly string[]).includes(o.method)) throw new InvalidArgumentError('--method', METHODS.join(', '), o.method);
      if (o.radius !== undefined && o.cube !== undefined) throw new InvalidArgumentError('--radius/--cube', 'either --radius or --cube, not both', `${o.radius} and ${o.cube}`);
      if (o.cube !== undefined && o.cube % 2 === 0) throw new InvalidArgumentError('--cube', 'an odd side length', o.cube);
      // A worker thread costs its own heap (about 64 MiB): bounded by memory before any starts.
      if (o.threads !== undefined) checkMemory('--threads', o.threads, 64 * 2 ** 20, 'worker threads');
      const models = o.model.flatMap(readRdmFile);
      const { volume: bold, header } = await readNifti(o.bold);
      for (const m of models) {
        if (m.rdm.n !== bold.frames) throw new InvalidArgumentError(m.name, `an RDM over ${bold.frames} conditions (the volumes of ${o.bold})`, `${m.rdm.n} conditions`);
      }
      if (o.resample !== undefined && o.resample !== 'nearest') throw new InvalidArgumentError('--resample', 'nearest', o.resample);
      const target = { file: o.bold, grid: bold.grid };
      const onGrid = { target, resample: o.resample as 'nearest' | undefined };
      const mask = await readMask(o.mask, onGrid);
      const inMask = new Uint8Array(gridSize(bold.grid));
      for (const v of mask.indices) inMask[v] = 1;
      // Bounds before the work, from the volume: a searchlight beyond the grid's diagonal covers the whole grid
      // (a larger one only enumerates empty offsets), and the member lists (4 bytes per voxel of each
      // searchlight, one per mask voxel) must fit in memory.
      const [gx, gy, gz] = bold.grid.shape;
      const diagonal = Math.ceil(Math.hypot(gx, gy, gz));
      const centres = Math.max(1, mask.indices.length);
      const maxMembers = Math.floor(MEMORY_BUDGET_BYTES / 4 / centres);
      const gridVoxels = gridSize(bold.grid);
      if (o.radius !== undefined) {
        checkAtMost('--radius', o.radius, diagonal, `the diagonal of the ${gx}×${gy}×${gz} grid of ${o.bold}: a larger sphere covers no more voxels`);
        const sphere = Math.min(gridVoxels, (4 / 3) * Math.PI * o.radius ** 3);
        if (sphere > maxMembers) checkAtMost('--radius', o.radius, Math.cbrt((3 * maxMembers) / (4 * Math.PI)), `${centres} searchlights × ${Math.round(sphere)} voxels × 4 bytes would exceed a quarter of this machine's memory`);
      }
      if (o.cube !== undefined) {
        checkAtMost('--cube', o.cube, 2 * Math.max(gx, gy, gz) - 1, `twice the largest side of the ${gx}×${gy}×${gz} grid of ${o.bold}, less one: a larger cube covers no more voxels`);
        const cube = Math.min(gridVoxels, o.cube ** 3);
        if (cube > maxMembers) checkAtMost('--cube', o.cube, Math.cbrt(maxMembers), `${centres} searchlights × ${cube} voxels × 4 bytes would exceed a quarter of this machine's memory`);
      }
      let noiseCeiling: number | Float32Array | Float64Array | undefined;
      if (o.noiseCeiling !== undefined) {
        const x = Number(o.noiseCeiling);
        noiseCeiling = o.noiseCeiling.trim() !== '' && Number.isFinite(x) ? x : (await read3dOnGrid(o.noiseCeiling, 'noise-ceiling', onGrid)).values;
      }
      const res = await searchlightRsa(bold, inMask, models.map((m) => m.rdm), {
        radius: o.radius,
        cube: o.cube,
        threshold: o.threshold,
        truncateAtBoundary: Boolean(o.truncate),
        measure: o.measure as RdmMethod,
        method: o.method as CompareMethod,
        noiseCeiling,
        threads: o.threads,
      });
      try {
        mkdirSync(o.out, { recursive: true });
      } catch (e) {
        throw new FileError(o.out, 'write', (e as Error).message);
      }
      const [X, Y] = bold.grid.shape;
      const used = new Set<string>();
      const summaries = models.map((m, q) => {
        let name = safeName(m.name);
        while (used.has(name)) name += '_';
        used.add(name);
        const file = join(o.out, `searchlight-${name}.nii.gz`);
        writeNifti(file, { grid: bold.grid, frames: 1, data: res.maps[q]! }, { sformCode: header.sformCode || 1, qformCode: header.qformCode || 1, description: `conceptlab searchlight ${o.method} ${m.name}` });
        const scores = res.scores[q]!;
        let best = -1, sum = 0, finite = 0;
        for (let c = 0; c < scores.length; c++) {
          const s = scores[c]!;
          if (Number.isNaN(s)) continue;
          sum += s;
          finite++;
          if (best < 0 || s > scores[best]!) best = c;
        }
        const peak = best < 0 ? null : (() => {
          const v = res.centres[best]!;
          const ijk: [number, number, number] = [v % X, Math.floor(v / X) % Y, Math.floor(v / (X * Y))];
          return { value: scores[best]!, voxel: ijk, world: applyAffine(bold.grid.affine, ...ijk) };
        })();
        return { name: m.name, file, peak, mean: finite ? sum / finite : null, centresScored: finite };
      });
      const summary = {
        bold: o.bold,
        mask: o.mask,
        shape: bold.grid.shape,
        conditions: bold.frames,
        searchlight: o.cube !== undefined ? { cube: o.cube } : { radius: o.radius ?? 2 },
        threshold: o.threshold,
        truncate: Boolean(o.truncate),
        measure: o.measure,
        method: o.method,
        noiseCeiling: typeof noiseCeiling === 'number' ? noiseCeiling : o.noiseCeiling ?? null,
        centres: res.centres.length,
        meanVoxelsPerSearchlight: res.centres.length ? res.members.length / res.centres.length : 0,
        models: summaries,
      };
      writeFileAtomic(join(o.out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
      printResult(io, Boolean(o.json), summary, () => {
        const lines = [`${res.centres.length} searchlights (${summary.meanVoxelsPerSearchlight.toFixed(1)} voxels each on average), ${o.measure} RDMs, ${o.method}:`];
        for (const s of summaries) {
          lines.push(s.peak
            ? `${s.name}: peak ${s.peak.value.toFixed(4)} at voxel (${s.peak.voxel.join(', ')}), world (${s.peak.world.map((x) => x.toFixed(1)).join(', ')}) mm; mean ${s.mean!.toFixed(4)} → ${s.file}`
            : `${s.name}: no finite score → ${s.file}`);
        }
        return lines.join('\n');
      });
    });
}
