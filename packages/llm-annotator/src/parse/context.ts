/** What the parser reads (a reply message) and what it needs to know about the request (a checked context). */
import { InvalidArgumentError } from '@conceptlab/core';
import type { AnnotationMode, AnswerFormat } from '@conceptlab/llm-client';

/** The part of a chat-completion message the parser reads. */
export interface ReplyMessage {
  readonly content: string | null;
  readonly tool_calls?: readonly { readonly type: string; readonly function?: { readonly name: string; readonly arguments: string } }[] | null;
}

/** What the parser needs to know about the request. */
export interface ParseContext {
  readonly mode: AnnotationMode;
  readonly answerFormat: AnswerFormat;
  /** The three object texts in presentation order (as in the prompt). */
  readonly objectTexts: readonly [string, string, string];
  /** The three words (THINGS `Word`, repeating for homonyms) in presentation order. */
  readonly words: readonly [string, string, string];
}

/** Throws InvalidArgumentError on an invalid context (a caller's bug, not a reply's). */
export function checkContext(ctx: ParseContext): void {
  if (ctx.mode !== 'text' && ctx.mode !== 'vision') throw new InvalidArgumentError('ctx.mode', "'text' or 'vision'", ctx.mode);
  if (!['free', 'json-schema', 'tool'].includes(ctx.answerFormat)) {
    throw new InvalidArgumentError('ctx.answerFormat', "'free', 'json-schema' or 'tool'", ctx.answerFormat);
  }
  for (const key of ['objectTexts', 'words'] as const) {
    const v = ctx[key];
    if (!Array.isArray(v) || v.length !== 3 || v.some((s) => typeof s !== 'string')) throw new InvalidArgumentError(`ctx.${key}`, 'three strings', v);
  }
}
