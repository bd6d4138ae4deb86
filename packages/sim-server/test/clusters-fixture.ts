import type OpenAI from 'openai';
import { conceptPrompt, matrixFromRows, type Concept, type ConceptSet } from '@conceptlab/core';

// Three clusters of three: animals, tools, fruit. With argmax the odd one out is obvious.
const words: Array<[string, string]> = [
  ['cat', 'feline mammal usually having thick soft fur'],
  ['dog', "a member of the genus Canis; man's best friend"],
  ['horse', 'solid-hoofed herbivorous quadruped'],
  ['hammer', 'a hand tool with a heavy rigid head'],
  ['saw', 'hand tool having a toothed blade for cutting'],
  ['wrench', 'a hand tool for gripping and turning nuts'],
  ['apple', 'fruit with red or yellow or green skin'],
  ['banana', 'elongated crescent-shaped yellow fruit'],
  ['cherry', 'a red fruit with a single hard stone'],
];
export const concepts: Concept[] = words.map(([word, definition], index) => ({ index, id: word, word, definition, prompt: conceptPrompt(word, definition) }));
export const conceptSet: ConceptSet = { concepts, source: 'test' };
export const clusters = matrixFromRows([
  [1, 0, 0], [0.9, 0.1, 0], [0.95, 0, 0.05],
  [0, 1, 0], [0.1, 0.9, 0], [0, 0.95, 0.05],
  [0, 0, 1], [0.05, 0, 0.9], [0, 0.1, 0.95],
]);
export const P = (i: number): string => concepts[i].prompt;
/** The word of concept i: how the server's free-text answer names it. */
export const W = (i: number): string => concepts[i].word;
export const paperPrompt = (a: number, b: number, c: number): string =>
  `Given a triplet of objects {'${P(a)}', '${P(b)}', '${P(c)}'}, which one in the triplet is the odd-one-out? Please give the answer first and then explain in detail.`;
export const user = (text: string): OpenAI.Chat.ChatCompletionMessageParam[] => [{ role: 'user', content: text }];
