import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { FileError, InvalidArgumentError } from '@conceptlab/core';
import { COMPOSITE } from '@conceptlab/llm-client';
import { compositeImages, encodeImage, imageDataUrl, imageMime } from './composite.js';

type RGB = [number, number, number];
const RED: RGB = [255, 0, 0];
const GREEN: RGB = [0, 160, 0];
const BLUE: RGB = [0, 0, 255];
const WHITE: RGB = [255, 255, 255];

let dir: string;

async function solid(file: string, width: number, height: number, rgb: RGB, format: 'png' | 'jpeg' = 'png'): Promise<string> {
  const img = sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });
  await (format === 'png' ? img.png() : img.jpeg({ quality: 100 })).toFile(file);
  return file;
}

async function rawOf(buf: Buffer): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(buf).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'conceptlab-composite-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('compositeImages', () => {
  it('pastes three 800×800 tiles on a white 2620×820 canvas at x = 10, 910, 1810, y = 10 (pixel-exact)', async () => {
    const a = await solid(join(dir, 'red.png'), 300, 300, RED);
    // Non-square: must be stretched to fill the whole tile, not letterboxed or cropped.
    const b = await solid(join(dir, 'green-wide.png'), 640, 200, GREEN);
    const c = readFileSyncBuffer(await solid(join(dir, 'blue.png'), 1000, 1000, BLUE));
    const png = await compositeImages([a, b, c]);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const { data, width, height, channels } = await rawOf(png);
    expect([width, height, channels]).toEqual([2620, 820, 3]);
    expect([width, height]).toEqual([COMPOSITE.width, COMPOSITE.height]);

    const tileColour = (x: number, y: number): RGB | null => {
      if (y < 10 || y >= 810) return null;
      if (x >= 10 && x < 810) return RED;
      if (x >= 910 && x < 1710) return GREEN;
      if (x >= 1810 && x < 2610) return BLUE;
      return null;
    };
    let mismatches = 0;
    const firstBad: string[] = [];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const o = (y * width + x) * 3;
        const want = tileColour(x, y) ?? WHITE;
        if (data[o] !== want[0] || data[o + 1] !== want[1] || data[o + 2] !== want[2]) {
          mismatches++;
          if (firstBad.length < 5) firstBad.push(`(${x},${y})=${[data[o], data[o + 1], data[o + 2]]} want ${want}`);
        }
      }
    }
    expect(firstBad).toEqual([]);
    expect(mismatches).toBe(0);
  });

  it('checks each boundary explicitly: white at x 0–9, 810–909, 1710–1809, 2610–2619 and y 0–9, 810–819', async () => {
    const img = await solid(join(dir, 'red2.png'), 50, 80, RED);
    const { data, width } = await rawOf(await compositeImages([img, img, img]));
    const px = (x: number, y: number): number[] => Array.from(data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));
    for (const x of [0, 9, 810, 909, 1710, 1809, 2610, 2619]) expect(px(x, 400)).toEqual(WHITE);
    for (const y of [0, 9, 810, 819]) expect(px(400, y)).toEqual(WHITE);
    for (const [x0, x1] of [[10, 809], [910, 1709], [1810, 2609]]) {
      for (const [x, y] of [[x0, 10], [x1, 10], [x0, 809], [x1, 809]]) expect(px(x, y)).toEqual(RED);
    }
  });

  it('stretches a non-square image: its left and right halves land in the left and right halves of the tile', async () => {
    // 200×50: left half red, right half blue. Stretched to 800×800 the seam sits at x = 400 of the tile.
    const half = await sharp({ create: { width: 200, height: 50, channels: 3, background: { r: 255, g: 0, b: 0 } } })
      .composite([{ input: { create: { width: 100, height: 50, channels: 3, background: { r: 0, g: 0, b: 255 } } }, left: 100, top: 0 }])
      .png()
      .toBuffer();
    const white = await solid(join(dir, 'white.png'), 10, 10, WHITE);
    const { data, width } = await rawOf(await compositeImages([white, half, white]));
    const px = (x: number, y: number): number[] => Array.from(data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));
    // Tile 2 spans x 910–1709; top and bottom rows are covered (no letterbox bands).
    expect(px(920, 10)).toEqual(RED);
    expect(px(920, 809)).toEqual(RED);
    expect(px(1290, 400)).toEqual(RED);
    expect(px(1330, 400)).toEqual(BLUE);
    expect(px(1700, 809)).toEqual(BLUE);
  });

  it('flattens transparency onto white and converts greyscale to RGB', async () => {
    const transparent = await sharp({ create: { width: 20, height: 20, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const grey = await sharp({ create: { width: 20, height: 20, channels: 3, background: { r: 128, g: 128, b: 128 } } }).toColourspace('b-w').png().toBuffer();
    const red = await solid(join(dir, 'red3.png'), 20, 20, RED);
    const { data, width, channels } = await rawOf(await compositeImages([transparent, grey, red]));
    expect(channels).toBe(3);
    const px = (x: number, y: number): number[] => Array.from(data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));
    expect(px(400, 400)).toEqual(WHITE);
    expect(px(1300, 400)).toEqual([128, 128, 128]);
    expect(px(2200, 400)).toEqual(RED);
  });

  it('encodes JPEG on request', async () => {
    const img = await solid(join(dir, 'j.jpg'), 40, 40, BLUE, 'jpeg');
    const jpeg = await compositeImages([img, img, img], 'jpeg');
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    const meta = await sharp(jpeg).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 2620, 820]);
  });

  it('rejects missing files, bad buffers and bad formats with typed errors', async () => {
    const img = await solid(join(dir, 'ok.png'), 10, 10, RED);
    await expect(compositeImages([img, join(dir, 'nope.png'), img])).rejects.toBeInstanceOf(FileError);
    await expect(compositeImages([img, Buffer.from('not an image'), img])).rejects.toBeInstanceOf(InvalidArgumentError);
    const notImage = join(dir, 'text.png');
    writeFileSync(notImage, 'hello');
    await expect(compositeImages([img, img, notImage])).rejects.toThrow(/text\.png: cannot read/);
    await expect(compositeImages([img, img, img], 'gif' as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('encodeImage', () => {
  it('resizes one image to 800×800 (stretched) and re-encodes it', async () => {
    const img = await solid(join(dir, 'wide.jpg'), 300, 100, GREEN, 'jpeg');
    const png = await encodeImage(img, 'png');
    const { data, width, height, channels } = await rawOf(png);
    expect([width, height, channels]).toEqual([800, 800, 3]);
    expect(Array.from(data.subarray(0, 3))).toEqual(GREEN);
    const last = (800 * 800 - 1) * 3;
    expect(Array.from(data.subarray(last, last + 3))).toEqual(GREEN);
    const jpeg = await encodeImage(readFileSyncBuffer(img), 'jpeg');
    expect((await sharp(jpeg).metadata()).format).toBe('jpeg');
  });
});

describe('imageDataUrl / imageMime', () => {
  it('builds a base64 data URL', () => {
    expect(imageDataUrl(Buffer.from([1, 2, 3]), 'image/png')).toBe('data:image/png;base64,AQID');
    expect(imageMime('jpeg')).toBe('image/jpeg');
    expect(imageMime('png')).toBe('image/png');
  });
});

function readFileSyncBuffer(file: string): Buffer {
  return readFileSync(file);
}
