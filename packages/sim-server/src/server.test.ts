import OpenAI from 'openai';
import { createRng } from '@conceptlab/core';
import { ANSWER_PROPERTY, ANSWER_SCHEMA_NAME, ANSWER_TOOL_NAME, answerJsonSchema } from '@conceptlab/llm-client';
import { EXPLANATION } from './chat.js';
import { simObserver } from './observer.js';
import { startServer, type RunningServer } from './server.js';
import { clusters, concepts, conceptSet, P, paperPrompt, user, W } from '../test/clusters-fixture.js';


describe('conceptlab serve over the openai SDK (text mode)', () => {
  let server: RunningServer;
  let client: OpenAI;
  beforeAll(async () => {
    server = await startServer({ concepts: conceptSet, observer: simObserver(clusters, { argmax: true }), apiKey: 'test-key', seed: 7 });
    client = new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
  });
  afterAll(() => server.close());

  test('listens on 127.0.0.1 only; lists its model; any model id chat accepts is a model', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/v1`);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['conceptlab-serve']);
    expect((await client.models.retrieve('conceptlab-serve')).owned_by).toBe('conceptlab');
    // Chat accepts any model name, so retrieving any id answers with that id.
    expect(await client.models.retrieve('gpt-4')).toEqual({ id: 'gpt-4', object: 'model', created: 0, owned_by: 'conceptlab' });
    expect((await client.models.retrieve('gpt-4-0314/finetune:x')).id).toBe('gpt-4-0314/finetune:x');
  });

  test('free text: names the odd object (its word) first, then an explanation naming nothing else', async () => {
    const r = await client.chat.completions.create({ model: 'gpt-3.5-turbo', messages: user(paperPrompt(3, 0, 1)), temperature: 0.01, max_tokens: 1024 });
    expect(r.object).toBe('chat.completion');
    expect(r.model).toBe('gpt-3.5-turbo');
    expect(r.id).toMatch(/^chatcmpl-/);
    expect(typeof r.created).toBe('number');
    expect(r.choices).toHaveLength(1);
    expect(r.choices[0].finish_reason).toBe('stop');
    expect(r.choices[0].message.content).toBe(`The odd one out is '${W(3)}'. ${EXPLANATION}`);
    expect(r.usage!.prompt_tokens).toBe(Math.ceil(paperPrompt(3, 0, 1).length / 4));
    expect(r.usage!.completion_tokens).toBeGreaterThan(0);
    expect(r.usage!.total_tokens).toBe(r.usage!.prompt_tokens + r.usage!.completion_tokens);
    // The explanation mentions no object, position, letter or number.
    expect(EXPLANATION).not.toMatch(/\b(cat|dog|hammer|first|second|third|one|two|three|left|middle|right|[ABC123])\b/i);
  });

  test('json-schema: {"odd_one_out": "<option>"} with the option of the odd object', async () => {
    const options = [P(6), P(7), P(4)];
    const r = await client.chat.completions.create({
      model: 'm',
      messages: user(paperPrompt(6, 7, 4)),
      response_format: { type: 'json_schema', json_schema: { name: ANSWER_SCHEMA_NAME, schema: answerJsonSchema(options), strict: true } },
    });
    expect(r.choices[0].finish_reason).toBe('stop');
    expect(JSON.parse(r.choices[0].message.content!)).toEqual({ [ANSWER_PROPERTY]: P(4) });
  });

  test('tool: a forced call of report_odd_one_out with {"odd_one_out": "<option>"}', async () => {
    const options = [P(5), P(8), P(3)];
    const r = await client.chat.completions.create({
      model: 'm',
      messages: user(paperPrompt(5, 8, 3)),
      tools: [{ type: 'function', function: { name: ANSWER_TOOL_NAME, description: 'Report the odd one out', parameters: answerJsonSchema(options) } }],
      tool_choice: { type: 'function', function: { name: ANSWER_TOOL_NAME } },
    });
    const choice = r.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls![0] as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
    expect(call.type).toBe('function');
    expect(call.function.name).toBe(ANSWER_TOOL_NAME);
    expect(JSON.parse(call.function.arguments)).toEqual({ [ANSWER_PROPERTY]: P(8) });
  });

  test('any wording that quotes the three prompt texts works; order of appearance is presentation order', async () => {
    const r = await client.chat.completions.create({
      model: 'm',
      messages: [
        { role: 'system', content: `You compare objects such as ${P(4)}.` },
        { role: 'user', content: [{ type: 'text', text: `A: ${P(2)}\nB: ${P(7)}` }, { type: 'text', text: `C: ${P(1)}\nWhich is the odd one out?` }] },
      ],
    });
    expect(r.choices[0].message.content).toContain(`'${W(7)}'`);
  });

  test('deterministic: the same request always gets the same answer, whatever its key order; n > 1 gives n choices', async () => {
    const sampler = await startServer({ concepts: conceptSet, observer: simObserver(clusters, { temperature: 0.5 }), seed: 3 });
    const again = await startServer({ concepts: conceptSet, observer: simObserver(clusters, { temperature: 0.5 }), seed: 3 });
    const other = await startServer({ concepts: conceptSet, observer: simObserver(clusters, { temperature: 0.5 }), seed: 4 });
    try {
      const ask = (s: RunningServer, body: Record<string, unknown>): Promise<string> =>
        new OpenAI({ baseURL: s.url, apiKey: 'x', maxRetries: 0 }).chat.completions
          .create(body as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
          .then((r) => r.choices.map((c) => c.message.content).join('|'));
      const rng = createRng(11);
      const same: boolean[] = [];
      for (let t = 0; t < 40; t++) {
        const [a, b, c] = rng.sampleWithoutReplacement(9, 3);
        const body = { model: 'm', messages: user(paperPrompt(a, b, c)), temperature: 0.01 };
        const first = await ask(sampler, body);
        expect(await ask(sampler, body)).toBe(first);
        expect(await ask(again, { temperature: 0.01, messages: user(paperPrompt(a, b, c)), model: 'm', user: 'resumed-run' })).toBe(first);
        same.push((await ask(other, body)) === first);
      }
      expect(same.some((s) => !s)).toBe(true); // another server seed answers differently somewhere
      // The OpenAI `seed` parameter is part of the request: repeats with different seeds vary.
      const body = (seed: number) => ({ model: 'm', messages: user(paperPrompt(0, 3, 6)), seed });
      const answers = new Set<string>();
      for (let s = 0; s < 30; s++) answers.add(await ask(sampler, body(s)));
      expect(answers.size).toBe(3);
      const many = await new OpenAI({ baseURL: sampler.url, apiKey: 'x', maxRetries: 0 }).chat.completions.create({ model: 'm', messages: user(paperPrompt(0, 3, 6)), n: 5 });
      expect(many.choices.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
    } finally {
      await Promise.all([sampler.close(), again.close(), other.close()]);
    }
  });

  test('401 without the API key or with a wrong one', async () => {
    const wrong = new OpenAI({ baseURL: server.url, apiKey: 'wrong', maxRetries: 0 });
    await expect(wrong.chat.completions.create({ model: 'm', messages: user(paperPrompt(0, 1, 3)) })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const res = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: user(paperPrompt(0, 1, 3)) }) });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { message: expect.stringContaining('API key'), type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
  });

  test('400 for a prompt naming only 2 concepts, with a clear message', async () => {
    const err = await client.chat.completions
      .create({ model: 'm', messages: user(`Given a triplet of objects {'${P(0)}', '${P(1)}', 'table (a piece of furniture)'}, which is the odd-one-out?`) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err).toMatchObject({ status: 400, code: 'unrecognised_objects', type: 'invalid_request_error' });
    expect((err as Error).message).toMatch(/exactly 3 distinct objects.*found 2: cat, dog/);
  });

  test('400s for malformed requests; 404 for unknown URLs; all in OpenAI error shape', async () => {
    const post = async (path: string, body: string): Promise<{ status: number; json: { error: { message: string; param: string | null } } }> => {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' }, body });
      return { status: res.status, json: (await res.json()) as { error: { message: string; param: string | null } } };
    };
    const bad = await post('/chat/completions', '{"model": "m", "messages": [');
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/could not parse the JSON body/);
    expect((await post('/chat/completions', JSON.stringify({ messages: user(paperPrompt(0, 1, 3)) }))).json.error.param).toBe('model');
    expect((await post('/chat/completions', JSON.stringify({ model: 'm' }))).json.error.param).toBe('messages');
    expect((await post('/chat/completions', JSON.stringify({ model: 'm', messages: [{ role: 'system', content: 'hi' }] }))).status).toBe(400);
    expect((await post('/chat/completions', JSON.stringify({ model: 'm', messages: user(paperPrompt(0, 1, 3)), stream: 'yes' }))).json.error.param).toBe('stream');
    expect((await post('/chat/completions', JSON.stringify({ model: 'm', messages: user(paperPrompt(0, 1, 3)), stream_options: { include_usage: true } }))).json.error.param).toBe('stream_options');
    expect((await post('/chat/completions', JSON.stringify({ model: 'm', messages: user(paperPrompt(0, 1, 3)), response_format: { type: 'xml' } }))).status).toBe(400);
    const image = await post('/chat/completions', JSON.stringify({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }] }));
    expect(image.json.error.message).toMatch(/without an images directory/);
    const remote = await post('/chat/completions', JSON.stringify({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/x.png' } }] }] }));
    expect(remote.json.error.message).toMatch(/only data: URLs/);
    const unknown = await post('/completions', '{}');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toBe('Invalid URL (POST /v1/completions)');
    expect((await fetch(`http://127.0.0.1:${server.port}/health`)).status).toBe(404);
  });

  test('stats count requests, answers and refusals', async () => {
    const before = server.stats();
    await client.chat.completions.create({ model: 'm', messages: user(paperPrompt(0, 1, 3)) });
    await client.chat.completions.create({ model: 'm', messages: user('no objects here') }).catch(() => undefined);
    const after = server.stats();
    expect(after.requests - before.requests).toBe(2);
    expect(after.answered - before.answered).toBe(1);
    expect(after.rejected - before.rejected).toBe(1);
    expect(after.faults).toEqual({ rateLimited: 0, serverError: 0, malformed: 0, empty: 0 });
  });
});
