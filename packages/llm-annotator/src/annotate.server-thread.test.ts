import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeNpyMatrix, type Triplets } from '@conceptlab/core';
import { simObserver, startServer, startServerThread, type RunningServer } from '@conceptlab/sim-server';
import { argmaxOdd, randomEmbedding, randomTriplets, syntheticConcepts } from '../test/annotate-fixtures.js';
import { annotate } from './annotate.js';
import { openJournalReadOnly } from './journal/index.js';
import { resolvePrompt } from './prompts.js';

// The thread loads the built worker (jest runs the TypeScript sources, which a worker thread cannot load).
const WORKER = resolve(__dirname, '..', '..', 'sim-server', 'dist', 'server-thread-worker.js');

const N_CONCEPTS = 40;
const concepts = syntheticConcepts(N_CONCEPTS, 7);
const embedding = randomEmbedding(N_CONCEPTS, 5, 8);
// 400 distinct sets: a set asked twice is sent twice or answered from the journal depending on whether its twin is
// still in flight, so with repeats the server's request count would depend on timing (399 or 400).
const triplets = distinctSets(randomTriplets(600, N_CONCEPTS, 9), 400);

function distinctSets(t: Triplets, count: number): Triplets {
  const seen = new Set<string>();
  const data = new Int32Array(3 * count);
  let m = 0;
  for (let r = 0; r < t.count && m < count; r++) {
    const row = t.data.subarray(3 * r, 3 * r + 3);
    const key = [...row].sort((a, b) => a - b).join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    data.set(row, 3 * m++);
  }
  if (m < count) throw new Error(`only ${m} distinct sets`);
  return { count, data };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'annotate-thread-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Annotate every triplet against `server` into a fresh journal; its rows without the times and latencies. */
async function journalRows(server: RunningServer, name: string) {
  const journalFile = join(dir, name);
  const s = await annotate({
    baseUrl: server.url,
    endpointName: 'conceptlab serve (test)',
    model: 'sim',
    concepts,
    triplets,
    journalFile,
    mode: 'text',
    prompt: resolvePrompt('du2024-text', 'text'),
    seed: 3,
    concurrency: 16,
  });
  expect(s).toMatchObject({ answered: 400, unparsed: 0, failed: 0, pending: 0 });
  const j = openJournalReadOnly(journalFile);
  try {
    return [...j.items()].map(({ latencyMs: _l, updatedAt: _u, ...rest }) => rest);
  } finally {
    j.close();
  }
}

describe('annotate against the server on a worker thread (conceptlab demo)', () => {
  it('writes the same journal rows as against the same server in this thread, for the same seeds (sampling observer)', async () => {
    const npy = join(dir, 'embedding.npy');
    writeNpyMatrix(npy, embedding);
    // Sampling (T = 1), not argmax: every answer draws from the request's own rng, so the rows pin that the
    // thread seeds each answer as the in-process server does, whatever the order requests arrive in.
    const inProcess = await startServer({ concepts, observer: simObserver(embedding, { temperature: 1 }), seed: 11 });
    let here, hereStats;
    try {
      here = await journalRows(inProcess, 'here.sqlite');
      hereStats = inProcess.stats();
    } finally {
      await inProcess.close();
    }
    const thread = await startServerThread({ concepts, observer: `sim:${npy}`, observerOptions: { temperature: 1 }, seed: 11, workerUrl: WORKER });
    let there;
    try {
      there = await journalRows(thread, 'thread.sqlite');
      // the counters cross the thread: the same as in this thread
      expect(thread.stats()).toEqual(hereStats);
      expect(hereStats.answered).toBeGreaterThan(390);
    } finally {
      await thread.close();
    }
    expect(there).toEqual(here);
    // not a vacuous comparison: the sampled answers are not all the argmax
    expect(here.filter((r) => r.choicePosition !== argmaxOdd(embedding, r.presented)).length).toBeGreaterThan(40);
  });
});
