/**
 * Prompt templates for odd-one-out annotation: the paper's two prompts (Du et al. 2025, Methods,
 * "Prompts and API settings"), verbatim, as presets, and user prompt files with the placeholders
 * `{A}`, `{B}`, `{C}` (the three object texts in presentation order).
 *
 * A placeholder is `{` + a name of letters, digits or `_` + `}`; any other brace is literal text (the
 * paper's text prompt itself wraps the triplet in literal braces: `{'{A}', '{B}', '{C}'}`). Only `A`,
 * `B` and `C` are known names. Text templates must hold each of them exactly once; vision templates may
 * hold none (the images carry the objects).
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { FileError, InvalidArgumentError, ParseError, readFileText } from '@conceptlab/core';
import type { AnnotationMode } from '@conceptlab/llm-client';

/** The citation attached to the paper's presets. */
export const DU2024_CITATION =
  'Du, C. et al. Human-like object concept representations emerge naturally in multimodal large language models. Nat. Mach. Intell. 7, 860–875 (2025); arXiv:2407.01067';

/** A resolved prompt template. */
export interface PromptTemplate {
  /** The preset name, or the prompt file's path as given. */
  readonly id: string;
  readonly mode: AnnotationMode;
  /** The template text, placeholders included. */
  readonly template: string;
  /** Where the prompt comes from in the literature (presets). */
  readonly citation?: string;
  /** `'preset'` for a built-in preset; the absolute path of a prompt file otherwise. */
  readonly source: string;
}

/** The names a placeholder may have, in presentation order. */
export const PROMPT_PLACEHOLDERS = ['A', 'B', 'C'] as const;

/** The paper's text prompt (gpt-3.5-turbo, gpt-4, Llama): the three object texts in list order. */
const DU2024_TEXT =
  "Given a triplet of objects {'{A}', '{B}', '{C}'}, which one in the triplet is the odd-one-out? Please give the answer first and then explain in detail.";

/** The paper's vision prompt (gemini-pro-vision), sent with the 2620×820 composite image. */
const DU2024_VISION =
  'You are shown three object images side by side and are asked to report the image that was the least similar to the other two. You should focus your judgement on the object, but you are not given additional constraints as to the strategy you should use. If you did not recognize the object, you should base your judgement on your best guess of what the object could be. 1. Tell me your answer. 2. Tell me the location of the object you have chosen. 3. Explain the reasons.';

/**
 * conceptlab's wording of the paper's vision prompt for the `separate` image layout (three images, one after
 * another, not side by side): the same task, with positions first/second/third instead of a location in
 * one picture. Not the paper's (it sent only the composite).
 */
const VISION_SEPARATE =
  'You are shown three object images, one after another (the first, the second and the third image), and are asked to report the image that was the least similar to the other two. You should focus your judgement on the object, but you are not given additional constraints as to the strategy you should use. If you did not recognize the object, you should base your judgement on your best guess of what the object could be. 1. Tell me your answer. 2. Tell me whether the object you have chosen is in the first, the second or the third image. 3. Explain the reasons.';

/** The built-in presets, by name. */
export const PROMPT_PRESETS: Readonly<Record<string, PromptTemplate>> = Object.freeze({
  'du2024-text': Object.freeze({ id: 'du2024-text', mode: 'text', template: DU2024_TEXT, citation: DU2024_CITATION, source: 'preset' }),
  'du2024-vision': Object.freeze({ id: 'du2024-vision', mode: 'vision', template: DU2024_VISION, citation: DU2024_CITATION, source: 'preset' }),
  'vision-separate': Object.freeze({ id: 'vision-separate', mode: 'vision', template: VISION_SEPARATE, source: 'preset' }),
});

/** The default preset of each mode. */
export const DEFAULT_PROMPT: Readonly<Record<AnnotationMode, string>> = Object.freeze({ text: 'du2024-text', vision: 'du2024-vision' });

/**
 * The default preset of a mode and image layout: the paper's prompt, except for separate images (the
 * paper's vision prompt says "side by side", which only the composite is), where it is `vision-separate`.
 */
export function defaultPrompt(mode: AnnotationMode, imageLayout: 'composite' | 'separate' = 'composite'): string {
  return mode === 'vision' && imageLayout === 'separate' ? 'vision-separate' : DEFAULT_PROMPT[mode];
}

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Check a template's placeholders for `mode`; `file` names the source in errors.
 * @throws ParseError on an unknown placeholder, or (text mode) a missing or repeated one.
 */
export function validateTemplate(template: string, mode: AnnotationMode, file: string): void {
  if (template.trim() === '') throw new ParseError({ file, line: 1 }, 'a non-empty prompt template', 'an empty file');
  const seen = new Map<string, number>();
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1];
    const line = lineOf(template, m.index ?? 0);
    if (!(PROMPT_PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new ParseError({ file, line }, 'only the placeholders {A}, {B}, {C} (case-sensitive)', `{${name}}`);
    }
    if (mode === 'text' && seen.has(name)) {
      throw new ParseError({ file, line }, `the placeholder {${name}} once (text mode)`, `a second {${name}} (first on line ${seen.get(name)})`);
    }
    if (!seen.has(name)) seen.set(name, line);
  }
  if (mode === 'text') {
    const missing = PROMPT_PLACEHOLDERS.filter((p) => !seen.has(p));
    if (missing.length > 0) {
      throw new ParseError(
        { file },
        'each of the placeholders {A}, {B}, {C} exactly once (text mode: the three object texts)',
        `no ${missing.map((p) => `{${p}}`).join(', ')}`,
      );
    }
  }
}

function checkMode(mode: unknown): asserts mode is AnnotationMode {
  if (mode !== 'text' && mode !== 'vision') throw new InvalidArgumentError('mode', "'text' or 'vision'", mode);
}

/**
 * A preset by name, or a prompt file (UTF-8; a BOM and trailing whitespace are dropped) checked for `mode`.
 * @throws InvalidArgumentError when a preset is used in the wrong mode; FileError when the argument is
 * neither a preset nor a readable file; ParseError when the file's placeholders do not fit `mode`.
 */
export function resolvePrompt(presetOrFile: string, mode: AnnotationMode): PromptTemplate {
  checkMode(mode);
  if (typeof presetOrFile !== 'string' || presetOrFile.trim() === '') {
    throw new InvalidArgumentError('prompt', `a preset (${Object.keys(PROMPT_PRESETS).join(', ')}) or a prompt file`, presetOrFile);
  }
  const preset = Object.prototype.hasOwnProperty.call(PROMPT_PRESETS, presetOrFile) ? PROMPT_PRESETS[presetOrFile] : undefined;
  if (preset !== undefined) {
    if (preset.mode !== mode) {
      throw new InvalidArgumentError('prompt', `a ${mode}-mode prompt (preset ${JSON.stringify(presetOrFile)} is for ${preset.mode} mode; use ${DEFAULT_PROMPT[mode]})`, presetOrFile);
    }
    return preset;
  }
  const file = resolve(presetOrFile);
  if (!existsSync(file)) {
    throw new FileError(presetOrFile, 'read', `no such file, and not a preset (presets: ${Object.keys(PROMPT_PRESETS).join(', ')})`);
  }
  if (!statSync(file).isFile()) throw new FileError(presetOrFile, 'read', 'not a regular file');
  const template = readFileText(file).replace(/\s+$/, '');
  validateTemplate(template, mode, presetOrFile);
  return { id: presetOrFile, mode, template, source: file };
}

/**
 * The prompt for one triplet: `{A}`, `{B}`, `{C}` replaced by the three object texts, in one pass (an
 * object text that itself holds `{B}` is not replaced again).
 */
export function renderPrompt(t: PromptTemplate, objectTexts: readonly [string, string, string]): string {
  if (!Array.isArray(objectTexts) || objectTexts.length !== 3 || objectTexts.some((s) => typeof s !== 'string')) {
    throw new InvalidArgumentError('objectTexts', 'three strings', objectTexts);
  }
  return t.template.replace(PLACEHOLDER, (whole, name: string) => {
    const i = (PROMPT_PLACEHOLDERS as readonly string[]).indexOf(name);
    return i < 0 ? whole : objectTexts[i];
  });
}
