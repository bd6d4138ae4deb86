import { createHash } from 'node:crypto';

/**
 * Request fields that say how or for whom a request is sent, not what it asks; left out of the
 * request's seed so that, e.g., a resumed run that tags requests differently still gets the same answers.
 */
export const OPERATIONAL_FIELDS: ReadonlySet<string> = new Set([
  'user',
  'metadata',
  'store',
  'service_tier',
  'stream_options',
  'safety_identifier',
  'prompt_cache_key',
]);

/** JSON with object keys sorted (recursively), so equal requests serialise equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/**
 * The seed of a chat-completion request's rng: the first 64 bits of SHA-256 over the server seed and the
 * canonical JSON of the request body without {@link OPERATIONAL_FIELDS}. The same body (model, messages,
 * response format, tools, temperature, the OpenAI `seed` parameter, …) always gets the same answer from a
 * server with the same seed, whether sent directly or in a batch and in whatever key order; a client that
 * wants independent repeats of one triplet varies the `seed` parameter.
 */
export function requestSeed(serverSeed: number, body: Record<string, unknown>): bigint {
  const content: Record<string, unknown> = {};
  for (const k of Object.keys(body)) if (!OPERATIONAL_FIELDS.has(k)) content[k] = body[k];
  const digest = createHash('sha256').update(`conceptlab-serve/1\n${serverSeed}\n`).update(canonicalJson(content)).digest();
  return digest.readBigUInt64LE(0);
}
