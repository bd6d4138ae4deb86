import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { compositeImages, encodeImage } from './composite.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argmaxOdd, randomEmbedding, randomTriplets, syntheticConcepts, writeConceptImages } from '../test/annotate-fixtures.js';
import { annotate } from './annotate.js';
import { openJournalReadOnly } from './journal/index.js';
import { resolvePrompt } from './prompts.js';
import { simObserver, startServer, type RunningServer } from '@conceptlab/sim-server';

const concepts = syntheticConcepts(12, 41);
const embedding = randomEmbedding(12, 4, 42);
const triplets = randomTriplets(16, 12, 43);
let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vision-test-'));
  await writeConceptImages(join(dir, 'images'), concepts);
  server = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }), imagesDir: join(dir, 'images') });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('annotate in vision mode', () => {
  it.each(['composite', 'separate'] as const)('%s images: every row answered by position, as the observer chose', async (imageLayout) => {
    const file = join(dir, `${imageLayout}.sqlite`);
    const s = await annotate({
      baseUrl: server.url, model: 'gemini-pro-vision', concepts, triplets, journalFile: file, mode: 'vision', imagesDir: join(dir, 'images'),
      imageLayout, prompt: resolvePrompt('du2024-vision', 'vision'), seed: 4, concurrency: 4,
    });
    expect(s).toMatchObject({ answered: 16, unparsed: 0, failed: 0 });
    const j = openJournalReadOnly(file);
    const its = [...j.items()];
    expect(j.config).toMatchObject({ mode: 'vision', imageLayout, maxTokens: 2048, imageFormat: 'png' });
    j.close();
    for (const it of its) {
      expect(it.via).toBe('position');
      expect(it.choicePosition).toBe(argmaxOdd(embedding, it.presented));
    }
  });

  it('fails early, before any request, when a concept has no image', async () => {
    await expect(
      annotate({
        baseUrl: server.url, model: 'm', concepts, triplets, journalFile: join(dir, 'none.sqlite'), mode: 'vision', imagesDir: join(dir, 'nope'),
        prompt: resolvePrompt('du2024-vision', 'vision'),
      }),
    ).rejects.toMatchObject({ _tag: 'FileError' });
    expect(existsSync(join(dir, 'none.sqlite'))).toBe(false);
  });

  const visionOptions = (journalFile: string, imagesDir: string) => ({
    baseUrl: server.url, model: 'm', concepts, triplets, journalFile, mode: 'vision' as const, imagesDir, prompt: resolvePrompt('du2024-vision', 'vision'), seed: 4,
  });
  const used = triplets.data[4]; // a concept some row shows

  it('a corrupt image fails before any request, naming the file; no journal is created', async () => {
    const images = join(dir, 'corrupt');
    cpSync(join(dir, 'images'), images, { recursive: true });
    const bad = join(images, `${concepts.concepts[used].id}.png`);
    writeFileSync(bad, Buffer.concat([readFileSync(bad).subarray(0, 8), Buffer.alloc(192, 7)])); // a PNG signature, then garbage (200 bytes)
    const before = server.stats().requests;
    await expect(annotate(visionOptions(join(dir, 'corrupt.sqlite'), images))).rejects.toMatchObject({
      _tag: 'FileError', file: bad, message: expect.stringMatching(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read: not a readable image`)),
    });
    expect(server.stats().requests).toBe(before);
    expect(existsSync(join(dir, 'corrupt.sqlite'))).toBe(false);
  });

  it('a concept with both x.png and x.jpg is an error naming both files', async () => {
    const images = join(dir, 'twice');
    cpSync(join(dir, 'images'), images, { recursive: true });
    const id = concepts.concepts[used].id;
    cpSync(join(images, `${id}.png`), join(images, `${id}.jpg`));
    await expect(annotate(visionOptions(join(dir, 'twice.sqlite'), images))).rejects.toMatchObject({
      _tag: 'FileError', message: expect.stringContaining(`${join(images, `${id}.jpg`)}: cannot read: ${join(images, `${id}.png`)} is an image of concept "${id}" too`),
    });
    expect(existsSync(join(dir, 'twice.sqlite'))).toBe(false);
  });

  it.each(['composite', 'separate'] as const)('saveImagesDir writes exactly what each row was shown (%s), named by row index', async (imageLayout) => {
    const out = join(dir, `shown-${imageLayout}`);
    const file = join(dir, `shown-${imageLayout}.sqlite`);
    await annotate({ ...visionOptions(file, join(dir, 'images')), imageLayout, saveImagesDir: out, concurrency: 4 });
    const j = openJournalReadOnly(file);
    const its = [...j.items()];
    j.close();
    const names = readdirSync(out).sort();
    if (imageLayout === 'composite') {
      expect(names).toEqual(its.map((it) => `${it.row}.png`).sort());
      const it = its[3];
      const saved = readFileSync(join(out, `${it.row}.png`));
      expect(await sharp(saved).metadata()).toMatchObject({ width: 2620, height: 820 });
      const files = it.presented.map((k) => join(dir, 'images', `${concepts.concepts[k].id}.png`)) as [string, string, string];
      expect(saved.equals(await compositeImages([readFileSync(files[0]), readFileSync(files[1]), readFileSync(files[2])], 'png'))).toBe(true);
    } else {
      expect(names).toEqual(its.flatMap((it) => [0, 1, 2].map((k) => `${it.row}-${k}.png`)).sort());
      const it = its[5];
      const saved = readFileSync(join(out, `${it.row}-2.png`));
      expect(saved.equals(await encodeImage(join(dir, 'images', `${concepts.concepts[it.presented[2]].id}.png`), 'png'))).toBe(true);
    }
  });

  it('saveImagesDir in text mode is refused', async () => {
    await expect(annotate({ ...visionOptions(join(dir, 'text.sqlite'), join(dir, 'images')), mode: 'text', prompt: resolvePrompt('du2024-text', 'text'), saveImagesDir: join(dir, 'x') })).rejects.toMatchObject({
      _tag: 'InvalidArgumentError',
    });
    expect(existsSync(join(dir, 'text.sqlite'))).toBe(false);
  });
});
