import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FileError, ParseError } from './errors.js';
import type { Matrix } from './matrix.js';
import { parseDelimited, type DelimitedRecord } from './io/delimited.js';
import { readFileText } from './io/files.js';

/** One object concept. */
export interface Concept {
  /** 0-based row index: the object's index in every matrix and triplet list. */
  readonly index: number;
  /** Unique identifier (THINGS `uniqueID`, e.g. `bat1`). */
  readonly id: string;
  /** The word (THINGS `Word`; repeats for homonyms). */
  readonly word: string;
  readonly definition: string;
  /** The paper's text for an LLM: `"{Word} ({Definition})"` with quote characters removed. */
  readonly prompt: string;
}

/** Membership of objects in named categories: `membership` is objects × categories of 0/1. */
export interface CategoryMatrix {
  readonly names: string[];
  readonly membership: Matrix<Uint8Array>;
}

/** A concept set: the concepts, and their categories when known. */
export interface ConceptSet {
  readonly concepts: Concept[];
  readonly categories?: CategoryMatrix;
  /** Where it came from (a directory, or a name for a built-in set). */
  readonly source: string;
}

/** The paper's prompt text for one object: `"{word} ({definition})"`, double quotes removed. */
export function conceptPrompt(word: string, definition: string): string {
  return `${word} (${definition})`.replace(/["\u201c\u201d]/g, '');
}

function findColumn(header: DelimitedRecord, file: string, name: string, prefix = false): number {
  const i = header.fields.findIndex((h) => (prefix ? h.trim().startsWith(name) : h.trim() === name));
  if (i < 0) throw new ParseError({ file, line: header.line }, `a header column named ${JSON.stringify(name)}`, `columns ${header.fields.map((h) => JSON.stringify(h)).join(', ')}`);
  return i;
}

/**
 * Parse a THINGS-style concepts table (`things_concepts.tsv`): tab-separated with a header, columns
 * `Word`, `uniqueID` and a column whose name starts with `Definition`, one row per object in object order.
 * Fields may be double-quoted. Missing columns, short rows, empty ids or duplicate ids are errors.
 */
export function parseConceptsTsv(text: string, file = '<text>'): Concept[] {
  const records = parseDelimited(text, file).filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === ''));
  if (records.length === 0) throw new ParseError({ file, line: 1 }, 'a header row', 'an empty file');
  const [header, ...rows] = records;
  const wordCol = findColumn(header, file, 'Word');
  const idCol = findColumn(header, file, 'uniqueID');
  const defCol = findColumn(header, file, 'Definition', true);
  const seen = new Map<string, number>();
  return rows.map((r, index) => {
    if (r.fields.length !== header.fields.length) {
      throw new ParseError({ file, line: r.line }, `${header.fields.length} tab-separated columns (as the header)`, `${r.fields.length}`);
    }
    const word = r.fields[wordCol].trim();
    const id = r.fields[idCol].trim();
    const definition = r.fields[defCol].trim();
    if (id === '') throw new ParseError({ file, line: r.line, column: idCol + 1 }, 'a non-empty uniqueID', 'an empty field');
    if (word === '') throw new ParseError({ file, line: r.line, column: wordCol + 1 }, 'a non-empty Word', 'an empty field');
    const prev = seen.get(id);
    if (prev !== undefined) throw new ParseError({ file, line: r.line, column: idCol + 1 }, `a unique uniqueID (${JSON.stringify(id)} is also on line ${prev})`, JSON.stringify(id));
    seen.set(id, r.line);
    return { index, id, word, definition, prompt: conceptPrompt(word, definition) };
  });
}

/**
 * Parse a category membership table (`category27.tsv`): a header of category names, then one row per
 * object of 0/1 values, tab-separated. `nObjects`, when given, must equal the number of rows.
 */
export function parseCategoryTsv(text: string, file = '<text>', nObjects?: number): CategoryMatrix {
  const records = parseDelimited(text, file).filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === ''));
  if (records.length === 0) throw new ParseError({ file, line: 1 }, 'a header of category names', 'an empty file');
  const [header, ...rows] = records;
  const names = header.fields.map((h) => h.trim());
  const cols = names.length;
  if (nObjects !== undefined && rows.length !== nObjects) {
    throw new ParseError({ file }, `${nObjects} object rows (one per concept)`, `${rows.length}`);
  }
  const data = new Uint8Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (r.fields.length !== cols) throw new ParseError({ file, line: r.line }, `${cols} columns (as the header)`, `${r.fields.length}`);
    r.fields.forEach((f, j) => {
      const v = f.trim();
      if (v !== '0' && v !== '1') throw new ParseError({ file, line: r.line, column: j + 1 }, '0 or 1', JSON.stringify(v));
      data[i * cols + j] = v === '1' ? 1 : 0;
    });
  });
  return { names, membership: { rows: rows.length, cols, data } };
}

/** The file names of a THINGS-style concept directory. */
export const THINGS_FILES = {
  concepts: 'things_concepts.tsv',
  categories: 'category27.tsv',
  /** The category table's name in a non-THINGS concept directory (any number of categories). */
  otherCategories: 'categories.tsv',
} as const;

/**
 * Load a THINGS-style directory: `things_concepts.tsv` (required) and a category table (optional):
 * `category27.tsv`, or else `categories.tsv` (the same format with any number of categories), e.g.
 * `../shared/data/things`. A directory holding both tables is an error (which one was meant is unclear).
 */
export function loadThingsDirectory(dir: string): ConceptSet {
  const conceptsFile = join(dir, THINGS_FILES.concepts);
  if (!existsSync(conceptsFile)) {
    throw new FileError(conceptsFile, 'read', `not a concept directory: ${THINGS_FILES.concepts} is missing`);
  }
  const concepts = parseConceptsTsv(readFileText(conceptsFile), conceptsFile);
  const things27 = join(dir, THINGS_FILES.categories);
  const other = join(dir, THINGS_FILES.otherCategories);
  if (existsSync(things27) && existsSync(other)) {
    throw new FileError(other, 'read', `two category tables in one concept directory: ${THINGS_FILES.categories} and ${THINGS_FILES.otherCategories}; keep one`);
  }
  const catFile = existsSync(things27) ? things27 : other;
  const categories = existsSync(catFile) ? parseCategoryTsv(readFileText(catFile), catFile, concepts.length) : undefined;
  return { concepts, categories, source: dir };
}

/**
 * One named column of a THINGS-style concepts table (`things_concepts.tsv` in `dir`), one trimmed value per
 * object in object order — e.g. `"Top-down Category (WordNet)"` — or undefined when the table has no such column.
 *
 * @throws FileError when the table is missing; ParseError for a short row.
 */
export function readConceptColumn(dir: string, column: string): string[] | undefined {
  const file = join(dir, THINGS_FILES.concepts);
  if (!existsSync(file)) throw new FileError(file, 'read', `not a concept directory: ${THINGS_FILES.concepts} is missing`);
  const records = parseDelimited(readFileText(file), file).filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === ''));
  if (records.length === 0) throw new ParseError({ file, line: 1 }, 'a header row', 'an empty file');
  const [header, ...rows] = records;
  const col = header.fields.findIndex((h) => h.trim() === column);
  if (col < 0) return undefined;
  return rows.map((r) => {
    if (r.fields.length !== header.fields.length) throw new ParseError({ file, line: r.line }, `${header.fields.length} tab-separated columns (as the header)`, `${r.fields.length}`);
    return r.fields[col].trim();
  });
}
