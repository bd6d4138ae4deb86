/**
 * Property-based bad-input tests of the RDM file reader (issue 13): RDM files (TSV with condition names, plain
 * text stacks, .npy stacks) with a token replaced (NaN, Inf, huge, junk), a line inserted, a cut or characters
 * changed — or, for .npy, bytes changed, cut or appended — are either read into RDMs of n ≥ 2 conditions with
 * n(n−1)/2 dissimilarities each, or refused with a one-line ParseError / FileError naming the file.
 * Fixed seeds: a failure reproduces.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ConceptlabError, serializeNpy } from '@conceptlab/core';
import { byteMutation, mutateBytes, mutateText, textMutation } from '../../../../test-support/fuzz-mutations.js';
import { readOrRefuse } from '../../../../test-support/typed-error.js';
import { readRdmStack } from './rdm-io.js';

const dir = mkdtempSync(join(tmpdir(), 'rdm-fuzz-'));

/** k RDMs over n conditions as full matrices (symmetric, zero diagonal). */
const rdmStack = fc.tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 2 }), fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 12, maxLength: 12 })).map(([n, k, xs]) => {
  const data = new Float64Array(k * n * n);
  let q = 0;
  for (let s = 0; s < k; s++) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      const v = xs[q++ % xs.length]!;
      data[s * n * n + i * n + j] = v;
      data[s * n * n + j * n + i] = v;
    }
  }
  return { n, k, data };
});

function asText({ n, k, data }: { n: number; k: number; data: Float64Array }, names: boolean): string {
  const rows = Array.from({ length: n * k }, (_, r) => Array.from(data.subarray(r * n, r * n + n)).join('\t'));
  return [...(names ? [Array.from({ length: n }, (_, i) => `cond${i}`).join('\t')] : []), ...rows].join('\n') + '\n';
}

let counter = 0;
function read(content: string | Uint8Array, ext: '.tsv' | '.npy'): void {
  const file = join(dir, `case-${counter++}${ext}`);
  writeFileSync(file, content);
  const stack = readOrRefuse(() => readRdmStack(file), ConceptlabError, file);
  if (stack === undefined) return;
  expect(stack.rdms.length).toBe(stack.shape.reduce((p, x) => p * x, 1));
  expect(stack.rdms.length).toBeGreaterThan(0);
  for (const { rdm } of stack.rdms) {
    expect(rdm.n).toBeGreaterThanOrEqual(2);
    expect(rdm.vector.length).toBe((rdm.n * (rdm.n - 1)) / 2);
  }
  if (stack.conditions) expect(stack.conditions.length).toBe(stack.rdms[0]?.rdm.n ?? stack.conditions.length);
}

describe('readRdmStack on bad files: RDMs of n ≥ 2 conditions, or a one-line typed error naming the file', () => {
  test('text RDMs (with or without condition names) mutated', () => {
    fc.assert(
      fc.property(rdmStack, fc.boolean(), textMutation, fc.constantFrom('\t', ' '), (s, names, m, sep) => {
        read(asText(s, names), '.tsv');
        read(mutateText(sep === '\t' ? asText(s, names) : asText(s, names).replace(/\t/g, ' '), m, sep), '.tsv');
      }),
      { seed: 1381, numRuns: 600 },
    );
  });

  test('.npy RDM stacks mutated', () => {
    fc.assert(
      fc.property(rdmStack, fc.boolean(), byteMutation, (s, stacked, m) => {
        const shape = stacked ? [s.k, s.n, s.n] : [s.n, s.k * s.n];
        read(mutateBytes(serializeNpy({ dtype: 'f8', shape, data: s.data }), m), '.npy');
      }),
      { seed: 1382, numRuns: 400 },
    );
  });

  test('.npy stacks of any leading shape, zero-sized axes included', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(2), { maxLength: 2 }), fc.nat(3), (lead, n) => {
        const shape = [...lead, n, n];
        const count = shape.reduce((p, x) => p * x, 1);
        read(serializeNpy({ dtype: 'f8', shape, data: new Float64Array(count) }), '.npy');
      }),
      { seed: 1383, numRuns: 100 },
    );
  });
});

describe('regressions found by the properties above', () => {
  // A .npy stack of shape (0, 4, 4) was read as no RDM at all; `conceptlab rsa --brain` then failed with an
  // internal error ("Cannot read properties of undefined (reading 'rdm')").
  test('a .npy stack of no RDM is refused', () => {
    const file = join(dir, 'empty-stack.npy');
    writeFileSync(file, serializeNpy({ dtype: 'f8', shape: [0, 4, 4], data: new Float64Array(0) }));
    expect(() => readRdmStack(file)).toThrow(`${file}: expected at least one RDM, found a stack of none (shape (0, 4, 4))`);
  });
});
