import { createReadStream, existsSync, promises as fsp } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { FileError } from '@conceptlab/core';
import { VoxelDecoder } from './datatype.js';
import { NiftiError } from './error.js';
import { detectNifti, niftiValueCount, parseNiftiHeader, type NiftiHeader } from './header.js';

/** Options of the streaming reader. */
export interface NiftiStreamOptions {
  /**
   * Largest piece of (decompressed) bytes handled at once; the default is 1 MiB. Memory use is a few
   * chunks whatever the file size. Tests use tiny chunks so voxels and frames straddle chunk boundaries.
   */
  readonly chunkSize?: number;
}

/** A block of consecutive decoded voxel values: `values[k]` is the value at linear index `start + k`. */
export interface VoxelBlock {
  readonly start: number;
  readonly values: Float32Array | Float64Array;
}

/** An opened NIfTI file: its header, and its voxel values as a stream of blocks. */
export interface NiftiStream {
  readonly header: NiftiHeader;
  /** The file holding the voxels (the `.img` of a `.hdr/.img` pair). */
  readonly dataFile: string;
  /** All voxel values in file order, scaled, in blocks; once. @throws NiftiError when the data are truncated. */
  blocks(): AsyncGenerator<VoxelBlock>;
  /** Release the file (needed only when `blocks()` was not run to the end). */
  close(): Promise<void>;
}

const DEFAULT_CHUNK = 1 << 20;

function isGzipFile(file: string, first: Uint8Array): boolean {
  return first.length >= 2 ? first[0] === 0x1f && first[1] === 0x8b : /\.gz$/i.test(file);
}

async function readStart(file: string, n: number): Promise<Uint8Array> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(file, 'r');
  } catch (e) {
    throw new FileError(file, 'read', (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message, { cause: e });
  }
  try {
    // open() succeeds on a directory on Linux; reading it would fail with a raw EISDIR.
    if ((await fh.stat()).isDirectory()) throw new FileError(file, 'read', 'is a directory, expected a .nii/.nii.gz file');
    const buf = new Uint8Array(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Deflate's largest compression ratio: a gzip file of n bytes decompresses to at most about 1032·n bytes. */
const DEFLATE_MAX_RATIO = 1032;

/**
 * How many bytes a file can hold once decompressed: its size, or for gzip (by its magic bytes) deflate's bound
 * 1032 × its size. Lets a reader refuse a header whose data cannot be in the file before it allocates for it.
 * @throws FileError when the file cannot be read.
 */
export async function fileCapacity(file: string): Promise<{ readonly size: number; readonly gzip: boolean; readonly maxBytes: number }> {
  const first = await readStart(file, 2);
  let size: number;
  try {
    size = (await fsp.stat(file)).size;
  } catch (e) {
    throw new FileError(file, 'read', (e as Error).message, { cause: e });
  }
  const gzip = isGzipFile(file, first);
  return { size, gzip, maxBytes: gzip ? DEFLATE_MAX_RATIO * size + 1024 : size };
}

/**
 * The bytes of a file, decompressed when it is gzip (detected from its magic bytes, node's streaming
 * gunzip), in pieces of at most `chunkSize` bytes. Only a few chunks are in memory at a time.
 * @throws FileError when the file cannot be read; NiftiError when the gzip stream is corrupt or truncated.
 */
export async function* fileChunks(file: string, chunkSize: number = DEFAULT_CHUNK): AsyncGenerator<Uint8Array> {
  if (!(Number.isInteger(chunkSize) && chunkSize >= 1)) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  const first = await readStart(file, 2);
  if (!isGzipFile(file, first)) {
    const fh = await fsp.open(file, 'r');
    try {
      for (;;) {
        const buf = new Uint8Array(chunkSize);
        const { bytesRead } = await fh.read(buf, 0, chunkSize, null);
        if (bytesRead === 0) return;
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      await fh.close();
    }
  }
  const src = createReadStream(file, { highWaterMark: Math.max(chunkSize, 64 * 1024) });
  const gunzip = createGunzip();
  src.on('error', (e) => gunzip.destroy(e));
  src.pipe(gunzip);
  try {
    for await (const piece of gunzip as AsyncIterable<Buffer>) {
      for (let p = 0; p < piece.length; p += chunkSize) yield new Uint8Array(piece.buffer, piece.byteOffset + p, Math.min(chunkSize, piece.length - p));
    }
  } catch (e) {
    if (e instanceof NiftiError || e instanceof FileError) throw e;
    throw new NiftiError(file, 'a complete gzip stream', `${(e as Error).message} (corrupt or truncated .gz)`);
  } finally {
    src.destroy();
    gunzip.destroy();
  }
}

/** Pulls exact byte counts from a chunk stream, keeping what is left over for the next pull. */
class ByteReader {
  private pending: Uint8Array = new Uint8Array(0);
  constructor(private readonly it: AsyncGenerator<Uint8Array>) {}

  /** Up to `n` bytes (fewer only at the end of the stream). */
  async take(n: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have < n) {
      if (this.pending.length === 0) {
        const r = await this.it.next();
        if (r.done) break;
        this.pending = r.value;
      }
      const k = Math.min(n - have, this.pending.length);
      parts.push(this.pending.subarray(0, k));
      this.pending = this.pending.subarray(k);
      have += k;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  /** Drop `n` bytes; returns how many were dropped. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.pending.length === 0) {
        const r = await this.it.next();
        if (r.done) break;
        this.pending = r.value;
      }
      const k = Math.min(left, this.pending.length);
      this.pending = this.pending.subarray(k);
      left -= k;
    }
    return n - left;
  }

  /** The remaining chunks, starting with what was left over. */
  async *rest(): AsyncGenerator<Uint8Array> {
    if (this.pending.length) yield this.pending;
    this.pending = new Uint8Array(0);
    for (;;) {
      const r = await this.it.next();
      if (r.done) return;
      yield r.value;
    }
  }

  async close(): Promise<void> {
    await this.it.return(undefined);
  }
}

/** The `.img` (or `.img.gz`) partner of a `.hdr`, or the `.hdr` of an `.img`. */
function pairFiles(file: string): { header: string; data: string } | undefined {
  const m = /^(.*)\.(hdr|img)(\.gz)?$/i.exec(file);
  if (!m) return undefined;
  const other = m[2].toLowerCase() === 'hdr' ? 'img' : 'hdr';
  const candidates = [`${m[1]}.${other}${m[3] ?? ''}`, `${m[1]}.${other}`, `${m[1]}.${other}.gz`];
  const partner = candidates.find((c) => existsSync(c));
  if (!partner) throw new FileError(candidates[0], 'read', `no such file (the ${other === 'img' ? 'image' : 'header'} of the pair ${file})`);
  return m[2].toLowerCase() === 'hdr' ? { header: file, data: partner } : { header: partner, data: file };
}

/**
 * Open a NIfTI-1/NIfTI-2 image (`.nii`, `.nii.gz`, `.hdr/.img` pairs, either gzipped) for streaming: the header
 * is read at once, voxel values come later through `blocks()` without holding the whole image in memory.
 * @throws FileError when a file is missing; NiftiError when it is not NIfTI, truncated or corrupt.
 */
export async function openNifti(file: string, options: NiftiStreamOptions = {}): Promise<NiftiStream> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const pair = pairFiles(file);
  const headerFile = pair?.header ?? file;
  const reader = new ByteReader(fileChunks(headerFile, chunkSize));
  let header: NiftiHeader;
  let start: Uint8Array;
  try {
    start = await reader.take(4);
    const { headerSize } = detectNifti(start, headerFile);
    start = Buffer.concat([start, await reader.take(headerSize - 4 + 4)]);
    header = parseNiftiHeader(start, headerFile);
    if (header.storage === 'single' && header.voxOffset > start.length) {
      start = Buffer.concat([start, await reader.take(header.voxOffset - start.length)]);
      header = parseNiftiHeader(start, headerFile);
    }
  } catch (e) {
    await reader.close();
    throw e;
  }
  if (pair && header.storage === 'single') {
    await reader.close();
    throw new NiftiError(headerFile, 'the magic "ni1"/"ni2" of a .hdr/.img pair', 'the single-file magic "n+1"/"n+2"');
  }
  if (!pair && header.storage === 'pair') {
    await reader.close();
    throw new NiftiError(headerFile, 'the single-file magic "n+1"/"n+2" in a .nii file', 'the pair magic "ni1"/"ni2" (open the .hdr/.img pair)');
  }
  let dataReader = reader;
  let consumed = start.length;
  if (pair) {
    await reader.close();
    dataReader = new ByteReader(fileChunks(pair.data, chunkSize));
    consumed = 0;
  }
  const dataFile = pair?.data ?? file;
  const count = niftiValueCount(header);
  const bytesNeeded = count * header.datatype.bytes;
  const float64 = header.datatype.name === 'float64';

  async function* blocks(): AsyncGenerator<VoxelBlock> {
    try {
      const skip = header.voxOffset - consumed;
      if (skip > 0 && (await dataReader.skip(skip)) < skip) {
        throw new NiftiError(dataFile, `voxel data from byte ${header.voxOffset}`, 'a file that ends before it (truncated)');
      }
      const dec = new VoxelDecoder(header.datatype, header.byteOrder === 'little', header.scaling, float64, dataFile);
      let left = bytesNeeded;
      for await (const chunk of dataReader.rest()) {
        if (left === 0) break;
        const piece = chunk.length > left ? chunk.subarray(0, left) : chunk;
        left -= piece.length;
        const block = dec.push(piece);
        if (block) yield block;
      }
      if (left > 0) {
        throw new NiftiError(dataFile, `${count} ${header.datatype.name} voxel values (${bytesNeeded} bytes from byte ${header.voxOffset})`, `only ${bytesNeeded - left} bytes of voxel data (truncated)`);
      }
    } finally {
      await dataReader.close();
    }
  }
  return { header, dataFile, blocks, close: () => dataReader.close() };
}

/** Read only the header (and extension list) of a NIfTI file. @throws as {@link openNifti}. */
export async function readNiftiHeader(file: string): Promise<NiftiHeader> {
  const s = await openNifti(file, { chunkSize: 64 * 1024 });
  await s.close();
  return s.header;
}
