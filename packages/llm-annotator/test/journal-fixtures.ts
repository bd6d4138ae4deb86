/** Shared fixtures of the journal tests: a five-row triplet list, a journal configuration for it, a temporary folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTriplets } from '@conceptlab/core';
import { hashTriplets, type JournalConfig } from '../src/journal/index.js';

export const triplets = createTriplets([
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
  [0, 4, 8],
  [1, 5, 6],
]);

export function config(over: Partial<JournalConfig> = {}): JournalConfig {
  return {
    model: 'm',
    baseUrl: 'http://127.0.0.1:1/v1',
    mode: 'text',
    answerFormat: 'free',
    imageLayout: null,
    promptId: 'du2024-text',
    promptText: '{A} {B} {C}',
    temperature: 0.01,
    maxTokens: 1024,
    presentationSeed: 42,
    tripletsHash: hashTriplets(triplets),
    tripletsCount: triplets.count,
    conceptsHash: 'c',
    shard: null,
    ...over,
  };
}

/** A fresh temporary folder for each test of the file (removed after it); returns its getter. */
export function tempDirPerTest(prefix: string): () => string {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}
