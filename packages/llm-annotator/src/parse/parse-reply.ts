/** The parser's entry point: one reply message and its context → a {@link ParsedChoice}. */
import { answerOptions } from '@conceptlab/llm-client';
import { checkContext, type ParseContext, type ReplyMessage } from './context.js';
import { parseFreeText } from './free-text.js';
import { prepare, type Prepared } from './prepare.js';
import { parseJsonAnswer, parseToolCalls } from './structured.js';
import { unparsed, type ParsedChoice } from './verdict.js';

const preparedCache = new WeakMap<ParseContext, Prepared>();

/**
 * Which object a reply chooses as the odd one out, or why that cannot be told. Never guesses.
 * @throws InvalidArgumentError on an invalid context (a caller's bug, not a reply's).
 */
export function parseReply(message: ReplyMessage, ctx: ParseContext): ParsedChoice {
  checkContext(ctx);
  const options = answerOptions(ctx.mode, ctx.objectTexts);
  if (ctx.answerFormat === 'tool') return parseToolCalls(message, options);
  const content = message.content ?? '';
  if (content.trim() === '') return unparsed('empty reply');
  if (ctx.answerFormat === 'json-schema') return parseJsonAnswer(content, options, 'json');
  let p = preparedCache.get(ctx);
  if (p === undefined) {
    p = prepare(ctx);
    preparedCache.set(ctx, p);
  }
  return parseFreeText(content, p);
}
