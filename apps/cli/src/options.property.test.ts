/**
 * Property-based tests of the CLI's option parsers (issue 13): for any string, `intOption` gives a safe integer in
 * [min, max] that is the string's value, and `floatOption` a finite number that passes its check — or each throws
 * commander's InvalidArgumentError with a one-line message naming the option. Never NaN, ±Infinity or a rounded
 * integer. Fixed seeds: a failure reproduces.
 */
import fc from 'fast-check';
import { InvalidArgumentError } from 'commander';
import { expectTypedOneLineError } from '../../../test-support/typed-error.js';
import { floatOption, intOption } from './options.js';

/** What a user may type as an option value: numbers of any size and form, with spaces, signs, junk. */
const optionText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double().map(String),
  fc.tuple(fc.constantFrom('', ' ', '\t', '\n', '+', '-', '0', '00'), fc.nat(99999), fc.constantFrom('', ' ', '\n', '.0', '.5', 'e3', 'e400', 'x', ',5', '_1')).map(([a, n, b]) => `${a}${n}${b}`),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', 'inf', '1e308', '1e309', '-1e309', '0x10', '0b11', '0o7', '1e-400', '9007199254740993', '-0', '+0', '', ' ', '٣', '１'),
);

describe('intOption: a safe integer in [min, max] equal to the text, or a one-line InvalidArgumentError', () => {
  test('any text, any bounds', () => {
    fc.assert(
      fc.property(optionText, fc.integer({ min: -10, max: 10 }), fc.option(fc.integer({ min: 0, max: 10 ** 7 })), (v, min, span) => {
        const max = span === null ? undefined : min + span;
        let n: number;
        try {
          n = intOption('--count', min, max)(v);
        } catch (e) {
          expectTypedOneLineError(e, InvalidArgumentError, '--count must be an integer');
          return;
        }
        expect(Number.isSafeInteger(n)).toBe(true);
        expect(n).toBeGreaterThanOrEqual(min);
        expect(n).toBeLessThanOrEqual(max ?? Number.MAX_SAFE_INTEGER);
        expect(v.trim()).toMatch(/^[+-]?\d+$/);
        expect(BigInt(v.trim())).toBe(BigInt(n)); // exactly the integer written, not a rounded neighbour
      }),
      { seed: 1361, numRuns: 3000 },
    );
  });
});

describe('floatOption: a finite number passing the check, or a one-line InvalidArgumentError', () => {
  const checks: [string, (x: number) => boolean][] = [
    ['a positive number', (x) => x > 0],
    ['a number in [0, 1]', (x) => x >= 0 && x <= 1],
    ['any finite number', () => true],
  ];
  test('any text, any check', () => {
    fc.assert(
      fc.property(optionText, fc.constantFrom(...checks), (v, [what, check]) => {
        let x: number;
        try {
          x = floatOption('--lambda', check, what)(v);
        } catch (e) {
          expectTypedOneLineError(e, InvalidArgumentError, `--lambda must be ${what}, got `);
          return;
        }
        expect(Number.isFinite(x)).toBe(true);
        expect(check(x)).toBe(true);
        expect(x).toBe(Number(v));
      }),
      { seed: 1362, numRuns: 3000 },
    );
  });
});

describe('regressions found by the properties above', () => {
  // The range message quoted the raw text: "--count must be … got \n5" held the user's line break.
  test('an out-of-range integer written with spaces or a line break: the message is one line', () => {
    expect(() => intOption('--count', 10)('\n5')).toThrow('--count must be an integer in [10, ∞], got 5');
    expect(() => intOption('--count', 0, 3)(' 99999999999\n')).toThrow('--count must be an integer in [0, 3], got 99999999999');
  });
});
