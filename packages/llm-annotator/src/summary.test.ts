import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTripletText } from '@conceptlab/core';
import { positionBias } from '@conceptlab/triplet-sampler';
import { randomEmbedding, randomTriplets, syntheticConcepts } from '../test/annotate-fixtures.js';
import { annotate } from './annotate.js';
import { exportJournal } from './export.js';
import { openJournalReadOnly } from './journal/index.js';
import { resolvePrompt } from './prompts.js';
import { simObserver, startServer } from '@conceptlab/sim-server';
import { summarizeJournal } from './summary.js';

const concepts = syntheticConcepts(30, 31);
const embedding = randomEmbedding(30, 4, 32);
const triplets = randomTriplets(200, 30, 33);

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'summary-test-'));
  const server = await startServer({
    concepts,
    observer: simObserver(embedding, { argmax: true }),
    faults: { errorRate: 0.1, malformedRate: 0.1, retryAfterSeconds: 0.001, seed: 5 },
  });
  try {
    await annotate({
      baseUrl: server.url, model: 'gpt-3.5-turbo', concepts, triplets, journalFile: join(dir, 'j.sqlite'), mode: 'text',
      prompt: resolvePrompt('du2024-text', 'text'), seed: 3, concurrency: 4, maxAttempts: 10, retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
  } finally {
    await server.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('summarizeJournal', () => {
  it('counts, parse rate, retries, tokens, cost, via and finish reasons', () => {
    const s = summarizeJournal(join(dir, 'j.sqlite'));
    expect(s.total).toBe(200);
    expect(s.answered + s.unparsed).toBe(200);
    expect(s.unparsed).toBeGreaterThan(0);
    expect(s.parseRate).toBeCloseTo(s.answered / 200, 12);
    expect(s.retries).toBe(s.failedAttempts);
    expect(s.httpAttempts).toBe(200 - (s.sources.cache ?? 0) + s.retries);
    expect(Object.keys(s.failuresByStatus).sort()).toEqual(['429', '500']);
    expect(s.via).toEqual({ name: s.answered });
    expect(s.finishReasons).toEqual({ stop: 200 });
    expect(s.costUsd).toBeCloseTo((s.promptTokens * 0.5 + s.completionTokens * 1.5) / 1e6, 12);
    expect(summarizeJournal(join(dir, 'j.sqlite'), { price: { inputPerMillion: 1, outputPerMillion: 0 } }).costUsd).toBeCloseTo(s.promptTokens / 1e6, 12);
    expect(s.latencyMs!.p50).toBeGreaterThan(0);
    expect(s.latencyMs!.p95).toBeGreaterThanOrEqual(s.latencyMs!.p50);
  });

  it('position bias over the answered rows equals triplet-sampler positionBias on the exported answers', () => {
    exportJournal(join(dir, 'j.sqlite'), { out: join(dir, 'a.txt'), format: 'spose', allowIncomplete: true });
    const answered = readTripletText(join(dir, 'a.txt'));
    const j = openJournalReadOnly(join(dir, 'j.sqlite'));
    const presented = [...j.items()].filter((i) => i.status === 'answered').flatMap((i) => i.presented);
    j.close();
    const ref = positionBias(answered, { count: answered.count, data: Int32Array.from(presented) });
    expect(summarizeJournal(join(dir, 'j.sqlite')).positionBias).toEqual(ref);
  });

  it('agreement with another observer answering the same input rows', () => {
    // the "other observer": the same answers where answered, the input order (odd = third) elsewhere
    const j = openJournalReadOnly(join(dir, 'j.sqlite'));
    const its = [...j.items()];
    j.close();
    const other = new Int32Array(600);
    its.forEach((it) => other.set(it.status === 'answered' && it.row % 2 === 0 ? [it.presented.find((x) => x !== it.oddObject)!, it.presented.filter((x) => x !== it.oddObject)[1], it.oddObject!] : it.objects, 3 * it.row));
    const s = summarizeJournal(join(dir, 'j.sqlite'), { compareWith: { count: 200, data: other } });
    const answeredEven = its.filter((i) => i.status === 'answered' && i.row % 2 === 0).length;
    const answeredOddAgreeing = its.filter((i) => i.status === 'answered' && i.row % 2 === 1 && i.oddObject === i.objects[2]).length;
    expect(s.agreement).toEqual({ agree: answeredEven + answeredOddAgreeing, total: s.answered, fraction: (answeredEven + answeredOddAgreeing) / s.answered });
    // misaligned lists are an error naming the row
    expect(() => summarizeJournal(join(dir, 'j.sqlite'), { compareWith: randomTriplets(200, 30, 99) })).toThrow(/row \d+/);
  });
});
