/**
 * Structured answers (`json-schema`, `tool`): the JSON object's {@link ANSWER_PROPERTY} must equal one
 * of the answer options (`answerOptions`): exactly, else after trimming and case-folding. A missing
 * structured part is `unparsed`; there is no fall-back to free text.
 */
import { ANSWER_PROPERTY, ANSWER_TOOL_NAME } from '@conceptlab/llm-client';
import { matchAnswerOption } from './answer-option.js';
import type { ReplyMessage } from './context.js';
import { parsed, preview, unparsed, type ParsedChoice } from './verdict.js';

function stripCodeFence(s: string): string {
  const m = /^\s*```[a-zA-Z]*\s*\n?([\s\S]*?)\n?\s*```\s*$/.exec(s);
  return m ? m[1] : s;
}

export function parseJsonAnswer(text: string, options: readonly string[], via: 'json' | 'tool'): ParsedChoice {
  let value: unknown;
  try {
    value = JSON.parse(stripCodeFence(text));
  } catch (e) {
    return unparsed(`invalid JSON: expected a JSON answer, got ${preview(text)} (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return unparsed(`expected a JSON answer: an object with "${ANSWER_PROPERTY}", got ${Array.isArray(value) ? 'an array' : preview(String(value))}`);
  }
  const answer = (value as Record<string, unknown>)[ANSWER_PROPERTY];
  if (answer === undefined) return unparsed(`expected a JSON answer: no "${ANSWER_PROPERTY}" property in ${preview(text)}`);
  if (typeof answer !== 'string') return unparsed(`expected a JSON answer: "${ANSWER_PROPERTY}" is not a string`);
  const r = matchAnswerOption(answer, options);
  return typeof r === 'number' ? parsed(r, via) : r;
}

export function parseToolCalls(message: ReplyMessage, options: readonly string[]): ParsedChoice {
  const calls = message.tool_calls ?? [];
  const ours = calls.filter((c) => c.type === 'function' && c.function?.name === ANSWER_TOOL_NAME);
  if (ours.length === 0) {
    const names = calls.map((c) => c.function?.name ?? c.type);
    if (names.length > 0) return unparsed(`expected a JSON answer: no ${ANSWER_TOOL_NAME} tool call (called ${names.join(', ')})`);
    if ((message.content ?? '').trim() === '') return unparsed('empty reply');
    return unparsed(`expected a JSON answer: no ${ANSWER_TOOL_NAME} tool call, the reply is text ${preview(message.content ?? '')}`);
  }
  const results = ours.map((c) => parseJsonAnswer(c.function?.arguments ?? '', options, 'tool'));
  const bad = results.find((r) => r.status === 'unparsed');
  if (bad) return bad;
  const positions = new Set(results.map((r) => (r.status === 'parsed' ? r.position : -1)));
  if (positions.size > 1) return unparsed(`${ours.length} ${ANSWER_TOOL_NAME} tool calls with different answers`);
  return results[0];
}
