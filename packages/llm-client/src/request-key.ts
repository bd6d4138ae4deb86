/**
 * The identity of a request: {@link canonicalJson} (sorted keys, no whitespace) and {@link requestKey}, its
 * sha256, so identical request bodies — whatever the order of their keys — are recognised and served from a
 * cache or journal.
 */
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@conceptlab/core';

/**
 * Canonical JSON: object keys sorted (code-unit order), no whitespace, `undefined` members dropped as
 * `JSON.stringify` does. @throws InvalidArgumentError on values JSON cannot represent faithfully.
 */
export function canonicalJson(value: unknown): string {
  return canon(value, '$');
}

function canon(v: unknown, path: string): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new InvalidArgumentError(path, 'a finite number (JSON)', v);
      return JSON.stringify(v);
    case 'object': {
      if (Array.isArray(v)) return `[${v.map((x, i) => (x === undefined ? 'null' : canon(x, `${path}[${i}]`))).join(',')}]`;
      if (Buffer.isBuffer(v) || ArrayBuffer.isView(v)) throw new InvalidArgumentError(path, 'a JSON value (encode binary data first)', 'binary data');
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canon(obj[k], `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new InvalidArgumentError(path, 'a JSON value', typeof v);
  }
}

/** The cache key of a request body: sha256 (hex) of its {@link canonicalJson}. */
export function requestKey(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}
