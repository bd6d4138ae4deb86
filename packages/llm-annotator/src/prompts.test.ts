import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FileError, InvalidArgumentError, ParseError } from '@conceptlab/core';
import { parseReply } from './parse/index.js';
import { DU2024_CITATION, PROMPT_PRESETS, defaultPrompt, renderPrompt, resolvePrompt, validateTemplate } from './prompts.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'conceptlab-prompts-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('presets', () => {
  it('du2024-text is the paper’s text prompt, verbatim, with the three texts in order', () => {
    const t = resolvePrompt('du2024-text', 'text');
    expect(t).toMatchObject({ id: 'du2024-text', mode: 'text', source: 'preset', citation: DU2024_CITATION });
    expect(renderPrompt(t, ['bat (a club)', 'cup (a small open container)', "baby's bottle (a bottle)"])).toBe(
      "Given a triplet of objects {'bat (a club)', 'cup (a small open container)', 'baby's bottle (a bottle)'}, which one in the triplet is the odd-one-out? Please give the answer first and then explain in detail.",
    );
  });

  it('du2024-vision is the paper’s vision prompt, verbatim, without placeholders', () => {
    const t = resolvePrompt('du2024-vision', 'vision');
    expect(t.citation).toBe(DU2024_CITATION);
    const expected =
      'You are shown three object images side by side and are asked to report the image that was the least similar to the other two. You should focus your judgement on the object, but you are not given additional constraints as to the strategy you should use. If you did not recognize the object, you should base your judgement on your best guess of what the object could be. 1. Tell me your answer. 2. Tell me the location of the object you have chosen. 3. Explain the reasons.';
    expect(t.template).toBe(expected);
    expect(renderPrompt(t, ['a', 'b', 'c'])).toBe(expected);
  });

  it('cites Du et al. 2025', () => {
    expect(DU2024_CITATION).toBe(
      'Du, C. et al. Human-like object concept representations emerge naturally in multimodal large language models. Nat. Mach. Intell. 7, 860–875 (2025); arXiv:2407.01067',
    );
    expect(Object.keys(PROMPT_PRESETS).sort()).toEqual(['du2024-text', 'du2024-vision', 'vision-separate']);
    expect(PROMPT_PRESETS['vision-separate'].citation).toBeUndefined(); // ours, not the paper's
  });

  it('separate images get a prompt for separate images; the composite keeps the paper\'s', () => {
    expect(defaultPrompt('text')).toBe('du2024-text');
    expect(defaultPrompt('vision')).toBe('du2024-vision');
    expect(defaultPrompt('vision', 'composite')).toBe('du2024-vision');
    expect(defaultPrompt('vision', 'separate')).toBe('vision-separate');
    expect(resolvePrompt('du2024-vision', 'vision').template).toMatch(/^You are shown three object images side by side /);
    const separate = resolvePrompt('vision-separate', 'vision').template;
    expect(separate).not.toMatch(/side by side|location/);
    expect(separate).toMatch(/one after another \(the first, the second and the third image\)/);
    const reply = { content: '1. The third image.\n2. It is in the third image.\n3. The others are fruit.' };
    expect(parseReply(reply, { mode: 'vision', answerFormat: 'free', objectTexts: ['apple', 'pear', 'hammer'], words: ['apple', 'pear', 'hammer'] })).toMatchObject({ status: 'parsed', position: 2 });
  });

  it('a preset in the wrong mode is an InvalidArgumentError', () => {
    expect(thrown(() => resolvePrompt('du2024-vision', 'text'))).toBeInstanceOf(InvalidArgumentError);
    expect(thrown(() => resolvePrompt('du2024-text', 'vision'))).toBeInstanceOf(InvalidArgumentError);
    expect(thrown(() => resolvePrompt('du2024-text', 'audio' as never))).toBeInstanceOf(InvalidArgumentError);
  });
});

describe('prompt files', () => {
  it('reads a text template (BOM and trailing newline dropped) and renders it in one pass', () => {
    const f = file('ok.txt', '\ufeffWhich is the odd one out: {A}, {B} or {C}?\n');
    const t = resolvePrompt(f, 'text');
    expect(t).toEqual({ id: f, mode: 'text', template: 'Which is the odd one out: {A}, {B} or {C}?', source: resolve(f) });
    expect(renderPrompt(t, ['x {B}', 'y', 'z'])).toBe('Which is the odd one out: x {B}, y or z?');
  });

  it('keeps literal braces that are not placeholders', () => {
    const f = file('braces.txt', "Triplet {'{A}', '{B}', '{C}'}; reply as {\"answer\": ...}");
    expect(renderPrompt(resolvePrompt(f, 'text'), ['a', 'b', 'c'])).toBe("Triplet {'a', 'b', 'c'}; reply as {\"answer\": ...}");
  });

  it('vision templates may have no placeholders', () => {
    const f = file('vision.txt', 'Which image is the odd one out? Answer left, middle or right.\n');
    expect(resolvePrompt(f, 'vision').template).toBe('Which image is the odd one out? Answer left, middle or right.');
    const g = file('vision-named.txt', 'The objects might be {A}, {B}, {C}, or {A} again.');
    expect(renderPrompt(resolvePrompt(g, 'vision'), ['a', 'b', 'c'])).toBe('The objects might be a, b, c, or a again.');
  });

  it.each([
    ['missing {C}', 'Odd one out of {A} and {B}?', 'text', /\{C\}/],
    ['unknown {D}', 'Odd one out of {A}, {B}, {C}, {D}?', 'text', /\{D\}/],
    ['lower-case {a}', 'Odd one out of {a}, {B}, {C}?', 'text', /\{a\}/],
    ['repeated {A}', 'Odd one out of {A}, {B}, {C}?\nAgain: {A}', 'text', /second \{A\}/],
    ['unknown in vision', 'Which {image}?', 'vision', /\{image\}/],
    ['empty file', '\n\n', 'text', /non-empty/],
  ] as const)('%s → ParseError naming the file', (name, text, mode, message) => {
    const f = file(`bad-${name.replace(/\W+/g, '-')}.txt`, text);
    const err = thrown(() => resolvePrompt(f, mode));
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).file).toBe(f);
    expect((err as Error).message).toMatch(message);
  });

  it('reports the line of a bad placeholder', () => {
    const err = thrown(() => validateTemplate('{A} {B} {C}\n\nand {X}', 'text', 'p.txt')) as ParseError;
    expect(err.line).toBe(3);
  });

  it('neither a preset nor a file → FileError listing the presets', () => {
    const err = thrown(() => resolvePrompt('du2024-txt', 'text'));
    expect(err).toBeInstanceOf(FileError);
    expect((err as Error).message).toMatch(/du2024-text, du2024-vision/);
    expect(thrown(() => resolvePrompt(dir, 'text'))).toBeInstanceOf(FileError);
    expect(thrown(() => resolvePrompt('', 'text'))).toBeInstanceOf(InvalidArgumentError);
  });
});
