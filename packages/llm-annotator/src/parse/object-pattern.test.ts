import { conceptPrompt } from '@conceptlab/core';
import { APPLE, PETS, text, ok, ctx, expectUnparsed } from '../../test/parse-fixtures.js';
import { parseReply, type ParseContext } from './index.js';

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
