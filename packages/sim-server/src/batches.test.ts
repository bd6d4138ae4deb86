import OpenAI, { toFile } from 'openai';
import { conceptPrompt, matrixFromRows, type Concept, type ConceptSet } from '@conceptlab/core';
import { ANSWER_PROPERTY, ANSWER_SCHEMA_NAME, answerJsonSchema } from '@conceptlab/llm-client';
import { BatchStore, FileStore, type BatchObject } from './batches.js';
import { simObserver } from './observer.js';
import { startServer, type RunningServer } from './server.js';

const words = ['cat', 'dog', 'horse', 'hammer', 'saw', 'wrench'];
const concepts: Concept[] = words.map((w, index) => ({ index, id: w, word: w, definition: `a ${w}`, prompt: conceptPrompt(w, `a ${w}`) }));
const conceptSet: ConceptSet = { concepts, source: 'test' };
const embedding = matrixFromRows([[1, 0], [0.9, 0.1], [0.95, 0.05], [0, 1], [0.1, 0.9], [0.05, 0.95]]);
const P = (i: number): string => concepts[i].prompt;
const body = (a: number, b: number, c: number, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: `Given a triplet of objects {'${P(a)}', '${P(b)}', '${P(c)}'}, which one in the triplet is the odd-one-out?` }],
  temperature: 0.01,
  ...extra,
});
const line = (customId: string, b: unknown): string => JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/chat/completions', body: b });

async function waitFor(client: OpenAI, id: string, statuses: string[]): Promise<OpenAI.Batches.Batch> {
  const seen: string[] = [];
  for (let i = 0; i < 500; i++) {
    const b = await client.batches.retrieve(id);
    if (seen[seen.length - 1] !== b.status) seen.push(b.status);
    if (statuses.includes(b.status)) return b;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`batch ${id} never reached ${statuses.join('/')}; saw ${seen.join(' → ')}`);
}

describe('conceptlab serve: the Batch API over the openai SDK', () => {
  let server: RunningServer;
  let client: OpenAI;
  beforeAll(async () => {
    server = await startServer({ concepts: conceptSet, observer: simObserver(embedding, { temperature: 0.3 }), seed: 5, apiKey: 'k' });
    client = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
  });
  afterAll(() => server.close());

  test('files.create → batches.create → poll → files.content: one result line per request, answers equal direct requests', async () => {
    const schema = { type: 'json_schema', json_schema: { name: ANSWER_SCHEMA_NAME, schema: answerJsonSchema([P(4), P(1), P(5)]), strict: true } };
    const requests: Array<[string, ReturnType<typeof body>]> = [
      ['t-0', body(0, 1, 3)],
      ['t-1', body(3, 4, 2, { seed: 1 })],
      ['t-2', body(4, 1, 5, { response_format: schema })],
    ];
    const jsonl = requests.map(([id, b]) => line(id, b)).join('\n') + '\n';
    const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'requests.jsonl'), purpose: 'batch' });
    expect(file).toMatchObject({ object: 'file', purpose: 'batch', filename: 'requests.jsonl', bytes: Buffer.byteLength(jsonl), status: 'processed' });
    expect(await client.files.retrieve(file.id)).toEqual(file);
    expect(await (await client.files.content(file.id)).text()).toBe(jsonl);

    const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { run: 'test' } });
    expect(created).toMatchObject({ object: 'batch', status: 'validating', input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { run: 'test' } });
    const done = await waitFor(client, created.id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: 3, completed: 3, failed: 0 });
    expect(done.error_file_id).toBeNull();
    expect(done.in_progress_at).toEqual(expect.any(Number));
    expect(done.completed_at).toEqual(expect.any(Number));

    const text = await (await client.files.content(done.output_file_id!)).text();
    const out = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(out.map((o) => o.custom_id)).toEqual(['t-0', 't-1', 't-2']);
    for (const [i, o] of out.entries()) {
      expect(o).toMatchObject({ id: expect.stringMatching(/^batch_req_/), error: null, response: { status_code: 200, request_id: expect.any(String) } });
      const direct = await client.chat.completions.create(requests[i][1] as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
      expect(o.response.body.object).toBe('chat.completion');
      expect(o.response.body.choices[0].message.content).toBe(direct.choices[0].message.content);
    }
    expect(Object.keys(JSON.parse(out[2].response.body.choices[0].message.content))).toEqual([ANSWER_PROPERTY]);
    expect((await client.files.retrieve(done.output_file_id!)).purpose).toBe('batch_output');
    expect((await client.batches.list()).data.map((b) => b.id)).toContain(created.id);
  });

  test('requests that cannot be answered go to the error file with their status; cancelling a finished batch is refused', async () => {
    const jsonl = [line('ok', body(0, 1, 3)), line('bad', body(0, 1, 1)), line('nomodel', { messages: body(0, 1, 3).messages })].join('\n');
    const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'mixed.jsonl'), purpose: 'batch' });
    const b = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const done = await waitFor(client, b.id, ['completed', 'failed']);
    expect(done.request_counts).toEqual({ total: 3, completed: 1, failed: 2 });
    const errors = (await (await client.files.content(done.error_file_id!)).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(errors.map((e) => [e.custom_id, e.response.status_code, e.response.body.error.param])).toEqual([
      ['bad', 400, 'messages'],
      ['nomodel', 400, 'model'],
    ]);
    await expect(client.batches.cancel(b.id)).rejects.toMatchObject({ status: 409 });
  });

  test('an invalid input file fails the batch with errors naming the lines', async () => {
    const jsonl = [line('a', body(0, 1, 3)), 'not json', line('a', body(0, 1, 4)), JSON.stringify({ custom_id: 'c', method: 'POST', url: '/v1/embeddings', body: {} })].join('\n');
    const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'bad.jsonl'), purpose: 'batch' });
    const b = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const done = await waitFor(client, b.id, ['completed', 'failed']);
    expect(done.status).toBe('failed');
    expect(done.errors!.data!.map((e) => [e.code, e.line])).toEqual([
      ['invalid_json_line', 2],
      ['duplicate_custom_id', 3],
      ['mismatched_endpoint', 4],
    ]);
  });

  test('bad batch and file requests: 400 / 404 in OpenAI shape', async () => {
    await expect(client.batches.create({ input_file_id: 'file-nope', endpoint: '/v1/chat/completions', completion_window: '24h' })).rejects.toMatchObject({ status: 404 });
    const file = await client.files.create({ file: await toFile(Buffer.from(line('x', body(0, 1, 3))), 'x.jsonl'), purpose: 'user_data' });
    await expect(client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' })).rejects.toMatchObject({ status: 400, param: 'input_file_id' });
    await expect(client.batches.create({ input_file_id: file.id, endpoint: '/v1/embeddings', completion_window: '24h' })).rejects.toMatchObject({ status: 400, param: 'endpoint' });
    await expect(client.batches.retrieve('batch_nope')).rejects.toMatchObject({ status: 404 });
    await expect(client.files.retrieve('file-nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect(await client.files.delete(file.id)).toEqual({ id: file.id, object: 'file', deleted: true });
    const res = await fetch(`${server.url}/files`, { method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/multipart\/form-data/);
  });
});

describe('BatchStore', () => {
  test('cancelling stops between lines and keeps the partial results', async () => {
    const files = new FileStore();
    let answered = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const store = new BatchStore(files, async (b) => {
      answered++;
      if (answered === 3) await gate;
      return { status: 200, body: { echo: b } };
    });
    const input = files.add('in.jsonl', 'batch', Buffer.from(Array.from({ length: 10 }, (_, i) => line(`r${i}`, { i })).join('\n')));
    const b = store.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    while (answered < 3) await new Promise((r) => setImmediate(r));
    expect(store.get(b.id).status).toBe('in_progress');
    expect(store.cancel(b.id).status).toBe('cancelling');
    release();
    let now: BatchObject;
    while ((now = store.get(b.id)).status === 'cancelling') await new Promise((r) => setImmediate(r));
    expect(now.status).toBe('cancelled');
    expect(now.request_counts).toEqual({ total: 10, completed: 3, failed: 0 });
    expect(files.get(now.output_file_id!).data.toString().trim().split('\n')).toHaveLength(3);
    expect(store.cancel(b.id).status).toBe('cancelled');
  });
});
