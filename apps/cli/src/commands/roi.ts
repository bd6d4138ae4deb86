import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { FileError, InvalidArgumentError, writeFileAtomic, writeNpyMatrix } from '@conceptlab/core';
import {
  extractRoiPatterns,
  niftiFrameCount,
  niftiSpatialShape,
  readAtlas,
  readMask,
  readNiftiHeader,
  selectRois,
  type Roi,
  type TargetGrid,
} from '@conceptlab/neuro-rsa';
import { printResult, type Io } from '../output.js';

interface RoiOptions {
  bold: string[];
  mask?: string;
  atlas?: string;
  labels?: string;
  roi?: string[];
  resample?: 'nearest';
  out: string;
  json?: boolean;
}

/** A file name for an ROI: characters outside [A-Za-z0-9._-] become '_'. */
function fileNameFor(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return s === '' || s === '.' || s === '..' ? '_' : s;
}

/**
 * `conceptlab roi`: condition × voxel patterns (float32 .npy) from one 4-D beta series or several 3-D beta
 * maps, for one mask or the ROIs of an atlas, streamed (large 4-D files never sit in memory whole).
 */
export function registerRoi(program: Command, io: Io): void {
  program
    .command('roi')
    .description('extract condition × voxel patterns (float32 .npy) for a mask, or for every ROI of an atlas')
    .requiredOption('--bold <files...>', 'one 4-D beta series (frames = conditions) or several 3-D beta maps in condition order')
    .option('--mask <file>', 'binary mask (nonzero = inside); --out is the .npy written')
    .option('--atlas <file>', 'integer label image; --out is a directory of <roi>.npy plus rois.json')
    .option('--labels <file>', 'label table of the atlas: TSV with index and name columns, or "index name" lines')
    .option('--roi <names...>', 'only these ROIs of the atlas (in this order)')
    .addOption(new Option('--resample <method>', 'map a mask/atlas on another grid onto the data grid (default: a grid mismatch is an error)').choices(['nearest']))
    .requiredOption('--out <path>', '.npy file (--mask) or directory (--atlas)')
    .option('--json', 'print a JSON summary')
    .action(async (o: RoiOptions) => {
      if ((o.mask === undefined) === (o.atlas === undefined)) throw new InvalidArgumentError('--mask/--atlas', 'exactly one of --mask FILE or --atlas FILE', o.mask && o.atlas ? 'both' : 'neither');
      if (o.atlas !== undefined && o.labels === undefined) throw new InvalidArgumentError('--labels', 'a label table for --atlas');
      if (o.mask !== undefined && (o.labels !== undefined || o.roi !== undefined)) throw new InvalidArgumentError('--labels/--roi', 'only with --atlas', o.labels ?? o.roi?.join(' '));
      const first = await readNiftiHeader(o.bold[0]);
      const target: TargetGrid = { file: o.bold[0], grid: { shape: niftiSpatialShape(first), affine: first.affine } };
      // Several --bold files are 3-D maps, one condition each: a 4-D series among them is refused, named.
      if (o.bold.length > 1) {
        for (const f of o.bold) {
          const h = f === o.bold[0] ? first : await readNiftiHeader(f);
          const frames = niftiFrameCount(h);
          if (frames !== 1) {
            throw new InvalidArgumentError(`--bold ${f}`, `a 3-D beta map, as every file of a --bold list (one condition each; give a 4-D series alone), found ${h.dims.length}-D with ${frames} frames`);
          }
        }
      }
      const onGrid = { target, resample: o.resample };

      if (o.mask !== undefined) {
        const mask = await readMask(o.mask, onGrid);
        const r = await extractRoiPatterns(o.bold, [mask], mask, { dtype: 'float32' });
        writeNpyMatrix(o.out, r.rois[0].patterns);
        const result = { out: o.out, mask: o.mask, resampled: mask.resampled, conditions: r.conditions, voxels: mask.indices.length, sources: r.sources };
        printResult(io, Boolean(o.json), result, () => `${o.out}: ${r.conditions} conditions × ${mask.indices.length} voxels of ${o.mask}${mask.resampled ? ' (resampled, nearest neighbour)' : ''}`);
        return;
      }

      const atlas = await readAtlas(o.atlas!, o.labels!, onGrid);
      const rois: Roi[] = o.roi ? selectRois(atlas, o.roi) : [...atlas.rois];
      const names = new Map<string, string>();
      const files = rois.map((roi) => {
        let f = fileNameFor(roi.name);
        if (names.has(f)) f = `${f}_${roi.label}`;
        if (names.has(f)) throw new InvalidArgumentError(o.labels!, 'ROI names that give distinct file names', `${roi.name} and ${names.get(f)}`);
        names.set(f, roi.name);
        return `${f}.npy`;
      });
      // An ROI of the label table with no voxel in the atlas would give a conditions × 0 file: an error naming it.
      const empty = rois.find((roi) => roi.indices.length === 0);
      if (empty) throw new InvalidArgumentError(`ROI ${empty.name}${empty.label !== undefined ? ` (label ${empty.label})` : ''}`, `at least one voxel in ${o.atlas}, found none (leave it out with --roi)`);
      const r = await extractRoiPatterns(o.bold, rois, atlas, { dtype: 'float32' });
      try {
        mkdirSync(o.out, { recursive: true });
      } catch (e) {
        throw new FileError(o.out, 'write', (e as Error).message, { cause: e });
      }
      r.rois.forEach((roi, k) => writeNpyMatrix(join(o.out, files[k]), roi.patterns));
      const summary = {
        out: o.out,
        atlas: o.atlas,
        labels: o.labels,
        resampled: atlas.resampled,
        conditions: r.conditions,
        sources: r.sources,
        rois: r.rois.map((roi, k) => ({ name: roi.name, label: roi.label, voxels: roi.indices.length, file: files[k] })),
      };
      writeFileAtomic(join(o.out, 'rois.json'), JSON.stringify(summary, null, 2) + '\n');
      printResult(io, Boolean(o.json), summary, () =>
        [`${o.out}: ${r.rois.length} ROIs × ${r.conditions} conditions${atlas.resampled ? ' (atlas resampled, nearest neighbour)' : ''}`, ...summary.rois.map((x) => `  ${x.name}: ${x.voxels} voxels → ${x.file}`)].join('\n'));
    });
}
