import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { randomEmbedding, randomTriplets, syntheticConcepts } from '../test/annotate-fixtures.js';
import { annotate, type AnnotateOptions } from './annotate.js';
import { exportJournal } from './export.js';
import { openJournalReadOnly } from './journal/index.js';
import { mergeJournals } from './merge-journals.js';
import { resolvePrompt } from './prompts.js';
import { simObserver, startServer, type RunningServer } from '@conceptlab/sim-server';

const concepts = syntheticConcepts(30, 7);
const embedding = randomEmbedding(30, 4, 8);
const triplets = randomTriplets(100, 30, 9);

let dir: string;
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }) });
});
afterAll(() => server.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'merge-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const opts = (over: Partial<AnnotateOptions>): AnnotateOptions => ({
  baseUrl: server.url,
  model: 'gpt-3.5-turbo',
  concepts,
  triplets,
  journalFile: join(dir, 'all.sqlite'),
  mode: 'text',
  prompt: resolvePrompt('du2024-text', 'text'),
  seed: 1,
  concurrency: 4,
  ...over,
});

describe('mergeJournals', () => {
  it('shards merged equal an unsharded run (rows, answers, exports)', async () => {
    await annotate(opts({}));
    const shards = [1, 2, 3].map((k) => join(dir, `s${k}.sqlite`));
    for (let k = 1; k <= 3; k++) await annotate(opts({ journalFile: shards[k - 1], shard: { k, n: 3 } }));
    const r = mergeJournals([shards[2], shards[0], shards[1]], join(dir, 'merged.sqlite'));
    expect(r).toMatchObject({ total: 100, answered: 100, pending: 0, missing: 0, duplicateRows: 0 });
    const a = openJournalReadOnly(join(dir, 'all.sqlite')), m = openJournalReadOnly(join(dir, 'merged.sqlite'));
    expect(m.config).toEqual(a.config);
    const strip = (x: { updatedAt: unknown; latencyMs: unknown }) => ({ ...x, updatedAt: 0, latencyMs: 0 });
    expect([...m.items()].map(strip)).toEqual([...a.items()].map(strip));
    expect(m.usage()).toMatchObject({ httpAttempts: 100, promptTokens: a.usage().promptTokens });
    a.close();
    m.close();
    for (const format of ['spose', 'jsonl'] as const) {
      exportJournal(join(dir, 'all.sqlite'), { out: join(dir, `all.${format}`), format });
      exportJournal(join(dir, 'merged.sqlite'), { out: join(dir, `merged.${format}`), format });
      const clean = (s: string) => s.replace(/"latencyMs":[0-9.]+/g, '');
      expect(clean(readFileSync(join(dir, `merged.${format}`), 'utf8'))).toBe(clean(readFileSync(join(dir, `all.${format}`), 'utf8')));
    }
  });

  it('an incomplete set of shards leaves rows missing (and SPoSE export refuses)', async () => {
    await annotate(opts({ journalFile: join(dir, 's1.sqlite'), shard: { k: 1, n: 2 } }));
    const r = mergeJournals([join(dir, 's1.sqlite')], join(dir, 'm.sqlite'));
    expect(r).toMatchObject({ total: 50, missing: 0 });
    // a one-shard merge keeps the shard; a mixed merge covers the whole list
    await annotate(opts({ journalFile: join(dir, 's2of4.sqlite'), shard: { k: 2, n: 4 } }));
    const r2 = mergeJournals([join(dir, 's1.sqlite'), join(dir, 's2of4.sqlite')], join(dir, 'm2.sqlite'));
    expect(r2).toMatchObject({ total: 100, answered: 75, missing: 25 });
    expect(() => exportJournal(join(dir, 'm2.sqlite'), { out: join(dir, 'x.txt'), format: 'spose' })).toThrow(/25 row\(s\) pending/);
  });

  it('refuses configs that differ other than the shard, naming the key and the journal', async () => {
    await annotate(opts({ journalFile: join(dir, 'a.sqlite'), shard: { k: 1, n: 2 } }));
    await annotate(opts({ journalFile: join(dir, 'b.sqlite'), shard: { k: 2, n: 2 }, temperature: 0.5 }));
    expect(() => mergeJournals([join(dir, 'a.sqlite'), join(dir, 'b.sqlite')], join(dir, 'm.sqlite'))).toThrow(
      expect.objectContaining({ _tag: 'JournalConfigMismatchError', key: 'temperature', message: expect.stringContaining('b.sqlite has') }),
    );
    expect(() => mergeJournals([join(dir, 'a.sqlite')], join(dir, 'a.sqlite'))).toThrow(/not one of the inputs/);
    mergeJournals([join(dir, 'a.sqlite')], join(dir, 'ok.sqlite'));
    expect(() => mergeJournals([join(dir, 'a.sqlite')], join(dir, 'ok.sqlite'))).toThrow(expect.objectContaining({ _tag: 'JournalExistsError' }));
  });

  it('two complete journals of the same run (or one shard twice) overlap and are refused, naming both files', async () => {
    await annotate(opts({ journalFile: join(dir, 'a.sqlite') }));
    await annotate(opts({ journalFile: join(dir, 'b.sqlite') }));
    expect(() => mergeJournals([join(dir, 'a.sqlite'), join(dir, 'b.sqlite')], join(dir, 'same.sqlite'))).toThrow(
      expect.objectContaining({ _tag: 'JournalOverlapError', rows: 100, firstRow: 0, files: [join(dir, 'a.sqlite'), join(dir, 'b.sqlite')] }),
    );
    expect(existsSync(join(dir, 'same.sqlite'))).toBe(false);
    await annotate(opts({ journalFile: join(dir, 's1.sqlite'), shard: { k: 1, n: 2 } }));
    await annotate(opts({ journalFile: join(dir, 's1b.sqlite'), shard: { k: 1, n: 2 } }));
    await annotate(opts({ journalFile: join(dir, 's2.sqlite'), shard: { k: 2, n: 2 } }));
    expect(() => mergeJournals([join(dir, 's1.sqlite'), join(dir, 's2.sqlite'), join(dir, 's1b.sqlite')], join(dir, 'm.sqlite'))).toThrow(
      /s1\.sqlite and .*s1b\.sqlite overlap: 50 row\(s\) were asked in both/,
    );
    expect(mergeJournals([join(dir, 's1.sqlite'), join(dir, 's2.sqlite')], join(dir, 'ok.sqlite'))).toMatchObject({ answered: 100, duplicateRows: 0 });
    expect(openJournalReadOnly(join(dir, 'ok.sqlite')).usage()).toMatchObject({ httpAttempts: 100 });
  });

  it('a row answered differently in two journals is a conflict', async () => {
    await annotate(opts({ journalFile: join(dir, 'a.sqlite') }));
    await annotate(opts({ journalFile: join(dir, 'b.sqlite') }));
    const db = new Database(join(dir, 'b.sqlite'));
    db.prepare('UPDATE items SET choice_position = (choice_position + 1) % 3 WHERE row = 17').run();
    db.close();
    expect(() => mergeJournals([join(dir, 'a.sqlite'), join(dir, 'b.sqlite')], join(dir, 'bad.sqlite'))).toThrow(
      expect.objectContaining({ _tag: 'JournalConflictError', row: 17 }),
    );
    expect(() => openJournalReadOnly(join(dir, 'bad.sqlite'))).toThrow(); // nothing left behind
  });
});
