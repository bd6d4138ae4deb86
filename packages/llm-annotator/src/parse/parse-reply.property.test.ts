/**
 * Property-based tests of the reply parser (issue 13): whatever a model (or a broken proxy) sends — any string,
 * any Unicode, the three objects' names mixed with noise, any JSON or tool-call arguments — parseReply returns a
 * choice in {0, 1, 2} or `unparsed` with a reason, and never throws. And the rules it promises hold for any
 * surrounding text: a reply whose first sentence is nothing but one object's name is that object (the paper's
 * "first words" reading), and so is `The odd one out is X.` followed by any text that names no object.
 * Fixed seeds: a failure reproduces.
 */
import fc from 'fast-check';
import { ANSWER_PROPERTY, ANSWER_TOOL_NAME } from '@conceptlab/llm-client';
import { BATS, CUTLERY, OPTICS, PETS, VISION, ctx } from '../../test/parse-fixtures.js';
import { parseReply, type ParseContext, type ParsedChoice, type ReplyMessage } from './index.js';

const CONTEXTS: readonly ParseContext[] = [PETS, BATS, CUTLERY, OPTICS, VISION];
const VIAS = ['json', 'tool', 'name', 'letter', 'position'];

/** The parser's contract: a position and how it was read, or a reason; never a throw. */
function parseOk(message: ReplyMessage, c: ParseContext): ParsedChoice {
  let r: ParsedChoice;
  try {
    r = parseReply(message, c);
  } catch (e) {
    throw new Error(`parseReply threw on ${JSON.stringify(message)}: ${e instanceof Error ? e.stack : String(e)}`);
  }
  if (r.status === 'parsed') {
    expect([0, 1, 2]).toContain(r.position);
    expect(VIAS).toContain(r.via);
  } else {
    expect(r.status).toBe('unparsed');
    expect(typeof r.reason).toBe('string');
    expect(r.reason.length).toBeGreaterThan(0);
  }
  return r;
}

const anyText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
);

/** Pieces of a reply: the objects' words and texts, labels, answer phrases, punctuation, markdown and junk. */
function noisyReply(c: ParseContext): fc.Arbitrary<string> {
  const piece = fc.oneof(
    fc.constantFrom(...c.words, ...c.objectTexts, ...c.words.map((w) => w.toUpperCase()), ...c.words.map((w) => `${w}s`)),
    fc.constantFrom('The odd one out is', 'odd one out', 'is the odd one out', 'Answer:', 'A', 'B', 'C', '(B)', 'the first', 'second one', 'option 3', 'left', 'middle', 'right', 'image 2', 'not', 'or', 'and', 'because', 'does not belong'),
    fc.constantFrom('.', ',', '!', '?', ':', ';', '(', ')', '"', "'", '**', '_', '#', '>', '\n', '\n\n', '```', '—', '…', '\u2019', '\u00a0'),
    fc.string({ maxLength: 12 }),
  );
  return fc.array(piece, { maxLength: 14 }).chain((ps) => fc.constantFrom(ps.join(' '), ps.join(''), ps.join('\n')));
}

describe('parseReply never throws: a choice in {0, 1, 2} or unparsed with a reason', () => {
  test('any string, any Unicode, in every mode and answer format', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...CONTEXTS), fc.constantFrom('free' as const, 'json-schema' as const, 'tool' as const), (s, c, format) => {
        parseOk({ content: s }, { ...c, answerFormat: format });
      }),
      { seed: 1341, numRuns: 1000 },
    );
  });

  test('the three objects\u2019 names, labels and answer phrases mixed with noise', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CONTEXTS).chain((c) => fc.tuple(fc.constant(c), noisyReply(c))), ([c, s]) => {
        parseOk({ content: s }, c);
      }),
      { seed: 1342, numRuns: 1000 },
    );
  });

  test('structured answers: any JSON value or text as content or tool arguments', () => {
    const json = fc.oneof(
      fc.json(),
      fc.constantFrom(...PETS.objectTexts, ...PETS.words, 'A', '', ' dog ').map((v) => JSON.stringify({ [ANSWER_PROPERTY]: v })),
      anyText.map((v) => JSON.stringify({ [ANSWER_PROPERTY]: v })),
      anyText,
    );
    fc.assert(
      fc.property(json, fc.constantFrom(...CONTEXTS), fc.constantFrom(ANSWER_TOOL_NAME, 'other_tool'), fc.nat(3), (text, c, name, calls) => {
        parseOk({ content: text }, { ...c, answerFormat: 'json-schema' });
        const tool_calls = Array.from({ length: calls }, () => ({ type: 'function', function: { name, arguments: text } }));
        parseOk({ content: calls === 0 ? text : null, tool_calls }, { ...c, answerFormat: 'tool' });
      }),
      { seed: 1343, numRuns: 800 },
    );
  });

  test('object texts and words that are themselves noise (a caller may pass any three strings)', () => {
    fc.assert(
      fc.property(fc.tuple(anyText, anyText, anyText), fc.tuple(anyText, anyText, anyText), fc.constantFrom('text' as const, 'vision' as const), anyText, (texts, words, mode, reply) => {
        const c = ctx(texts, words, mode);
        parseOk({ content: reply }, c);
        parseOk({ content: `The odd one out is ${texts[1]}.` }, c);
      }),
      { seed: 1344, numRuns: 200 },
    );
  });
});

/** Text that names none of the objects and states no answer: lower-case filler words and punctuation. */
const filler = fc
  .array(fc.constantFrom('it', 'is', 'a', 'nice', 'thing', 'very', 'small', 'today', 'we', 'see', 'colour', 'here', 'quite', 'really', 'with', 'some', 'green', ',', '.', '\n'), { maxLength: 25 })
  .map((ws) => ws.join(' '));

/** The contexts without homonyms (a homonym's bare word is ambiguous by design). */
const DISTINCT = [PETS, CUTLERY, OPTICS, ctx(['zebra', 'piano', 'kettle'], ['zebra', 'piano', 'kettle'])];

describe('the rules the parser promises, whatever text surrounds them', () => {
  test('first words: a first sentence that is nothing but one object\u2019s word (any case, bold, a full stop) is that object', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DISTINCT),
        fc.constantFrom(0 as const, 1 as const, 2 as const),
        fc.constantFrom((w: string) => w, (w: string) => w.toUpperCase(), (w: string) => w[0].toUpperCase() + w.slice(1)),
        fc.constantFrom('', '.', '**', '**.', '.**'),
        fc.constantFrom('\n\n', '\n', ' '),
        filler,
        (c, pos, cased, mark, sep, rest) => {
          const w = cased(c.words[pos]);
          const first = mark.startsWith('**') ? `**${w}${mark.slice(2)}**` : `${w}${mark}`;
          // The next sentence starts with a capital or a new line (`Cup. it …` is one sentence: a lower-case word
          // after a full stop does not end one).
          const next = rest.trimStart();
          const reply = `${first}${mark === '' || mark === '**' ? '\n' : sep}${next.slice(0, 1).toUpperCase()}${next.slice(1)}`;
          expect(parseOk({ content: reply }, c)).toEqual({ status: 'parsed', position: pos, via: 'name' });
        },
      ),
      { seed: 1345, numRuns: 600 },
    );
  });

  test('"The odd one out is X." then any text naming no object is X (by word or full text)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DISTINCT), fc.constantFrom(0 as const, 1 as const, 2 as const), fc.boolean(), filler, filler, (c, pos, full, before, after) => {
        const name = full ? `'${c.objectTexts[pos]}'` : `the ${c.words[pos]}`;
        const reply = `${before.replace(/[.\n]/g, '')}\nThe odd one out is ${name}. ${after}`;
        expect(parseOk({ content: reply }, c)).toEqual({ status: 'parsed', position: pos, via: 'name' });
      }),
      { seed: 1346, numRuns: 600 },
    );
  });
});
