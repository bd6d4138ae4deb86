/**
 * Property-based bad-input tests of the request cache reader (issue 13), on files the cache itself wrote:
 * - a record line that is not the last one, corrupted (cut short, characters replaced, or replaced by junk), is a
 *   one-line ParseError naming the file and that line — or, when the change left a valid record, the file opens
 *   and every other reply is still there; the file is never changed by a refused open;
 * - a last line torn by a killed process (any prefix of a record, without its `\n`) is ignored as documented: the
 *   file opens with the complete records, the torn tail is cut off, and the next reply is appended intact;
 * - a corrupted header line is a one-line FileError naming the file.
 * Fixed seeds: a failure reproduces.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FileError, ParseError } from '@conceptlab/core';
import { expectTypedOneLineError } from '../../../test-support/typed-error.js';
import type { ChatRequestBody } from './client.js';
import { openRequestCache } from './request-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'request-cache-fuzz-'));
const body = (i: number): ChatRequestBody => ({ model: 'm', messages: [{ role: 'user', content: `question ${i} — «é» \u{1f600}` }] }) as ChatRequestBody;
const N = 6;

/** The lines (each without its `\n`) of a cache holding N replies, as the cache wrote them. */
let lines: string[];
beforeAll(() => {
  const file = join(dir, 'valid.jsonl');
  const c = openRequestCache(file);
  for (let i = 0; i < N; i++) c.put(body(i), { text: i % 2 ? `answer ${i}\twith "quotes"` : null, finishReason: 'stop' }, { promptTokens: i, completionTokens: null });
  c.close();
  lines = readFileSync(file, 'utf8').split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(N + 1);
});

let counter = 0;
function write(text: string | Buffer): string {
  const file = join(dir, `case-${counter++}.jsonl`);
  writeFileSync(file, text);
  return file;
}

/** Open `file`; on a refusal check the error and that the file is unchanged. */
function open(file: string, base: typeof ParseError | typeof FileError): ReturnType<typeof openRequestCache> | undefined {
  const before = readFileSync(file);
  try {
    return openRequestCache(file);
  } catch (e) {
    expectTypedOneLineError(e, base, file);
    expect(readFileSync(file).equals(before)).toBe(true);
    return undefined;
  }
}

/** A line with a change that keeps it one line: cut short, characters replaced, or junk. */
const corruption = fc.oneof(
  fc.nat().map((at) => (l: string) => l.slice(0, at % l.length)),
  fc.array(fc.tuple(fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }).map((s) => s.replace(/\n/g, ' '))), { minLength: 1, maxLength: 3 }).map((cs) => (l: string) => {
    let t = l;
    for (const [at, s] of cs) {
      const k = at % t.length;
      t = t.slice(0, k) + s + t.slice(k + 1);
    }
    return t;
  }),
  fc.string({ unit: 'binary', maxLength: 40 }).map((junk) => () => junk.replace(/\n/g, ' ')),
);

describe('request cache: a corrupt record line is a ParseError naming file:line; a torn last line is ignored', () => {
  test('a record line that is not the last, corrupted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: N - 1 }), corruption, (i, corrupt) => {
        const bad = lines.map((l, k) => (k === i ? corrupt(l) : l));
        const file = write(bad.join('\n') + '\n');
        const before = readFileSync(file);
        let cache: ReturnType<typeof openRequestCache> | undefined;
        try {
          cache = openRequestCache(file);
        } catch (e) {
          expectTypedOneLineError(e, ParseError, `${file}:${i + 1}: `);
          expect(e).toMatchObject({ file, line: i + 1 });
          expect(readFileSync(file).equals(before)).toBe(true);
          return;
        }
        // The change left a valid record line: every other reply is still there.
        try {
          for (let r = 0; r < N; r++) if (r !== i - 1) expect(cache.get(body(r))).toBeDefined();
          expect(() => JSON.parse(bad[i]) as unknown).not.toThrow();
        } finally {
          cache.close();
        }
      }),
      { seed: 1351, numRuns: 400 },
    );
  });

  test('a last line torn at any byte: ignored, cut off, and the next reply appended intact', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: N }), fc.nat(), (kept, at) => {
        const whole = Buffer.from(lines.slice(0, kept).join('\n') + '\n');
        const next = Buffer.from(lines[kept] ?? lines[1]);
        const torn = Buffer.concat([whole, next.subarray(0, 1 + (at % (next.length - 1)))]);
        const file = write(torn);
        const cache = open(file, ParseError)!;
        expect(cache).toBeDefined();
        expect(cache.size()).toBe(kept - 1);
        expect(readFileSync(file).equals(whole)).toBe(true);
        cache.put(body(100), { text: 'after the tear', finishReason: 'stop' });
        cache.close();
        const again = openRequestCache(file);
        expect(again.size()).toBe(kept);
        expect(again.get(body(100))?.text).toBe('after the tear');
        again.close();
      }),
      { seed: 1352, numRuns: 200 },
    );
  });

  test('a corrupted header line: a one-line FileError naming the file, the file unchanged', () => {
    fc.assert(
      fc.property(corruption, (corrupt) => {
        const bad = [corrupt(lines[0]), ...lines.slice(1)];
        const file = write(bad.join('\n') + '\n');
        const cache = open(file, FileError);
        if (cache !== undefined) {
          // Only a change that kept a valid header of this format and version.
          expect(JSON.parse(bad[0])).toMatchObject({ format: 'conceptlab-request-cache', version: 2 });
          cache.close();
        }
      }),
      { seed: 1353, numRuns: 300 },
    );
  });
});
