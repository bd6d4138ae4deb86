import { createRng, InvalidArgumentError } from '@conceptlab/core';
import { resolveRng } from './seed.js';

describe('resolveRng', () => {
  it('builds a generator from a seed and passes an Rng through', () => {
    expect(resolveRng(5).nextUint32()).toBe(createRng(5).nextUint32());
    expect(resolveRng(5n).nextUint32()).toBe(createRng(5).nextUint32());
    const rng = createRng(1);
    expect(resolveRng(rng)).toBe(rng);
  });

  it('rejects anything else', () => {
    expect(() => resolveRng(undefined)).toThrow(InvalidArgumentError);
    expect(() => resolveRng('1' as unknown as number)).toThrow(/seed: expected a seed/);
    expect(() => resolveRng(1.5)).toThrow(InvalidArgumentError);
  });
});
