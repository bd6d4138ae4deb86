import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@conceptlab/core';
import { ANSWER_PROPERTY, ANSWER_SCHEMA_NAME, ANSWER_TOOL_NAME, answerJsonSchema, canonicalJson, requestKey } from '@conceptlab/llm-client';
import { buildChatRequest, DEFAULT_MAX_TOKENS, type RequestSpec } from './request.js';
import { PROMPT_PRESETS, renderPrompt } from './prompts.js';

const TEXTS = ['bat (a club used for hitting a ball in various games)', 'cup (a small open container)', 'lion (large gregarious predatory feline)'] as const;
const PROMPT = renderPrompt(PROMPT_PRESETS['du2024-text'], TEXTS);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe('buildChatRequest: text mode', () => {
  it('is one user message with the prompt string, no system prompt, the paper’s settings', () => {
    const body = buildChatRequest({ model: 'gpt-3.5-turbo', mode: 'text', answerFormat: 'free' }, { prompt: PROMPT, objectTexts: TEXTS });
    expect(body).toEqual({
      model: 'gpt-3.5-turbo',
      messages: [{ role: 'user', content: PROMPT }],
      temperature: 0.01,
      max_tokens: 1024,
    });
    expect(DEFAULT_MAX_TOKENS).toEqual({ text: 1024, vision: 2048 });
  });

  it('passes temperature, maxTokens, topP and seed through; max_completion_tokens on request', () => {
    const body = buildChatRequest(
      { model: 'm', mode: 'text', answerFormat: 'free', temperature: 0, maxTokens: 16, topP: 1, seed: 7, maxTokensParam: 'max_completion_tokens' },
      { prompt: PROMPT, objectTexts: TEXTS },
    );
    expect(body).toMatchObject({ temperature: 0, max_completion_tokens: 16, top_p: 1, seed: 7 });
    expect('max_tokens' in body).toBe(false);
  });

  it('json-schema adds a strict response_format over the three object texts', () => {
    const body = buildChatRequest({ model: 'm', mode: 'text', answerFormat: 'json-schema' }, { prompt: PROMPT, objectTexts: TEXTS });
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: ANSWER_SCHEMA_NAME, strict: true, schema: answerJsonSchema([...TEXTS]) },
    });
    expect(body.tools).toBeUndefined();
  });

  it('tool adds the answer tool and forces it', () => {
    const body = buildChatRequest({ model: 'm', mode: 'text', answerFormat: 'tool' }, { prompt: PROMPT, objectTexts: TEXTS });
    expect(body.tools).toHaveLength(1);
    const tool = body.tools![0] as { type: string; function: { name: string; description: string; parameters: unknown } };
    expect(tool.type).toBe('function');
    expect(tool.function.name).toBe(ANSWER_TOOL_NAME);
    expect(tool.function.description).toContain(ANSWER_PROPERTY);
    expect(tool.function.parameters).toEqual(answerJsonSchema([...TEXTS]));
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: ANSWER_TOOL_NAME } });
    expect(body.response_format).toBeUndefined();
  });

  it('rejects images in text mode and duplicate texts for structured answers', () => {
    expect(() =>
      buildChatRequest({ model: 'm', mode: 'text', answerFormat: 'free' }, { prompt: PROMPT, objectTexts: TEXTS, images: { composite: PNG, mime: 'image/png' } }),
    ).toThrow(InvalidArgumentError);
    expect(() =>
      buildChatRequest({ model: 'm', mode: 'text', answerFormat: 'tool' }, { prompt: PROMPT, objectTexts: ['a', 'a', 'b'] }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('buildChatRequest: vision mode', () => {
  const spec: RequestSpec = { model: 'gpt-4o', mode: 'vision', answerFormat: 'free' };
  const prompt = PROMPT_PRESETS['du2024-vision'].template;

  it('composite: text part then one image part; max_tokens 2048', () => {
    const body = buildChatRequest(spec, { prompt, objectTexts: TEXTS, images: { composite: PNG, mime: 'image/png' } });
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: prompt },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } },
        ],
      },
    ]);
    expect(body.max_tokens).toBe(2048);
    expect(body.temperature).toBe(0.01);
  });

  it('separate: three image parts in presentation order', () => {
    const imgs = [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')];
    const body = buildChatRequest({ ...spec, imageLayout: 'separate' }, { prompt, objectTexts: TEXTS, images: { separate: imgs, mime: 'image/jpeg' } });
    const content = body.messages[0].content as { type: string; image_url?: { url: string } }[];
    expect(content.map((c) => c.type)).toEqual(['text', 'image_url', 'image_url', 'image_url']);
    expect(content.slice(1).map((c) => c.image_url!.url)).toEqual(['YQ==', 'Yg==', 'Yw=='].map((b) => `data:image/jpeg;base64,${b}`));
  });

  it('structured vision answers choose among left / middle / right', () => {
    const body = buildChatRequest({ ...spec, answerFormat: 'json-schema' }, { prompt, objectTexts: TEXTS, images: { composite: PNG, mime: 'image/png' } });
    expect(body.response_format).toMatchObject({ json_schema: { schema: answerJsonSchema(['left', 'middle', 'right']) } });
  });

  it('requires the images of the layout', () => {
    expect(() => buildChatRequest(spec, { prompt, objectTexts: TEXTS })).toThrow(/input\.images/);
    expect(() => buildChatRequest(spec, { prompt, objectTexts: TEXTS, images: { separate: [PNG, PNG, PNG], mime: 'image/png' } })).toThrow(
      /input\.images\.composite/,
    );
    expect(() =>
      buildChatRequest({ ...spec, imageLayout: 'separate' }, { prompt, objectTexts: TEXTS, images: { separate: [PNG, PNG], mime: 'image/png' } }),
    ).toThrow(/input\.images\.separate/);
  });
});

describe('buildChatRequest: spec validation', () => {
  const input = { prompt: PROMPT, objectTexts: TEXTS };
  it.each<[string, Partial<RequestSpec>, RegExp]>([
    ['empty model', { model: ' ' }, /^model:/],
    ['negative temperature', { temperature: -0.1 }, /^temperature:/],
    ['NaN temperature', { temperature: Number.NaN }, /^temperature:/],
    ['zero maxTokens', { maxTokens: 0 }, /^maxTokens:/],
    ['fractional maxTokens', { maxTokens: 1.5 }, /^maxTokens:/],
    ['topP above 1', { topP: 1.5 }, /^topP:/],
    ['fractional seed', { seed: 0.5 }, /^seed:/],
    ['bad mode', { mode: 'audio' as never }, /^mode:/],
    ['bad answer format', { answerFormat: 'xml' as never }, /^answerFormat:/],
    ['bad layout', { imageLayout: 'grid' as never }, /^imageLayout:/],
  ])('%s → InvalidArgumentError', (_name, patch, message) => {
    const spec = { model: 'm', mode: 'text', answerFormat: 'free', ...patch } as RequestSpec;
    let err: unknown;
    try {
      buildChatRequest(spec, input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('requestKey / canonicalJson', () => {
  it('is the sha256 of the canonical JSON, independent of key order', () => {
    const a = buildChatRequest({ model: 'm', mode: 'text', answerFormat: 'tool' }, { prompt: PROMPT, objectTexts: TEXTS });
    const reordered = Object.fromEntries(Object.entries(a).reverse());
    expect(requestKey(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(requestKey(reordered)).toBe(requestKey(a));
    expect(requestKey(a)).toBe(createHash('sha256').update(canonicalJson(a)).digest('hex'));
  });

  it('differs when anything that matters differs', () => {
    const base = { model: 'm', mode: 'text', answerFormat: 'free' } as const;
    const k = (s: Partial<RequestSpec>, texts: readonly [string, string, string] = TEXTS) => requestKey(buildChatRequest({ ...base, ...s }, { prompt: renderPrompt(PROMPT_PRESETS['du2024-text'], texts), objectTexts: texts }));
    const keys = new Set([
      k({}),
      k({ model: 'm2' }),
      k({ temperature: 0.02 }),
      k({ seed: 1 }),
      k({ answerFormat: 'json-schema' }),
      k({}, [TEXTS[1], TEXTS[0], TEXTS[2]]),
    ]);
    expect(keys.size).toBe(6);
    expect(k({})).toBe(k({}));
  });
});
