import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ProgressEvent } from '@conceptlab/core';
import { argmaxOdd, randomEmbedding, randomTriplets, syntheticConcepts } from '../test/annotate-fixtures.js';
import { annotate, type AnnotateOptions } from './annotate.js';
import { openJournalReadOnly } from './journal/index.js';
import { resolvePrompt } from './prompts.js';
import { simObserver, startServer, type RunningServer } from '@conceptlab/sim-server';

const N_CONCEPTS = 60;
const concepts = syntheticConcepts(N_CONCEPTS);
const embedding = randomEmbedding(N_CONCEPTS, 6);
const triplets = randomTriplets(240, N_CONCEPTS);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'annotate-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function base(server: RunningServer, over: Partial<AnnotateOptions> = {}): AnnotateOptions {
  return {
    baseUrl: server.url,
    model: 'gpt-3.5-turbo',
    concepts,
    triplets,
    journalFile: join(dir, 'j.sqlite'),
    mode: 'text',
    prompt: resolvePrompt('du2024-text', 'text'),
    seed: 5,
    concurrency: 8,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    ...over,
  };
}

/** Every row's final state, in row order. */
function rows(file: string) {
  const j = openJournalReadOnly(file);
  try {
    return [...j.items()];
  } finally {
    j.close();
  }
}

describe('annotate against conceptlab serve (text mode)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }), port: 0 });
  });
  afterAll(() => server.close());

  it('answers every row as the argmax observer would, in the seeded presentation order', async () => {
    const events: ProgressEvent[] = [];
    const s = await annotate(base(server, { onProgress: (e) => events.push(e), progressIntervalMs: 0 }));
    expect(s).toMatchObject({ total: 240, answered: 240, unparsed: 0, failed: 0, pending: 0, todo: 240, aborted: false });
    expect(s.run).toMatchObject({ answered: 240, httpRequests: 240, retries: 0, cached: 0 });
    expect(s.run.costUsd).toBeGreaterThan(0); // gpt-3.5-turbo is in the price table
    for (const it of rows(join(dir, 'j.sqlite'))) {
      expect(it.status).toBe('answered');
      expect(it.choicePosition).toBe(argmaxOdd(embedding, it.presented));
      expect(it.oddObject).toBe(it.presented[it.choicePosition!]);
      expect(it.via).toBe('name');
      expect(it.rawReply).toContain(`'${concepts.concepts[it.oddObject!].word}'`);
      expect(it.attempts).toBe(1);
      expect(it.source).toBe('http');
    }
    // presentation orders are not all the identity
    const its = rows(join(dir, 'j.sqlite'));
    expect(its.filter((i) => i.presented.join() !== i.objects.join()).length).toBeGreaterThan(150);
    expect(events[0].phase).toBe('start');
    expect(events[events.length - 1]).toMatchObject({ phase: 'end', done: 240, total: 240, unit: 'triplets' });
    expect(events[events.length - 1].detail).toMatchObject({ answered: 240, state: 'running' });
  });

  it('a resumed complete journal asks nothing; a different config is refused naming the key', async () => {
    await annotate(base(server));
    const before = server.stats().requests;
    const s = await annotate(base(server, { resume: true }));
    expect(s).toMatchObject({ todo: 0, answered: 240, run: { httpRequests: 0 } });
    expect(server.stats().requests).toBe(before);
    await expect(annotate(base(server, { resume: true, seed: 6 }))).rejects.toMatchObject({ _tag: 'JournalConfigMismatchError', key: 'presentationSeed' });
    await expect(annotate(base(server))).rejects.toMatchObject({ _tag: 'JournalExistsError' });
  });

  it('endpointName: a journal of a local server on a free port resumes against the same server on another port', async () => {
    const other = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }), port: 0 });
    try {
      expect(other.url).not.toBe(server.url);
      await annotate(base(server, { endpointName: 'local sim' }));
      const s = await annotate(base(other, { endpointName: 'local sim', resume: true }));
      expect(s).toMatchObject({ todo: 0, answered: 240 });
      // Without the name, the recorded URL (with the first port) differs from the second server's.
      await expect(annotate(base(other, { resume: true }))).rejects.toMatchObject({ _tag: 'JournalConfigMismatchError', key: 'baseUrl' });
      const j = openJournalReadOnly(join(dir, 'j.sqlite'));
      try {
        expect(j.config.baseUrl).toBe('local sim');
      } finally {
        j.close();
      }
    } finally {
      await other.close();
    }
  });

  it('cache: a second run over the same triplets (new journal, cacheFrom the first) makes no HTTP request', async () => {
    await annotate(base(server));
    const before = server.stats().requests;
    const s = await annotate(base(server, { journalFile: join(dir, 'j2.sqlite'), cacheFrom: [join(dir, 'j.sqlite')] }));
    expect(server.stats().requests).toBe(before);
    expect(s).toMatchObject({ answered: 240, run: { httpRequests: 0, cached: 240, promptTokens: 0 } });
    const a = rows(join(dir, 'j.sqlite')), b = rows(join(dir, 'j2.sqlite'));
    expect(b.map((i) => [i.row, i.choicePosition, i.rawReply])).toEqual(a.map((i) => [i.row, i.choicePosition, i.rawReply]));
    expect(b.every((i) => i.source === 'cache')).toBe(true);
  });

  it('cache within a run: repeated identical requests are asked once', async () => {
    // the same row three times: rows 0..2 have different presentation orders, but 3 copies of 30 rows at seeds
    // that give equal orders are served from the journal; count hits against distinct request bodies
    const rep = { count: 90, data: new Int32Array(270) };
    for (let t = 0; t < 90; t++) rep.data.set(triplets.data.subarray(3 * (t % 30), 3 * (t % 30) + 3), 3 * t);
    const s = await annotate(base(server, { triplets: rep, concurrency: 1 }));
    const its = rows(join(dir, 'j.sqlite'));
    const distinct = new Set(its.map((i) => i.presented.join())).size;
    expect(s.run.httpRequests).toBe(distinct);
    expect(s.run.cached).toBe(90 - distinct);
    expect(its.every((i) => i.status === 'answered')).toBe(true);
    // cache off: every row asked
    const s2 = await annotate(base(server, { triplets: rep, journalFile: join(dir, 'nocache.sqlite'), cache: false }));
    expect(s2.run.httpRequests).toBe(90);
  });

  it('a shard asks only its rows', async () => {
    const s = await annotate(base(server, { shard: { k: 2, n: 3 } }));
    expect(s.total).toBe(80);
    expect(rows(join(dir, 'j.sqlite')).map((i) => i.row)).toEqual(Array.from({ length: 80 }, (_, i) => 3 * i + 1));
  });

  it('structured formats (json-schema, tool) are read from the structured part', async () => {
    for (const answerFormat of ['json-schema', 'tool'] as const) {
      const file = join(dir, `${answerFormat}.sqlite`);
      const s = await annotate(base(server, { answerFormat, journalFile: file, triplets: randomTriplets(40, N_CONCEPTS, 9) }));
      expect(s.answered).toBe(40);
      const its = rows(file);
      expect(its.every((i) => i.via === (answerFormat === 'tool' ? 'tool' : 'json'))).toBe(true);
      expect(its.every((i) => i.choicePosition === argmaxOdd(embedding, i.presented))).toBe(true);
      if (answerFormat === 'tool') expect(JSON.parse(its[0].messageExtra!).tool_calls[0].function.name).toBe('report_odd_one_out');
    }
  });

  it('stops on abort: in-flight rows stay pending and a resume finishes them', async () => {
    const slow = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }), faults: { latencyMs: 20 } });
    try {
      const ac = new AbortController();
      const p = annotate(base(slow, { signal: ac.signal, concurrency: 4 }));
      setTimeout(() => ac.abort(), 150);
      const s = await p;
      expect(s.aborted).toBe(true);
      expect(s.pending).toBeGreaterThan(0);
      expect(s.answered + s.pending).toBe(240);
      const s2 = await annotate(base(slow, { resume: true, concurrency: 32 }));
      expect(s2).toMatchObject({ answered: 240, pending: 0, todo: s.pending });
    } finally {
      await slow.close();
    }
  });
});

describe('annotate under faults', () => {
  it('10% 429/500 and 5% malformed: every row ends answered or unparsed, retries are counted, answers are right', async () => {
    const server = await startServer({
      concepts,
      observer: simObserver(embedding, { argmax: true }),
      faults: { errorRate: 0.1, malformedRate: 0.05, retryAfterSeconds: 0.01, seed: 3 },
    });
    try {
      const events: ProgressEvent[] = [];
      const s = await annotate(base(server, { maxAttempts: 10, onProgress: (e) => events.push(e), progressIntervalMs: 0 }));
      expect(s.pending).toBe(0);
      expect(s.failed).toBe(0);
      expect(s.answered + s.unparsed).toBe(240);
      expect(s.unparsed).toBeGreaterThan(0);
      expect(s.run.retries).toBeGreaterThan(0);
      const st = server.stats();
      // every injected 429/500 was retried (a connection reset under heavy load would add a retry of its own)
      expect(s.run.retries).toBeGreaterThanOrEqual(st.faults.rateLimited + st.faults.serverError);
      expect(s.run.httpRequests).toBe(240 + s.run.retries);
      const its = rows(join(dir, 'j.sqlite'));
      for (const it of its) {
        if (it.status === 'answered') expect(it.choicePosition).toBe(argmaxOdd(embedding, it.presented));
        else {
          expect(it.status).toBe('unparsed');
          expect(it.rawReply).toBe('I cannot decide.');
          expect(it.choicePosition).toBeNull();
          expect(it.error).toBeTruthy();
        }
      }
      expect(s.unparsed).toBe(st.faults.malformed);
      // the attempts table holds every HTTP attempt, failures with their status
      const db = new Database(join(dir, 'j.sqlite'), { readonly: true });
      const codes = db.prepare('SELECT status_code, count(*) n FROM attempts WHERE status_code IS NOT NULL GROUP BY status_code ORDER BY status_code').all();
      db.close();
      expect(codes).toEqual([
        { status_code: 200, n: 240 },
        ...(st.faults.rateLimited ? [{ status_code: 429, n: st.faults.rateLimited }] : []),
        ...(st.faults.serverError ? [{ status_code: 500, n: st.faults.serverError }] : []),
      ].sort((a, b) => a.status_code - b.status_code));
      expect(its.reduce((n, i) => n + i.attempts, 0)).toBe(s.run.httpRequests);
      expect(events.some((e) => typeof e.detail?.lastError === 'string')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('re-asks an unparsed reply with a different seed, keeping every raw reply', async () => {
    const server = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }), faults: { malformedRate: 0.3, seed: 11 } });
    try {
      const s = await annotate(base(server, { reask: 3, concurrency: 1 }));
      expect(s.run.reasks).toBeGreaterThan(0);
      const j = openJournalReadOnly(join(dir, 'j.sqlite'));
      const reasks = [...j.reasks()];
      j.close();
      expect(reasks).toHaveLength(s.run.reasks);
      expect(reasks.every((r) => r.rawReply === 'I cannot decide.')).toBe(true);
      const its = rows(join(dir, 'j.sqlite'));
      const byRow = new Map(its.map((i) => [i.row, i]));
      for (const r of reasks) expect(byRow.get(r.row)!.asks).toBeGreaterThan(r.ask);
      expect(its.filter((i) => i.asks > 1).length).toBeGreaterThan(0);
      // every malformed reply is either a kept re-ask or a final unparsed row
      expect(reasks.length + s.unparsed).toBe(server.stats().faults.malformed);
      for (const it of its) if (it.status === 'answered') expect(it.choicePosition).toBe(argmaxOdd(embedding, it.presented));
    } finally {
      await server.close();
    }
  });

  it('a server that stays down: rows fail after maxAttempts, the breaker pauses, resume asks them again', async () => {
    const server = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }), faults: { errorRate: 1, retryAfterSeconds: 0.001 } });
    const events: ProgressEvent[] = [];
    let s;
    try {
      s = await annotate(
        base(server, {
          triplets: randomTriplets(12, N_CONCEPTS),
          maxAttempts: 3,
          concurrency: 4,
          breaker: { threshold: 5, pauseMs: 20, maxPauseMs: 40 },
          maxConsecutiveFailures: 1000, // pauses only (the default ends such a run: annotate.failfast.test.ts)
          onProgress: (e) => events.push(e),
        }),
      );
    } finally {
      await server.close();
    }
    expect(s).toMatchObject({ failed: 12, answered: 0, run: { httpRequests: 36 } });
    expect(s.run.pauses).toBeGreaterThan(0);
    expect(events.some((e) => e.detail?.state === 'paused')).toBe(true);
    expect(rows(join(dir, 'j.sqlite')).every((i) => i.status === 'failed' && /HTTP (429|500)/.test(i.error ?? ''))).toBe(true);
    // the same port: the base URL is part of the journal's config
    const ok = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }), port: server.port });
    try {
      const s2 = await annotate(base(ok, { triplets: randomTriplets(12, N_CONCEPTS), resume: true }));
      expect(s2).toMatchObject({ todo: 12, answered: 12, failed: 0 });
      // 3 failed attempts before, then 1 (or 2 when a pooled socket to the old server was reused)
      expect(rows(join(dir, 'j.sqlite')).every((i) => i.attempts >= 4 && i.attempts <= 5)).toBe(true);
      const db = new Database(join(dir, 'j.sqlite'), { readonly: true });
      expect(db.prepare('SELECT count(*) FROM attempts').pluck().get()).toBe(rows(join(dir, 'j.sqlite')).reduce((n, i) => n + i.attempts, 0));
      db.close();
    } finally {
      await ok.close();
    }
  });
});
