import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createTriplets } from '@conceptlab/core';
import {
  configDifference,
  hashConcepts,
  hashTriplets,
  openJournal,
  openJournalReadOnly,
  sanitizeBaseUrl,
  type JournalConfig,
} from './journal.js';
import { presentationOrder } from './presentation.js';

const triplets = createTriplets([
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
  [0, 4, 8],
  [1, 5, 6],
]);

function config(over: Partial<JournalConfig> = {}): JournalConfig {
  return {
    model: 'm',
    baseUrl: 'http://127.0.0.1:1/v1',
    mode: 'text',
    answerFormat: 'free',
    imageLayout: null,
    promptId: 'du2024-text',
    promptText: '{A} {B} {C}',
    temperature: 0.01,
    maxTokens: 1024,
    presentationSeed: 42,
    tripletsHash: hashTriplets(triplets),
    tripletsCount: triplets.count,
    conceptsHash: 'c',
    shard: null,
    ...over,
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openJournal', () => {
  it('creates every row pending with its input and presented order, WAL and synchronous=NORMAL', () => {
    const file = join(dir, 'j.sqlite');
    const j = openJournal(file, config(), { triplets });
    expect(j.created).toBe(true);
    const items = [...j.items()];
    expect(items).toHaveLength(5);
    items.forEach((it, row) => {
      expect(it.status).toBe('pending');
      expect(it.objects).toEqual(Array.from(triplets.data.subarray(3 * row, 3 * row + 3)));
      const o = presentationOrder(42, row);
      expect(it.presented).toEqual(o.map((k) => it.objects[k]));
    });
    expect(j.counts()).toEqual({ total: 5, pending: 5, answered: 0, unparsed: 0, failed: 0, missing: 0 });
    j.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(JSON.parse(db.prepare("SELECT value FROM meta WHERE key='config'").pluck().get() as string)).toEqual(config());
    db.close();
  });

  it('a shard holds only its rows (row % n === k − 1)', () => {
    const j = openJournal(join(dir, 's.sqlite'), config({ shard: { k: 2, n: 2 } }), { triplets });
    expect([...j.items()].map((i) => i.row)).toEqual([1, 3]);
    expect(j.counts().total).toBe(2);
    j.close();
  });

  it('refuses an existing journal without resume, and a resume with a different config naming the key', () => {
    const file = join(dir, 'j.sqlite');
    openJournal(file, config(), { triplets }).close();
    expect(() => openJournal(file, config(), { triplets })).toThrow(expect.objectContaining({ _tag: 'JournalExistsError' }));
    expect(() => openJournal(file, config({ model: 'other' }), { resume: true })).toThrow(
      expect.objectContaining({ _tag: 'JournalConfigMismatchError', key: 'model', storedValue: 'm', requestedValue: 'other' }),
    );
    expect(() => openJournal(file, config({ presentationSeed: 1 }), { resume: true })).toThrow(/presentationSeed/);
    const j = openJournal(file, config(), { resume: true });
    expect(j.created).toBe(false);
    j.close();
  });

  it('needs the triplets to create, and checks their count', () => {
    expect(() => openJournal(join(dir, 'a.sqlite'), config())).toThrow(/triplets/);
    expect(() => openJournal(join(dir, 'b.sqlite'), config({ tripletsCount: 9 }), { triplets })).toThrow(/tripletsCount/);
  });

  it('one writer: a second open in this process or by a live process is locked; a dead process lock is taken over', () => {
    const file = join(dir, 'j.sqlite');
    const j = openJournal(file, config(), { triplets });
    expect(() => openJournal(file, config(), { resume: true })).toThrow(expect.objectContaining({ _tag: 'JournalLockedError' }));
    j.close();
    const db = new Database(file);
    const setLock = (pid: number) =>
      db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('lock', ?)").run(JSON.stringify({ pid, host: require('node:os').hostname() }));
    setLock(process.ppid); // alive
    expect(() => openJournal(file, config(), { resume: true })).toThrow(expect.objectContaining({ _tag: 'JournalLockedError', pid: process.ppid }));
    setLock(2 ** 22 + 12345); // no such process
    db.close();
    openJournal(file, config(), { resume: true }).close();
  });
});

describe('recording', () => {
  it('writes a final row once; odd_object comes from the presented order; failed rows can be redone', () => {
    const file = join(dir, 'j.sqlite');
    const j = openJournal(file, config(), { triplets });
    const reply = { rawReply: 'B', messageExtra: null, finishReason: 'stop', promptTokens: 10, completionTokens: 2 };
    j.recordFinal({ row: 0, status: 'answered', choicePosition: 1, via: 'name', reply, attempts: 2, asks: 1, requestKey: 'k0', latencyMs: 5 });
    j.recordFinal({ row: 1, status: 'unparsed', reply: { ...reply, rawReply: '??' }, attempts: 1, asks: 1, error: 'no object named', requestKey: 'k1' });
    j.recordFinal({ row: 2, status: 'failed', attempts: 6, asks: 1, error: 'HTTP 500' });
    j.recordAttempt({ row: 0, attempt: 1, ask: 0, statusCode: 500, error: 'HTTP 500', latencyMs: 3, time: 1 });
    j.recordAttempt({ row: 0, attempt: 2, ask: 0, statusCode: 200, error: null, latencyMs: 4, time: 2 });
    expect(j.flush()).toBe(3);
    // a second answer for row 0 is ignored (never overwritten, never duplicated)
    j.recordFinal({ row: 0, status: 'answered', choicePosition: 2, attempts: 1, asks: 1 });
    expect(j.flush()).toBe(0);
    const i0 = j.item(0)!;
    expect(i0).toMatchObject({ status: 'answered', choicePosition: 1, oddObject: i0.presented[1], via: 'name', rawReply: 'B', attempts: 2 });
    expect(j.item(1)).toMatchObject({ status: 'unparsed', choicePosition: null, rawReply: '??', error: 'no object named' });
    expect(j.rowsToDo().rows).toEqual(Int32Array.from([2, 3, 4]));
    j.recordFinal({ row: 2, status: 'answered', choicePosition: 0, attempts: 7, asks: 1 });
    expect(j.flush()).toBe(1);
    expect(j.counts()).toEqual({ total: 5, pending: 2, answered: 2, unparsed: 1, failed: 0, missing: 0 });
    expect(j.usage()).toEqual({ promptTokens: 20, completionTokens: 4, batchPromptTokens: 0, batchCompletionTokens: 0, httpAttempts: 2, failedAttempts: 1, cachedReplies: 0 });
    j.close();
  });

  it('rejects an answered row without a position', () => {
    const j = openJournal(join(dir, 'j.sqlite'), config(), { triplets });
    expect(() => j.recordFinal({ row: 0, status: 'answered', choicePosition: 3, attempts: 1, asks: 1 })).toThrow(/choicePosition/);
    j.close();
  });

  it('commits in batches: after flushIntervalMs, or at once when flushRows are buffered', async () => {
    const file = join(dir, 'j.sqlite');
    const j = openJournal(file, config(), { triplets, flushIntervalMs: 30, flushRows: 4 });
    const reader = new Database(file, { readonly: true });
    const answered = () => reader.prepare("SELECT count(*) FROM items WHERE status != 'pending'").pluck().get();
    j.recordFinal({ row: 0, status: 'failed', attempts: 1, asks: 1, error: 'x' });
    expect(answered()).toBe(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(answered()).toBe(1);
    for (let r = 1; r < 5; r++) j.recordFinal({ row: r, status: 'failed', attempts: 1, asks: 1, error: 'x' });
    expect(answered()).toBe(5); // the 4th buffered row flushed synchronously
    reader.close();
    j.close();
  });

  it('serves the cache from buffered and committed replies, items and re-asks', () => {
    const j = openJournal(join(dir, 'j.sqlite'), config(), { triplets });
    const reply = { rawReply: 'A', messageExtra: null, finishReason: 'stop', promptTokens: 1, completionTokens: 1 };
    const reask = { ...reply, rawReply: 'hmm', row: 0, ask: 0, reason: 'no answer', requestKey: 'k-ask0', source: 'http' as const, time: 1 };
    j.recordFinal({ row: 0, status: 'answered', choicePosition: 0, reply, attempts: 2, asks: 2, requestKey: 'k-ask1', reasks: [reask] });
    expect(j.lookupCache('k-ask1')).toEqual(reply);
    j.flush();
    expect(j.lookupCache('k-ask1')).toEqual(reply);
    expect(j.lookupCache('k-ask0')).toMatchObject({ rawReply: 'hmm' });
    expect(j.lookupCache('nope')).toBeUndefined();
    expect([...j.reasks()]).toEqual([reask]);
    j.close();
  });

  it('a pending row keeps re-asked replies (batch mode) and rowsToDo counts them', () => {
    const j = openJournal(join(dir, 'j.sqlite'), config(), { triplets });
    j.recordReask({ row: 3, ask: 0, rawReply: '?', messageExtra: null, finishReason: 'stop', promptTokens: 1, completionTokens: 1, reason: 'r', requestKey: 'q', source: 'batch', time: 0 });
    const todo = j.rowsToDo();
    expect(Array.from(todo.rows)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(todo.asks)).toEqual([0, 0, 0, 1, 0]);
    j.close();
  });

  it('read-only open sees everything and cannot write', () => {
    const file = join(dir, 'j.sqlite');
    const j = openJournal(file, config(), { triplets });
    j.recordFinal({ row: 4, status: 'answered', choicePosition: 2, attempts: 1, asks: 1 });
    j.close();
    const r = openJournalReadOnly(file);
    expect(r.config).toEqual(config());
    expect(r.item(4)?.status).toBe('answered');
    expect(() => r.recordFinal({ row: 1, status: 'failed', attempts: 1, asks: 1 })).toThrow(/read-only/);
    r.close();
    expect(() => openJournalReadOnly(join(dir, 'none.sqlite'))).toThrow(expect.objectContaining({ _tag: 'JournalFormatError' }));
  });
});

describe('helpers', () => {
  it('sanitizeBaseUrl drops credentials', () => {
    expect(sanitizeBaseUrl('https://user:secret@api.example.com/v1/')).toBe('https://api.example.com/v1');
    expect(sanitizeBaseUrl('https://x.openai.azure.com/openai?api-version=2024&api-key=abc')).toBe(
      'https://x.openai.azure.com/openai?api-version=2024&api-key=REDACTED',
    );
    expect(() => sanitizeBaseUrl('not a url')).toThrow(/baseUrl/);
  });

  it('configDifference names the first differing key, ignoring some', () => {
    expect(configDifference({ model: 'a', shard: null }, { model: 'a', shard: { k: 1, n: 2 } })).toEqual({ key: 'shard', stored: null, requested: { k: 1, n: 2 } });
    expect(configDifference({ model: 'a', shard: null }, { model: 'a', shard: { k: 1, n: 2 } }, ['shard'])).toBeUndefined();
    expect(configDifference({ model: 'a', extra: 1 }, { model: 'a' })).toMatchObject({ key: 'extra' });
  });

  it('hashes triplets and concepts', () => {
    expect(hashTriplets(triplets)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashTriplets(triplets)).not.toBe(hashTriplets(createTriplets([[0, 1, 2]])));
    expect(hashConcepts([{ id: 'a', prompt: 'x' }])).not.toBe(hashConcepts([{ id: 'a', prompt: 'y' }]));
  });
});
