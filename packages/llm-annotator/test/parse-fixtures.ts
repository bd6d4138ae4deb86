/** Shared fixtures of the reply parser tests: THINGS objects (real definitions), contexts and expectations. */
import { conceptPrompt } from '@conceptlab/core';
import type { ParseContext, ParsedChoice } from '../src/parse/index.js';

// Real THINGS definitions.
export const DOG = conceptPrompt('dog', 'a member of the genus Canis (probably descended from the common wolf) that has been domesticated by man since prehistoric times');
export const CAT = conceptPrompt('cat', 'feline mammal usually having thick soft fur and no ability to roar: domestic cats; wildcats');
export const APPLE = conceptPrompt('apple', 'fruit with red or yellow or green skin and sweet to tart crisp whitish flesh');
export const BAT_ANIMAL = conceptPrompt(
  'bat',
  'nocturnal mouselike mammal with forelimbs modified to form membranous wings and anatomical adaptations for echolocation by which they navigate',
);
export const BAT_CLUB = conceptPrompt('bat', 'a club used for hitting a ball in various games');
export const CUP = conceptPrompt('cup', 'a small open container usually used for drinking; usually has a handle');
export const SPOON = conceptPrompt('spoon', 'cutlery implement consisting of a small shallow bowl with a long handle');
export const FORK = conceptPrompt('fork', 'cutlery used for serving and eating food');
export const GLASS = conceptPrompt('glass', 'a container for holding liquids while drinking');
export const GLASSES = conceptPrompt('glasses', 'optical instrument consisting of a frame that holds a pair of lenses for correcting defective vision');
export const LION = conceptPrompt('lion', 'large gregarious predatory feline of Africa and India having a tawny coat with a shaggy mane in the male');

export function ctx(texts: [string, string, string], words: [string, string, string], mode: ParseContext['mode'] = 'text', answerFormat: ParseContext['answerFormat'] = 'free'): ParseContext {
  return { mode, answerFormat, objectTexts: texts, words };
}

export const PETS = ctx([DOG, CAT, APPLE], ['dog', 'cat', 'apple']);
export const BATS = ctx([BAT_ANIMAL, CUP, BAT_CLUB], ['bat', 'cup', 'bat']);
export const CUTLERY = ctx([SPOON, FORK, LION], ['spoon', 'fork', 'lion']);
export const OPTICS = ctx([GLASS, CUP, GLASSES], ['glass', 'cup', 'glasses']);
export const VISION = ctx([DOG, CAT, APPLE], ['dog', 'cat', 'apple'], 'vision');

export const text = (content: string | null) => ({ content });
export const ok = (position: 0 | 1 | 2, via: string): ParsedChoice => ({ status: 'parsed', position, via } as ParsedChoice);

export function expectUnparsed(r: ParsedChoice, reason: RegExp): void {
  expect(r.status).toBe('unparsed');
  if (r.status === 'unparsed') expect(r.reason).toMatch(reason);
}
