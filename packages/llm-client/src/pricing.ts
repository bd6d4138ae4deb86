/**
 * Estimated cost of a run: US dollars per million prompt (input) and completion (output) tokens.
 * The table holds list prices of a few models as published by their providers (2025); prices change,
 * so it is an estimate — pass a price (`--price 0.5/1.5`) for anything else or to correct it.
 * The Batch API bills half (the {@link BATCH_DISCOUNT}).
 */
import { InvalidArgumentError } from '@conceptlab/core';

export interface Price {
  /** USD per 1M prompt tokens. */
  readonly inputPerMillion: number;
  /** USD per 1M completion tokens. */
  readonly outputPerMillion: number;
}

export const PRICES: Readonly<Record<string, Price>> = {
  'gpt-3.5-turbo': { inputPerMillion: 0.5, outputPerMillion: 1.5 },
  'gpt-3.5-turbo-0125': { inputPerMillion: 0.5, outputPerMillion: 1.5 },
  'gpt-3.5-turbo-1106': { inputPerMillion: 1, outputPerMillion: 2 },
  'gpt-4': { inputPerMillion: 30, outputPerMillion: 60 },
  'gpt-4-0314': { inputPerMillion: 30, outputPerMillion: 60 },
  'gpt-4-0613': { inputPerMillion: 30, outputPerMillion: 60 },
  'gpt-4-turbo': { inputPerMillion: 10, outputPerMillion: 30 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'gemini-2.0-flash': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'gemini-1.5-pro': { inputPerMillion: 1.25, outputPerMillion: 5 },
};

/** A dated snapshot suffix: -YYYY-MM-DD or -MMDD. */
const SNAPSHOT = /^-(\d{4}-\d{2}-\d{2}|\d{4})$/;

/** Fraction of the online price that the Batch API bills. */
export const BATCH_DISCOUNT = 0.5;

/**
 * The price of `model`: `override` when given; else an exact table entry; else the longest table name
 * followed by a snapshot date (`gpt-4o-2024-08-06`, `gpt-4-0613`);
 * else undefined (cost unknown).
 */
export function priceFor(model: string, override?: Price, table: Readonly<Record<string, Price>> = PRICES): Price | undefined {
  if (override) return override;
  if (Object.prototype.hasOwnProperty.call(table, model)) return table[model];
  let best: string | undefined;
  for (const name of Object.keys(table)) {
    if (model.startsWith(name) && SNAPSHOT.test(model.slice(name.length)) && (!best || name.length > best.length)) best = name;
  }
  return best !== undefined ? table[best] : undefined;
}

/** Parse "IN/OUT" or "IN,OUT" (USD per 1M prompt / completion tokens), e.g. "0.5/1.5". */
export function parsePrice(text: string): Price {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e-?\d+)?)\s*[/,:]\s*([0-9]*\.?[0-9]+(?:e-?\d+)?)\s*$/i.exec(text);
  if (!m) throw new InvalidArgumentError('price', 'INPUT/OUTPUT in USD per 1M tokens, e.g. 0.5/1.5', text);
  return { inputPerMillion: Number(m[1]), outputPerMillion: Number(m[2]) };
}

/** Cost in USD of the given token counts (halved for batch). */
export function costUsd(promptTokens: number, completionTokens: number, price: Price, options: { batch?: boolean } = {}): number {
  const c = (promptTokens * price.inputPerMillion + completionTokens * price.outputPerMillion) / 1e6;
  return options.batch ? c * BATCH_DISCOUNT : c;
}
