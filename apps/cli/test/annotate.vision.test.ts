/**
 * `annotate --mode vision` (issue 13): a corrupt image or a concept with two images fails before any request,
 * naming the file(s); `--save-images DIR` writes what each row was shown; `--image-layout separate` asks with
 * the separate-images prompt. A real server in this process counts the requests.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createMatrix, createRng, loadThingsDirectory, writeTripletText } from '@conceptlab/core';
import { openJournalReadOnly } from '@conceptlab/llm-annotator';
import { simObserver, startServer, type RunningServer } from '@conceptlab/sim-server';
import { sampleUniform } from '@conceptlab/triplet-sampler';
import { runAsync, tempDir, writeText, expectOneLineError } from './run-cli.js';

const dir = tempDir();
const words = ['apple', 'pear', 'plum', 'cherry', 'hammer', 'saw', 'drill', 'wrench', 'dog', 'cat', 'horse', 'cow'];
writeText(dir, 'things_concepts.tsv', 'Word\tuniqueID\tDefinition\n' + words.map((w) => `${w}\t${w}\tthe ${w}`).join('\n') + '\n');
writeTripletText(join(dir, 'sets.txt'), sampleUniform({ nObjects: 12, count: 12, seed: 2 }));
const images = join(dir, 'images');
let server: RunningServer;

beforeAll(async () => {
  const rng = createRng(5);
  mkdirSync(images, { recursive: true });
  for (const w of words) {
    const px = Buffer.alloc(4 * 4 * 3);
    for (let i = 0; i < px.length; i++) px[i] = rng.nextInt(256);
    await sharp(px, { raw: { width: 4, height: 4, channels: 3 } }).resize(64, 64, { kernel: 'nearest' }).png().toFile(join(images, `${w}.png`));
  }
  const emb = createMatrix(12, 3);
  for (let i = 0; i < 36; i++) emb.data[i] = rng.nextFloat();
  server = await startServer({ concepts: loadThingsDirectory(dir), observer: simObserver(emb, { argmax: true }), imagesDir: images });
});
afterAll(() => server?.close());

const args = (journal: string, imagesDir: string, extra: string[] = []) =>
  ['annotate', '--base-url', server.url, '--model', 'vision-model', '--concepts', dir, '--triplets', join(dir, 'sets.txt'), '--journal', journal, '--mode', 'vision', '--images', imagesDir, ...extra];

describe('annotate --mode vision', () => {
  test('a corrupt image: one line naming the file, no journal, no request', async () => {
    const bad = join(dir, 'corrupt');
    cpSync(images, bad, { recursive: true });
    const file = join(bad, 'saw.png');
    writeFileSync(file, Buffer.concat([readFileSync(file).subarray(0, 8), Buffer.alloc(192, 7)]));
    const before = server.stats().requests;
    const t0 = performance.now();
    const r = await runAsync(args(join(dir, 'corrupt.sqlite'), bad));
    expectOneLineError(r, performance.now() - t0, /^conceptlab: error: .*corrupt\/saw\.png: cannot read: not a readable image/);
    expect(existsSync(join(dir, 'corrupt.sqlite'))).toBe(false);
    expect(server.stats().requests).toBe(before);
  });

  test('a concept with both x.png and x.jpg: one line naming both files', async () => {
    const two = join(dir, 'two');
    cpSync(images, two, { recursive: true });
    cpSync(join(two, 'dog.png'), join(two, 'dog.jpg'));
    const t0 = performance.now();
    const r = await runAsync(args(join(dir, 'two.sqlite'), two));
    expectOneLineError(r, performance.now() - t0, /two\/dog\.jpg: cannot read: .*two\/dog\.png is an image of concept "dog" too; keep one image per concept$/);
    expect(existsSync(join(dir, 'two.sqlite'))).toBe(false);
  });

  test('--save-images writes each row\'s composite; --image-layout separate uses the separate-images prompt', async () => {
    const shown = join(dir, 'shown');
    const r = await runAsync(args(join(dir, 'composite.sqlite'), images, ['--save-images', shown]));
    expect(r.code).toBe(0);
    expect(readdirSync(shown).sort()).toEqual(Array.from({ length: 12 }, (_, row) => `${row}.png`).sort());
    expect(await sharp(join(shown, '0.png')).metadata()).toMatchObject({ width: 2620, height: 820 });
    const c = openJournalReadOnly(join(dir, 'composite.sqlite'));
    expect(c.config.promptId).toBe('du2024-vision');
    c.close();
    const s = await runAsync(args(join(dir, 'separate.sqlite'), images, ['--image-layout', 'separate', '--save-images', join(dir, 'shown-separate')]));
    expect(s.code).toBe(0);
    expect(readdirSync(join(dir, 'shown-separate'))).toHaveLength(36);
    const j = openJournalReadOnly(join(dir, 'separate.sqlite'));
    expect(j.config).toMatchObject({ promptId: 'vision-separate', imageLayout: 'separate' });
    expect(j.config.promptText).not.toMatch(/side by side/);
    expect(j.counts()).toMatchObject({ answered: 12 });
    j.close();
  }, 30000);
});
