import { VISION, text, ok, expectUnparsed } from '../../test/parse-fixtures.js';
import { parseReply } from './index.js';

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
