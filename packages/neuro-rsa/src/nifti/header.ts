import { bestAffine, type AffineSource } from './affine.js';
import { niftiDatatype, type NiftiDatatype, type VoxelScaling } from './datatype.js';
import { NiftiError } from './error.js';

/** One header extension block (NIfTI-1 §extensions): its code (e.g. 4 AFNI, 6 comment) and size in bytes. */
export interface NiftiExtension {
  readonly code: number;
  readonly size: number;
}

/** Everything the reader takes from a NIfTI-1 or NIfTI-2 header. */
export interface NiftiHeader {
  readonly file: string;
  /** 1 for NIfTI-1 (348-byte header), 2 for NIfTI-2 (540-byte header). */
  readonly version: 1 | 2;
  readonly byteOrder: 'little' | 'big';
  /** 'single' for `.nii` (magic n+1 / n+2), 'pair' for `.hdr/.img` (ni1 / ni2). */
  readonly storage: 'single' | 'pair';
  /** dim[1..dim[0]]: the data shape, up to 7-D. */
  readonly dims: readonly number[];
  readonly datatype: NiftiDatatype;
  readonly bitpix: number;
  /** All 8 pixdim values as stored (pixdim[0] is qfac). */
  readonly pixdim: readonly number[];
  /** |pixdim[1..3]|: voxel sizes along the three spatial axes, in `spaceUnits`. */
  readonly voxelSize: readonly [number, number, number];
  readonly spaceUnits: 'unknown' | 'meter' | 'mm' | 'micron';
  readonly timeUnits: 'unknown' | 'sec' | 'msec' | 'usec' | 'hz' | 'ppm' | 'rads';
  /** Repetition time pixdim[4] (in `timeUnits`) for data with a 4th dimension; undefined otherwise. */
  readonly tr: number | undefined;
  /** Byte offset of the voxel data (in the `.img` file for pairs). */
  readonly voxOffset: number;
  readonly sclSlope: number;
  readonly sclInter: number;
  /** The scaling applied to raw values: nibabel's rule, slope 0 or non-finite = no scaling. */
  readonly scaling: VoxelScaling;
  readonly calMin: number;
  readonly calMax: number;
  readonly intentCode: number;
  readonly intentName: string;
  readonly description: string;
  readonly auxFile: string;
  readonly qformCode: number;
  readonly sformCode: number;
  readonly quaternB: number;
  readonly quaternC: number;
  readonly quaternD: number;
  readonly qoffset: readonly [number, number, number];
  /** srow_x, srow_y, srow_z and 0 0 0 1, as a 4×4 row-major affine (whatever sform_code says). */
  readonly sform: Float64Array;
  /** The best voxel → world affine (nibabel's `get_best_affine`): sform, else qform, else the fall-back. */
  readonly affine: Float64Array;
  readonly affineSource: AffineSource;
  /** extension[0] ≠ 0 in the 4 bytes after the header. */
  readonly hasExtension: boolean;
  readonly extensions: readonly NiftiExtension[];
}

const SPACE = { 0: 'unknown', 1: 'meter', 2: 'mm', 3: 'micron' } as const;
const TIME = { 0: 'unknown', 8: 'sec', 16: 'msec', 24: 'usec', 32: 'hz', 40: 'ppm', 48: 'rads' } as const;
const NIFTI2_MAGIC_TAIL = [0x0d, 0x0a, 0x1a, 0x0a];

/**
 * NIfTI version and byte order from the first 4 bytes (sizeof_hdr, 348 or 540 in either byte order).
 * @throws NiftiError when the bytes are not a NIfTI header size.
 */
export function detectNifti(first4: Uint8Array, file: string): { version: 1 | 2; littleEndian: boolean; headerSize: 348 | 540 } {
  if (first4.length < 4) throw new NiftiError(file, 'a NIfTI header (at least 348 bytes)', `${first4.length} bytes`);
  const v = new DataView(first4.buffer, first4.byteOffset, 4);
  for (const le of [true, false]) {
    const n = v.getInt32(0, le);
    if (n === 348) return { version: 1, littleEndian: le, headerSize: 348 };
    if (n === 540) return { version: 2, littleEndian: le, headerSize: 540 };
  }
  throw new NiftiError(file, 'a NIfTI-1 or NIfTI-2 file (sizeof_hdr 348 or 540 in the first 4 bytes)', `sizeof_hdr ${v.getInt32(0, true)} (little-endian) / ${v.getInt32(0, false)} (big-endian)`);
}

function cString(b: Uint8Array, off: number, len: number): string {
  let end = off;
  while (end < off + len && b[end] !== 0) end++;
  return Buffer.from(b.subarray(off, end)).toString('latin1');
}

/**
 * Parse a NIfTI-1 or NIfTI-2 header. `bytes` holds the file's start: at least the header (348 or 540 bytes);
 * when it also holds the bytes up to vox_offset, the extension list is read too.
 * @throws NiftiError naming the file for a wrong size, wrong magic, bad dimensions, an unsupported datatype,
 * an invalid scaling intercept, a vox_offset inside the header, a corrupt extension or a non-unit quaternion.
 */
export function parseNiftiHeader(bytes: Uint8Array, file: string): NiftiHeader {
  const { version, littleEndian: le, headerSize } = detectNifti(bytes.subarray(0, 4), file);
  if (bytes.length < headerSize) throw new NiftiError(file, `a ${headerSize}-byte NIfTI-${version} header`, `a file of ${bytes.length} bytes (truncated)`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const i16 = (o: number) => v.getInt16(o, le);
  const i32 = (o: number) => v.getInt32(o, le);
  const f32 = (o: number) => v.getFloat32(o, le);
  const f64 = (o: number) => v.getFloat64(o, le);
  const i64 = (o: number, what: string) => {
    const x = v.getBigInt64(o, le);
    if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < BigInt(Number.MIN_SAFE_INTEGER)) throw new NiftiError(file, `${what} within ±2^53`, String(x));
    return Number(x);
  };
  const n1 = version === 1;
  const magic = n1 ? cString(bytes, 344, 4) : cString(bytes, 4, 4);
  const single = n1 ? magic === 'n+1' : magic === 'n+2';
  const pair = n1 ? magic === 'ni1' : magic === 'ni2';
  if (!single && !pair) throw new NiftiError(file, `NIfTI-${version} magic ${n1 ? '"n+1" or "ni1"' : '"n+2" or "ni2"'}`, JSON.stringify(magic));
  if (!n1 && NIFTI2_MAGIC_TAIL.some((x, k) => bytes[8 + k] !== x)) throw new NiftiError(file, 'the NIfTI-2 magic tail \\r\\n\\032\\n (bytes 8–11)', 'other bytes (file transferred in text mode?)');

  const dim = Array.from({ length: 8 }, (_, k) => (n1 ? i16(40 + 2 * k) : i64(16 + 8 * k, `dim[${k}]`)));
  const pixdim = Array.from({ length: 8 }, (_, k) => (n1 ? f32(76 + 4 * k) : f64(104 + 8 * k)));
  const ndim = dim[0];
  if (!(ndim >= 1 && ndim <= 7)) throw new NiftiError(file, 'dim[0] (number of dimensions) in 1..7', String(ndim));
  const dims = dim.slice(1, ndim + 1);
  const bad = dims.findIndex((d) => !(d >= 1));
  if (bad >= 0) throw new NiftiError(file, `dim[${bad + 1}] ≥ 1`, String(dims[bad]));
  const datatype = niftiDatatype(n1 ? i16(70) : i16(12), file);
  const bitpix = n1 ? i16(72) : i16(14);
  if (bitpix !== 8 * datatype.bytes) throw new NiftiError(file, `bitpix ${8 * datatype.bytes} for ${datatype.name}`, `bitpix ${bitpix}`);

  const rawOffset = n1 ? f32(108) : i64(168, 'vox_offset');
  let voxOffset = Math.floor(rawOffset);
  if (single && voxOffset === 0) voxOffset = headerSize + 4;
  if (!Number.isFinite(rawOffset) || voxOffset < 0 || (single && voxOffset < headerSize + 4)) {
    throw new NiftiError(file, `vox_offset ≥ ${single ? headerSize + 4 : 0}`, String(rawOffset));
  }
  const sclSlope = n1 ? f32(112) : f64(176);
  const sclInter = n1 ? f32(116) : f64(184);
  let scaling: VoxelScaling = { slope: undefined, inter: 0 };
  if (sclSlope !== 0 && Number.isFinite(sclSlope)) {
    if (!Number.isFinite(sclInter)) throw new NiftiError(file, 'a finite scl_inter with a valid scl_slope', String(sclInter));
    if (!(sclSlope === 1 && sclInter === 0)) scaling = { slope: sclSlope, inter: sclInter };
  }
  const units = n1 ? bytes[123] : i32(500);
  const spaceUnits = SPACE[(units & 0x07) as keyof typeof SPACE] ?? 'unknown';
  const timeUnits = TIME[(units & 0x38) as keyof typeof TIME] ?? 'unknown';
  const qformCode = n1 ? i16(252) : i32(344);
  const sformCode = n1 ? i16(254) : i32(348);
  const q = (k: number) => (n1 ? f32(256 + 4 * k) : f64(352 + 8 * k));
  const sform = new Float64Array(16);
  for (let k = 0; k < 12; k++) sform[k] = n1 ? f32(280 + 4 * k) : f64(400 + 8 * k);
  sform[15] = 1;
  const qfields = { quaternB: q(0), quaternC: q(1), quaternD: q(2), qoffset: [q(3), q(4), q(5)] as [number, number, number] };
  // nibabel's quaternion thresholds: 3 float32 epsilons for NIfTI-1, 3 float64 epsilons for NIfTI-2.
  const threshold = n1 ? -3 * 1.1920928955078125e-7 : -3 * 2.220446049250313e-16;
  let best: ReturnType<typeof bestAffine>;
  try {
    best = bestAffine({ sformCode, qformCode, sform, shape: dims, pixdim, ...qfields }, threshold);
  } catch (e) {
    throw new NiftiError(file, 'a unit qform quaternion (b² + c² + d² ≤ 1)', (e as Error).message);
  }

  const hasExtension = bytes.length > headerSize && bytes[headerSize] !== 0;
  const extensions: NiftiExtension[] = [];
  if (hasExtension && single && bytes.length >= voxOffset) {
    let p = headerSize + 4;
    while (p + 8 <= voxOffset) {
      const size = i32(p), code = i32(p + 4);
      if (size < 8 || p + size > voxOffset) throw new NiftiError(file, `a header extension of 8..${voxOffset - p} bytes at byte ${p}`, `esize ${size}`);
      extensions.push({ code, size });
      p += size;
    }
  }

  return {
    file,
    version,
    byteOrder: le ? 'little' : 'big',
    storage: single ? 'single' : 'pair',
    dims,
    datatype,
    bitpix,
    pixdim,
    voxelSize: [Math.abs(pixdim[1]), Math.abs(pixdim[2]), Math.abs(pixdim[3])],
    spaceUnits,
    timeUnits,
    tr: ndim >= 4 ? pixdim[4] : undefined,
    voxOffset,
    sclSlope,
    sclInter,
    scaling,
    calMin: n1 ? f32(128) : f64(200),
    calMax: n1 ? f32(124) : f64(192),
    intentCode: n1 ? i16(68) : i32(504),
    intentName: n1 ? cString(bytes, 328, 16) : cString(bytes, 508, 16),
    description: n1 ? cString(bytes, 148, 80) : cString(bytes, 240, 80),
    auxFile: n1 ? cString(bytes, 228, 24) : cString(bytes, 320, 24),
    qformCode,
    sformCode,
    ...qfields,
    sform,
    affine: best.affine,
    affineSource: best.source,
    hasExtension,
    extensions,
  };
}

/** Number of voxel values in the data: the product of all dims. */
export function niftiValueCount(h: NiftiHeader): number {
  return h.dims.reduce((p, d) => p * d, 1);
}

/** The 3-D spatial shape (dims 1–3; missing ones are 1). */
export function niftiSpatialShape(h: NiftiHeader): [number, number, number] {
  return [h.dims[0] ?? 1, h.dims[1] ?? 1, h.dims[2] ?? 1];
}

/** Volumes in the data: the product of dims 4..7 (1 for a 3-D image). */
export function niftiFrameCount(h: NiftiHeader): number {
  return h.dims.slice(3).reduce((p, d) => p * d, 1);
}
