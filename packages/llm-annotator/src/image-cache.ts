/**
 * Vision-mode inputs per request, with each concept's image read (and, for the `separate` layout,
 * resized and encoded) once and kept in a least-recently-used cache bounded in bytes.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Concept } from '@conceptlab/core';
import { FileError, findConceptImage } from '@conceptlab/core';
import { compositeImages, encodeImage, imageMime, type ImageFormat, type ImageMime } from './composite.js';
import type { ImageLayout } from '@conceptlab/llm-client';

export interface VisionImages {
  readonly composite?: Buffer;
  readonly separate?: readonly Buffer[];
  readonly mime: ImageMime;
}

export interface ImageSourceOptions {
  readonly imagesDir: string;
  readonly layout: ImageLayout;
  readonly format: ImageFormat;
  /** Cache bound (default 512 MiB). */
  readonly maxCacheBytes?: number;
}

export class ImageSource {
  private readonly cache = new Map<number, Promise<Buffer>>();
  private readonly sizes = new Map<number, number>();
  private bytes = 0;
  private readonly maxBytes: number;

  constructor(
    private readonly concepts: readonly Concept[],
    private readonly options: ImageSourceOptions,
  ) {
    this.maxBytes = options.maxCacheBytes ?? 512 * 1024 * 1024;
  }

  /** Check that every concept in `indices` has exactly one image (fails early, before any request). */
  check(indices: Iterable<number>): void {
    for (const i of indices) findConceptImage(this.options.imagesDir, this.concepts[i].id);
  }

  /**
   * Check every concept in `indices` before any request: exactly one image file each ({@link check}), and a
   * header an image decoder reads (format, width and height), so a corrupt file fails at once, named.
   * @throws FileError naming the file.
   */
  async validate(indices: Iterable<number>): Promise<void> {
    const files = [...new Set(indices)].map((i) => findConceptImage(this.options.imagesDir, this.concepts[i].id));
    const one = async (file: string): Promise<void> => {
      let meta: sharp.Metadata;
      try {
        meta = await sharp(file).metadata();
      } catch (e) {
        throw new FileError(file, 'read', `not a readable image (expected JPEG, PNG, WebP, …): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      if (!meta.format || !(meta.width! > 0) || !(meta.height! > 0)) throw new FileError(file, 'read', 'not a readable image (no format or size in its header)');
    };
    for (let k = 0; k < files.length; k += 16) await Promise.all(files.slice(k, k + 16).map(one));
  }

  /** The file bytes (composite layout) or the encoded 800×800 image (separate layout) of one concept. */
  private input(index: number): Promise<Buffer> {
    const hit = this.cache.get(index);
    if (hit) {
      this.cache.delete(index); // move to the most recent end
      this.cache.set(index, hit);
      return hit;
    }
    const file = findConceptImage(this.options.imagesDir, this.concepts[index].id);
    const p = this.options.layout === 'separate' ? encodeImage(file, this.options.format) : readFile(file);
    this.cache.set(index, p);
    p.then(
      (b) => {
        if (this.cache.get(index) !== p) return;
        this.sizes.set(index, b.length);
        this.bytes += b.length;
        this.evict();
      },
      () => this.cache.delete(index),
    );
    return p;
  }

  private evict(): void {
    for (const [k] of this.cache) {
      if (this.bytes <= this.maxBytes) break;
      const size = this.sizes.get(k);
      if (size === undefined) continue; // still loading
      this.cache.delete(k);
      this.sizes.delete(k);
      this.bytes -= size;
    }
  }

  /** The images of one request, objects in presentation order. */
  async images(presented: readonly [number, number, number]): Promise<VisionImages> {
    const bufs = await Promise.all(presented.map((i) => this.input(i)));
    const mime = imageMime(this.options.format);
    if (this.options.layout === 'separate') return { separate: bufs, mime };
    try {
      return { composite: await compositeImages([bufs[0], bufs[1], bufs[2]], this.options.format), mime };
    } catch (e) {
      // the composite reads buffers: name the file behind the one it could not read
      const k = e instanceof Error && 'argument' in e ? /^images\[(\d)\]$/.exec(String((e as { argument: unknown }).argument))?.[1] : undefined;
      if (k === undefined) throw e;
      const file = findConceptImage(this.options.imagesDir, this.concepts[presented[Number(k)]].id);
      throw new FileError(file, 'read', 'not a readable image (expected JPEG, PNG, WebP, …)', { cause: e });
    }
  }

  /** Cached concepts and bytes (tests). */
  stats(): { concepts: number; bytes: number } {
    return { concepts: this.cache.size, bytes: this.bytes };
  }
}
