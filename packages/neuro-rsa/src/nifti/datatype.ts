import { NiftiError } from './error.js';

/** A NIfTI datatype this package reads: its header code, name and bytes per voxel. */
export interface NiftiDatatype {
  readonly code: number;
  readonly name: string;
  readonly bytes: number;
  /** False for complex, RGB and float128 types, which the reader rejects. */
  readonly supported: boolean;
}

const TYPES: readonly NiftiDatatype[] = [
  { code: 2, name: 'uint8', bytes: 1, supported: true },
  { code: 4, name: 'int16', bytes: 2, supported: true },
  { code: 8, name: 'int32', bytes: 4, supported: true },
  { code: 16, name: 'float32', bytes: 4, supported: true },
  { code: 64, name: 'float64', bytes: 8, supported: true },
  { code: 256, name: 'int8', bytes: 1, supported: true },
  { code: 512, name: 'uint16', bytes: 2, supported: true },
  { code: 768, name: 'uint32', bytes: 4, supported: true },
  { code: 1024, name: 'int64', bytes: 8, supported: true },
  { code: 1280, name: 'uint64', bytes: 8, supported: true },
  { code: 1, name: 'binary', bytes: 0, supported: false },
  { code: 32, name: 'complex64', bytes: 8, supported: false },
  { code: 128, name: 'rgb24', bytes: 3, supported: false },
  { code: 1536, name: 'float128', bytes: 16, supported: false },
  { code: 1792, name: 'complex128', bytes: 16, supported: false },
  { code: 2048, name: 'complex256', bytes: 32, supported: false },
  { code: 2304, name: 'rgba32', bytes: 4, supported: false },
];

/**
 * The datatype with header code `code` (NIfTI-1 `datatype` field, nifti1.h `DT_*` codes).
 * @throws NiftiError for an unknown code, or a known but unsupported one (complex, RGB, float128, binary).
 */
export function niftiDatatype(code: number, file: string): NiftiDatatype {
  const t = TYPES.find((x) => x.code === code);
  if (!t) throw new NiftiError(file, 'a NIfTI datatype code (2, 4, 8, 16, 64, 256, 512, 768, 1024, 1280)', `datatype ${code}`);
  if (!t.supported) throw new NiftiError(file, 'real-valued voxels (u)int8/16/32/64 or float32/64', `unsupported datatype ${t.name} (code ${code})`);
  return t;
}

/** The datatype named `name` ('uint8', 'float32', …), or undefined. */
export function niftiDatatypeByName(name: string): NiftiDatatype | undefined {
  return TYPES.find((t) => t.name === name && t.supported);
}

/** How raw voxel values become numbers: `raw · slope + inter` (slope undefined = no scaling). */
export interface VoxelScaling {
  readonly slope: number | undefined;
  readonly inter: number;
}

/** Reads one raw voxel value at a byte offset of a DataView. */
type RawReader = (v: DataView, off: number) => number;

function rawReader(t: NiftiDatatype, le: boolean, file: string): RawReader {
  switch (t.name) {
    case 'uint8': return (v, o) => v.getUint8(o);
    case 'int8': return (v, o) => v.getInt8(o);
    case 'int16': return (v, o) => v.getInt16(o, le);
    case 'uint16': return (v, o) => v.getUint16(o, le);
    case 'int32': return (v, o) => v.getInt32(o, le);
    case 'uint32': return (v, o) => v.getUint32(o, le);
    case 'float32': return (v, o) => v.getFloat32(o, le);
    case 'float64': return (v, o) => v.getFloat64(o, le);
    case 'int64':
    case 'uint64': {
      const signed = t.name === 'int64';
      return (v, o) => {
        const b = signed ? v.getBigInt64(o, le) : v.getBigUint64(o, le);
        const n = Number(b);
        if (!Number.isSafeInteger(n)) throw new NiftiError(file, `${t.name} voxel values within ±2^53 (exactly representable)`, `${b}`);
        return n;
      };
    }
    default:
      throw new NiftiError(file, 'a supported datatype', t.name);
  }
}

/**
 * Decodes a byte stream of voxels into scaled numbers, chunk by chunk: a voxel split across two chunks is
 * carried over. Values are `raw · slope + inter` computed in float64 (nibabel's `get_fdata` semantics), stored
 * as float32, or as float64 when `float64` is set (float64 sources).
 */
export class VoxelDecoder {
  private readonly read: RawReader;
  private readonly bytes: number;
  private readonly carry: Uint8Array;
  private carried = 0;
  private index = 0;

  constructor(
    readonly datatype: NiftiDatatype,
    littleEndian: boolean,
    private readonly scaling: VoxelScaling,
    private readonly float64: boolean,
    file: string,
  ) {
    this.read = rawReader(datatype, littleEndian, file);
    this.bytes = datatype.bytes;
    this.carry = new Uint8Array(datatype.bytes);
  }

  /** Number of voxel values decoded so far. */
  get decoded(): number {
    return this.index;
  }

  /** Bytes held back because they are the start of a voxel not yet complete. */
  get pendingBytes(): number {
    return this.carried;
  }

  /**
   * Decode `chunk` (the next bytes of the stream); returns the complete values it finishes and the linear
   * voxel index of the first one, or undefined when the chunk completed no voxel.
   */
  push(chunk: Uint8Array): { start: number; values: Float32Array | Float64Array } | undefined {
    const b = this.bytes;
    let pos = 0;
    const total = this.carried + chunk.length;
    const count = Math.floor(total / b);
    if (count === 0) {
      this.carry.set(chunk, this.carried);
      this.carried += chunk.length;
      return undefined;
    }
    const out = this.float64 ? new Float64Array(count) : new Float32Array(count);
    let k = 0;
    if (this.carried > 0) {
      const need = b - this.carried;
      this.carry.set(chunk.subarray(0, need), this.carried);
      out[k++] = this.scale(this.read(new DataView(this.carry.buffer, this.carry.byteOffset, b), 0));
      pos = need;
    }
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (; k < count; k++, pos += b) out[k] = this.scale(this.read(view, pos));
    this.carried = chunk.length - pos;
    this.carry.set(chunk.subarray(pos), 0);
    const start = this.index;
    this.index += count;
    return { start, values: out };
  }

  private scale(x: number): number {
    const s = this.scaling.slope;
    return s === undefined ? x : x * s + this.scaling.inter;
  }
}
