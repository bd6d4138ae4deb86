import { answerName, freeTextAnswer } from './chat.js';

describe('answerName: how a free-text answer names the odd object', () => {
  const texts: [string, string, string] = ['bat (nocturnal flying mammal)', 'bat (a club used for hitting a ball)', 'cup (a small open container)'];

  test('by its word when no other object of the triplet has that word', () => {
    expect(answerName(['bat', 'bat', 'cup'], texts, 2)).toBe('cup');
    expect(answerName(['chest', 'broom', 'trunk'], ['chest (the front of the trunk)', 'broom (a cleaning implement)', 'trunk (luggage)'], 0)).toBe('chest');
  });

  test('by its whole prompt text when another object shares the word (THINGS homonyms), any case', () => {
    expect(answerName(['bat', 'bat', 'cup'], texts, 0)).toBe('bat (nocturnal flying mammal)');
    expect(answerName(['Bat', 'bat ', 'cup'], texts, 1)).toBe('bat (a club used for hitting a ball)');
  });

  test('the text answer quotes the name; the vision answer names the position', () => {
    expect(freeTextAnswer('text', 2, 'cup')).toBe("The odd one out is 'cup'. It has the least in common with the other objects.");
    expect(freeTextAnswer('vision', 0, 'ignored')).toMatch(/^1\. The odd one out is the object on the left\./);
  });
});
