import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileError, ParseError } from '@conceptlab/core';
import { createChatClient } from './client.js';
import { requestKey } from './request-key.js';
import { openRequestCache } from './request-cache.js';
import { RequestFailedError } from './retry.js';

const SECRET = 'sk-test-REQUEST-CACHE-SECRET-0123456789';

interface Seen {
  auth: string | undefined;
  body: { model: string; messages: { content: string }[]; temperature?: number };
}

/**
 * A real OpenAI-compatible endpoint on 127.0.0.1: replies "echo: <last message>", with usage 11/3;
 * a message starting "fail-once" gets a 500 on its first request, "reject" always gets a 400.
 */
async function startServer(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const failed = new Set<string>();
  const srv: Server = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.on('data', (d: Buffer) => (data += d.toString()));
    req.on('end', () => {
      const body = JSON.parse(data) as Seen['body'];
      seen.push({ auth: req.headers.authorization, body });
      const text = body.messages[body.messages.length - 1].content;
      const send = (status: number, payload: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (text.startsWith('reject')) return send(400, { error: { message: 'bad request', type: 'invalid_request_error' } });
      if (text.startsWith('fail-once') && !failed.has(text)) {
        failed.add(text);
        return send(500, { error: { message: 'try again', type: 'server_error' } });
      }
      // answer slowly enough that concurrent identical calls overlap
      setTimeout(() => send(200, {
        id: 'x', object: 'chat.completion', created: 0, model: body.model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: `echo: ${text}` } }],
        usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 },
      }), 20);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1`, seen, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

function allBytes(d: string): string {
  return readdirSync(d).map((f) => readFileSync(join(d, f)).toString('latin1')).join('');
}

const body = (content: string, temperature = 0) => ({ model: 'm-1', messages: [{ role: 'user' as const, content }], temperature });

let dir: string;
let server: Awaited<ReturnType<typeof startServer>>;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'request-cache-'));
  server = await startServer();
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('openRequestCache', () => {
  it('answers a second identical request from the file with no HTTP request, across reopening', async () => {
    const file = join(dir, 'sub', 'cache.jsonl');
    const client = createChatClient({ baseUrl: server.url, apiKeyEnv: 'THE_KEY', env: { THE_KEY: SECRET } });
    const cache = openRequestCache(file);
    const a = await cache.cachedChat(client, body('hello'));
    expect(a).toMatchObject({ cached: false, attempts: 1 });
    expect(a.reply).toMatchObject({ key: requestKey(body('hello')), text: 'echo: hello', finishReason: 'stop', promptTokens: 11, completionTokens: 3 });
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0].auth).toBe(`Bearer ${SECRET}`); // the key was sent …
    const b = await cache.cachedChat(client, body('hello'));
    expect(b).toEqual({ reply: a.reply, cached: true, attempts: 0 });
    expect(server.seen).toHaveLength(1);
    // the key covers the whole body: another temperature is another request
    const c = await cache.cachedChat(client, body('hello', 0.5));
    expect(c.cached).toBe(false);
    expect(server.seen).toHaveLength(2);
    expect(cache.size()).toBe(2);
    cache.close();

    const again = openRequestCache(file);
    // key order does not matter (canonical JSON)
    expect(again.get({ temperature: 0, messages: [{ content: 'hello', role: 'user' }], model: 'm-1' })).toEqual(a.reply);
    expect(again.get(body('hello', 1))).toBeUndefined();
    expect((await again.cachedChat(client, body('hello'))).cached).toBe(true);
    expect(server.seen).toHaveLength(2);
    again.close();
    // … but is stored nowhere
    const bytes = allBytes(join(dir, 'sub'));
    expect(bytes).toContain('echo: hello');
    expect(bytes).not.toContain(SECRET);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.pop()).toBe(''); // every line complete
    expect(JSON.parse(lines[0])).toMatchObject({ format: 'conceptlab-request-cache', version: 2 });
    expect(lines).toHaveLength(3); // the header and one line per reply
    const row = lines.slice(1).map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r.key === a.reply.key)!;
    expect(row).toMatchObject({ model: 'm-1', reply: 'echo: hello', promptTokens: 11, completionTokens: 3 });
    expect(row.request).toEqual(body('hello'));
    expect(typeof row.time).toBe('number');
  });

  it('retries a 500 (withRetry), stores nothing for a rejected request, shares one request among concurrent identical calls', async () => {
    const cache = openRequestCache(join(dir, 'c.jsonl'));
    const client = createChatClient({ baseUrl: server.url });
    const retry = { baseDelayMs: 1, maxDelayMs: 2 };
    let counted = 0;
    const r = await cache.cachedChat(client, body('fail-once x'), { retry, onAttempt: () => counted++ });
    expect(r).toMatchObject({ cached: false, attempts: 2 });
    expect(counted).toBe(2);
    expect(r.reply.text).toBe('echo: fail-once x');
    expect(server.seen).toHaveLength(2);

    await expect(cache.cachedChat(client, body('reject me'), { retry })).rejects.toThrow(RequestFailedError);
    expect(server.seen).toHaveLength(3); // a 400 is not retried
    expect(cache.get(body('reject me'))).toBeUndefined();

    const all = await Promise.all([0, 1, 2].map(() => cache.cachedChat(client, body('together'))));
    expect(server.seen).toHaveLength(4);
    expect(all.filter((x) => !x.cached)).toHaveLength(1);
    expect(new Set(all.map((x) => x.reply.text))).toEqual(new Set(['echo: together']));
    cache.close();
  });

  it('put keeps the first reply of a key; usage must be non-negative integers', () => {
    const cache = openRequestCache(join(dir, 'p.jsonl'));
    const first = cache.put(body('q'), { text: 'one', finishReason: 'stop' }, { promptTokens: 5, completionTokens: 1 });
    const second = cache.put(body('q'), { text: 'two', finishReason: 'stop' });
    expect(second).toEqual(first);
    expect(cache.get(body('q'))?.text).toBe('one');
    expect(cache.put(body('r'), { text: null, finishReason: 'length' })).toMatchObject({ text: null, finishReason: 'length', promptTokens: null, completionTokens: null });
    expect(() => cache.put(body('s'), { text: 'x', finishReason: null }, { promptTokens: -1, completionTokens: 0 })).toThrow(/promptTokens/);
    expect(cache.size()).toBe(2);
    cache.close();
    expect(() => cache.get(body('q'))).toThrow(FileError);
  });

  it('refuses files that are not a request cache', () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'this is not a cache at all, just some text that is long enough to be read as a header\n');
    expect(() => openRequestCache(text)).toThrow(FileError);
    expect(() => openRequestCache(text)).toThrow(/not a request cache/);
    const wrongFormat = join(dir, 'journal.jsonl');
    writeFileSync(wrongFormat, '{"format":"conceptlab-annotation-journal","version":1}\n');
    expect(() => openRequestCache(wrongFormat)).toThrow(/format is "conceptlab-annotation-journal"/);
    const sqlite = join(dir, 'labels.sqlite');
    writeFileSync(sqlite, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(100)]));
    expect(() => openRequestCache(sqlite)).toThrow(/an SQLite file, not a request cache of version 2/);
    const newer = join(dir, 'newer.jsonl');
    writeFileSync(newer, '{"format":"conceptlab-request-cache","version":3}\n');
    expect(() => openRequestCache(newer)).toThrow(/request cache version 3; this package reads version 2/);
  });

  it('ignores a last line torn by a killed process and cuts it off before appending', () => {
    const file = join(dir, 'torn.jsonl');
    const cache = openRequestCache(file);
    cache.put(body('kept'), { text: 'one', finishReason: 'stop' });
    cache.close();
    const whole = readFileSync(file, 'utf8');
    appendFileSync(file, '{"key":"abc","reply":"half a rec'); // a write torn mid-line
    const again = openRequestCache(file);
    expect(again.size()).toBe(1);
    expect(again.get(body('kept'))?.text).toBe('one');
    expect(readFileSync(file, 'utf8')).toBe(whole); // the torn tail is gone
    again.put(body('next'), { text: 'two', finishReason: 'stop' });
    again.close();
    const third = openRequestCache(file);
    expect(third.size()).toBe(2);
    expect(third.get(body('next'))?.text).toBe('two');
    third.close();
    // a header torn while the file was created: a new cache
    const fresh = join(dir, 'fresh.jsonl');
    writeFileSync(fresh, '{"format":"conceptlab-req');
    const f = openRequestCache(fresh);
    expect(f.size()).toBe(0);
    f.close();
    expect(JSON.parse(readFileSync(fresh, 'utf8'))).toMatchObject({ format: 'conceptlab-request-cache', version: 2 });
  });

  it('a corrupt line that is not the last is a ParseError naming the file and line', () => {
    const file = join(dir, 'corrupt.jsonl');
    const cache = openRequestCache(file);
    cache.put(body('a'), { text: 'one', finishReason: 'stop' });
    cache.close();
    appendFileSync(file, 'garbage}\n');
    appendFileSync(file, readFileSync(file, 'utf8').split('\n')[1] + '\n');
    let err: unknown;
    try {
      openRequestCache(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect(err).toMatchObject({ file, line: 3 });
    expect((err as Error).message).toContain(`${file}:3: expected one JSON record per line`);
    expect((err as Error).message).not.toMatch(/\n/);
    const bad = join(dir, 'bad-record.jsonl');
    writeFileSync(bad, '{"format":"conceptlab-request-cache","version":2}\n{"key":"x"}\n');
    expect(() => openRequestCache(bad)).toThrow(/bad-record\.jsonl:2: expected a request cache record/);
  });
});
