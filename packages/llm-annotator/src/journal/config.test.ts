import { createTriplets } from '@conceptlab/core';
import { triplets } from '../../test/journal-fixtures.js';
import { configDifference, hashConcepts, hashTriplets, sanitizeBaseUrl } from './config.js';

describe('helpers', () => {
  it('sanitizeBaseUrl drops credentials', () => {
    expect(sanitizeBaseUrl('https://user:secret@api.example.com/v1/')).toBe('https://api.example.com/v1');
    expect(sanitizeBaseUrl('https://x.openai.azure.com/openai?api-version=2024&api-key=abc')).toBe(
      'https://x.openai.azure.com/openai?api-version=2024&api-key=REDACTED',
    );
    expect(() => sanitizeBaseUrl('not a url')).toThrow(/baseUrl/);
  });

  it('configDifference names the first differing key, ignoring some', () => {
    expect(configDifference({ model: 'a', shard: null }, { model: 'a', shard: { k: 1, n: 2 } })).toEqual({ key: 'shard', stored: null, requested: { k: 1, n: 2 } });
    expect(configDifference({ model: 'a', shard: null }, { model: 'a', shard: { k: 1, n: 2 } }, ['shard'])).toBeUndefined();
    expect(configDifference({ model: 'a', extra: 1 }, { model: 'a' })).toMatchObject({ key: 'extra' });
  });

  it('hashes triplets and concepts', () => {
    expect(hashTriplets(triplets)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashTriplets(triplets)).not.toBe(hashTriplets(createTriplets([[0, 1, 2]])));
    expect(hashConcepts([{ id: 'a', prompt: 'x' }])).not.toBe(hashConcepts([{ id: 'a', prompt: 'y' }]));
  });
});
