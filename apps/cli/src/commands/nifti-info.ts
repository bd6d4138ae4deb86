import type { Command } from 'commander';
import { niftiStats } from '@conceptlab/neuro-rsa';
import { printResult, type Io } from '../output.js';

const fmt = (x: number) => (Number.isFinite(x) ? +x.toPrecision(7) : x);

/** `conceptlab nifti-info FILE [--json]`: header facts and streaming voxel statistics of a NIfTI image. */
export function registerNiftiInfo(program: Command, io: Io): void {
  program
    .command('nifti-info')
    .description('dimensions, datatype, voxel sizes, affine and voxel-value statistics of a NIfTI-1/2 image (.nii, .nii.gz, .hdr/.img)')
    .argument('<file>', 'the image')
    .option('--json', 'print one JSON object')
    .action(async (file: string, o: { json?: boolean }) => {
      const { header: h, stats } = await niftiStats(file);
      const affine = [0, 1, 2, 3].map((r) => Array.from(h.affine.subarray(r * 4, r * 4 + 4)));
      const result = {
        file,
        version: h.version,
        byteOrder: h.byteOrder,
        storage: h.storage,
        dims: h.dims,
        datatype: h.datatype.name,
        voxelSize: h.voxelSize,
        spaceUnits: h.spaceUnits,
        timeUnits: h.timeUnits,
        tr: h.tr ?? null,
        affine,
        affineSource: h.affineSource,
        qformCode: h.qformCode,
        sformCode: h.sformCode,
        sclSlope: h.sclSlope,
        sclInter: h.sclInter,
        voxOffset: h.voxOffset,
        description: h.description,
        extensions: h.extensions,
        stats: { count: stats.count, min: stats.min, max: stats.max, mean: stats.mean, sd: stats.sd, nonzero: stats.nonzero, nan: stats.nanCount },
      };
      printResult(io, Boolean(o.json), result, () => [
        `${file}: NIfTI-${h.version}, ${h.byteOrder}-endian, ${h.storage === 'pair' ? '.hdr/.img pair' : 'single file'}`,
        `dimensions: ${h.dims.join(' × ')}`,
        `datatype: ${h.datatype.name}` + (h.scaling.slope !== undefined ? ` (scaled: × ${h.sclSlope} + ${h.sclInter})` : ''),
        `voxel size: ${h.voxelSize.map(fmt).join(' × ')} ${h.spaceUnits}` + (h.tr !== undefined ? `, TR ${fmt(h.tr)} ${h.timeUnits}` : ''),
        `affine (${h.affineSource}; qform_code ${h.qformCode}, sform_code ${h.sformCode}):`,
        ...affine.map((r) => '  ' + r.map((x) => String(fmt(x)).padStart(12)).join(' ')),
        ...(h.description ? [`description: ${h.description}`] : []),
        ...(h.extensions.length ? [`extensions: ${h.extensions.map((e) => `code ${e.code} (${e.size} bytes)`).join(', ')}`] : []),
        `values: min ${fmt(stats.min)}, max ${fmt(stats.max)}, mean ${fmt(stats.mean)}, sd ${fmt(stats.sd)}, nonzero ${stats.nonzero} of ${stats.count}, NaN ${stats.nanCount}`,
      ].join('\n'));
    });
}
