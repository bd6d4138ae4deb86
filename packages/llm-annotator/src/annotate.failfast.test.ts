/**
 * annotate fails fast and stops on time (issue 13): the preflight refuses an unreachable or non-HTTP endpoint
 * before the journal exists; the circuit breaker ends a run against a server that fails every request
 * (rows stay pending for a resumed run); an abort during a breaker pause ends the run at once. Real HTTP
 * against conceptlab serve's server on 127.0.0.1.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argmaxOdd, randomEmbedding, randomTriplets, syntheticConcepts } from '../test/annotate-fixtures.js';
import { annotate, type AnnotateOptions } from './annotate.js';
import { AnnotateStoppedError } from './errors.js';
import { openJournalReadOnly } from './journal/index.js';
import { resolvePrompt } from './prompts.js';
import { simObserver, startServer, type RunningServer } from '@conceptlab/sim-server';
import { closedPort } from '../../../test-support/closed-port.js';

const N = 30;
const concepts = syntheticConcepts(N);
const embedding = randomEmbedding(N, 4);
const triplets = randomTriplets(40, N);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'annotate-failfast-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function options(baseUrl: string, over: Partial<AnnotateOptions> = {}): AnnotateOptions {
  return {
    baseUrl,
    endpointName: 'sim',
    model: 'sim',
    concepts,
    triplets,
    journalFile: join(dir, 'j.sqlite'),
    mode: 'text',
    prompt: resolvePrompt('du2024-text', 'text'),
    seed: 2,
    concurrency: 4,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...over,
  };
}

function journal(file: string) {
  const j = openJournalReadOnly(file);
  try {
    return { counts: j.counts(), items: [...j.items()], attempts: [...j.attempts()] };
  } finally {
    j.close();
  }
}

describe('preflight', () => {
  it('a closed port is refused at once with ECONNREFUSED, and no journal is created', async () => {
    const port = await closedPort();
    const t0 = performance.now();
    await expect(annotate(options(`http://127.0.0.1:${port}/v1`, { maxAttempts: 1 }))).rejects.toMatchObject({
      _tag: 'EndpointUnreachableError',
      code: 'ECONNREFUSED',
    });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(existsSync(join(dir, 'j.sqlite'))).toBe(false);
  });

  it('a non-HTTP endpoint is refused before anything happens', async () => {
    await expect(annotate(options('ftp://127.0.0.1/v1'))).rejects.toThrow(/baseUrl: expected an http:\/\/ or https:\/\/ URL, got "ftp:\/\/127\.0\.0\.1\/v1"/);
    expect(existsSync(join(dir, 'j.sqlite'))).toBe(false);
  });

  it('a resumed journal is left as it was when the endpoint is unreachable', async () => {
    const server = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }), port: 0 });
    try {
      await annotate(options(server.url, { triplets: randomTriplets(40, N) }));
    } finally {
      await server.close();
    }
    const before = journal(join(dir, 'j.sqlite'));
    const port = await closedPort();
    await expect(annotate(options(`http://127.0.0.1:${port}/v1`, { resume: true, triplets: randomTriplets(40, N) }))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(journal(join(dir, 'j.sqlite'))).toEqual(before);
  });
});

describe('circuit breaker against a server failing every request', () => {
  let failing: RunningServer;
  beforeAll(async () => {
    failing = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }), port: 0, faults: { errorRate: 1, retryAfterSeconds: 0.005, seed: 1 } });
  });
  afterAll(() => failing.close());

  it('ends the run after maxConsecutiveFailures outage failures; rows stay to do; a resume against a good server finishes', async () => {
    const e = await annotate(options(failing.url, { maxAttempts: 2, maxConsecutiveFailures: 4, concurrency: 1, breaker: { threshold: 100 } })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AnnotateStoppedError);
    const err = e as AnnotateStoppedError;
    expect(err.message).toMatch(/stopped after 4 consecutive failed requests \(the last: HTTP 500 .*\); 40 row\(s\) left to ask — continue the run \(--resume\)/);
    const j = journal(join(dir, 'j.sqlite'));
    // 429s are waited out and not counted: exactly four 500s (concurrency 1), nothing answered
    expect(j.attempts.filter((a) => a.statusCode === 500)).toHaveLength(4);
    expect(j.counts.answered + j.counts.unparsed).toBe(0);
    expect(j.counts.failed).toBeLessThanOrEqual(j.attempts.length / 2); // rows whose 2 attempts failed (429s or 500s)
    expect(err.remaining).toBe(40);

    const good = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }), port: 0 });
    try {
      const s = await annotate(options(good.url, { resume: true }));
      expect(s).toMatchObject({ answered: 40, pending: 0, failed: 0 });
      const items = journal(join(dir, 'j.sqlite')).items;
      items.forEach((it) => expect(it.choicePosition).toBe(argmaxOdd(embedding, it.presented as [number, number, number])));
    } finally {
      await good.close();
    }
  });

  it('with the defaults (concurrency 4, 10 failures) it stops within the limit, and an abort during a breaker pause returns at once', async () => {
    const e = await annotate(options(failing.url, { maxAttempts: 2, breaker: { threshold: 100 } })).catch((x: unknown) => x);
    expect(e).toMatchObject({ _tag: 'AnnotateStoppedError', failures: 10 });
    const attempts500 = journal(join(dir, 'j.sqlite')).attempts.filter((a) => a.statusCode === 500).length;
    expect(attempts500).toBeGreaterThanOrEqual(10);
    expect(attempts500).toBeLessThanOrEqual(10 + 4); // requests already in flight when it stopped

    const ac = new AbortController();
    const p = annotate(options(failing.url, { journalFile: join(dir, 'k.sqlite'), maxAttempts: 6, maxConsecutiveFailures: 1000, breaker: { threshold: 2, pauseMs: 60000 }, signal: ac.signal }));
    await new Promise((r) => setTimeout(r, 300)); // the breaker is paused for a minute by now
    const t0 = performance.now();
    ac.abort();
    const s = await p;
    expect(performance.now() - t0).toBeLessThan(500);
    expect(s.aborted).toBe(true);
    expect(s.pending + s.failed).toBe(40);
  });
});
