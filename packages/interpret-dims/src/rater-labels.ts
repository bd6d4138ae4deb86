import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FileError, ParseError, readFileText } from '@conceptlab/core';

/** Label counts of one dimension, most frequent first (ties alphabetical). */
export interface DimensionLabels {
  readonly dim: number;
  readonly counts: { label: string; count: number }[];
  /** Raters who gave at least one label for this dimension. */
  readonly raters: number;
}

/**
 * Parse one rater's file: line d (1-based) holds the comma-separated labels of dimension d − 1. Labels are
 * trimmed and lower-cased; empty items are skipped; an empty line means no labels for that dimension.
 * A trailing empty line is allowed.
 *
 * @throws ParseError when the file has more than `dims` non-empty lines worth of dimensions.
 */
export function parseRaterFile(text: string, file: string, dims: number): string[][] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > dims && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length > dims) throw new ParseError({ file, line: dims + 1 }, `at most ${dims} lines (one per dimension)`, `${lines.length} lines`);
  const out: string[][] = Array.from({ length: dims }, () => []);
  lines.forEach((l, d) => {
    out[d] = l.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  });
  return out;
}

/**
 * Import human rater labels: a directory with one text file per rater (hidden files skipped, names sorted),
 * each a comma-separated label list per dimension line → label counts per dimension (for word clouds).
 *
 * @throws FileError when the directory cannot be read or holds no rater file; ParseError for a file with too many lines.
 */
export function readRaterLabels(dir: string, dims: number): { raters: string[]; dims: DimensionLabels[] } {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => !f.startsWith('.')).sort();
  } catch (e) {
    throw new FileError(dir, 'read', (e as Error).message, { cause: e });
  }
  const files = names.filter((f) => statSync(join(dir, f)).isFile());
  if (files.length === 0) throw new FileError(dir, 'read', 'no rater label files in the directory');
  const maps = Array.from({ length: dims }, () => new Map<string, number>());
  const raterCount = new Array<number>(dims).fill(0);
  for (const f of files) {
    const path = join(dir, f);
    const labels = parseRaterFile(readFileText(path), path, dims);
    labels.forEach((ls, d) => {
      if (ls.length) raterCount[d]++;
      for (const l of ls) maps[d].set(l, (maps[d].get(l) ?? 0) + 1);
    });
  }
  return {
    raters: files,
    dims: maps.map((m, d) => ({
      dim: d,
      raters: raterCount[d],
      counts: [...m.entries()].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)),
    })),
  };
}
