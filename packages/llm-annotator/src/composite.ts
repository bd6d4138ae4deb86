/**
 * Images for vision mode, with `sharp`.
 *
 * {@link compositeImages} builds the paper's input (Du et al. 2025, Methods): each of the three images
 * resized to 800×800 — stretched, not cropped, as PIL's `Image.resize((800, 800))` does, with a bicubic
 * (Catmull-Rom) kernel like PIL's default — and pasted on a white 2620×820 canvas at x = 10, 910, 1810,
 * y = 10 ({@link COMPOSITE}). Transparent pixels are flattened onto white; greyscale and CMYK images are
 * converted to sRGB; EXIF orientation is not applied (PIL does not apply it either).
 * {@link encodeImage} gives one image the same treatment for the `separate` layout.
 */
import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { FileError, InvalidArgumentError } from '@conceptlab/core';
import { COMPOSITE } from '@conceptlab/llm-client';

/** Encodings of an image sent to a model. */
export type ImageFormat = 'png' | 'jpeg';
export type ImageMime = 'image/png' | 'image/jpeg';

/** JPEG quality used when `format` is `'jpeg'`. */
export const JPEG_QUALITY = 90;

/** The MIME type of an image format. */
export function imageMime(format: ImageFormat): ImageMime {
  return format === 'jpeg' ? 'image/jpeg' : 'image/png';
}

function checkFormat(format: unknown): asserts format is ImageFormat {
  if (format !== 'png' && format !== 'jpeg') throw new InvalidArgumentError('format', "'png' or 'jpeg'", format);
}

function describeInput(input: string | Buffer, name: string): string {
  return typeof input === 'string' ? input : `${name} (a buffer of ${input.length} bytes)`;
}

/** One image as raw 8-bit sRGB, 3 channels, size×size, stretched as PIL's resize. */
async function tileRaw(input: string | Buffer, name: string, size: number): Promise<Buffer> {
  if (typeof input !== 'string' && !Buffer.isBuffer(input)) throw new InvalidArgumentError(name, 'a file path or a Buffer', input);
  if (typeof input === 'string' && !existsSync(input)) throw new FileError(input, 'read', 'no such file');
  try {
    return await sharp(input, { failOn: 'error' })
      .flatten({ background: COMPOSITE.background })
      .resize(size, size, { fit: 'fill', kernel: 'cubic' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer();
  } catch (e) {
    const reason = `not a readable image: ${e instanceof Error ? e.message : String(e)}`;
    if (typeof input === 'string') throw new FileError(input, 'read', reason, { cause: e });
    throw new InvalidArgumentError(name, 'an image (JPEG, PNG, WebP, …)', describeInput(input, name));
  }
}

function encode(image: sharp.Sharp, format: ImageFormat): Promise<Buffer> {
  return (format === 'jpeg' ? image.jpeg({ quality: JPEG_QUALITY }) : image.png()).toBuffer();
}

/**
 * The paper's composite of three images (presentation order = left to right), encoded as `format`.
 * PNG is lossless. @throws FileError for an unreadable file, InvalidArgumentError for a bad buffer.
 */
export async function compositeImages(
  images: readonly [string | Buffer, string | Buffer, string | Buffer],
  format: ImageFormat = 'png',
): Promise<Buffer> {
  checkFormat(format);
  if (!Array.isArray(images) || images.length !== 3) throw new InvalidArgumentError('images', 'three images', images);
  const tiles = await Promise.all(images.map((img, i) => tileRaw(img, `images[${i}]`, COMPOSITE.tile)));
  const canvas = sharp({
    create: { width: COMPOSITE.width, height: COMPOSITE.height, channels: 3, background: COMPOSITE.background },
  }).composite(
    tiles.map((tile, i) => ({
      input: tile,
      raw: { width: COMPOSITE.tile, height: COMPOSITE.tile, channels: 3 as const },
      left: COMPOSITE.x[i],
      top: COMPOSITE.y,
    })),
  );
  // sharp's composite adds an alpha channel: drop it so the output is plain 3-channel sRGB.
  const { data, info } = await canvas.raw().toBuffer({ resolveWithObject: true });
  const flat = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).removeAlpha();
  return encode(flat, format);
}

/**
 * One image for the `separate` layout: resized to 800×800 as in the composite, re-encoded as `format`.
 */
export async function encodeImage(image: string | Buffer, format: ImageFormat = 'png'): Promise<Buffer> {
  checkFormat(format);
  const raw = await tileRaw(image, 'image', COMPOSITE.tile);
  return encode(sharp(raw, { raw: { width: COMPOSITE.tile, height: COMPOSITE.tile, channels: 3 } }), format);
}

/** A `data:` URL of an encoded image, as the chat API's `image_url.url` takes it. */
export function imageDataUrl(buf: Buffer, mime: ImageMime): string {
  return `data:${mime};base64,${buf.toString('base64')}`;
}
