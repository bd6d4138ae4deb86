import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { chromiumAvailable, inChromium } from '../../../test-support/chromium.js';
import { dataDirForTests, loadThingsDirectory, readNpyMatrix } from '@conceptlab/core';
import { interpret } from './interpret.js';
import { readRaterLabels } from './rater-labels.js';
import { clusteredFixture } from '../test/fixtures.js';

/**
 * The report in real headless Chromium (Debian `chromium`, driven by playwright-core; never a downloaded
 * browser): no console errors or page errors, no request leaves file:/data:, one card per dimension, the map
 * has a point per object, and a screenshot is saved under $CONCEPTLAB_ARTIFACTS (default: a temp dir).
 */
const haveChromium = chromiumAvailable();

async function checkInChromium(reportDir: string, dims: number, objects: number, shot: string): Promise<void> {
  const r = await inChromium(join(reportDir, 'report.html'), shot, async (page) => {
    expect(await page.locator('article.card').count()).toBe(dims);
    expect(await page.locator('svg.map circle.pt').count()).toBeGreaterThanOrEqual(objects);
    expect(await page.locator('#similarity svg').count()).toBe(1);
    const mapBox = await page.locator('svg.map').boundingBox();
    expect(mapBox!.width).toBeGreaterThan(200);
  });
  expect(r.errors).toEqual([]);
  expect(r.external).toEqual([]);
  const meta = await sharp(r.screenshot).metadata();
  expect(meta.width).toBe(1400);
}

(haveChromium ? test : test.skip)('a small report (labels, images, comparison) renders in Chromium', async () => {
  const fx = clusteredFixture();
  const dir = mkdtempSync(join(tmpdir(), 'report-small-'));
  const labels = join(dir, 'labels');
  const images = join(dir, 'images');
  mkdirSync(labels);
  mkdirSync(images);
  writeFileSync(join(labels, 'rater1.txt'), 'round, ball\nred\nlong\nsoft\nmetal\n');
  writeFileSync(join(labels, 'rater2.txt'), 'ball\nred, warm\n\nsoft, fluffy\nmetallic\n');
  for (let i = 0; i < 12; i++) {
    await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 20 * i, g: 120, b: 200 - 10 * i } } }).png().toFile(join(images, `obj${i}.png`));
  }
  const out = join(dir, 'out');
  const r = await interpret({
    embedding: fx.embedding, concepts: fx.concepts, categories: fx.categories, outDir: out, permutations: 20, tsneIterations: 200,
    labels: readRaterLabels(labels, fx.embedding.cols).dims, imagesDir: images,
    compare: { name: 'self', embedding: fx.embedding },
  });
  expect(r.images!.missing.length).toBeGreaterThan(0); // objects 12.. have no image: listed, not hidden
  await checkInChromium(out, fx.embedding.cols, fx.embedding.rows, 'report-small.png');
});

const data = haveChromium ? dataDirForTests(__dirname, 'the THINGS report in Chromium') : undefined;
(data ? test : test.skip)('the THINGS human-embedding report renders in Chromium', async () => {
  const things = loadThingsDirectory(join(data!, 'things'));
  const x = readNpyMatrix(join(data!, 'things', 'human_embedding_vice42.npy'));
  const out = mkdtempSync(join(tmpdir(), 'report-things-'));
  const r = await interpret({ embedding: x, concepts: things.concepts, categories: things.categories, outDir: out, permutations: 200 });
  expect(r.classification!.names).toHaveLength(18);
  expect(r.classification!.accuracy).toBeCloseTo(0.8496849684968497, 12); // reference/references.py
  expect(r.summaries[0].top.map((t) => t.index)).toEqual([1216, 1515, 872, 492, 1273, 930]); // numpy argsort
  expect(r.summaries[0].top[0].word).toBe(things.concepts[1216].word);
  await checkInChromium(out, 42, 1854, 'report-things.png');
}, 180000);
