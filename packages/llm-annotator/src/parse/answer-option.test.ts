import { expectUnparsed } from '../../test/parse-fixtures.js';
import { matchAnswerOption, type ParsedChoice } from './index.js';

describe('matchAnswerOption', () => {
  it('matchAnswerOption: exact, then folded; duplicates are ambiguous', () => {
    expect(matchAnswerOption('b', ['a', 'b', 'c'])).toBe(1);
    expect(matchAnswerOption(' B ', ['a', 'b', 'c'])).toBe(1);
    expectUnparsed(matchAnswerOption('x', ['a', 'b', 'c']) as ParsedChoice, /^option not among the three/);
    expectUnparsed(matchAnswerOption('A', ['a', 'a ', 'c']) as ParsedChoice, /matches 2 of the three options/);
  });
});
