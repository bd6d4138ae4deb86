/**
 * Vision-mode inputs per request, with each concept's image read (and, for the `separate` layout,
 * resized and encoded) once and kept in a least-recently-used cache bounded in bytes.
 */
import { readFile } from 'node:fs/promises';
import type { Concept } from '@conceptlab/core';
import { findConceptImage } from '@conceptlab/core';
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

  /** Check that every concept in `indices` has an image (fails early, before any request). */
  check(indices: Iterable<number>): void {
    for (const i of indices) findConceptImage(this.options.imagesDir, this.concepts[i].id);
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
    return { composite: await compositeImages([bufs[0], bufs[1], bufs[2]], this.options.format), mime };
  }

  /** Cached concepts and bytes (tests). */
  stats(): { concepts: number; bytes: number } {
    return { concepts: this.cache.size, bytes: this.bytes };
  }
}
