import { totalmem } from 'node:os';
import { extname } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { InvalidArgumentError as CoreInvalidArgumentError } from '@conceptlab/core';

/** Commander option parsers that reject bad values with a usage error naming the option. */
export function intOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER): (v: string) => number {
  return (v) => {
    if (!/^[+-]?\d+$/.test(v.trim())) throw new InvalidArgumentError(`${name} must be an integer, got ${JSON.stringify(v)}`);
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}], got ${v.trim()}`);
    }
    return n;
  };
}

export function floatOption(name: string, check: (x: number) => boolean, what: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || !check(n)) throw new InvalidArgumentError(`${name} must be ${what}, got ${JSON.stringify(v)}`);
    return n;
  };
}

/** The longest per-request timeout a command accepts, in seconds (an hour: longer is a hung server, not a slow one). */
export const MAX_REQUEST_TIMEOUT_S = 3600;

/** A per-request timeout in seconds: a number > 0 and ≤ {@link MAX_REQUEST_TIMEOUT_S} (fractions allowed). */
export function requestTimeoutOption(name: string): (v: string) => number {
  return floatOption(name, (x) => x > 0 && x <= MAX_REQUEST_TIMEOUT_S, `a number of seconds > 0 and ≤ ${MAX_REQUEST_TIMEOUT_S}`);
}

/** A string option that must be one of `allowed`; otherwise a typed error naming the option and the choices. */
export function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new CoreInvalidArgumentError(name, allowed.join(' | '), value);
  return value as T;
}

/** What one command may plan to hold in memory: a quarter of this machine's memory. */
export const MEMORY_BUDGET_BYTES = Math.floor(totalmem() / 4);

/** The most elements one typed array may hold here (2^31 − 1 keeps within every engine's limit). */
export const MAX_ARRAY_LENGTH = 2 ** 31 - 1;

/** Work a command may plan (simple operations): about an hour at 10^9 a second. */
export const WORK_BUDGET_OPS = 3.6e12;

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

/** Refuse `value` above `max`, saying why (checked before any work starts). */
export function checkAtMost(option: string, value: number, max: number, why: string): void {
  if (value > max) throw new CoreInvalidArgumentError(option, `at most ${Math.max(0, Math.floor(max))} (${why})`, value);
}

/**
 * Refuse a size whose memory (`bytesEach` bytes per unit, e.g. per triplet) would exceed the budget, or whose
 * `elementsEach` elements per unit would not fit one typed array. The message names the bound and the bytes.
 */
export function checkMemory(option: string, value: number, bytesEach: number, unit: string, elementsEach = 0, note = ''): void {
  const byMemory = Math.floor(MEMORY_BUDGET_BYTES / bytesEach);
  const byArray = elementsEach > 0 ? Math.floor(MAX_ARRAY_LENGTH / elementsEach) : Infinity;
  if (value > byArray && byArray <= byMemory) {
    checkAtMost(option, value, byArray, `${value} ${unit} × ${elementsEach} values would exceed the ${MAX_ARRAY_LENGTH} values one array may hold`);
  }
  checkAtMost(option, value, byMemory, `${value} ${unit} × ${bytesEach} bytes${note} = ${gib(value * bytesEach)} would exceed ${gib(MEMORY_BUDGET_BYTES)}, a quarter of this machine's memory`);
}

/**
 * Refuse a size whose memory grows faster than linearly (e.g. an n × n matrix): `bytes(v)` bytes in all and
 * `largestArray(v)` values in its largest typed array at size v. The bound is the largest size within both
 * limits (bisection: both must grow with v); `what` names the arrays in the message.
 */
export function checkMemoryOf(option: string, value: number, bytes: (v: number) => number, largestArray: (v: number) => number, what: string): void {
  const fits = (v: number) => bytes(v) <= MEMORY_BUDGET_BYTES && largestArray(v) <= MAX_ARRAY_LENGTH;
  if (fits(value)) return;
  let lo = 0, hi = value;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  const why = largestArray(value) > MAX_ARRAY_LENGTH
    ? `${what}: ${largestArray(value)} values in one array would exceed the ${MAX_ARRAY_LENGTH} one array may hold`
    : `${what}: ${gib(bytes(value))} would exceed ${gib(MEMORY_BUDGET_BYTES)}, a quarter of this machine's memory`;
  checkAtMost(option, value, lo, why);
}

/** Refuse a size whose work (`opsEach` operations per unit) would exceed about an hour. */
export function checkWork(option: string, value: number, opsEach: number, unit: string): void {
  checkAtMost(option, value, WORK_BUDGET_OPS / opsEach, `${value} ${unit} × about ${Math.ceil(opsEach)} operations each would take more than an hour`);
}

/**
 * Refuse `count` triplets of objects 0…nObjects − 1 that would not fit `out` as text (any name but `.npy`):
 * a text file is written from one string, at most 2^29 − 24 characters in V8.
 */
export function checkTextTriplets(option: string, count: number, nObjects: number, out: string): void {
  if (extname(out).toLowerCase() === '.npy') return;
  const line = 3 * (String(nObjects - 1).length + 1);
  checkAtMost(option, count, (2 ** 29 - 24) / line, `a text file of ${count} triplets × up to ${line} characters would exceed the 536870888 characters one string may hold; write .npy for more`);
}
