import { join } from 'node:path';
import { conceptPrompt, createRng, dataDirForTests, InvalidArgumentError, loadThingsDirectory } from '@conceptlab/core';
import { matchAnswerOption, normalizeReplyText, parseReply, type ParseContext, type ParsedChoice } from './parse-reply.js';
import { ANSWER_TOOL_NAME } from './protocol.js';

// Real THINGS definitions.
const DOG = conceptPrompt('dog', 'a member of the genus Canis (probably descended from the common wolf) that has been domesticated by man since prehistoric times');
const CAT = conceptPrompt('cat', 'feline mammal usually having thick soft fur and no ability to roar: domestic cats; wildcats');
const APPLE = conceptPrompt('apple', 'fruit with red or yellow or green skin and sweet to tart crisp whitish flesh');
const BAT_ANIMAL = conceptPrompt(
  'bat',
  'nocturnal mouselike mammal with forelimbs modified to form membranous wings and anatomical adaptations for echolocation by which they navigate',
);
const BAT_CLUB = conceptPrompt('bat', 'a club used for hitting a ball in various games');
const CUP = conceptPrompt('cup', 'a small open container usually used for drinking; usually has a handle');
const SPOON = conceptPrompt('spoon', 'cutlery implement consisting of a small shallow bowl with a long handle');
const FORK = conceptPrompt('fork', 'cutlery used for serving and eating food');
const GLASS = conceptPrompt('glass', 'a container for holding liquids while drinking');
const GLASSES = conceptPrompt('glasses', 'optical instrument consisting of a frame that holds a pair of lenses for correcting defective vision');
const LION = conceptPrompt('lion', 'large gregarious predatory feline of Africa and India having a tawny coat with a shaggy mane in the male');

function ctx(texts: [string, string, string], words: [string, string, string], mode: ParseContext['mode'] = 'text', answerFormat: ParseContext['answerFormat'] = 'free'): ParseContext {
  return { mode, answerFormat, objectTexts: texts, words };
}

const PETS = ctx([DOG, CAT, APPLE], ['dog', 'cat', 'apple']);
const BATS = ctx([BAT_ANIMAL, CUP, BAT_CLUB], ['bat', 'cup', 'bat']);
const CUTLERY = ctx([SPOON, FORK, LION], ['spoon', 'fork', 'lion']);
const OPTICS = ctx([GLASS, CUP, GLASSES], ['glass', 'cup', 'glasses']);
const VISION = ctx([DOG, CAT, APPLE], ['dog', 'cat', 'apple'], 'vision');

const text = (content: string | null) => ({ content });
const ok = (position: 0 | 1 | 2, via: string): ParsedChoice => ({ status: 'parsed', position, via } as ParsedChoice);

function expectUnparsed(r: ParsedChoice, reason: RegExp): void {
  expect(r.status).toBe('unparsed');
  if (r.status === 'unparsed') expect(r.reason).toMatch(reason);
}

describe('free text, text mode: answers that parse', () => {
  it.each<[string, ParseContext, string, 0 | 1 | 2, string]>([
    ['the local server format', PETS, `The odd one out is '${APPLE}'. It is a fruit, while the other two are animals.`, 2, 'name'],
    ['server format, position 0', BATS, `The odd one out is '${BAT_ANIMAL}'. It is an animal.`, 0, 'name'],
    ['gpt-3.5: "in the triplet is \'bat (definition…)\'" decides a homonym', BATS, "The odd-one-out in the triplet is 'bat (nocturnal mouselike mammal...)'. The other two are objects.", 0, 'name'],
    ['"The odd one out is the cup."', BATS, 'The odd one out is the cup. Both bats are named bat.', 1, 'name'],
    ['"Answer: Bat (club used...). Explanation: ..."', BATS, 'Answer: Bat (club used for hitting a ball...). Explanation: the cup and the other bat are unrelated to sports.', 2, 'name'],
    ['"C. The lion is the odd one out because ..."', CUTLERY, 'C. The lion is the odd one out because it is an animal, while the spoon and the fork are cutlery.', 2, 'name'],
    ['"Among the three, the apple is the odd-one-out. While the dog and the cat …"', PETS, 'Among the three, the apple is the odd-one-out. While the dog and the cat are animals, the apple is a fruit.', 2, 'name'],
    ['subject after a contrast clause', PETS, 'While the dog and the cat are both animals, the apple is the odd one out.', 2, 'name'],
    ['"X is the odd one out because unlike Y and Z…"', PETS, 'The dog is the odd one out because, unlike the cat and the apple, it is descended from the wolf.', 0, 'name'],
    ['subject right before the phrase, others earlier without comma', PETS, 'Dog and cat are animals so apple is the odd one out.', 2, 'name'],
    ['subject separated by an apposition', PETS, 'The apple, being a fruit, is the odd one out.', 2, 'name'],
    ['answer statement after a preamble', PETS, "Let's consider each object. The dog is a domesticated animal. The cat is also a pet. The apple is a fruit. Therefore, the apple is the odd one out.", 2, 'name'],
    ['the first answer statement wins', PETS, 'The odd one out is the apple. However, some may argue that the cat is the odd one out.', 2, 'name'],
    ['answer on the next line after "is:"', PETS, 'The odd one out is:\n\n**Cat**\n\nExplanation: the dog and the apple …', 1, 'name'],
    ['markdown bold subject', PETS, '**Apple** is the odd one out. Dogs and cats are animals.', 2, 'name'],
    ['markdown heading and bold full text', PETS, `### Answer\n**The odd one out is ${APPLE}.**\n\nThe dog and the cat are mammals.`, 2, 'name'],
    ['curly quotes around a full text holding ":" and ";"', PETS, `The odd one out is \u2018${CAT}\u2019. The others are not felines.`, 1, 'name'],
    ['the triplet repeated before the answer', PETS, `The odd one out in the triplet {'${DOG}', '${CAT}', '${APPLE}'} is '${DOG}'.`, 0, 'name'],
    ['upper case', PETS, 'THE ODD ONE OUT IS THE APPLE.', 2, 'name'],
    ['plural forms', PETS, 'The odd one out is apples, since dogs and cats are animals.', 2, 'name'],
    ['a bare first line', BATS, 'Cup.\n\nThe two bats share a name, while the cup is a container.', 1, 'name'],
    ['a bare full text', BATS, `${BAT_CLUB}\n\nIt is sports equipment.`, 2, 'name'],
    ['"Answer: B"', PETS, 'Answer: B\n\nThe cat is a feline.', 1, 'letter'],
    ['"The answer is option C."', PETS, 'The answer is option C.', 2, 'letter'],
    ['quoted letter', PETS, "The odd one out is 'B'.", 1, 'letter'],
    ['letter in parentheses opening the reply', PETS, '(C) is the odd one out since it is not an animal.', 2, 'letter'],
    ['letter label agreeing with a homonym word decides it', BATS, 'Answer: C) bat. It is used in games.', 2, 'name'],
    ['ordinal subject', PETS, 'The third one is the odd one out, as it is a fruit.', 2, 'position'],
    ['ordinal complement', PETS, 'The odd one out is the first object.', 0, 'position'],
    ['homonym settled by the definition in the same sentence', BATS, 'Bat is the odd one out because it is a club used for hitting a ball in various games.', 2, 'name'],
    ['homonym settled by a paraphrased parenthetical', BATS, 'The odd one out is the bat (the flying mammal).', 0, 'name'],
    ['"least similar" phrasing', BATS, 'The least similar to the other two is the cup.', 1, 'name'],
    ['"the one that stands out is X"', PETS, 'The one that stands out is the cat, as the others are not felines.', 1, 'name'],
    ['"does not belong"', PETS, 'The apple does not belong here: it is a fruit.', 2, 'name'],
    ['"right" is not a position in text mode', PETS, "That's right, the cat is the odd one out.", 1, 'name'],
    ['label and name that agree', CUTLERY, 'The odd one out is the lion (C), an animal among cutlery.', 2, 'name'],
    ['"making X the odd one out"', PETS, 'Both dogs and cats are mammals, making the apple the odd one out.', 2, 'name'],
    ['a lettered list, then the letter', PETS, 'A. dog - an animal\nB. cat - an animal\nC. apple - a fruit\n\nThe odd one out is C.', 2, 'letter'],
    ['a question, then a bare answer', PETS, 'Which one is the odd one out? The apple.', 2, 'name'],
    ['a word that is another word plus "es" (glasses / glass)', OPTICS, 'The odd one out is the glasses, since the glass and the cup hold drinks.', 2, 'name'],
    ['the singular of it', OPTICS, 'The glass is the odd one out? No: the odd one out is the glasses.', 2, 'name'],
  ])('%s', (_name, c, reply, position, via) => {
    expect(parseReply(text(reply), c)).toEqual(ok(position, via));
  });
});

describe('free text, text mode: replies that do not parse', () => {
  it.each<[string, ParseContext, string | null, RegExp]>([
    ['null content', PETS, null, /^empty reply$/],
    ['empty string', PETS, '', /^empty reply$/],
    ['whitespace only', PETS, '  \n\t ', /^empty reply$/],
    ['a homonym word alone', BATS, 'The odd one out is the bat.', /^ambiguous homonym: "bat" names 2 of the objects$/],
    ['a homonym with both definitions in the sentence', BATS, 'Bat is the odd one out: unlike the bat (flying mammal), the bat (club used for hitting a ball) is a tool.', /ambiguous homonym|names 2 different objects/],
    ['"X or Y" complement', PETS, 'The odd one out is the dog or the cat.', /^names 2 different objects: "dog", "cat"$/],
    ['"either X or Y" subject', PETS, 'Either the dog or the cat is the odd one out.', /^names 2 different objects/],
    ['label and name that disagree', PETS, 'C. The dog is the odd one out.', /^names 2 different objects: "C", "dog"$/],
    ['name and parenthesised label that disagree', CUTLERY, 'The odd one out is the lion (B).', /^names 2 different objects/],
    ['a refusal', PETS, "I'm sorry, but I cannot determine the odd one out in this triplet.", /^no answer found/],
    ['descriptions without an answer', PETS, 'The dog is a domesticated animal. The cat is a pet. The apple is a fruit.', /^no answer found/],
    ['a negated answer', PETS, 'The odd one out is not the dog.', /^no answer found/],
    ['an echo of the question', PETS, `Given a triplet of objects {'${DOG}', '${CAT}', '${APPLE}'}, which one is the odd-one-out?`, /^no answer found/],
    ['none of the three named', PETS, 'The odd one out is the banana.', /^no answer found/],
    ['an ordinal and a name that disagree', PETS, 'The odd one out is the third object, the dog.', /^names 2 different objects: "the third object", "dog"$/],
    ['a pronoun subject', PETS, 'The apple is the only fruit, so it is the odd one out.', /^no answer found/],
    ['a list of all three', PETS, 'The odd one out is the dog, cat, or apple depending on perspective.', /^names \d different objects/],
  ])('%s', (_name, c, reply, reason) => {
    expectUnparsed(parseReply(text(reply), c), reason);
  });
});

describe('free text, vision mode', () => {
  it.each<[string, string, 0 | 1 | 2]>([
    ['server format, left', '1. The odd one out is the object on the left. 2. Location: left. 3. It is a different kind of thing.', 0],
    ['server format, middle', '1. The odd one out is the object on the middle. 2. Location: middle. 3. It is a different kind of thing.', 1],
    ['server format, right', '1. The odd one out is the object on the right. 2. Location: right. 3. It is a different kind of thing.', 2],
    ['Gemini style, on separate lines', '1. The answer is the image on the right.\n2. The location of the object I have chosen is on the right.\n3. The left and middle images show animals.', 2],
    ['"center" image', 'The odd one out is the center image, because the left and right ones are similar.', 1],
    ['"centre" in the location only', '1. The cat.\n2. It is located in the centre.\n3. A feline.', 1],
    ['ordinal image', 'The second image is the least similar to the other two.', 1],
    ['image number', 'Image 3 is the odd one out.', 2],
    ['a name with a matching location', '1. The odd one out is the dog.\n2. The dog is located on the left.\n3. …', 0],
    ['items without answer phrase', '1. Apple\n2. Right\n3. It is a fruit.', 2],
    ['a bare position', 'Left.\n\nThe object there is different.', 0],
    ['markdown', '1. **Answer:** The **rightmost** image.\n2. **Location:** Right.\n3. **Reasons:** …', 2],
    ['a name, then the location in item 2 without keyword', '1. The odd one out is the apple.\n2. The apple is on the right side of the image.\n3. The apple is a fruit, while the dog and the cat are animals.', 2],
    ['bold item labels', '**1. Answer:** The apple\n**2. Location:** Right\n**3. Reasons:** …', 2],
    ['explanation positions are ignored', '1. The odd one out is the dog.\n2. Location: left\n3. Unlike the cat in the middle and the apple on the right, it barks.', 0],
  ])('%s', (_name, reply, position) => {
    expect(parseReply(text(reply), VISION)).toEqual(ok(position, 'position'));
  });

  it('a name alone (no position) parses via name', () => {
    expect(parseReply(text('The odd one out is the apple, since the others are animals.'), VISION)).toEqual(ok(2, 'name'));
  });

  it.each<[string, string, RegExp]>([
    ['answer and location disagree', '1. The odd one out is the object on the left.\n2. Location: right.\n3. …', /^conflicting positions: answer and location disagree \(left, right\)$/],
    ['name and location disagree', '1. The odd one out is the cat.\n2. Location: right.', /^conflicting positions/],
    ['two positions in the location', '1. The odd one.\n2. Location: between the left and right images.', /^conflicting positions: left, right$/],
    ['coordinated positions', 'The odd one out is the object on the left or the one on the right.', /^names 2 different objects/],
    ['no position, no name', 'These images are all quite interesting.', /^no answer found/],
    ['empty', '', /^empty reply$/],
  ])('%s → unparsed', (_name, reply, reason) => {
    expectUnparsed(parseReply(text(reply), VISION), reason);
  });
});

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

describe('helpers and contract', () => {
  it('matchAnswerOption: exact, then folded; duplicates are ambiguous', () => {
    expect(matchAnswerOption('b', ['a', 'b', 'c'])).toBe(1);
    expect(matchAnswerOption(' B ', ['a', 'b', 'c'])).toBe(1);
    expectUnparsed(matchAnswerOption('x', ['a', 'b', 'c']) as ParsedChoice, /^option not among the three/);
    expectUnparsed(matchAnswerOption('A', ['a', 'a ', 'c']) as ParsedChoice, /matches 2 of the three options/);
  });
  it('normalizeReplyText straightens quotes and drops markdown markers', () => {
    expect(normalizeReplyText('**The** \u201codd\u201d __one__ `out` \u2018x\u2019')).toBe('The "odd" one \'out\' \'x\'');
  });
  it('rejects an invalid context', () => {
    expect(() => parseReply(text('x'), { ...PETS, words: ['a', 'b'] as never })).toThrow(InvalidArgumentError);
    expect(() => parseReply(text('x'), { ...PETS, mode: 'audio' as never })).toThrow(InvalidArgumentError);
  });
});

describe('free text: boundaries, inflections and spacing of object mentions', () => {
  const TEDDY = conceptPrompt('teddy bear', "plaything consisting of a child's toy bear (usually plush and stuffed with soft materials)");
  const BUTTERFLY = conceptPrompt('butterfly', 'diurnal insect typically having a slender body with knobbed antennae and broad colorful wings');
  const TOYS = ctx([BUTTERFLY, TEDDY, APPLE], ['butterfly', 'teddy bear', 'apple']);
  it.each<[string, ParseContext, string, 0 | 1 | 2 | null]>([
    ['a word inside another word', PETS, 'The odd one out is the catapple.', null],
    ['a non-ASCII letter before the word', PETS, 'The odd one out is the \u00e9apple.', null],
    ['an astral letter before the word', PETS, 'The odd one out is the \u{1D400}apple.', null],
    ['a combining mark that case-folds to a letter before the word', PETS, 'The odd one out is the \u0345apple.', null],
    ['a digit before the word', PETS, 'The odd one out is the 2apple.', null],
    ['a digit after the plural', PETS, 'The odd one out is the apples2.', null],
    ['a non-ASCII letter after the word', PETS, 'The odd one out is the apple\u00e9.', null],
    ['a dash before the word', PETS, 'The odd one out is the \u2014apple.', 2],
    ['markdown underscores around the word', PETS, 'The odd one out is the _apple_.', 2],
    ['a two-word word split by a hyphen and a line break, plural', TOYS, 'The odd one out is the Teddy-\nBears.', 1],
    ['a two-word word split by " - "', TOYS, 'The odd one out is the teddy - bear.', 1],
    ['a two-word word run together', TOYS, 'The odd one out is the teddybear.', null],
    ['consonant + y: -ies plural, upper case', TOYS, 'The odd one out is the BUTTERFLIES, as the others are not insects.', 0],
    ['consonant + y: -ys plural', TOYS, 'The odd one out is the butterflys.', 0],
    ['a full text with line breaks and no space before "("', TOYS, `The odd one out is '${APPLE.replace(/ /g, '\n  ').replace(' (', '(')}'.`, 2],
    ['a full text with double spaces and a tab', TOYS, `The odd one out is '${TEDDY.toUpperCase().replace(' ', '  ').replace(' (', '\t(')}'. The butterfly is an insect.`, 1],
  ])('%s', (_name, c, reply, position) => {
    const r = parseReply(text(reply), c);
    if (position === null) expectUnparsed(r, /^no answer found/);
    else expect(r).toEqual(ok(position, 'name'));
  });
});

describe('real THINGS concepts', () => {
  const dir = dataDirForTests(__dirname, 'parseReply over THINGS concepts');
  (dir ? test : test.skip)('the server format parses to the right position for 2,000 distinct random triplets', () => {
    const { concepts } = loadThingsDirectory(join(dir!, 'things'));
    const rng = createRng(20240611);
    const seen = new Set<string>();
    const failures: string[] = [];
    while (seen.size < 2000) {
      const [a, b, c] = rng.sampleWithoutReplacement(concepts.length, 3);
      const key = [a, b, c].sort((x, y) => x - y).join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      const objs = [concepts[a], concepts[b], concepts[c]];
      const position = rng.nextInt(3) as 0 | 1 | 2;
      const c3 = ctx([objs[0].prompt, objs[1].prompt, objs[2].prompt], [objs[0].word, objs[1].word, objs[2].word]);
      const reply = `The odd one out is '${objs[position].prompt}'. It has the least in common with the other objects.`;
      const r = parseReply(text(reply), c3);
      if (r.status !== 'parsed' || r.position !== position || r.via !== 'name') failures.push(`${JSON.stringify(c3.objectTexts)} @${position}: ${JSON.stringify(r)}`);
    }
    expect(failures).toEqual([]);
  });
});
