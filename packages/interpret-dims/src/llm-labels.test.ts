import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, ShapeError, type Concept, type ProgressEvent } from '@conceptlab/core';
import { AnnotateFatalError } from '@conceptlab/llm-client';
import { clusteredFixture } from '../test/fixtures.js';
import { summarizeDimensions } from './dimension-summary.js';
import { interpret } from './interpret.js';
import { labelDimensions, labelPrompt, parseLabelReply, REASK_SUFFIX, type LlmLabelResult } from './llm-labels.js';

/**
 * A real OpenAI-compatible endpoint on 127.0.0.1. It reads the first listed object ("1. <word>") of the
 * prompt and answers, by that word:
 *   garbage* → prose without JSON (always)          fixme* → prose first, fenced JSON on the re-ask
 *   broken*  → HTTP 400                              locked* → HTTP 401
 *   else     → `Here you go: {"label": "<word> things", "type": "semantic"}`
 */
async function startServer(): Promise<{ url: string; prompts: string[]; close(): Promise<void> }> {
  const prompts: string[] = [];
  const srv: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (d: Buffer) => (data += d.toString()));
    req.on('end', () => {
      const body = JSON.parse(data) as { model: string; messages: { content: string }[] };
      const prompt = body.messages[0].content;
      prompts.push(prompt);
      const word = /^1\. (\S+)/m.exec(prompt)?.[1] ?? '?';
      const json = (status: number, payload: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (word.startsWith('broken')) return json(400, { error: { message: 'context too long', type: 'invalid_request_error' } });
      if (word.startsWith('locked')) return json(401, { error: { message: 'bad key', type: 'invalid_request_error' } });
      let content = `Here you go: {"label": "${word} things", "type": "semantic"}`;
      if (word.startsWith('garbage')) content = 'I would call it a mixture of things, really.';
      if (word.startsWith('fixme')) content = prompt.endsWith(REASK_SUFFIX) ? '```json\n{"label": " Fixed  up ", "type": "Visual"}\n```' : 'hmm {not json}';
      json(200, {
        id: 'x', object: 'chat.completion', created: 0, model: body.model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
        usage: { prompt_tokens: 50, completion_tokens: 12, total_tokens: 62 },
      });
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1`, prompts, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

/** n objects with given words; dimension d's strongest object is object d (weight 2), then the others. */
function fixture(words: string[], dims: number) {
  const concepts: Concept[] = words.map((word, index) => ({ index, id: `${word}_id`, word, definition: `definition of ${word}`, prompt: word }));
  const n = words.length;
  const data = new Float64Array(n * dims);
  for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) data[i * dims + d] = i === d ? 2 : 0.1 * ((i + d) % n);
  return { concepts, summaries: summarizeDimensions({ rows: n, cols: dims, data }, concepts, { top: 6 }) };
}

let dir: string;
let server: Awaited<ReturnType<typeof startServer>>;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm-labels-'));
  server = await startServer();
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('parseLabelReply', () => {
  it('reads the first JSON object and validates label and type', () => {
    expect(parseLabelReply('{"label":"round red","type":"visual"}')).toEqual({ ok: true, label: 'round red', type: 'visual' });
    expect(parseLabelReply('Sure. {"note": "x {y}", "label": "tools", "type": " MIXED "} and {"label": "no"}')).toEqual({ ok: true, label: 'tools', type: 'mixed' });
    expect(parseLabelReply('{broken} then {"label":"food","type":"semantic"}')).toEqual({ ok: true, label: 'food', type: 'semantic' });
    expect(parseLabelReply('no json here')).toEqual({ ok: false, reason: 'no JSON object in the reply' });
    expect(parseLabelReply(null)).toEqual({ ok: false, reason: 'empty reply' });
    expect(parseLabelReply('{"label":"  ","type":"visual"}').ok).toBe(false);
    expect(parseLabelReply(`{"label":"${'x'.repeat(61)}","type":"visual"}`)).toEqual({ ok: false, reason: '"label" is longer than 60 characters' });
    expect(parseLabelReply(`{"label":"${'x'.repeat(60)}","type":"visual"}`).ok).toBe(true);
    expect(parseLabelReply('{"label":"shiny","type":"colour"}')).toEqual({ ok: false, reason: '"type" is "colour", not visual, semantic or mixed' });
    expect(parseLabelReply('{"label":"shiny"}').ok).toBe(false);
  });
});

describe('labelPrompt', () => {
  it('lists the top-k words, strongest first, with definitions when concepts are given', () => {
    const { concepts, summaries } = fixture(['cat', 'dog', 'car', 'bus', 'apple', 'pear', 'fig', 'kiwi'], 2);
    const p = labelPrompt(summaries[0], 3, concepts);
    expect(p).toContain('1. cat — definition of cat\n');
    expect(p.match(/^\d+\. /gm)).toHaveLength(3);
    expect(labelPrompt(summaries[0], 3)).toContain('1. cat\n');
    expect(p).toContain('{"label": "<1-4 words>", "type": "visual" | "semantic" | "mixed"}');
  });
});

describe('labelDimensions', () => {
  const words = ['cat', 'garbage', 'fixme', 'broken', 'dog', 'car', 'bus', 'fig'];

  it('labels every dimension, re-asks once, records failures, and a rerun is served from the cache', async () => {
    const { concepts, summaries } = fixture(words, 5); // dims 0..4: strongest objects cat, garbage, fixme, broken, dog
    const cacheFile = join(dir, 'labels.jsonl');
    const events: ProgressEvent[] = [];
    const opts = { summaries, concepts, baseUrl: server.url, model: 'test-model', cacheFile, topK: 4, concurrency: 2, onProgress: (e: ProgressEvent) => events.push(e) };
    const r = await labelDimensions(opts);
    expect(r.map((x) => x.dim)).toEqual([0, 1, 2, 3, 4]);
    expect(r[0]).toEqual({ dim: 0, label: 'cat things', type: 'semantic', raw: 'Here you go: {"label": "cat things", "type": "semantic"}', asks: 1, cached: false });
    expect(r[1]).toEqual({ dim: 1, label: null, type: null, error: 'unreadable reply after a re-ask: no JSON object in the reply', raw: 'I would call it a mixture of things, really.', asks: 2, cached: false });
    expect(r[2]).toMatchObject({ dim: 2, label: 'Fixed up', type: 'visual', asks: 2 });
    expect(r[3]).toMatchObject({ dim: 3, label: null, type: null, asks: 1 });
    expect((r[3] as { error: string }).error).toMatch(/^request failed: .*400/);
    expect(r[4]).toMatchObject({ label: 'dog things', type: 'semantic' });
    // 5 first questions + 2 re-asks; the 400 is not retried
    expect(server.prompts).toHaveLength(7);
    expect(server.prompts.filter((p) => p.endsWith(REASK_SUFFIX))).toHaveLength(2);
    expect(server.prompts[0].match(/^\d+\. /gm)).toHaveLength(4);
    expect(server.prompts.some((p) => p.includes('1. cat — definition of cat'))).toBe(true);
    const end = events.filter((e) => e.task === 'llm labels' && e.phase === 'end');
    expect(end).toHaveLength(1);
    expect(end[0]).toMatchObject({ done: 5, total: 5, unit: 'dims' });
    expect(end[0].detail).toMatchObject({ failed: 2, http: 7, cached: 0 });

    const again = await labelDimensions(opts);
    expect(server.prompts).toHaveLength(8); // only the failed request is asked again (nothing was stored for it)
    const strip = (x: LlmLabelResult[]) => x.map(({ cached: _c, ...rest }) => rest);
    expect(strip(again)).toEqual(strip(r));
    expect(again.filter((x) => x.cached).map((x) => x.dim)).toEqual([0, 1, 2, 4]);
  });

  it('temperature and topK are part of the request: changing them asks again', async () => {
    const { summaries } = fixture(words.filter((w) => w !== 'garbage' && w !== 'fixme' && w !== 'broken'), 2);
    const cacheFile = join(dir, 'c.jsonl');
    await labelDimensions({ summaries, baseUrl: server.url, model: 'm', cacheFile });
    expect(server.prompts).toHaveLength(2);
    await labelDimensions({ summaries, baseUrl: server.url, model: 'm', cacheFile, temperature: 0.2 });
    expect(server.prompts).toHaveLength(4);
    await labelDimensions({ summaries, baseUrl: server.url, model: 'm', cacheFile, topK: 2 });
    expect(server.prompts).toHaveLength(6);
    await labelDimensions({ summaries, baseUrl: server.url, model: 'm', cacheFile, topK: 2 });
    expect(server.prompts).toHaveLength(6);
  });

  it('stops on a rejected key; bad options are typed errors', async () => {
    const { summaries } = fixture(['locked', 'cat', 'dog', 'car'], 1);
    await expect(labelDimensions({ summaries, baseUrl: server.url, model: 'm', cacheFile: join(dir, 'x.jsonl') })).rejects.toThrow(AnnotateFatalError);
    const base = { summaries, baseUrl: server.url, model: 'm', cacheFile: join(dir, 'y.jsonl') };
    await expect(labelDimensions({ ...base, summaries: [] })).rejects.toThrow(InvalidArgumentError);
    await expect(labelDimensions({ ...base, model: ' ' })).rejects.toThrow(InvalidArgumentError);
    await expect(labelDimensions({ ...base, temperature: -1 })).rejects.toThrow(InvalidArgumentError);
    await expect(labelDimensions({ ...base, topK: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(labelDimensions({ ...base, concurrency: 1.5 })).rejects.toThrow(InvalidArgumentError);
    await expect(labelDimensions({ ...base, apiKeyEnv: 'UNSET_LABEL_KEY_VAR', env: {} })).rejects.toThrow(/UNSET_LABEL_KEY_VAR is not set/);
  });
});

describe('interpret with LLM labels', () => {
  it('shows label and type badge on each card (escaped), records failures, keeps them in dims.json', async () => {
    const fx = clusteredFixture();
    const D = fx.embedding.cols;
    const llmLabels = Array.from({ length: D }, (_, dim): LlmLabelResult =>
      dim === 1
        ? { dim, label: null, type: null, error: 'unreadable reply after a re-ask: no JSON object in the reply', raw: 'no <json>', asks: 2, cached: false }
        : { dim, label: `round <${dim}> & co`, type: dim === 0 ? 'visual' : 'mixed', raw: '{}', asks: 1, cached: false },
    ).reverse(); // any order in, dimension order out
    const out = mkdtempSync(join(dir, 'report-'));
    const r = await interpret({ embedding: fx.embedding, concepts: fx.concepts, outDir: out, permutations: 10, tsneIterations: 50, llmLabels });
    expect(r.llmLabels?.map((l) => l.dim)).toEqual(Array.from({ length: D }, (_, d) => d));
    const json = JSON.parse(readFileSync(join(out, 'dims.json'), 'utf8')) as { llmLabels: LlmLabelResult[] };
    expect(json.llmLabels[0]).toEqual({ dim: 0, label: 'round <0> & co', type: 'visual', raw: '{}', asks: 1, cached: false });
    expect(json.llmLabels[1]).toMatchObject({ dim: 1, label: null, error: 'unreadable reply after a re-ask: no JSON object in the reply' });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const card = (d: number): string => html.slice(html.indexOf(`data-dim="${d}"`), html.indexOf('</article>', html.indexOf(`data-dim="${d}"`)));
    expect(card(0)).toContain('<span class="llm-label">round &lt;0&gt; &amp; co</span> <span class="badge visual">visual</span>');
    expect(card(2)).toContain('<span class="badge mixed">mixed</span>');
    expect(card(1)).toContain('LLM label: none (unreadable reply after a re-ask: no JSON object in the reply)');
    expect(html).not.toContain('<0>');
    await expect(interpret({ embedding: fx.embedding, concepts: fx.concepts, outDir: out, llmLabels: llmLabels.slice(1) })).rejects.toThrow(ShapeError);
  });
});

describe('labelDimensions preflight', () => {
  it('with no cache file yet, a closed port is refused before the cache file (or its folder) is created', async () => {
    const { concepts, summaries } = fixture(['cat', 'dog', 'owl'], 3);
    const closed = server.url;
    await server.close();
    server = await startServer();
    const cacheFile = join(dir, 'out', 'labels.jsonl');
    await expect(labelDimensions({ summaries, concepts, baseUrl: closed, model: 'm', cacheFile })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a closed port fails at once (not after every dimension\'s retries); a rerun answered from the cache needs no server', async () => {
    const { concepts, summaries } = fixture(['cat', 'dog', 'owl', 'ant', 'bee', 'elk', 'yak', 'cow'], 8);
    const cacheFile = join(dir, 'labels.jsonl');
    const first = await labelDimensions({ summaries: summaries.slice(0, 2), concepts, baseUrl: server.url, model: 'm', cacheFile });
    const closedUrl = server.url;
    await server.close();
    server = await startServer(); // afterEach closes this one
    // every dimension needs the server: refused once, at once
    const t0 = performance.now();
    const e = await labelDimensions({ summaries, concepts, baseUrl: closedUrl, model: 'm', cacheFile, retry: { maxAttempts: 6 } }).catch((x: unknown) => x);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(e).toMatchObject({ _tag: 'EndpointUnreachableError', code: 'ECONNREFUSED' });
    expect((e as Error).message).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:\d+\/v1: ECONNREFUSED/);
    // the two cached dimensions: no connection needed
    expect(await labelDimensions({ summaries: summaries.slice(0, 2), concepts, baseUrl: closedUrl, model: 'm', cacheFile })).toEqual(first.map((r) => ({ ...r, cached: true })));
    await expect(labelDimensions({ summaries, concepts, baseUrl: 'ftp://127.0.0.1/v1', model: 'm', cacheFile })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

