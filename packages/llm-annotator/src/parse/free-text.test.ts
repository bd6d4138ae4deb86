import { DOG, CAT, APPLE, BAT_ANIMAL, BAT_CLUB, PETS, BATS, CUTLERY, OPTICS, text, ok, expectUnparsed } from '../../test/parse-fixtures.js';
import { parseReply, type ParseContext } from './index.js';

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
