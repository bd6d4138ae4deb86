/**
 * The chat-completion request for one triplet, as the paper sent it (Du et al. 2025, Methods): one
 * user message, no system prompt, temperature 0.01, max_tokens 1024 (text) or 2048 (vision). Vision
 * mode sends the prompt then the image(s) as `data:` URLs. The `json-schema` and `tool` answer formats
 * add a strict JSON schema or a forced tool call over the answer options of {@link answerOptions}.
 *
 * `requestKey` (@conceptlab/llm-client) hashes a request body canonically (sorted keys) so identical
 * requests can be served from the journal.
 */
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsNonStreaming,
} from 'openai/resources/chat/completions';
import { InvalidArgumentError } from '@conceptlab/core';
import {
  ANSWER_PROPERTY,
  ANSWER_SCHEMA_NAME,
  ANSWER_TOOL_NAME,
  answerJsonSchema,
  answerOptions,
  type AnnotationMode,
  type AnswerFormat,
  type ImageLayout,
} from '@conceptlab/llm-client';
import { imageDataUrl } from './composite.js';

/** The paper's sampling temperature (all models). */
export const DEFAULT_TEMPERATURE = 0.01;
/** The paper's output limit per mode: max_tokens 1024 (GPT-3.5/4, Llama) and max output 2048 (Gemini). */
export const DEFAULT_MAX_TOKENS: Readonly<Record<AnnotationMode, number>> = Object.freeze({ text: 1024, vision: 2048 });

/** The description of the answer tool (format `tool`). */
export const ANSWER_TOOL_DESCRIPTION =
  `Report which of the three presented objects is the odd one out (the one least similar to the other two). ` +
  `Set "${ANSWER_PROPERTY}" to exactly one of the allowed values.`;

/** What a request is made of, apart from the triplet. */
export interface RequestSpec {
  readonly model: string;
  readonly mode: AnnotationMode;
  readonly answerFormat: AnswerFormat;
  /** Vision mode only; default `'composite'` (the paper's). */
  readonly imageLayout?: ImageLayout;
  /** Default {@link DEFAULT_TEMPERATURE}. */
  readonly temperature?: number;
  /** Default {@link DEFAULT_MAX_TOKENS} of the mode. */
  readonly maxTokens?: number;
  /** Sent as `top_p` when given. */
  readonly topP?: number;
  /** Sent as `seed` when given. */
  readonly seed?: number;
  /**
   * The request field that carries {@link maxTokens}: `max_tokens` (default: the paper's, and what
   * most OpenAI-compatible servers read) or `max_completion_tokens` (OpenAI reasoning models).
   */
  readonly maxTokensParam?: 'max_tokens' | 'max_completion_tokens';
}

/** The per-triplet input of a request. */
export interface RequestInput {
  /** The rendered prompt ({@link renderPrompt}). */
  readonly prompt: string;
  /** The three object texts in presentation order (the structured answer's options in text mode). */
  readonly objectTexts: readonly [string, string, string];
  /** Vision mode: the encoded composite, or the three encoded images in presentation order. */
  readonly images?: {
    readonly composite?: Buffer;
    readonly separate?: readonly Buffer[];
    readonly mime: 'image/png' | 'image/jpeg';
  };
}

const MODES: readonly AnnotationMode[] = ['text', 'vision'];
const FORMATS: readonly AnswerFormat[] = ['free', 'json-schema', 'tool'];
const LAYOUTS: readonly ImageLayout[] = ['composite', 'separate'];

/** A spec with defaults filled in. @throws InvalidArgumentError on an invalid field. */
export function resolveRequestSpec(spec: RequestSpec): Required<Omit<RequestSpec, 'topP' | 'seed'>> & Pick<RequestSpec, 'topP' | 'seed'> {
  if (typeof spec !== 'object' || spec === null) throw new InvalidArgumentError('spec', 'a request spec object', spec);
  if (typeof spec.model !== 'string' || spec.model.trim() === '') throw new InvalidArgumentError('model', 'a non-empty model name', spec.model);
  if (!MODES.includes(spec.mode)) throw new InvalidArgumentError('mode', "'text' or 'vision'", spec.mode);
  if (!FORMATS.includes(spec.answerFormat)) throw new InvalidArgumentError('answerFormat', "'free', 'json-schema' or 'tool'", spec.answerFormat);
  const imageLayout = spec.imageLayout ?? 'composite';
  if (!LAYOUTS.includes(imageLayout)) throw new InvalidArgumentError('imageLayout', "'composite' or 'separate'", spec.imageLayout);
  const temperature = spec.temperature ?? DEFAULT_TEMPERATURE;
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature < 0) {
    throw new InvalidArgumentError('temperature', 'a finite number ≥ 0', spec.temperature);
  }
  const maxTokens = spec.maxTokens ?? DEFAULT_MAX_TOKENS[spec.mode];
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new InvalidArgumentError('maxTokens', 'an integer ≥ 1', spec.maxTokens);
  }
  if (spec.topP !== undefined && (typeof spec.topP !== 'number' || !(spec.topP > 0 && spec.topP <= 1))) {
    throw new InvalidArgumentError('topP', 'a number in (0, 1]', spec.topP);
  }
  if (spec.seed !== undefined && (typeof spec.seed !== 'number' || !Number.isSafeInteger(spec.seed))) {
    throw new InvalidArgumentError('seed', 'an integer', spec.seed);
  }
  const maxTokensParam = spec.maxTokensParam ?? 'max_tokens';
  if (maxTokensParam !== 'max_tokens' && maxTokensParam !== 'max_completion_tokens') {
    throw new InvalidArgumentError('maxTokensParam', "'max_tokens' or 'max_completion_tokens'", spec.maxTokensParam);
  }
  return {
    model: spec.model,
    mode: spec.mode,
    answerFormat: spec.answerFormat,
    imageLayout,
    temperature,
    maxTokens,
    maxTokensParam,
    ...(spec.topP !== undefined ? { topP: spec.topP } : {}),
    ...(spec.seed !== undefined ? { seed: spec.seed } : {}),
  };
}

function userContent(
  mode: AnnotationMode,
  layout: ImageLayout,
  input: RequestInput,
): string | ChatCompletionContentPart[] {
  if (mode === 'text') {
    if (input.images !== undefined) throw new InvalidArgumentError('input.images', 'no images in text mode');
    return input.prompt;
  }
  const images = input.images;
  if (images === undefined) throw new InvalidArgumentError('input.images', `the ${layout} image(s) in vision mode`);
  if (images.mime !== 'image/png' && images.mime !== 'image/jpeg') {
    throw new InvalidArgumentError('input.images.mime', "'image/png' or 'image/jpeg'", images.mime);
  }
  let bufs: readonly Buffer[];
  if (layout === 'composite') {
    if (!Buffer.isBuffer(images.composite)) throw new InvalidArgumentError('input.images.composite', 'the composite image (layout composite)', images.composite);
    bufs = [images.composite];
  } else {
    const sep = images.separate;
    if (!Array.isArray(sep) || sep.length !== 3 || !sep.every((b) => Buffer.isBuffer(b))) {
      throw new InvalidArgumentError('input.images.separate', 'three images in presentation order (layout separate)', sep);
    }
    bufs = sep;
  }
  return [
    { type: 'text', text: input.prompt },
    ...bufs.map((b): ChatCompletionContentPart => ({ type: 'image_url', image_url: { url: imageDataUrl(b, images.mime) } })),
  ];
}

/**
 * The chat-completion request body for one triplet.
 * @throws InvalidArgumentError on an invalid spec, or images missing (vision) or present (text).
 */
export function buildChatRequest(spec: RequestSpec, input: RequestInput): ChatCompletionCreateParamsNonStreaming {
  const s = resolveRequestSpec(spec);
  if (typeof input?.prompt !== 'string' || input.prompt.trim() === '') throw new InvalidArgumentError('input.prompt', 'a non-empty prompt', input?.prompt);
  const texts = input.objectTexts;
  if (!Array.isArray(texts) || texts.length !== 3 || texts.some((t) => typeof t !== 'string' || t === '')) {
    throw new InvalidArgumentError('input.objectTexts', 'three non-empty strings', texts);
  }
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: s.model,
    messages: [{ role: 'user', content: userContent(s.mode, s.imageLayout, input) }],
    temperature: s.temperature,
  };
  if (s.maxTokensParam === 'max_tokens') body.max_tokens = s.maxTokens;
  else body.max_completion_tokens = s.maxTokens;
  if (s.topP !== undefined) body.top_p = s.topP;
  if (s.seed !== undefined) body.seed = s.seed;
  if (s.answerFormat !== 'free') {
    const options = answerOptions(s.mode, texts);
    if (new Set(options).size !== 3) throw new InvalidArgumentError('input.objectTexts', 'three different texts (structured answers choose by text)', texts);
    const schema = answerJsonSchema(options);
    if (s.answerFormat === 'json-schema') {
      body.response_format = { type: 'json_schema', json_schema: { name: ANSWER_SCHEMA_NAME, strict: true, schema } };
    } else {
      body.tools = [{ type: 'function', function: { name: ANSWER_TOOL_NAME, description: ANSWER_TOOL_DESCRIPTION, parameters: schema } }];
      body.tool_choice = { type: 'function', function: { name: ANSWER_TOOL_NAME } };
    }
  }
  return body;
}
