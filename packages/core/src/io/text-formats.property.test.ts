/**
 * Property-based bad-input tests of the text readers (issue 13): SPoSE triplet text, text matrices and the THINGS
 * noise-ceiling TSV. Arbitrary text, and valid files with a token replaced (NaN, Inf, huge, negative, junk), a line
 * inserted, a truncation at a random offset or random characters changed, are either read into a value that keeps
 * the reader's promises (shape matches the data, indices in range, rows of distinct objects) or refused with a
 * one-line ParseError naming the file. Fixed seeds: a failure reproduces.
 */
import fc from 'fast-check';
import { ConceptlabError } from '../errors.js';
import { badToken, mutateText as mutate, textMutation as mutation } from '../../../../test-support/fuzz-mutations.js';
import { readOrRefuse } from '../../../../test-support/typed-error.js';
import { parseMatrixText } from './matrix-text.js';
import { parseNoiseCeilingTsv } from './noise-ceiling-tsv.js';
import { parseTripletText } from './triplet-text.js';

const FILE = '/data/fuzz/input.txt';

const N_OBJECTS = 12;

/** A valid triplet file over N_OBJECTS objects. */
const tripletFile = fc
  .array(fc.tuple(fc.nat(N_OBJECTS - 1), fc.nat(N_OBJECTS - 1), fc.nat(N_OBJECTS - 1)).filter(([a, b, c]) => a !== b && a !== c && b !== c), { minLength: 1, maxLength: 12 })
  .map((rows) => rows.map((r) => r.join(' ')).join('\n') + '\n');

function checkTriplets(text: string, nObjects: number | undefined): void {
  const t = readOrRefuse(() => parseTripletText(text, FILE, nObjects === undefined ? {} : { nObjects }), ConceptlabError, FILE);
  if (t === undefined) return;
  expect(t.data.length).toBe(3 * t.count);
  for (let r = 0; r < t.count; r++) {
    const [a, b, c] = t.data.subarray(3 * r, 3 * r + 3);
    for (const v of [a, b, c]) {
      expect(v).toBeGreaterThanOrEqual(0);
      if (nObjects !== undefined) expect(v).toBeLessThan(nObjects);
    }
    expect(a !== b && a !== c && b !== c).toBe(true);
  }
  // What was read is what the file says: every index read back equals its token.
  const rows = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  expect(rows.length).toBe(t.count);
  rows.forEach((l, r) => expect(l.split(/[\t ]+/).map((s) => Number(s) + 0)).toEqual(Array.from(t.data.subarray(3 * r, 3 * r + 3))));
}

describe('parseTripletText: triplets in range, or a one-line ParseError naming the file', () => {
  test('arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.array(badToken, { maxLength: 9 }).map((t) => t.join(' '))), fc.option(fc.integer({ min: 1, max: 20 })), (text, n) => {
        checkTriplets(text, n ?? undefined);
      }),
      { seed: 1311, numRuns: 600 },
    );
  });

  test('a valid file with a token replaced, a line inserted, a cut or characters changed', () => {
    fc.assert(
      fc.property(tripletFile, mutation, fc.boolean(), (text, m, bounded) => {
        checkTriplets(text, N_OBJECTS);
        checkTriplets(mutate(text, m), bounded ? N_OBJECTS : undefined);
      }),
      { seed: 1312, numRuns: 500 },
    );
  });
});

describe('parseMatrixText: rows × cols values, or a one-line ParseError naming the file', () => {
  const matrixFile = fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 20, maxLength: 20 }))
    .map(([rows, cols, xs]) => Array.from({ length: rows }, (_, r) => xs.slice(r * cols, r * cols + cols).map(String).join(' ')).join('\n') + '\n');

  function checkMatrix(text: string): void {
    const m = readOrRefuse(() => parseMatrixText(text, FILE), ConceptlabError, FILE);
    if (m === undefined) return;
    expect(m.rows).toBeGreaterThan(0);
    expect(m.cols).toBeGreaterThan(0);
    expect(m.data.length).toBe(m.rows * m.cols);
    // Non-finite values are read only from an explicit nan/inf token (the format's own spelling), never made up.
    const tokens = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).flatMap((l) => l.split(/[\t ]+/));
    expect(tokens.length).toBe(m.data.length);
    m.data.forEach((v, i) => {
      if (!Number.isFinite(v)) expect(tokens[i]).toMatch(/^[+-]?(nan|inf|infinity)$/i);
      else expect(v).toBe(Number(tokens[i]));
    });
  }

  test('arbitrary text, and valid files mutated', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.tuple(matrixFile, mutation).map(([t, m]) => mutate(t, m))), (text) => {
        checkMatrix(text);
      }),
      { seed: 1313, numRuns: 1000 },
    );
  });
});

describe('parseNoiseCeilingTsv: trials with objects in range and choices in {0, 1, 2}, or a one-line ParseError', () => {
  const tsvFile = fc
    .array(
      fc.tuple(fc.integer({ min: 1, max: N_OBJECTS }), fc.integer({ min: 1, max: N_OBJECTS }), fc.integer({ min: 1, max: N_OBJECTS }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 99 }))
        .filter(([a, b, c]) => a !== b && a !== c && b !== c),
      { minLength: 1, maxLength: 10 },
    )
    .map((rows) => ['obj1\tobj2\tobj3\tchoice\tsubject', ...rows.map((r) => r.join('\t'))].join('\n') + '\n');

  function checkTrials(text: string, nObjects: number | undefined): void {
    const t = readOrRefuse(() => parseNoiseCeilingTsv(text, FILE, nObjects === undefined ? {} : { nObjects }), ConceptlabError, FILE);
    if (t === undefined) return;
    const n = t.presented.count;
    expect(t.answered.count).toBe(n);
    expect(t.presented.data.length).toBe(3 * n);
    expect(t.answered.data.length).toBe(3 * n);
    expect(t.choice.length).toBe(n);
    expect(t.subject.length).toBe(n);
    for (let r = 0; r < n; r++) {
      const p = Array.from(t.presented.data.subarray(3 * r, 3 * r + 3));
      expect(p.every((v) => v >= 0 && (nObjects === undefined || v < nObjects))).toBe(true);
      expect(new Set(p).size).toBe(3);
      expect([0, 1, 2]).toContain(t.choice[r]);
      expect(t.answered.data[3 * r + 2]).toBe(p[t.choice[r]]);
    }
    // What was read is what the file says: each object is its 1-based number less one.
    const rows = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !/^obj1\b/i.test(l));
    expect(rows.length).toBe(n);
    rows.forEach((l, r) => expect(l.split(/[\t ]+/).slice(0, 3).map((s) => Number(s) - 1)).toEqual(Array.from(t.presented.data.subarray(3 * r, 3 * r + 3))));
  }

  test('arbitrary text, and valid files mutated', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.tuple(tsvFile, mutation).map(([t, m]) => mutate(t, m, '\t'))), fc.boolean(), (text, bounded) => {
        checkTrials(text, bounded ? N_OBJECTS : undefined);
      }),
      { seed: 1314, numRuns: 1000 },
    );
  });
});

describe('regressions found by the properties above', () => {
  // An index beyond 2^31 − 1 wrapped around in the Int32Array: "2 1 4294967296" read as the triplet 2 1 0.
  test('a triplet index beyond 32 bits is refused, not wrapped to another object', () => {
    expect(() => parseTripletText('2 1 0\n2 1 4294967296\n', FILE)).toThrow(`${FILE}:2: column 3: expected a 0-based object index (≤ 2147483647), found 4294967296`);
    expect(() => parseTripletText('2147483648 0 1\n', FILE)).toThrow('expected a 0-based object index (≤ 2147483647)');
    expect(Array.from(parseTripletText('2147483647 0 1\n', FILE).data)).toEqual([2147483647, 0, 1]);
  });

  test('a noise-ceiling object number beyond 32 bits is refused', () => {
    expect(() => parseNoiseCeilingTsv('1 2 4294967297 1 5\n', FILE)).toThrow(`${FILE}:1: column 3: expected a 1-based object number in [1, 2147483648], found 4294967297`);
  });

  // A decimal beyond the float64 range read as Infinity: a silent Inf from a finite-looking number.
  test('a number beyond the float64 range is refused, not read as Infinity', () => {
    expect(() => parseMatrixText('1 2\n3 1.0000001582233781e1302\n', FILE)).toThrow(`${FILE}:2: column 2: expected a number within the float64 range (±1.8e308), found 1.0000001582233781e1302`);
    expect(() => parseMatrixText('-1e309\n', FILE)).toThrow('within the float64 range');
    expect(Array.from(parseMatrixText('inf -inf 1e308 1e-400\n', FILE).data)).toEqual([Infinity, -Infinity, 1e308, 0]);
  });
});
