import { InvalidArgumentError } from '@conceptlab/core';
import { canonicalJson } from './request-key.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined, b: null }, 'x'], c: { z: true, y: 'é' } })).toBe(
      '{"a":[{"b":null,"d":2},"x"],"b":1,"c":{"y":"é","z":true}}',
    );
  });

  it('rejects values JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow(InvalidArgumentError);
    expect(() => canonicalJson({ a: Buffer.from('x') })).toThrow(InvalidArgumentError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(InvalidArgumentError);
  });
});
