import { keyEchoServer as echoServer } from '../../../test-support/key-echo-server.js';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressEvent } from '@conceptlab/core';
import { randomEmbedding, randomTriplets, syntheticConcepts } from '../test/annotate-fixtures.js';
import { annotate, type AnnotateOptions } from './annotate.js';
import { exportJournal } from './export.js';
import { resolvePrompt } from './prompts.js';
import { simObserver, startServer } from '@conceptlab/sim-server';
import { summarizeJournal } from './summary.js';

const SECRET = 'sk-proj-THIS-IS-THE-SECRET-KEY-0123456789abcdef';
const WRONG = 'sk-proj-a-wrong-key-that-must-stay-private-987654';
const concepts = syntheticConcepts(20, 11);
const embedding = randomEmbedding(20, 4, 12);
const triplets = randomTriplets(30, 20, 13);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'client-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under `dir`, concatenated (journal, its WAL/SHM if any, exports). */
function allBytes(d: string): string {
  let s = '';
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    s += e.isDirectory() ? allBytes(p) : readFileSync(p).toString('latin1');
  }
  return s;
}

describe('API key secrecy end to end', () => {
  const base = (url: string, over: Partial<AnnotateOptions> = {}): AnnotateOptions => ({
    baseUrl: url,
    model: 'gpt-4o',
    apiKeyEnv: 'CONCEPTLAB_TEST_KEY',
    env: { CONCEPTLAB_TEST_KEY: SECRET },
    concepts,
    triplets,
    journalFile: join(dir, 'j.sqlite'),
    mode: 'text',
    prompt: resolvePrompt('du2024-text', 'text'),
    concurrency: 4,
    maxAttempts: 2,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    breaker: { pauseMs: 10, maxPauseMs: 20 },
    ...over,
  });

  it('a successful run: the key is in no journal byte, export, summary or progress event', async () => {
    const server = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }), apiKey: SECRET });
    const events: ProgressEvent[] = [];
    try {
      const s = await annotate(base(server.url, { onProgress: (e) => events.push(e), progressIntervalMs: 0 }));
      expect(s.answered).toBe(30);
    } finally {
      await server.close();
    }
    exportJournal(join(dir, 'j.sqlite'), { out: join(dir, 'x.csv'), format: 'csv' });
    exportJournal(join(dir, 'j.sqlite'), { out: join(dir, 'x.jsonl'), format: 'jsonl' });
    exportJournal(join(dir, 'j.sqlite'), { out: join(dir, 'x.txt'), format: 'spose' });
    const summary = JSON.stringify(summarizeJournal(join(dir, 'j.sqlite')));
    expect(existsSync(join(dir, 'x.csv'))).toBe(true);
    expect(allBytes(dir)).not.toContain(SECRET);
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect(summary).not.toContain(SECRET);
  });

  it('a rejected key (server echoing it): fatal error, nothing written or emitted contains it', async () => {
    const echo = await echoServer(401);
    const events: ProgressEvent[] = [];
    try {
      const err = (await annotate(base(echo.url, { env: { CONCEPTLAB_TEST_KEY: WRONG }, onProgress: (e) => events.push(e), progressIntervalMs: 0 })).then(
        () => undefined,
        (e: unknown) => e,
      )) as Error & { _tag: string; status: number };
      expect(err).toMatchObject({ _tag: 'AnnotateFatalError', status: 401 });
      expect(err.message).toContain('[REDACTED]');
      expect(err.message).not.toContain(WRONG);
      expect(String(err.stack)).not.toContain(WRONG);
    } finally {
      await echo.close();
    }
    expect(allBytes(dir)).not.toContain(WRONG);
    expect(JSON.stringify(events)).not.toContain(WRONG);
  });

  it('retryable and per-row errors that echo the key are stored redacted', async () => {
    for (const status of [500, 400]) {
      const echo = await echoServer(status);
      try {
        // 5 rows × 2 attempts = 10 failed attempts: the default breaker (stop at 10 consecutive, failures during a
        // pause not counted) would end the run or not depending on timing; this test is about redaction, not the breaker.
        const opts = { journalFile: join(dir, `e${status}.sqlite`), triplets: randomTriplets(5, 20, 1), maxConsecutiveFailures: 1000 };
        const s = await annotate(base(echo.url, opts));
        expect(s.failed).toBe(5);
      } finally {
        await echo.close();
      }
      exportJournal(join(dir, `e${status}.sqlite`), { out: join(dir, `e${status}.jsonl`), format: 'jsonl' });
      expect(readFileSync(join(dir, `e${status}.jsonl`), 'utf8')).toContain('[REDACTED]');
    }
    expect(allBytes(dir)).not.toContain(SECRET);
  });
});
