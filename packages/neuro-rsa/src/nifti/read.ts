import { niftiFrameCount, niftiSpatialShape, niftiValueCount, type NiftiHeader } from './header.js';
import { NiftiError } from './error.js';
import { fileCapacity, openNifti, type NiftiStreamOptions } from './stream.js';
import type { Volume } from './volume.js';

/** A whole NIfTI image in memory: its header and its scaled voxel values. */
export interface NiftiImage {
  readonly header: NiftiHeader;
  /**
   * The values on the image's grid (shape dims 1–3, best affine), frames = product of dims 4–7, in NIfTI
   * order. Float32Array, or Float64Array for float64 sources.
   */
  readonly volume: Volume;
}

/** Largest number of values one typed array may hold here (2^31 − 1 keeps within every engine's limit). */
const MAX_VALUES = 2 ** 31 - 1;

/**
 * Read a whole NIfTI-1/NIfTI-2 image (`.nii`, `.nii.gz`, `.hdr/.img[.gz]`), either byte order, applying
 * scl_slope/scl_inter (nibabel: slope 0 or NaN = no scaling) — the values nibabel's `get_fdata()` gives, as
 * float32 (float64 for float64 sources). The affine is nibabel's `get_best_affine`. The image is decoded
 * through the same streaming path as {@link extractRoiPatterns}; use that for large 4-D series.
 * @throws FileError for a missing file; NiftiError for a non-NIfTI, truncated or corrupt file, an unsupported
 * datatype, or an image too large to hold in one array. A header whose voxel data cannot fit in the file is refused
 * before anything is allocated for them.
 */
export async function readNifti(file: string, options: NiftiStreamOptions = {}): Promise<NiftiImage> {
  const s = await openNifti(file, options);
  const h = s.header;
  const n = niftiValueCount(h);
  if (n > MAX_VALUES) {
    await s.close();
    throw new NiftiError(file, `an image of at most ${MAX_VALUES} values to read whole (stream it with openNifti / extractRoiPatterns)`, `${n} values`);
  }
  // The data must fit in the file before an array is allocated for them: a corrupt header (dims 32767³ in a
  // file of a few hundred bytes) is refused here, not after an allocation of gigabytes.
  const bytesNeeded = n * h.datatype.bytes;
  const cap = await fileCapacity(s.dataFile).catch(async (e: unknown) => {
    await s.close();
    throw e;
  });
  if (h.voxOffset + bytesNeeded > cap.maxBytes) {
    await s.close();
    const expected = `${n} ${h.datatype.name} voxel values (${bytesNeeded} bytes from byte ${h.voxOffset})`;
    throw new NiftiError(
      s.dataFile,
      expected,
      cap.gzip
        ? `a gzip file of ${cap.size} bytes, which holds at most ${cap.maxBytes} bytes decompressed (truncated)`
        : `only ${Math.max(0, cap.size - h.voxOffset)} bytes of voxel data (truncated)`,
    );
  }
  const data = h.datatype.name === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for await (const b of s.blocks()) data.set(b.values, b.start);
  return { header: h, volume: { grid: { shape: niftiSpatialShape(h), affine: h.affine }, frames: niftiFrameCount(h), data } };
}
