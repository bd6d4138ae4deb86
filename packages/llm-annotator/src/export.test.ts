import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTriplets, parseDelimited, readTripletText } from '@conceptlab/core';
import { answeredTriplet, exportJournal } from './export.js';
import { hashTriplets, openJournal, type JournalConfig } from './journal/index.js';

const triplets = createTriplets([
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
  [0, 4, 8],
  [1, 5, 6],
]);
const config: JournalConfig = {
  model: 'm', baseUrl: 'http://x/v1', mode: 'text', answerFormat: 'free', imageLayout: null, promptId: 'p', promptText: 't',
  temperature: 0.01, maxTokens: 10, presentationSeed: 3, tripletsHash: hashTriplets(triplets), tripletsCount: 5, conceptsHash: 'c', shard: null,
};
const reply = (text: string) => ({ rawReply: text, messageExtra: null, finishReason: 'stop', promptTokens: 5, completionTokens: 3 });

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'export-test-'));
  file = join(dir, 'j.sqlite');
  const j = openJournal(file, config, { triplets });
  j.recordFinal({ row: 0, status: 'answered', choicePosition: 0, via: 'name', reply: reply('first, "quoted", and\nnew line'), attempts: 1, asks: 1 });
  j.recordFinal({ row: 1, status: 'unparsed', reply: reply('I cannot decide.'), attempts: 1, asks: 2, error: 'no answer',
    reasks: [{ ...reply('hmm'), row: 1, ask: 0, reason: 'no answer', requestKey: 'k', source: 'http', time: 1 }] });
  j.recordFinal({ row: 2, status: 'answered', choicePosition: 2, via: 'letter', reply: reply('C'), attempts: 2, asks: 1 });
  j.recordFinal({ row: 3, status: 'answered', choicePosition: 1, via: 'name', reply: reply('x'), attempts: 1, asks: 1 });
  j.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('exportJournal', () => {
  it('refuses SPoSE while rows are pending, unless allowIncomplete; then writes answered rows only, odd one out last', () => {
    expect(() => exportJournal(file, { out: join(dir, 'a.txt'), format: 'spose' })).toThrow(
      expect.objectContaining({ _tag: 'JournalIncompleteError', pending: 1, failed: 0 }),
    );
    expect(existsSync(join(dir, 'a.txt'))).toBe(false);
    const r = exportJournal(file, { out: join(dir, 'a.txt'), format: 'spose', allowIncomplete: true });
    expect(r).toMatchObject({ rows: 3, answered: 3, unparsed: 1, pending: 1 });
    const t = readTripletText(join(dir, 'a.txt'));
    const j = openJournal(file, config, { resume: true });
    const expected = [0, 2, 3].map((row) => answeredTriplet(j.item(row)!)!);
    j.close();
    expect(Array.from(t.data)).toEqual(expected.flat());
    // the odd one out is the presented object at the chosen position; the pair keeps presentation order
    const jr = openJournal(file, config, { resume: true });
    const it = jr.item(2)!;
    jr.close();
    expect(answeredTriplet(it)).toEqual([it.presented[0], it.presented[1], it.presented[2]]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('exports every row as CSV (RFC 4180 quoting) and JSONL (with re-asked replies)', () => {
    exportJournal(file, { out: join(dir, 'a.csv'), format: 'csv' });
    const recs = parseDelimited(readFileSync(join(dir, 'a.csv'), 'utf8'), 'a.csv', ',');
    expect(recs[0].fields.slice(0, 8)).toEqual(['row', 'a', 'b', 'c', 'p0', 'p1', 'p2', 'status']);
    expect(recs).toHaveLength(6);
    const header = recs[0].fields;
    const col = (r: number, name: string) => recs[r + 1].fields[header.indexOf(name)];
    expect(col(0, 'raw_reply')).toBe('first, "quoted", and\nnew line');
    expect(col(1, 'status')).toBe('unparsed');
    expect(col(4, 'status')).toBe('pending');
    expect(col(4, 'choice_position')).toBe('');

    exportJournal(file, { out: join(dir, 'a.jsonl'), format: 'jsonl' });
    const lines = readFileSync(join(dir, 'a.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatchObject({ row: 1, status: 'unparsed', rawReply: 'I cannot decide.', error: 'no answer', answered: null, reasks: [{ ask: 0, rawReply: 'hmm', reason: 'no answer' }] });
    expect(lines[0].answered).toEqual([lines[0].presented[1], lines[0].presented[2], lines[0].presented[0]]);
  });

  it('splits like the input lists: named parts of consecutive rows, or N rows per file', () => {
    const r = exportJournal(file, { out: join(dir, 'parts'), format: 'jsonl', split: [{ name: 'train.jsonl', rows: 3 }, { name: 'test.jsonl', rows: 2 }] });
    expect(r.files.map((f) => [f.file.slice(dir.length + 1), f.rows])).toEqual([['parts/train.jsonl', 3], ['parts/test.jsonl', 2]]);
    expect(readFileSync(join(dir, 'parts/test.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).row)).toEqual([3, 4]);
    const s = exportJournal(file, { out: join(dir, 'n', 'ans.txt'), format: 'spose', split: 2, allowIncomplete: true });
    expect(s.files.map((f) => [f.file.slice(dir.length + 1), f.rows])).toEqual([['n/ans-001.txt', 1], ['n/ans-002.txt', 2], ['n/ans-003.txt', 0]]);
    expect(() => exportJournal(file, { out: join(dir, 'bad'), format: 'csv', split: [{ name: 'a', rows: 2 }, { name: 'b', rows: 2 }] })).toThrow(/covering all 5/);
    expect(() => exportJournal(file, { out: join(dir, 'bad'), format: 'csv', split: [{ name: 'a', rows: 6 }, { name: 'b', rows: 2 }] })).toThrow(/covering all 5/);
    const rest = exportJournal(file, { out: join(dir, 'rest'), format: 'csv', split: [{ name: 'train.csv', rows: 4 }, { name: 'validation.csv', rows: Infinity }] });
    expect(rest.files.map((f) => f.rows)).toEqual([4, 1]);
    expect(() => exportJournal(file, { out: join(dir, 'bad'), format: 'csv', split: 0 })).toThrow(/split/);
  });
});
