/**
 * The strict reply parser: which of the three presented objects a model's reply chooses as the odd
 * one out — or, when the reply does not say so unambiguously, `unparsed` with a reason. It never
 * guesses (the paper's parsers reused the previous answer on a miss; we record the miss instead).
 *
 * - `parse-reply.ts`: the entry point; `context.ts`: the message read and the checked context;
 *   `verdict.ts`: the result;
 * - structured answers: `structured.ts` (JSON and tool calls), `answer-option.ts` (matching an option);
 * - free text: `free-text.ts` (the rules it follows), `normalize.ts`, `prepare.ts` (per-context patterns),
 *   `object-pattern.ts`, `scan.ts`, `definition.ts`, `labels.ts`, `mentions.ts`, `segments.ts`,
 *   `triggers.ts` (the grammar of answer statements) and `reader.ts` (the searches for an answer).
 */
export { parseReply } from './parse-reply.js';
export { matchAnswerOption } from './answer-option.js';
export { normalizeReplyText } from './normalize.js';
export type { ParseContext, ReplyMessage } from './context.js';
export type { ChoicePosition, ChoiceVia, ParsedChoice } from './verdict.js';
