import { InvalidArgumentError } from 'commander';
import { InvalidArgumentError as CoreInvalidArgumentError } from '@conceptlab/core';

/** Commander option parsers that reject bad values with a usage error naming the option. */
export function intOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER): (v: string) => number {
  return (v) => {
    if (!/^[+-]?\d+$/.test(v.trim())) throw new InvalidArgumentError(`${name} must be an integer, got ${JSON.stringify(v)}`);
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}], got ${v}`);
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

/** A string option that must be one of `allowed`; otherwise a typed error naming the option and the choices. */
export function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new CoreInvalidArgumentError(name, allowed.join(' | '), value);
  return value as T;
}
