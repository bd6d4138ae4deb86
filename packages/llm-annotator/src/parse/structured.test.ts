import { ANSWER_TOOL_NAME } from '@conceptlab/llm-client';
import { DOG, CAT, APPLE, PETS, VISION, text, ok, expectUnparsed } from '../../test/parse-fixtures.js';
import { parseReply, type ParseContext } from './index.js';

describe('json-schema answers', () => {
  const J = { ...PETS, answerFormat: 'json-schema' as const };
  const JV = { ...VISION, answerFormat: 'json-schema' as const };
  it('parses the exact option, then a trimmed case-insensitive one, and a fenced object', () => {
    expect(parseReply(text(JSON.stringify({ odd_one_out: CAT })), J)).toEqual(ok(1, 'json'));
    expect(parseReply(text(JSON.stringify({ odd_one_out: `  ${APPLE.toUpperCase()} ` })), J)).toEqual(ok(2, 'json'));
    expect(parseReply(text('```json\n{"odd_one_out": "left"}\n```'), JV)).toEqual(ok(0, 'json'));
    expect(parseReply(text('{"odd_one_out": "Middle", "reason": "x"}'), JV)).toEqual(ok(1, 'json'));
  });
  it.each<[string, ParseContext, string | null, RegExp]>([
    ['a word is not an option', J, '{"odd_one_out": "cat"}', /^option not among the three: "cat"$/],
    ['"center" is not an option', JV, '{"odd_one_out": "center"}', /^option not among the three/],
    ['free text instead of JSON', J, 'The odd one out is the cat.', /^invalid JSON: expected a JSON answer/],
    ['no answer property', J, '{"answer": "cat"}', /^expected a JSON answer: no "odd_one_out" property/],
    ['not an object', J, '["cat"]', /^expected a JSON answer: an object/],
    ['a non-string answer', JV, '{"odd_one_out": 1}', /is not a string/],
    ['empty content', J, null, /^empty reply$/],
  ])('%s → unparsed', (_name, c, reply, reason) => {
    expectUnparsed(parseReply(text(reply), c), reason);
  });
});

describe('tool answers', () => {
  const T = { ...PETS, answerFormat: 'tool' as const };
  const call = (args: string, name = ANSWER_TOOL_NAME) => ({ type: 'function', function: { name, arguments: args } });
  it('parses the forced tool call', () => {
    expect(parseReply({ content: null, tool_calls: [call(JSON.stringify({ odd_one_out: DOG }))] }, T)).toEqual(ok(0, 'tool'));
    expect(parseReply({ content: null, tool_calls: [call('{"odd_one_out":"right"}')] }, { ...VISION, answerFormat: 'tool' })).toEqual(ok(2, 'tool'));
  });
  it.each<[string, Parameters<typeof parseReply>[0], RegExp]>([
    ['text instead of a tool call', { content: 'The odd one out is the cat.' }, /^expected a JSON answer: no report_odd_one_out tool call, the reply is text/],
    ['another tool', { content: null, tool_calls: [call('{}', 'search')] }, /^expected a JSON answer: no report_odd_one_out tool call \(called search\)/],
    ['invalid arguments', { content: null, tool_calls: [call('{odd_one_out: cat')] }, /^invalid JSON/],
    ['two calls that disagree', { content: null, tool_calls: [call(JSON.stringify({ odd_one_out: DOG })), call(JSON.stringify({ odd_one_out: CAT }))] }, /different answers/],
    ['nothing at all', { content: null, tool_calls: null }, /^empty reply$/],
  ])('%s → unparsed', (_name, message, reason) => {
    expectUnparsed(parseReply(message, T), reason);
  });
});
