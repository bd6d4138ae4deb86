import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { argmaxOdd, randomEmbedding, randomTriplets, syntheticConcepts } from '../test/annotate-fixtures.js';
import { annotate, type AnnotateOptions } from './annotate.js';
import { annotateBatch, type BatchAnnotateOptions, type BatchEntry } from './batch.js';
import { openJournalReadOnly } from './journal/index.js';
import { resolvePrompt } from './prompts.js';
import { simObserver, startServer, type RunningServer } from '@conceptlab/sim-server';

const N_CONCEPTS = 40;
const concepts = syntheticConcepts(N_CONCEPTS, 4);
const embedding = randomEmbedding(N_CONCEPTS, 5, 5);
const triplets = randomTriplets(150, N_CONCEPTS, 6);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'batch-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function opts(server: RunningServer, over: Partial<BatchAnnotateOptions> = {}): BatchAnnotateOptions {
  return {
    baseUrl: server.url,
    model: 'gpt-4o-mini',
    concepts,
    triplets,
    journalFile: join(dir, 'b.sqlite'),
    mode: 'text',
    prompt: resolvePrompt('du2024-text', 'text'),
    seed: 9,
    pollIntervalMs: 5,
    maxRequestsPerFile: 60,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...over,
  };
}

const items = (file: string) => {
  const j = openJournalReadOnly(file);
  try {
    return [...j.items()];
  } finally {
    j.close();
  }
};

describe('annotateBatch against conceptlab serve', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }) });
  });
  afterAll(() => server.close());

  it('end to end: files within limits, batches polled and ingested, answers equal an online run', async () => {
    const events: string[] = [];
    const s = await annotateBatch(opts(server, { onProgress: (e) => events.push(String(e.detail?.state)) }));
    expect(s).toMatchObject({ total: 150, answered: 150, unparsed: 0, failed: 0, pending: 0, submitted: 3, ingested: 3, resultLines: 150, aborted: false });
    expect(s.batches.map((b) => b.requests)).toEqual([60, 60, 30]);
    expect(s.batches.every((b) => b.ingested && b.status === 'completed' && b.id?.startsWith('batch_'))).toBe(true);
    expect(s.costUsd).toBeGreaterThan(0);
    const its = items(join(dir, 'b.sqlite'));
    expect(its.every((i) => i.source === 'batch' && i.attempts === 1 && i.choicePosition === argmaxOdd(embedding, i.presented))).toBe(true);
    // the same questions online give the same answers and raw replies
    const online: AnnotateOptions = { ...opts(server), journalFile: join(dir, 'online.sqlite') };
    await annotate(online);
    const on = items(join(dir, 'online.sqlite'));
    expect(its.map((i) => [i.row, i.presented, i.choicePosition, i.rawReply, i.requestKey])).toEqual(
      on.map((i) => [i.row, i.presented, i.choicePosition, i.rawReply, i.requestKey]),
    );
    expect(events).toContain('ingesting');
    // batch ids are in the journal's meta; no row is left assigned to a batch
    const db = new Database(join(dir, 'b.sqlite'), { readonly: true });
    const meta = JSON.parse(db.prepare("SELECT value FROM meta WHERE key = 'batches'").pluck().get() as string) as BatchEntry[];
    expect(meta.map((b) => b.id)).toEqual(s.batches.map((b) => b.id));
    expect(db.prepare('SELECT count(*) FROM batch_rows').pluck().get()).toBe(0);
    db.close();
  });

  it('resumable: a run that only submitted (or was killed while polling) is collected by the next, without resubmitting', async () => {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'x' });
    const before = (await client.batches.list()).data.length;
    const s1 = await annotateBatch(opts(server, { submitOnly: true }));
    expect(s1).toMatchObject({ submitted: 3, ingested: 0, pending: 150 });
    // an online run on the same journal leaves the rows in batches alone
    const online = await annotate({ ...opts(server), resume: true });
    expect(online.todo).toBe(0);
    // simulate a process killed between batches.create and recording the id
    const db = new Database(join(dir, 'b.sqlite'));
    const meta = JSON.parse(db.prepare("SELECT value FROM meta WHERE key = 'batches'").pluck().get() as string) as BatchEntry[];
    meta[1].id = null;
    meta[1].status = 'creating';
    db.prepare("UPDATE meta SET value = ? WHERE key = 'batches'").run(JSON.stringify(meta));
    db.close();
    const s2 = await annotateBatch(opts(server, { resume: true }));
    expect(s2).toMatchObject({ submitted: 0, ingested: 3, answered: 150, pending: 0 });
    expect((await client.batches.list()).data.length).toBe(before + 3); // the orphaned batch was adopted, not re-created
    expect(items(join(dir, 'b.sqlite')).every((i) => i.attempts === 1)).toBe(true);
  });

  it('keeps every request file within the byte limit', async () => {
    const s = await annotateBatch(opts(server, { maxRequestsPerFile: 50000, maxBytesPerFile: 4000 }));
    expect(s.answered).toBe(150);
    expect(s.batches.length).toBeGreaterThan(10); // ~500-byte lines: 7 or 8 per file
    expect(s.batches.every((b) => b.bytes <= 4000)).toBe(true);
    expect(s.batches.reduce((n, b) => n + b.requests, 0)).toBe(150);
    await expect(annotateBatch(opts(server, { journalFile: join(dir, 'x.sqlite'), maxRequestsPerFile: 50001 }))).rejects.toThrow(/maxRequestsPerFile/);
    await expect(annotateBatch(opts(server, { journalFile: join(dir, 'x.sqlite'), maxBytesPerFile: 300_000_000 }))).rejects.toThrow(/maxBytesPerFile/);
  });

  it('a second batch run over the same questions is answered from the cache', async () => {
    await annotateBatch(opts(server));
    const s = await annotateBatch(opts(server, { journalFile: join(dir, 'again.sqlite'), cacheFrom: [join(dir, 'b.sqlite')] }));
    expect(s).toMatchObject({ submitted: 0, cached: 150, answered: 150 });
  });
});

describe('annotateBatch with faulty results', () => {
  it('re-asks unparsed replies in a later batch; error lines fail and a resume asks them again', async () => {
    const server = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }), faults: { malformedRate: 0.2, errorRate: 0.1, seed: 2 } });
    try {
      const s = await annotateBatch(opts(server, { reask: 2 }));
      expect(s.pending).toBe(0);
      expect(s.answered + s.unparsed + s.failed).toBe(150);
      expect(s.failed).toBeGreaterThan(0);
      expect(s.submitted).toBeGreaterThan(3); // re-ask batches
      const j = openJournalReadOnly(join(dir, 'b.sqlite'));
      const reasks = [...j.reasks()];
      const failed = [...j.items()].filter((i) => i.status === 'failed');
      j.close();
      expect(reasks.length).toBeGreaterThan(0);
      expect(reasks.every((r) => r.source === 'batch' && r.rawReply === 'I cannot decide.')).toBe(true);
      expect(failed.every((i) => /HTTP 500/.test(i.error ?? ''))).toBe(true);
      const s2 = await annotateBatch(opts(server, { reask: 2, resume: true }));
      expect(s2.failed).toBeLessThan(s.failed);
      for (const it of items(join(dir, 'b.sqlite'))) if (it.status === 'answered') expect(it.choicePosition).toBe(argmaxOdd(embedding, it.presented));
    } finally {
      await server.close();
    }
  });
});
