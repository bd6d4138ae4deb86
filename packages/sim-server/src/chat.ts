import { createRng } from '@conceptlab/core';
import {
  ANSWER_PROPERTY,
  ANSWER_TOOL_NAME,
  answerOptions,
  VISION_POSITION_LABELS,
  type AnnotationMode,
  type AnswerFormat,
} from '@conceptlab/llm-client';
import { badRequest } from './api-error.js';
import { isTextMatch, type ConceptMatcher } from './concept-matcher.js';
import { MALFORMED_CONTENT } from './faults.js';
import type { ImageMatcher } from './image-matcher.js';
import type { Observer, Position } from '@conceptlab/triplet-sampler';
import { requestSeed } from './request-seed.js';

/** What a chat completion needs from the server. */
export interface ChatEngine {
  readonly matcher: ConceptMatcher;
  readonly images: ImageMatcher | undefined;
  /** The prompt text of a concept, by Concept.index. */
  readonly promptOf: (index: number) => string;
  /** The word of a concept (THINGS `Word`), by Concept.index. */
  readonly wordOf: (index: number) => string;
  readonly observer: Observer;
  readonly seed: number;
  /** A fresh id with the given prefix (`chatcmpl-`, `call_`). */
  readonly newId: (prefix: string) => string;
}

/** The explanation after an answer: names no object, position, letter or number, so parsers only see the answer. */
export const EXPLANATION = 'It has the least in common with the other objects.';

/** A content fault to apply to an otherwise valid answer. */
export type ContentFault = 'none' | 'malformed' | 'empty';

export interface ChatOutcome {
  /** The `chat.completion` object. */
  readonly body: Record<string, unknown>;
  /** The objects recognised (Concept.index, presentation order) and the positions chosen, one per choice. */
  readonly objects: readonly [number, number, number];
  readonly positions: readonly Position[];
  readonly mode: AnnotationMode;
  readonly format: AnswerFormat;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

interface UserInput {
  readonly text: string;
  readonly images: Buffer[];
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),/;

function decodeImageUrl(url: unknown, param: string): Buffer {
  if (typeof url !== 'string') throw badRequest(`${param}: expected a string URL`, param);
  const m = DATA_URL.exec(url);
  if (!m) {
    throw badRequest(`${param}: conceptlab serve is offline and accepts only data: URLs (data:image/...;base64,...), got ${JSON.stringify(url.slice(0, 40))}`, param, 'invalid_image_url');
  }
  if (!m[2].split(';').includes('base64')) throw badRequest(`${param}: expected a base64 data URL`, param, 'invalid_image_url');
  return Buffer.from(url.slice(m[0].length), 'base64');
}

/** The text and images of the last user message. */
function lastUserInput(messages: unknown[]): UserInput {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!isObject(m) || m.role !== 'user') continue;
    const param = `messages[${i}].content`;
    if (typeof m.content === 'string') return { text: m.content, images: [] };
    if (!Array.isArray(m.content)) throw badRequest(`${param}: expected a string or an array of content parts`, param);
    const texts: string[] = [];
    const images: Buffer[] = [];
    m.content.forEach((part: unknown, j: number) => {
      const p = `${param}[${j}]`;
      if (!isObject(part)) throw badRequest(`${p}: expected a content part object`, p);
      if (part.type === 'text') {
        if (typeof part.text !== 'string') throw badRequest(`${p}.text: expected a string`, `${p}.text`);
        texts.push(part.text);
      } else if (part.type === 'image_url') {
        const iu = part.image_url;
        images.push(decodeImageUrl(isObject(iu) ? iu.url : iu, `${p}.image_url.url`));
      } else {
        throw badRequest(`${p}.type: expected 'text' or 'image_url', got ${JSON.stringify(part.type)}`, `${p}.type`);
      }
    });
    return { text: texts.join('\n'), images };
  }
  throw badRequest('messages: expected at least one message with role "user"', 'messages');
}

/** ≈ chars/4 over every message's text, plus 85 per image part (OpenAI's low-detail image cost). */
function promptTokens(messages: unknown[]): number {
  let chars = 0, images = 0;
  for (const m of messages) {
    if (!isObject(m)) continue;
    if (typeof m.content === 'string') chars += m.content.length;
    else if (Array.isArray(m.content)) {
      for (const p of m.content) {
        if (isObject(p) && typeof p.text === 'string') chars += p.text.length;
        else if (isObject(p) && p.type === 'image_url') images++;
      }
    }
  }
  return Math.max(1, Math.ceil(chars / 4)) + 85 * images;
}

/** Whether a JSON-schema property holds a string (`type: 'string'`, a type list with 'string', or an enum of strings). */
function isStringProperty(prop: unknown): boolean {
  if (!isObject(prop)) return false;
  if (prop.type === 'string') return true;
  if (Array.isArray(prop.type) && prop.type.includes('string')) return true;
  return prop.type === undefined && Array.isArray(prop.enum) && prop.enum.length > 0 && prop.enum.every((x) => typeof x === 'string');
}

/**
 * The property a structured answer fills: the schema's single string (or string-enum) property, whatever its
 * name, and its options when it has an enum. Other properties may exist only if not required (they are left out).
 * A schema that declares no properties (or none at all) accepts any object: `odd_one_out` is filled.
 *
 * @throws ApiError 400 when the schema has not exactly one string property, or requires another property.
 */
function answerSlot(schema: unknown, param: string): AnswerSlot {
  // No schema, or one that declares no properties (`{}`, `{ type: 'object' }`): any object is valid, so the
  // protocol's own property is filled.
  if (schema === undefined || schema === null || (isObject(schema) && schema.properties === undefined && schema.required === undefined)) {
    return { property: ANSWER_PROPERTY };
  }
  const props = isObject(schema) && isObject(schema.properties) ? schema.properties : undefined;
  const strings = props ? Object.keys(props).filter((k) => isStringProperty(props[k])) : [];
  if (!props || strings.length !== 1) {
    throw badRequest(
      `${param}: conceptlab serve fills exactly one string property with the odd one out, but this schema has ` +
        (props ? `${strings.length} string properties${strings.length > 0 ? ` (${strings.join(', ')})` : ''}` : 'no properties'),
      param,
      'unsupported_schema',
    );
  }
  const property = strings[0];
  const required = isObject(schema) && Array.isArray(schema.required) ? schema.required : [];
  const other = required.filter((r) => r !== property);
  if (other.length > 0) {
    throw badRequest(`${param}: requires ${other.map((r) => JSON.stringify(r)).join(', ')} besides the string property ${JSON.stringify(property)}, which conceptlab serve cannot fill`, param, 'unsupported_schema');
  }
  const prop = props[property] as Json;
  if (prop.enum === undefined) return { property };
  const e = prop.enum;
  if (!Array.isArray(e) || e.length !== 3 || !e.every((x) => typeof x === 'string')) {
    throw badRequest(`${param}.properties.${property}.enum: expected the 3 option strings in presentation order`, param);
  }
  return { property, options: e as string[] };
}

/** Where a structured answer goes: the property name, and the options its enum lists (if any). */
interface AnswerSlot {
  readonly property: string;
  readonly options?: string[];
}

/** How a request is answered: the format, the tool called (tool format) and the slot filled (structured formats). */
interface AnswerPlan {
  readonly format: AnswerFormat;
  readonly tool?: string;
  readonly slot?: AnswerSlot;
}

/**
 * The answer format a request asks for. Tools: a named `tool_choice` calls that tool; otherwise (`auto`,
 * `required` or no choice) the only tool offered is called, or `report_odd_one_out` when it is among several.
 * Several tools without `report_odd_one_out` and `auto` (or no choice): answered in free text, as a model may
 * (the response header `x-conceptlab-answer-format` says which format was used); `required` then is a 400.
 */
function answerPlan(body: Json): AnswerPlan {
  const tools = body.tools;
  const choice = body.tool_choice;
  if (tools !== undefined && tools !== null) {
    if (!Array.isArray(tools)) throw badRequest('tools: expected an array', 'tools');
    const names = tools.map((t: unknown, i: number) => {
      const f = isObject(t) ? t.function : undefined;
      if (!isObject(t) || t.type !== 'function' || !isObject(f) || typeof f.name !== 'string') {
        throw badRequest(`tools[${i}]: expected { type: 'function', function: { name, parameters } }`, `tools[${i}]`);
      }
      return f.name;
    });
    let at = -1;
    if (isObject(choice)) {
      const name = isObject(choice.function) ? choice.function.name : undefined;
      if (typeof name !== 'string' || !names.includes(name)) throw badRequest(`tool_choice: names a function that is not in tools: ${JSON.stringify(name)}`, 'tool_choice');
      at = names.indexOf(name);
    } else if (choice !== undefined && choice !== null && choice !== 'none' && choice !== 'auto' && choice !== 'required') {
      throw badRequest(`tool_choice: expected 'none', 'auto', 'required' or a named function, got ${JSON.stringify(choice)}`, 'tool_choice');
    } else if (choice !== 'none') {
      at = names.length === 1 ? 0 : names.indexOf(ANSWER_TOOL_NAME);
      if (at < 0 && choice === 'required') {
        throw badRequest(`tool_choice: 'required' with ${names.length} tools (${names.join(', ')}); conceptlab serve calls a named tool_choice, the only tool, or ${ANSWER_TOOL_NAME}`, 'tool_choice');
      }
    }
    if (at >= 0) {
      const fn = (tools[at] as Json).function as Json;
      return { format: 'tool', tool: names[at], slot: answerSlot(fn.parameters, `tools[${at}].function.parameters`) };
    }
  } else if (choice !== undefined && choice !== null && choice !== 'none' && choice !== 'auto') {
    throw badRequest('tool_choice: given without tools', 'tool_choice');
  }
  const rf = body.response_format;
  if (rf === undefined || rf === null) return { format: 'free' };
  if (!isObject(rf)) throw badRequest('response_format: expected an object', 'response_format');
  if (rf.type === 'text') return { format: 'free' };
  if (rf.type === 'json_object') return { format: 'json-schema', slot: { property: ANSWER_PROPERTY } };
  if (rf.type === 'json_schema') {
    const js = rf.json_schema;
    if (!isObject(js) || typeof js.name !== 'string') throw badRequest("response_format.json_schema: expected { name, schema }", 'response_format.json_schema');
    return { format: 'json-schema', slot: answerSlot(js.schema, 'response_format.json_schema.schema') };
  }
  throw badRequest(`response_format.type: expected 'text', 'json_object' or 'json_schema', got ${JSON.stringify(rf.type)}`, 'response_format.type');
}

/**
 * How a text answer names the odd object: by its word, as a model names an object it was shown as
 * "word (definition)" — the definition is not echoed, since the paper's parser looks for each description's
 * first word near the start of the reply and a definition may hold another object's word ("chest (the front of
 * the trunk …)"). When another object of the triplet has the same word (THINGS homonyms: two "bat"s) the whole
 * prompt text names it, so the answer stays unambiguous.
 */
export function answerName(words: readonly [string, string, string], texts: readonly [string, string, string], position: Position): string {
  const word = words[position].trim().toLowerCase();
  const shared = words.some((w, p) => p !== position && w.trim().toLowerCase() === word);
  return shared ? texts[position] : words[position];
}

/** The free-text answer: text mode names the object (see {@link answerName}), vision mode its position, as the paper's prompts ask. */
export function freeTextAnswer(mode: AnnotationMode, position: Position, objectName: string): string {
  if (mode === 'text') return `The odd one out is '${objectName}'. ${EXPLANATION}`;
  const where = VISION_POSITION_LABELS[position];
  return `1. The odd one out is the object on the ${where}. 2. Location: ${where}. 3. ${EXPLANATION}`;
}

/**
 * Answer one chat-completion request body (direct or a batch line): recognise the three objects, draw
 * the observer's choice with the request's own rng, and format it as the request asks. `allowStream`: the
 * caller streams the result (direct requests); batch lines refuse `stream: true`.
 *
 * @throws ApiError (400) for a malformed request or objects that cannot be recognised.
 */
export async function completeChat(engine: ChatEngine, raw: unknown, fault: ContentFault = 'none', allowStream = false): Promise<ChatOutcome> {
  if (!isObject(raw)) throw badRequest('expected a JSON object body');
  const body = raw;
  if (typeof body.model !== 'string' || body.model === '') throw badRequest('you must provide a model parameter', 'model', 'missing_required_parameter');
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw badRequest('messages: expected a non-empty array of messages', 'messages', 'missing_required_parameter');
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw badRequest('stream: expected a boolean', 'stream');
  if (body.stream === true && !allowStream) throw badRequest('stream: batch requests cannot stream', 'stream');
  const so = body.stream_options;
  if (so !== undefined && so !== null) {
    if (body.stream !== true) throw badRequest('stream_options: only allowed when stream is true', 'stream_options');
    if (!isObject(so) || (so.include_usage !== undefined && typeof so.include_usage !== 'boolean')) {
      throw badRequest('stream_options: expected { include_usage?: boolean }', 'stream_options');
    }
  }
  const n = body.n ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 16) throw badRequest('n: expected an integer in [1, 16]', 'n');
  const plan = answerPlan(body);
  const format = plan.format;
  const input = lastUserInput(body.messages);

  let mode: AnnotationMode;
  let objects: [number, number, number];
  if (input.images.length > 0) {
    if (!engine.images) {
      throw badRequest('this server was started without an images directory, so it cannot answer requests with images', 'messages', 'images_unavailable');
    }
    mode = 'vision';
    objects = await engine.images.identify(input.images);
  } else {
    const m = engine.matcher.match(input.text);
    if (!isTextMatch(m)) throw badRequest(m.message, 'messages', 'unrecognised_objects');
    mode = 'text';
    objects = m.objects;
  }
  const texts: [string, string, string] = [engine.promptOf(objects[0]), engine.promptOf(objects[1]), engine.promptOf(objects[2])];
  const words: [string, string, string] = [engine.wordOf(objects[0]), engine.wordOf(objects[1]), engine.wordOf(objects[2])];
  const options = plan.slot?.options ?? answerOptions(mode, texts);
  const property = plan.slot?.property ?? ANSWER_PROPERTY;

  const rng = createRng(requestSeed(engine.seed, body));
  const positions: Position[] = [];
  const choices = [];
  let completionChars = 0;
  for (let i = 0; i < n; i++) {
    const pos = engine.observer.choose(objects, rng);
    positions.push(pos);
    let message: Json;
    let finish = 'stop';
    if (fault !== 'none') {
      const content = fault === 'malformed' ? MALFORMED_CONTENT : '';
      message = { role: 'assistant', content, refusal: null };
      completionChars += content.length;
    } else if (format === 'tool') {
      const args = JSON.stringify({ [property]: options[pos] });
      message = {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [{ id: engine.newId('call_'), type: 'function', function: { name: plan.tool ?? ANSWER_TOOL_NAME, arguments: args } }],
      };
      finish = 'tool_calls';
      completionChars += args.length;
    } else {
      const content = format === 'json-schema' ? JSON.stringify({ [property]: options[pos] }) : freeTextAnswer(mode, pos, answerName(words, texts, pos));
      message = { role: 'assistant', content, refusal: null };
      completionChars += content.length;
    }
    choices.push({ index: i, message, logprobs: null, finish_reason: finish });
  }
  const prompt = promptTokens(body.messages);
  const completion = Math.max(fault === 'empty' ? 0 : 1, Math.ceil(completionChars / 4));
  return {
    body: {
      id: engine.newId('chatcmpl-'),
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      system_fingerprint: 'conceptlab-serve',
      choices,
      usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    },
    objects,
    positions,
    mode,
    format,
  };
}
