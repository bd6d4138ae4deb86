/**
 * The odd-one-out wire contract: what the client (@conceptlab/llm-annotator's annotate) and the local server
 * (@conceptlab/sim-server) agree on — modes, answer formats, the JSON schema and tool used for structured
 * answers, and the option labels of each mode. One module so both sides change together.
 */

/** `text`: each object as its prompt text ("{Word} ({Definition})"). `vision`: three images. */
export type AnnotationMode = 'text' | 'vision';

/**
 * How the model answers:
 * - `free`: free text, read by the strict parser (name, letter or position; ambiguity → unparsed);
 * - `json-schema`: `response_format: { type: 'json_schema', json_schema: ANSWER_SCHEMA(options) }`;
 * - `tool`: a forced call of the tool {@link ANSWER_TOOL_NAME} whose single argument is an enum.
 */
export type AnswerFormat = 'free' | 'json-schema' | 'tool';

/** How vision mode sends the images. `composite`: one image, as the paper (2620×820); `separate`: three image parts. */
export type ImageLayout = 'composite' | 'separate';

/** Position labels of the three presented objects in vision mode (the paper's Gemini prompt asks for these). */
export const VISION_POSITION_LABELS = ['left', 'middle', 'right'] as const;

/** The JSON property that carries the answer in structured formats. */
export const ANSWER_PROPERTY = 'odd_one_out';
export const ANSWER_SCHEMA_NAME = 'odd_one_out_answer';
export const ANSWER_TOOL_NAME = 'report_odd_one_out';

/**
 * The option strings a structured answer chooses from, in presentation order: the three object texts in
 * text mode, the three position labels in vision mode.
 */
export function answerOptions(mode: AnnotationMode, objectTexts: readonly [string, string, string]): [string, string, string] {
  return mode === 'text' ? [objectTexts[0], objectTexts[1], objectTexts[2]] : [...VISION_POSITION_LABELS];
}

/** The JSON schema of a structured answer: `{ "odd_one_out": one of the options }`. */
export function answerJsonSchema(options: readonly string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: { [ANSWER_PROPERTY]: { type: 'string', enum: [...options] } },
    required: [ANSWER_PROPERTY],
    additionalProperties: false,
  };
}
