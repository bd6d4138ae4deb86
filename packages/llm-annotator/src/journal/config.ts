/**
 * What a run was started with (its journal configuration), the hashes that identify its inputs, and the
 * key-by-key comparison a resumed run or a merge checks.
 */
import { createHash } from 'node:crypto';
import { InvalidArgumentError, type Shard, type Triplets } from '@conceptlab/core';
import type { AnnotationMode, AnswerFormat, ImageLayout } from '@conceptlab/llm-client';

/**
 * What a run was started with; a resumed run must match it key by key. Settings that do not change
 * answers (concurrency, rate limits, retries, re-ask count) are not part of it and may change on resume.
 */
export interface JournalConfig {
  readonly model: string;
  /** The API base URL, credentials removed (see {@link sanitizeBaseUrl}). */
  readonly baseUrl: string;
  readonly mode: AnnotationMode;
  readonly answerFormat: AnswerFormat;
  readonly imageLayout: ImageLayout | null;
  readonly promptId: string;
  readonly promptText: string;
  readonly temperature: number;
  readonly maxTokens: number;
  /** Seed of the per-row presentation order (see presentation.ts). */
  readonly presentationSeed: number;
  /** sha256 of the input triplet list (see {@link hashTriplets}). */
  readonly tripletsHash: string;
  readonly tripletsCount: number;
  /** sha256 of the concepts' ids and prompts (see {@link hashConcepts}). */
  readonly conceptsHash: string;
  readonly shard: Shard | null;
}

/** sha256 (hex) of a triplet list's values (int32 little-endian). */
export function hashTriplets(t: Triplets): string {
  const d = t.data;
  return createHash('sha256').update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).digest('hex');
}

/** sha256 (hex) of the concepts' ids and prompt texts, in order. */
export function hashConcepts(concepts: readonly { readonly id: string; readonly prompt: string }[]): string {
  const h = createHash('sha256');
  for (const c of concepts) h.update(`${c.id}\t${c.prompt}\n`);
  return h.digest('hex');
}

/**
 * A base URL fit for the journal: user info removed, and the values of query parameters that look like
 * credentials (key, token, secret, signature, password) replaced by `REDACTED`.
 */
export function sanitizeBaseUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidArgumentError('baseUrl', 'an absolute URL, e.g. https://api.openai.com/v1', url);
  }
  u.username = '';
  u.password = '';
  for (const k of [...u.searchParams.keys()]) {
    if (/key|token|secret|sig|pass|auth/i.test(k)) u.searchParams.set(k, 'REDACTED');
  }
  return u.toString().replace(/\/$/, '');
}

/** The configuration keys in a stable order (known keys first, then any others). */
const CONFIG_ORDER: readonly (keyof JournalConfig)[] = [
  'model', 'baseUrl', 'mode', 'answerFormat', 'imageLayout', 'promptId', 'promptText', 'temperature', 'maxTokens',
  'presentationSeed', 'tripletsHash', 'tripletsCount', 'conceptsHash', 'shard',
];

/**
 * The first key whose values differ between two configs (JSON comparison), or undefined.
 * `ignore` lists keys not compared (merge ignores `shard`).
 */
export function configDifference(
  stored: Readonly<Record<string, unknown>>,
  requested: Readonly<Record<string, unknown>>,
  ignore: readonly string[] = [],
): { key: string; stored: unknown; requested: unknown } | undefined {
  const keys = [...CONFIG_ORDER as readonly string[]];
  for (const k of [...Object.keys(stored), ...Object.keys(requested)]) if (!keys.includes(k)) keys.push(k);
  for (const k of keys) {
    if (ignore.includes(k)) continue;
    const s = JSON.stringify(stored[k] ?? null);
    const r = JSON.stringify(requested[k] ?? null);
    if (s !== r) return { key: k, stored: stored[k] ?? null, requested: requested[k] ?? null };
  }
  return undefined;
}
