/**
 * Typed errors. Every error conceptlab throws on purpose is a {@link ConceptlabError} with a `_tag`
 * that names its kind, so callers can branch on `err._tag` instead of parsing messages.
 */
export abstract class ConceptlabError extends Error {
  abstract readonly _tag: string;
}

/**
 * Where in a file a problem was found. `line` is 1-based (absent for binary formats);
 * `column` is the 1-based field (column) number in a delimited text row.
 */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

function formatLocation(loc: SourceLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.column !== undefined) s += `: column ${loc.column}`;
  return s;
}

/**
 * Input that does not have the expected form: names the file, the line (for text formats),
 * what was expected and what was found.
 */
export class ParseError extends ConceptlabError {
  readonly _tag = 'ParseError' as const;
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly expected: string;
  readonly found: string | undefined;

  constructor(loc: SourceLocation, expected: string, found?: string) {
    super(
      `${formatLocation(loc)}: expected ${expected}` + (found !== undefined ? `, found ${found}` : ''),
    );
    this.name = 'ParseError';
    this.file = loc.file;
    this.line = loc.line;
    this.column = loc.column;
    this.expected = expected;
    this.found = found;
  }
}

/** A file that cannot be read or written (missing, unreadable, not a regular file). */
export class FileError extends ConceptlabError {
  readonly _tag = 'FileError' as const;
  readonly file: string;
  readonly operation: 'read' | 'write';
  constructor(file: string, operation: 'read' | 'write', reason: string, options?: { cause?: unknown }) {
    super(`${file}: cannot ${operation}: ${reason}`, options);
    this.name = 'FileError';
    this.file = file;
    this.operation = operation;
  }
}

/** Arrays whose shapes do not fit together (e.g. an embedding with fewer rows than the triplets index). */
export class ShapeError extends ConceptlabError {
  readonly _tag = 'ShapeError' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/** A function or command called with an argument outside its domain. */
export class InvalidArgumentError extends ConceptlabError {
  readonly _tag = 'InvalidArgumentError' as const;
  readonly argument: string;
  constructor(argument: string, expected: string, found?: unknown) {
    super(
      `${argument}: expected ${expected}` + (found !== undefined ? `, got ${describe(found)}` : ''),
    );
    this.name = 'InvalidArgumentError';
    this.argument = argument;
  }
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v;
}

export function isConceptlabError(e: unknown): e is ConceptlabError {
  return e instanceof ConceptlabError;
}
