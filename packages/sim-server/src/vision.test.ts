import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import sharp from 'sharp';
import { conceptPrompt, FileError, matrixFromRows, type Concept, type ConceptSet } from '@conceptlab/core';
import { ANSWER_PROPERTY, ANSWER_SCHEMA_NAME, answerJsonSchema, COMPOSITE, VISION_POSITION_LABELS } from '@conceptlab/llm-client';
import { EXPLANATION } from './chat.js';
import { simObserver } from './observer.js';
import { startServer, type RunningServer } from './server.js';

// Six concepts in two clusters (rows 0–2 animals, 3–5 tools); each has a distinct image.
const ids = ['cat', 'dog', 'horse', 'hammer', 'saw', 'flag'];
const concepts: Concept[] = ids.map((id, index) => ({ index, id, word: id, definition: `a ${id}`, prompt: conceptPrompt(id, `a ${id}`) }));
const conceptSet: ConceptSet = { concepts, source: 'test' };
const observer = simObserver(matrixFromRows([[1, 0], [0.9, 0.1], [0.95, 0.05], [0, 1], [0.1, 0.9], [0.05, 0.95]]), { argmax: true });
const colours = [
  { r: 200, g: 30, b: 30 },
  { r: 240, g: 150, b: 20 },
  { r: 120, g: 60, b: 20 },
  { r: 30, g: 40, b: 200 },
  { r: 130, g: 30, b: 160 },
];

let dir: string;
let cacheDir: string;
const files: Record<string, string> = {};

/** Solid-colour images (various sizes and formats), and a non-square two-colour "flag" 1200×600. */
async function makeImages(): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'conceptlab-vision-'));
  cacheDir = mkdtempSync(join(tmpdir(), 'conceptlab-vision-cache-'));
  for (let i = 0; i < 5; i++) {
    const ext = i === 1 ? 'jpg' : i === 4 ? 'webp' : 'png';
    const size = i === 2 ? { width: 640, height: 480 } : { width: 800, height: 800 };
    const img = sharp({ create: { ...size, channels: 3, background: colours[i] } });
    files[ids[i]] = join(dir, `${ids[i]}.${ext}`);
    await (ext === 'jpg' ? img.jpeg() : ext === 'webp' ? img.webp() : img.png()).toFile(files[ids[i]]);
  }
  const half = await sharp({ create: { width: 600, height: 600, channels: 3, background: { r: 20, g: 160, b: 40 } } }).png().toBuffer();
  files.flag = join(dir, 'flag.png');
  await sharp({ create: { width: 1200, height: 600, channels: 3, background: { r: 250, g: 230, b: 40 } } })
    .composite([{ input: half, left: 600, top: 0 }])
    .png()
    .toFile(files.flag);
}

/** An 800×800 tile: the image stretched (`fill`) or letterboxed on white (`contain`). */
function tile(id: string, fit: 'fill' | 'contain' = 'fill'): Promise<Buffer> {
  return sharp(files[id]).resize(COMPOSITE.tile, COMPOSITE.tile, { fit, background: COMPOSITE.background, kernel: 'cubic' }).png().toBuffer();
}

/** The paper's composite: a white 2620×820 canvas with the three tiles at x 10/910/1810, y 10. */
async function composite(order: [string, string, string], fit: 'fill' | 'contain' = 'fill', format: 'png' | 'jpeg' = 'png'): Promise<string> {
  const tiles = await Promise.all(order.map((id) => tile(id, fit)));
  const img = sharp({ create: { width: COMPOSITE.width, height: COMPOSITE.height, channels: 3, background: COMPOSITE.background } }).composite(
    tiles.map((input, i) => ({ input, left: COMPOSITE.x[i], top: COMPOSITE.y })),
  );
  const buf = await (format === 'png' ? img.png() : img.jpeg({ quality: 80 })).toBuffer();
  return `data:image/${format};base64,${buf.toString('base64')}`;
}

const GEMINI_PROMPT = 'You are shown three object images side by side and are asked to report the image that was the least similar to the other two. 1. Tell me your answer. 2. Tell me the location of the object you have chosen. 3. Explain the reasons.';

describe('conceptlab serve: vision mode', () => {
  let server: RunningServer;
  let client: OpenAI;
  beforeAll(async () => {
    await makeImages();
    server = await startServer({ concepts: conceptSet, observer, imagesDir: dir, imageCacheDir: cacheDir });
    client = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const ask = (images: string[], extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}) =>
    client.chat.completions.create({
      model: 'gemini-pro-vision',
      messages: [{ role: 'user', content: [{ type: 'text', text: GEMINI_PROMPT }, ...images.map((url) => ({ type: 'image_url' as const, image_url: { url } }))] }],
      ...extra,
    });

  test('a composite: the three tiles are recognised; the reply names the position', async () => {
    for (const [order, odd] of [
      [['cat', 'dog', 'hammer'], 'right'],
      [['saw', 'horse', 'hammer'], 'middle'],
      [['dog', 'flag', 'saw'], 'left'],
    ] as const) {
      const r = await ask([await composite([...order])]);
      expect(r.choices[0].message.content).toBe(`1. The odd one out is the object on the ${odd}. 2. Location: ${odd}. 3. ${EXPLANATION}`);
      expect(r.usage!.prompt_tokens).toBe(Math.ceil(GEMINI_PROMPT.length / 4) + 85);
    }
  });

  test('lossy JPEG composites, letterboxed tiles and a scaled-down composite are recognised too', async () => {
    expect((await ask([await composite(['hammer', 'cat', 'horse'], 'fill', 'jpeg')])).choices[0].message.content).toMatch(/on the left\./);
    expect((await ask([await composite(['cat', 'flag', 'horse'], 'contain')])).choices[0].message.content).toMatch(/on the middle\./);
    const half = await sharp(Buffer.from((await composite(['saw', 'hammer', 'dog'])).split(',')[1], 'base64')).resize(1310, 410).png().toBuffer();
    expect((await ask([`data:image/png;base64,${half.toString('base64')}`])).choices[0].message.content).toMatch(/on the right\./);
  });

  test('three separate image parts, and structured answers with the position labels', async () => {
    const parts = await Promise.all((['horse', 'saw', 'cat'] as const).map(async (id) => `data:image/png;base64,${(await tile(id)).toString('base64')}`));
    expect((await ask(parts)).choices[0].message.content).toMatch(/^1\. The odd one out is the object on the middle\./);
    const original = `data:image/png;base64,${(await sharp(files.horse).png().toBuffer()).toString('base64')}`; // not resized by the client
    const r = await ask([parts[1], original, parts[2]], {
      response_format: { type: 'json_schema', json_schema: { name: ANSWER_SCHEMA_NAME, schema: answerJsonSchema([...VISION_POSITION_LABELS]) } },
    });
    expect(JSON.parse(r.choices[0].message.content!)).toEqual({ [ANSWER_PROPERTY]: 'left' });
  });

  test('400 for images that are no concept, the same concept twice, or the wrong number or shape of images', async () => {
    const green = `data:image/png;base64,${(await sharp({ create: { width: 800, height: 800, channels: 3, background: { r: 0, g: 255, b: 0 } } }).png().toBuffer()).toString('base64')}`;
    const cat = `data:image/png;base64,${(await tile('cat')).toString('base64')}`;
    const dog = `data:image/png;base64,${(await tile('dog')).toString('base64')}`;
    const status = (p: Promise<unknown>) => p.then(() => 200, (e: { status: number; message: string }) => `${e.status} ${e.message}`);
    expect(await status(ask([cat, dog, green]))).toMatch(/^400 .*could not recognise image 3 \(right\)/);
    expect(await status(ask([cat, dog, cat]))).toMatch(/^400 .*three distinct objects, recognised cat, dog, cat/);
    expect(await status(ask([cat, dog]))).toMatch(/^400 .*got 2 images/);
    expect(await status(ask([cat]))).toMatch(/^400 .*2620×820 composite/);
    expect(await status(ask(['data:image/png;base64,bm90IGFuIGltYWdl', dog, cat]))).toMatch(/^400 .*image 1: not a decodable image/);
  });

  test('fingerprints are cached per images directory; a changed image is fingerprinted again', async () => {
    const [entry] = readdirSync(cacheDir);
    expect(entry).toMatch(/^[0-9a-f]{64}\.json$/);
    const cached = JSON.parse(readFileSync(join(cacheDir, entry), 'utf8'));
    expect(Object.keys(cached.entries).sort()).toEqual(['cat.png', 'dog.jpg', 'flag.png', 'hammer.png', 'horse.png', 'saw.webp']);
    expect(cached.entries['flag.png'].fps).toHaveLength(3); // non-square: fill, contain, cover
    expect(cached.entries['cat.png'].fps).toHaveLength(1);
    const old = readFileSync(files.cat);
    try {
      await sharp({ create: { width: 500, height: 500, channels: 3, background: { r: 0, g: 200, b: 200 } } }).png().toFile(files.cat);
      utimesSync(files.cat, new Date(), new Date(Date.now() + 5000));
      const again = await startServer({ concepts: conceptSet, observer, imagesDir: dir, imageCacheDir: cacheDir });
      try {
        const c = new OpenAI({ baseURL: again.url, apiKey: 'k', maxRetries: 0 });
        const r = await c.chat.completions.create({
          model: 'm',
          messages: [{ role: 'user', content: [{ type: 'text', text: GEMINI_PROMPT }, { type: 'image_url', image_url: { url: await composite(['hammer', 'cat', 'saw']) } }] }],
        });
        expect(r.choices[0].message.content).toMatch(/on the middle\./);
      } finally {
        await again.close();
      }
    } finally {
      writeFileSync(files.cat, old);
    }
  });

  test('start-up fails, naming them, when concepts have no image', async () => {
    const more: ConceptSet = { concepts: [...concepts, { index: 6, id: 'ghost', word: 'ghost', definition: 'x', prompt: 'ghost (x)' }], source: 't' };
    const obs = simObserver(matrixFromRows([[1], [1], [1], [1], [1], [1], [1]]));
    await expect(startServer({ concepts: more, observer: obs, imagesDir: dir, imageCacheDir: false })).rejects.toThrow(FileError);
    await expect(startServer({ concepts: more, observer: obs, imagesDir: dir, imageCacheDir: false })).rejects.toThrow(/no image for 1 of 7 concepts .* ghost/);
    await expect(startServer({ concepts: conceptSet, observer, imagesDir: join(dir, 'nope'), imageCacheDir: false })).rejects.toThrow(FileError);
  });
});
