import { join } from 'node:path';
import Database from 'better-sqlite3';
import { config, tempDirPerTest, triplets } from '../../test/journal-fixtures.js';
import { openJournal } from './open.js';

const dir = tempDirPerTest('journal-test-');

describe('recording', () => {
  it('writes a final row once; odd_object comes from the presented order; failed rows can be redone', () => {
    const file = join(dir(), 'j.sqlite');
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
    const j = openJournal(join(dir(), 'j.sqlite'), config(), { triplets });
    expect(() => j.recordFinal({ row: 0, status: 'answered', choicePosition: 3, attempts: 1, asks: 1 })).toThrow(/choicePosition/);
    j.close();
  });

  it('commits in batches: after flushIntervalMs, or at once when flushRows are buffered', async () => {
    const file = join(dir(), 'j.sqlite');
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
    const j = openJournal(join(dir(), 'j.sqlite'), config(), { triplets });
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
    const j = openJournal(join(dir(), 'j.sqlite'), config(), { triplets });
    j.recordReask({ row: 3, ask: 0, rawReply: '?', messageExtra: null, finishReason: 'stop', promptTokens: 1, completionTokens: 1, reason: 'r', requestKey: 'q', source: 'batch', time: 0 });
    const todo = j.rowsToDo();
    expect(Array.from(todo.rows)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(todo.asks)).toEqual([0, 0, 0, 1, 0]);
    j.close();
  });
});
