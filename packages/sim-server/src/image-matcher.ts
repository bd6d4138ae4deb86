import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { FileError, IMAGE_EXTENSIONS, InvalidArgumentError, writeFileAtomic, type Concept } from '@conceptlab/core';
import { COMPOSITE, VISION_POSITION_LABELS } from '@conceptlab/llm-client';
import { badRequest } from './api-error.js';

/** Side of the fingerprint thumbnail: each image is compared as a 16×16 RGB thumbnail (768 values). */
export const FINGERPRINT_SIZE = 16;
const FP_LEN = FINGERPRINT_SIZE * FINGERPRINT_SIZE * 3;
/** A tile is recognised only if its nearest concept is at most this share of the distance of the next one. */
export const MAX_DISTANCE_RATIO = 0.5;
/** …and only if it is this close in absolute terms: the RMS difference per channel value (0–255). */
export const MAX_RMS = 40;
const WHITE = { r: 255, g: 255, b: 255 };

export interface ImageMatcherOptions {
  /** Images fingerprinted at once (default 8). */
  readonly concurrency?: number;
  /**
   * Directory of the fingerprint cache, or false for none. Default `os.tmpdir()/conceptlab-image-fingerprints`.
   * One JSON file per images directory (named by a SHA-256 of its absolute path), holding each image's
   * fingerprints with the file's size and mtime; an image whose size or mtime changed is fingerprinted
   * again. Written atomically; a failed write is ignored (it is only a cache).
   */
  readonly cacheDir?: string | false;
}

const CACHE_FORMAT = 'conceptlab-image-fingerprints/1';

interface CacheEntry {
  size: number;
  mtimeMs: number;
  /** Base64 of each variant's 768 bytes. */
  fps: string[];
}

function readCache(path: string | undefined): Map<string, CacheEntry> {
  if (!path) return new Map();
  try {
    const j = JSON.parse(readFileSync(path, 'utf8')) as { format: string; entries: Record<string, CacheEntry> };
    if (j.format !== CACHE_FORMAT || typeof j.entries !== 'object') return new Map();
    return new Map(Object.entries(j.entries));
  } catch {
    return new Map();
  }
}

function fromCache(e: CacheEntry | undefined, size: number, mtimeMs: number): Float32Array[] | undefined {
  if (!e || e.size !== size || e.mtimeMs !== mtimeMs || !Array.isArray(e.fps) || e.fps.length === 0) return undefined;
  const fps = e.fps.map((b) => Float32Array.from(Buffer.from(b, 'base64')));
  return fps.every((f) => f.length === FP_LEN) ? fps : undefined;
}
const TILE = COMPOSITE.tile;

interface Raw {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

/** Decode to 3-channel sRGB raw pixels, transparency flattened on white. */
async function decodeRgb(input: sharp.Sharp): Promise<Raw> {
  const { data, info } = await input.flatten({ background: WHITE }).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  return { data, width: info.width, height: info.height, channels: 3 };
}

function rawInput(r: Raw): sharp.Sharp {
  return sharp(r.data, { raw: { width: r.width, height: r.height, channels: r.channels } });
}

/** The 16×16 RGB thumbnail of an 800×800 raw tile, as floats. */
async function fingerprintOfTile(tile: sharp.Sharp): Promise<Float32Array> {
  const data = await tile.resize(FINGERPRINT_SIZE, FINGERPRINT_SIZE, { fit: 'fill' }).raw().toBuffer();
  if (data.length !== FP_LEN) throw new Error(`fingerprint of ${data.length} values, expected ${FP_LEN}`);
  return Float32Array.from(data);
}

/**
 * The fingerprints of a concept image: the image resized to 800×800 as a client would — stretched
 * (`fill`, bicubic, as PIL's `resize((800, 800))` and this package's composite do) and, for a non-square
 * image, also `contain` on white and `cover`, in case another client letterboxes or crops — each reduced
 * to 16×16 RGB.
 */
async function referenceFingerprints(file: string): Promise<Float32Array[]> {
  const raw = await decodeRgb(sharp(file));
  const fits: Array<'fill' | 'contain' | 'cover'> = raw.width === raw.height ? ['fill'] : ['fill', 'contain', 'cover'];
  const out: Float32Array[] = [];
  for (const fit of fits) {
    const tile = await rawInput(raw).resize(TILE, TILE, { fit, background: WHITE, kernel: 'cubic' }).raw().toBuffer({ resolveWithObject: true });
    out.push(await fingerprintOfTile(sharp(tile.data, { raw: { width: TILE, height: TILE, channels: 3 } })));
  }
  return out;
}

/**
 * Recognises which concepts three images show, against fingerprints of the concept images computed once
 * at start-up (a 16×16 RGB thumbnail of each image after resizing it to 800×800; see
 * {@link referenceFingerprints}). A request's tiles — cropped from a 2620×820 composite at
 * `COMPOSITE.x[i], COMPOSITE.y` (a composite of the same aspect ratio but another size is first scaled to
 * 2620×820), or three separate images each resized to 800×800 (`fill`) — are fingerprinted the same way
 * and assigned the concept at the least L2 distance. A tile is rejected (400) unless that distance is
 * below {@link MAX_DISTANCE_RATIO} × the distance to the next-nearest concept and its RMS is at most
 * {@link MAX_RMS}; the three tiles must be three distinct concepts.
 */
export class ImageMatcher {
  private constructor(
    private readonly ids: readonly string[],
    private readonly indices: Int32Array,
    /** Fingerprints, FP_LEN each, of all variants; owner[v] = concept position of variant v. */
    private readonly fps: Float32Array,
    private readonly owner: Int32Array,
  ) {}

  /** How many concept images there are. */
  get size(): number {
    return this.ids.length;
  }

  /**
   * Fingerprint the image `DIR/<id>.{jpg,jpeg,png,webp}` of every concept.
   * @throws FileError when the directory cannot be read, or some concept has no image (names the first few).
   */
  static async create(concepts: readonly Concept[], imagesDir: string, options: ImageMatcherOptions = {}): Promise<ImageMatcher> {
    const concurrency = options.concurrency ?? 8;
    if (concepts.length < 3) throw new InvalidArgumentError('concepts', 'at least 3 concepts', concepts.length);
    let names: string[];
    try {
      names = readdirSync(imagesDir);
    } catch (e) {
      throw new FileError(imagesDir, 'read', (e as Error).message, { cause: e });
    }
    const byStem = new Map<string, string>();
    for (const name of names) {
      const ext = extname(name);
      const rank = (IMAGE_EXTENSIONS as readonly string[]).indexOf(ext.toLowerCase());
      if (rank < 0) continue;
      const stem = name.slice(0, -ext.length);
      const prev = byStem.get(stem);
      if (prev === undefined || (IMAGE_EXTENSIONS as readonly string[]).indexOf(extname(prev).toLowerCase()) > rank) byStem.set(stem, name);
    }
    const missing = concepts.filter((c) => !byStem.has(c.id));
    if (missing.length > 0) {
      throw new FileError(
        imagesDir,
        'read',
        `no image for ${missing.length} of ${concepts.length} concepts (expected DIR/<id>${IMAGE_EXTENSIONS.join('|')}), e.g. ` +
          missing.slice(0, 5).map((c) => c.id).join(', '),
      );
    }
    const cacheDir = options.cacheDir === undefined ? join(tmpdir(), 'conceptlab-image-fingerprints') : options.cacheDir;
    const cachePath = cacheDir === false ? undefined : join(cacheDir, `${createHash('sha256').update(`${CACHE_FORMAT}\n${resolve(imagesDir)}`).digest('hex')}.json`);
    const cache = readCache(cachePath);
    let changed = false;
    const perConcept: Float32Array[][] = new Array(concepts.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < concepts.length) {
        const i = next++;
        const name = byStem.get(concepts[i].id)!;
        const file = join(imagesDir, name);
        try {
          const st = statSync(file);
          const hit = fromCache(cache.get(name), st.size, st.mtimeMs);
          if (hit) {
            perConcept[i] = hit;
            continue;
          }
          perConcept[i] = await referenceFingerprints(file);
          cache.set(name, { size: st.size, mtimeMs: st.mtimeMs, fps: perConcept[i].map((f) => Buffer.from(Uint8Array.from(f)).toString('base64')) });
          changed = true;
        } catch (e) {
          throw new FileError(file, 'read', `not a readable image: ${(e as Error).message}`, { cause: e });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, concepts.length)) }, worker));
    if (cachePath && cacheDir !== false && changed) {
      try {
        mkdirSync(cacheDir, { recursive: true });
        writeFileAtomic(cachePath, JSON.stringify({ format: CACHE_FORMAT, dir: resolve(imagesDir), entries: Object.fromEntries(cache) }));
      } catch {
        // only a cache
      }
    }
    const total = perConcept.reduce((s, v) => s + v.length, 0);
    const fps = new Float32Array(total * FP_LEN);
    const owner = new Int32Array(total);
    let v = 0;
    perConcept.forEach((list, i) => {
      for (const fp of list) {
        fps.set(fp, v * FP_LEN);
        owner[v++] = i;
      }
    });
    return new ImageMatcher(concepts.map((c) => c.id), Int32Array.from(concepts, (c) => c.index), fps, owner);
  }

  /**
   * The concepts (Concept.index) of the images of a request, in presentation order: one composite, or
   * three separate images. Throws a 400 {@link ApiError} when they cannot be recognised.
   */
  async identify(images: readonly Buffer[]): Promise<[number, number, number]> {
    let tiles: Float32Array[];
    let names: string[];
    if (images.length === 1) {
      tiles = await compositeTiles(images[0]);
      names = VISION_POSITION_LABELS.map((l) => `the ${l} tile of the composite`);
    } else if (images.length === 3) {
      tiles = await Promise.all(images.map((b, i) => separateTile(b, i)));
      names = VISION_POSITION_LABELS.map((l, i) => `image ${i + 1} (${l})`);
    } else {
      throw badRequest(`expected one ${COMPOSITE.width}×${COMPOSITE.height} composite image or three images, got ${images.length} images`, 'messages');
    }
    const found = tiles.map((fp, i) => this.nearest(fp, names[i]));
    if (found[0] === found[1] || found[0] === found[2] || found[1] === found[2]) {
      throw badRequest(`expected three distinct objects, recognised ${found.map((p) => this.ids[p]).join(', ')}`, 'messages');
    }
    return [this.indices[found[0]], this.indices[found[1]], this.indices[found[2]]];
  }

  /** The concept position nearest to `fp`, or a 400 when it is not clearly one concept's image. */
  private nearest(fp: Float32Array, name: string): number {
    const fps = this.fps, owner = this.owner, nv = owner.length;
    let best = Infinity, bestOwner = -1, second = Infinity;
    for (let v = 0; v < nv; v++) {
      const o = v * FP_LEN;
      const bound = owner[v] === bestOwner ? best : second; // a distance above this changes nothing
      let d = 0;
      for (let k = 0; k < FP_LEN; k++) {
        const x = fps[o + k] - fp[k];
        d += x * x;
        if (d >= bound && (k & 31) === 31) break;
      }
      if (d >= bound) continue;
      const c = owner[v];
      if (c === bestOwner) best = d;
      else if (d < best) {
        second = best;
        best = d;
        bestOwner = c;
      } else second = d;
    }
    const rms = (d: number): number => Math.sqrt(d / FP_LEN);
    const id = (c: number): string => this.ids[c];
    const ok = Math.sqrt(best) < MAX_DISTANCE_RATIO * Math.sqrt(second) && rms(best) <= MAX_RMS;
    if (!ok) {
      throw badRequest(
        `could not recognise ${name}: the nearest concept image is ${id(bestOwner)} (RMS difference ${rms(best).toFixed(1)} of 255), ` +
          `not clearly nearer than the next (RMS ${rms(second).toFixed(1)}); a tile is recognised when its distance is under ` +
          `${MAX_DISTANCE_RATIO}× the next one's and its RMS at most ${MAX_RMS}`,
        'messages',
        'unrecognised_image',
      );
    }
    return bestOwner;
  }
}

async function decodeRequestImage(buf: Buffer, what: string): Promise<Raw> {
  try {
    return await decodeRgb(sharp(buf));
  } catch (e) {
    throw badRequest(`${what}: not a decodable image (${(e as Error).message})`, 'messages', 'invalid_image');
  }
}

async function compositeTiles(buf: Buffer): Promise<Float32Array[]> {
  let raw = await decodeRequestImage(buf, 'the image');
  if (raw.width !== COMPOSITE.width || raw.height !== COMPOSITE.height) {
    const aspect = raw.width / raw.height, want = COMPOSITE.width / COMPOSITE.height;
    if (Math.abs(aspect / want - 1) > 0.01) {
      throw badRequest(
        `a single image must be the ${COMPOSITE.width}×${COMPOSITE.height} composite of three tiles (or of its aspect ratio); got ${raw.width}×${raw.height}`,
        'messages',
        'invalid_image',
      );
    }
    const scaled = await rawInput(raw).resize(COMPOSITE.width, COMPOSITE.height, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
    raw = { data: scaled.data, width: scaled.info.width, height: scaled.info.height, channels: 3 };
  }
  return Promise.all(
    COMPOSITE.x.map((x) => fingerprintOfTile(rawInput(raw).extract({ left: x, top: COMPOSITE.y, width: TILE, height: TILE }))),
  );
}

async function separateTile(buf: Buffer, i: number): Promise<Float32Array> {
  const raw = await decodeRequestImage(buf, `image ${i + 1}`);
  if (raw.width === TILE && raw.height === TILE) return fingerprintOfTile(rawInput(raw));
  const tile = await rawInput(raw).resize(TILE, TILE, { fit: 'fill', kernel: 'cubic' }).raw().toBuffer({ resolveWithObject: true });
  return fingerprintOfTile(sharp(tile.data, { raw: { width: TILE, height: TILE, channels: 3 } }));
}
