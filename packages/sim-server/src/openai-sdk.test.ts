import OpenAI from 'openai';
import type { ParsedFunctionToolCall } from 'openai/resources/chat/completions';
import { ANSWER_TOOL_NAME, answerJsonSchema } from '@conceptlab/llm-client';
import { EXPLANATION } from './chat.js';
import { simObserver } from './observer.js';
import { startServer, type RunningServer } from './server.js';
import { clusters, concepts, conceptSet, P, paperPrompt, user, W } from '../test/clusters-fixture.js';

// The official openai Node SDK against conceptlab serve, used as a user would use it with a real model:
// their own schema property name, their own tool, streaming. Three clusters of three; argmax makes the odd one out obvious.

/** A user's own schema: one string property named as they like (no enum: any text), strict. */
const userSchema = (property: string, options?: string[]): Record<string, unknown> => ({
  type: 'object',
  properties: { [property]: options ? { type: 'string', enum: options, description: 'the odd object' } : { type: 'string', description: 'the odd object' } },
  required: [property],
  additionalProperties: false,
});
const userTool = (name: string, parameter: string): OpenAI.Chat.ChatCompletionFunctionTool => ({
  type: 'function',
  function: { name, description: 'Record which object is the odd one out', parameters: userSchema(parameter), strict: true },
});

describe('the official openai SDK against conceptlab serve', () => {
  let server: RunningServer;
  let client: OpenAI;
  beforeAll(async () => {
    server = await startServer({ concepts: conceptSet, observer: simObserver(clusters, { argmax: true }), apiKey: 'k', seed: 1 });
    client = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
  });
  afterAll(() => server.close());

  test('parse() with a user-named json_schema property: content and parsed carry that property', async () => {
    const r = await client.chat.completions.parse({
      model: 'gpt-4o-2024-08-06',
      messages: user(paperPrompt(0, 3, 1)),
      response_format: { type: 'json_schema', json_schema: { name: 'Choice', schema: userSchema('oddObject'), strict: true } },
    });
    expect(r.choices[0].message.parsed).toEqual({ oddObject: P(3) });
    // An enum property of another name: one of its options, in presentation order.
    const e = await client.chat.completions.parse({
      model: 'm',
      messages: user(paperPrompt(6, 7, 4)),
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: userSchema('answer', ['A', 'B', 'C']), strict: true } },
    });
    expect(e.choices[0].message.parsed).toEqual({ answer: 'C' });
  });

  test('a schema without exactly one string property is a clear 400', async () => {
    const two = { type: 'object', properties: { answer: { type: 'string' }, reason: { type: 'string' } }, required: ['answer', 'reason'], additionalProperties: false };
    const err = await client.chat.completions
      .create({ model: 'm', messages: user(paperPrompt(0, 3, 1)), response_format: { type: 'json_schema', json_schema: { name: 'x', schema: two } } })
      .catch((x: unknown) => x);
    expect(err).toMatchObject({ status: 400, code: 'unsupported_schema', param: 'response_format.json_schema.schema' });
    expect((err as Error).message).toMatch(/exactly one string property.*2 string properties \(answer, reason\)/);
    const none = { type: 'object', properties: { index: { type: 'integer' } } };
    await expect(
      client.chat.completions.create({ model: 'm', messages: user(paperPrompt(0, 3, 1)), response_format: { type: 'json_schema', json_schema: { name: 'x', schema: none } } }),
    ).rejects.toMatchObject({ status: 400, code: 'unsupported_schema' });
  });

  test('a forced user-named tool is called with its own parameter name (parse() reads the arguments)', async () => {
    const r = await client.chat.completions.parse({
      model: 'm',
      messages: user(paperPrompt(5, 8, 3)),
      tools: [userTool('get_weather_unrelated', 'city'), userTool('pick_outlier', 'item')],
      tool_choice: { type: 'function', function: { name: 'pick_outlier' } },
    });
    const choice = r.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    const call = choice.message.tool_calls![0] as ParsedFunctionToolCall;
    expect(call.function.name).toBe('pick_outlier');
    expect(call.function.parsed_arguments).toEqual({ item: P(8) });
    expect(call.id).toMatch(/^call_/);
  });

  test("tool_choice 'auto' (or none given) with the only tool: it is called", async () => {
    for (const tool_choice of ['auto', undefined] as const) {
      const r = await client.chat.completions.create({ model: 'm', messages: user(paperPrompt(2, 5, 0)), tools: [userTool('choose', 'odd')], ...(tool_choice ? { tool_choice } : {}) });
      const call = r.choices[0].message.tool_calls![0] as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
      expect(call.function.name).toBe('choose');
      expect(JSON.parse(call.function.arguments)).toEqual({ odd: P(5) });
    }
  });

  test("several tools and 'auto': answered in free text, and the response header says so", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'm', messages: user(paperPrompt(2, 5, 0)), tools: [userTool('a', 'x'), userTool('b', 'y')], tool_choice: 'auto' })
      .withResponse();
    expect(data.choices[0].message.content).toBe(`The odd one out is '${W(5)}'. ${EXPLANATION}`);
    expect(data.choices[0].message.tool_calls).toBeUndefined();
    expect(response.headers.get('x-conceptlab-answer-format')).toBe('free');
    // 'required' with several tools and none forced: the server cannot know which, so it says so.
    await expect(
      client.chat.completions.create({ model: 'm', messages: user(paperPrompt(2, 5, 0)), tools: [userTool('a', 'x'), userTool('b', 'y')], tool_choice: 'required' }),
    ).rejects.toMatchObject({ status: 400, param: 'tool_choice' });
    // With report_odd_one_out among several tools, that one is called (annotate's protocol).
    const r = await client.chat.completions.create({
      model: 'm',
      messages: user(paperPrompt(2, 5, 0)),
      tools: [userTool('a', 'x'), { type: 'function', function: { name: ANSWER_TOOL_NAME, parameters: answerJsonSchema([P(2), P(5), P(0)]) } }],
    });
    expect((r.choices[0].message.tool_calls![0] as OpenAI.Chat.ChatCompletionMessageFunctionToolCall).function.name).toBe(ANSWER_TOOL_NAME);
  });

  test('stream: true with include_usage: role, content pieces, finish_reason, then a usage chunk; the same text as without streaming', async () => {
    const body = { model: 'gpt-3.5-turbo', messages: user(paperPrompt(7, 1, 8)), temperature: 0.01 };
    const plain = await client.chat.completions.create(body);
    const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'gpt-3.5-turbo' && c.id === chunks[0].id)).toBe(true);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(plain.choices[0].message.content);
    expect(text).toBe(`The odd one out is '${W(1)}'. ${EXPLANATION}`);
    expect(chunks.filter((c) => (c.choices[0]?.delta.content ?? '') !== '').length).toBeGreaterThan(1);
    const finish = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finish.map((c) => c.choices[0].finish_reason)).toEqual(['stop']);
    const last = chunks[chunks.length - 1];
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(plain.usage);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    // Without include_usage: no usage chunk.
    const bare: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const c of await client.chat.completions.create({ ...body, stream: true })) bare.push(c);
    expect(bare.every((c) => c.choices.length === 1 && c.usage === undefined)).toBe(true);
  });

  test('stream: true with a user-named tool and with a schema: the SDK assembles the same answer', async () => {
    const runner = client.chat.completions.stream({
      model: 'm',
      messages: user(paperPrompt(4, 6, 3)),
      tools: [userTool('pick_outlier', 'item')],
      tool_choice: { type: 'function', function: { name: 'pick_outlier' } },
      stream_options: { include_usage: true },
    });
    const done = await runner.finalChatCompletion();
    const call = done.choices[0].message.tool_calls![0] as ParsedFunctionToolCall;
    expect(done.choices[0].finish_reason).toBe('tool_calls');
    expect(call.function.name).toBe('pick_outlier');
    expect(JSON.parse(call.function.arguments)).toEqual({ item: P(6) });
    expect(done.usage!.total_tokens).toBeGreaterThan(0);
    const json = await client.chat.completions
      .stream({ model: 'm', messages: user(paperPrompt(4, 6, 3)), response_format: { type: 'json_schema', json_schema: { name: 'c', schema: userSchema('oddObject'), strict: true } } })
      .finalChatCompletion();
    // The stream helper parses only zod (auto-parseable) formats; a raw json_schema's content is the JSON.
    expect(JSON.parse(json.choices[0].message.content!)).toEqual({ oddObject: P(6) });
  });

  test('streaming with faults: an injected error is an HTTP error before any event; malformed content streams as content', async () => {
    const failing = await startServer({ concepts: conceptSet, observer: simObserver(clusters, { argmax: true }), faults: { errorRate: 1 } });
    const malformed = await startServer({ concepts: conceptSet, observer: simObserver(clusters, { argmax: true }), faults: { malformedRate: 1 } });
    try {
      const body = { model: 'm', messages: user(paperPrompt(0, 1, 3)), stream: true as const };
      const err = await new OpenAI({ baseURL: failing.url, apiKey: 'x', maxRetries: 0 }).chat.completions.create(body).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect([429, 500]).toContain((err as { status: number }).status);
      const raw = await fetch(`${failing.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(raw.headers.get('content-type')).toBe('application/json');
      let text = '';
      for await (const c of await new OpenAI({ baseURL: malformed.url, apiKey: 'x', maxRetries: 0 }).chat.completions.create(body)) text += c.choices[0]?.delta.content ?? '';
      expect(text).toBe('I cannot decide.');
    } finally {
      await Promise.all([failing.close(), malformed.close()]);
    }
  });

  test('the server-sent events on the wire: data lines, then data: [DONE]', async () => {
    const res = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: user(paperPrompt(0, 1, 3)), stream: true, n: 2 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await res.text()).split('\n\n').filter((e) => e !== '');
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
    expect(events[events.length - 1]).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as OpenAI.Chat.ChatCompletionChunk);
    for (const index of [0, 1]) {
      const mine = chunks.filter((c) => c.choices[0].index === index);
      expect(mine[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
      expect(mine.map((c) => c.choices[0].delta.content ?? '').join('')).toBe(`The odd one out is '${W(3)}'. ${EXPLANATION}`);
      expect(mine[mine.length - 1].choices[0]).toEqual({ index, delta: {}, logprobs: null, finish_reason: 'stop' });
    }
  });
});
