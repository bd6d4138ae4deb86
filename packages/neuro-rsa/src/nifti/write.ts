import { gzipSync } from 'node:zlib';
import { InvalidArgumentError, writeFileAtomic } from '@conceptlab/core';
import { affineToQform } from './affine.js';
import { gridSize, type Volume } from './volume.js';

/** Options of {@link writeNifti}. */
export interface NiftiWriteOptions {
  /** sform_code (default 1, scanner); pass the source header's code to keep it. */
  readonly sformCode?: number;
  /** qform_code (default 1, scanner); pass the source header's code to keep it. */
  readonly qformCode?: number;
  /** The `descrip` field (at most 79 bytes are kept). */
  readonly description?: string;
  /** Repetition time in seconds, stored in pixdim[4] of a 4-D image (default 1 — frames are conditions). */
  readonly tr?: number;
}

/**
 * Serialize a volume as a single-file NIfTI-1 image (`.nii` bytes): little-endian, float32, 3-D (frames 1)
 * or 4-D, vox_offset 352, no scaling (slope 1, intercept 0), units mm (and s), the affine stored exactly in
 * the sform and as nearly as a qform allows (nibabel's `set_qform`: zooms, qfac, nearest rotation) in the qform.
 * @throws InvalidArgumentError for a data length that does not match the grid and frames, or a singular affine.
 */
export function serializeNifti(volume: Volume, options: NiftiWriteOptions = {}): Uint8Array {
  const [X, Y, Z] = volume.grid.shape;
  const nvox = gridSize(volume.grid);
  if (volume.data.length !== nvox * volume.frames) {
    throw new InvalidArgumentError('volume.data', `${nvox} × ${volume.frames} = ${nvox * volume.frames} values`, volume.data.length);
  }
  if ([X, Y, Z, volume.frames].some((d) => !(Number.isInteger(d) && d >= 1 && d <= 32767))) {
    throw new InvalidArgumentError('volume shape', 'dimensions in 1..32767 (NIfTI-1 int16 dims)', `${X}×${Y}×${Z}×${volume.frames}`);
  }
  const a = volume.grid.affine;
  let q: ReturnType<typeof affineToQform>;
  try {
    q = affineToQform(a);
  } catch (e) {
    throw new InvalidArgumentError('volume.grid.affine', 'an invertible voxel → world affine', (e as Error).message);
  }
  const four = volume.frames > 1;
  const out = new Uint8Array(352 + 4 * volume.data.length);
  const v = new DataView(out.buffer);
  v.setInt32(0, 348, true);
  const dim = [four ? 4 : 3, X, Y, Z, four ? volume.frames : 1, 1, 1, 1];
  dim.forEach((d, k) => v.setInt16(40 + 2 * k, d, true));
  v.setInt16(70, 16, true); // datatype float32
  v.setInt16(72, 32, true); // bitpix
  const pixdim = [q.qfac, q.zooms[0], q.zooms[1], q.zooms[2], four ? options.tr ?? 1 : 0, 0, 0, 0];
  pixdim.forEach((p, k) => v.setFloat32(76 + 4 * k, p, true));
  v.setFloat32(108, 352, true); // vox_offset
  v.setFloat32(112, 1, true); // scl_slope
  v.setFloat32(116, 0, true); // scl_inter
  out[123] = 2 | (four ? 8 : 0); // mm, s
  const desc = Buffer.from((options.description ?? 'conceptlab').slice(0, 79), 'latin1').subarray(0, 79);
  out.set(desc, 148);
  v.setInt16(252, options.qformCode ?? 1, true);
  v.setInt16(254, options.sformCode ?? 1, true);
  [q.b, q.c, q.d, q.offset[0], q.offset[1], q.offset[2]].forEach((x, k) => v.setFloat32(256 + 4 * k, x, true));
  for (let k = 0; k < 12; k++) v.setFloat32(280 + 4 * k, a[k], true);
  out.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"; bytes 348–351 (no extension) stay 0
  const d = volume.data;
  for (let i = 0; i < d.length; i++) v.setFloat32(352 + 4 * i, d[i], true);
  return out;
}

/**
 * Write a volume as NIfTI-1 float32 ({@link serializeNifti}); gzip-compressed when the name ends in `.gz`.
 * Written atomically (temporary file, then rename).
 * @throws InvalidArgumentError as {@link serializeNifti}; FileError when the file cannot be written.
 */
export function writeNifti(file: string, volume: Volume, options: NiftiWriteOptions = {}): void {
  const bytes = serializeNifti(volume, options);
  writeFileAtomic(file, /\.gz$/i.test(file) ? gzipSync(bytes) : bytes);
}
