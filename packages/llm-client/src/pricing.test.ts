import { BATCH_DISCOUNT, PRICES, costUsd, parsePrice, priceFor } from './pricing.js';

describe('pricing', () => {
  it('finds a model exactly, or a dated snapshot by its longest prefix', () => {
    expect(priceFor('gpt-3.5-turbo')).toEqual({ inputPerMillion: 0.5, outputPerMillion: 1.5 });
    expect(priceFor('gpt-4o-2024-08-06')).toBe(PRICES['gpt-4o']);
    expect(priceFor('gpt-4o-mini-2024-07-18')).toBe(PRICES['gpt-4o-mini']);
    expect(priceFor('gpt-4o-minimal')).toBeUndefined();
    expect(priceFor('gpt-4o-audio-preview')).toBeUndefined();
    expect(priceFor('gpt-4-turbo-2024-04-09')).toBe(PRICES['gpt-4-turbo']);
    expect(priceFor('llama-3.1-8b')).toBeUndefined();
    expect(priceFor('llama-3.1-8b', { inputPerMillion: 0.1, outputPerMillion: 0.2 })).toEqual({ inputPerMillion: 0.1, outputPerMillion: 0.2 });
  });

  it('parses --price and computes cost (batch at the discount)', () => {
    expect(parsePrice('0.5/1.5')).toEqual({ inputPerMillion: 0.5, outputPerMillion: 1.5 });
    expect(parsePrice(' 3, 15 ')).toEqual({ inputPerMillion: 3, outputPerMillion: 15 });
    expect(() => parsePrice('cheap')).toThrow(/price/);
    const p = parsePrice('2/8');
    expect(costUsd(1_000_000, 500_000, p)).toBeCloseTo(6, 12);
    expect(costUsd(1_000_000, 500_000, p, { batch: true })).toBeCloseTo(6 * BATCH_DISCOUNT, 12);
  });
});
