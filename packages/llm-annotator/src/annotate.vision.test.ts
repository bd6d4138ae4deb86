import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
});
