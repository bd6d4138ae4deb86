import { InvalidArgumentError, ParseError, contentLines, parseDelimited, parseIntegerToken, readFileText } from '@conceptlab/core';
import { read3dOnGrid, type OnGridOptions, type Roi } from './mask.js';
import type { Grid } from './volume.js';

/** One row of a label table: an integer label of the atlas image and its ROI name. */
export interface LabelEntry {
  readonly index: number;
  readonly name: string;
}

const INDEX_COLUMNS = ['index', 'id', 'value'];
const NAME_COLUMNS = ['name', 'label', 'roi'];

/**
 * Parse a label table, in either of two forms:
 * - TSV with a header row holding an index column (`index`, `id` or `value`) and a name column (`name`,
 *   `label` or `roi`), any other columns ignored (BIDS `dseg.tsv`, nilearn's atlas tables);
 * - whitespace text, one `index name` per line (FSL / AFNI style; the name is the rest of the line),
 *   with `#` comments.
 * Indices are non-negative integers; indices and names are unique.
 * @throws ParseError naming the file and line for a missing column, a non-integer index, an empty name or a duplicate.
 */
export function parseLabelTable(text: string, file: string): LabelEntry[] {
  const lines = contentLines(text);
  if (lines.length === 0) throw new ParseError({ file }, 'a label table (index and name per row)', 'an empty file');
  const entries: LabelEntry[] = [];
  const firstTok = lines[0].text.split(/[\t ]+/)[0];
  if (!/^[+-]?\d+$/.test(firstTok)) {
    const records = parseDelimited(text.replace(/\r\n/g, '\n'), file).filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === '') && !r.fields[0].startsWith('#'));
    const head = records[0].fields.map((f) => f.trim().toLowerCase());
    const ic = head.findIndex((h) => INDEX_COLUMNS.includes(h));
    const nc = head.findIndex((h, k) => k !== ic && NAME_COLUMNS.includes(h));
    if (ic < 0 || nc < 0) {
      throw new ParseError({ file, line: records[0].line }, `a TSV header with an index column (${INDEX_COLUMNS.join('/')}) and a name column (${NAME_COLUMNS.join('/')}), or "index name" lines`, JSON.stringify(records[0].fields.join('\t')));
    }
    for (const r of records.slice(1)) {
      if (r.fields.length <= Math.max(ic, nc)) throw new ParseError({ file, line: r.line }, `${head.length} tab-separated columns`, `${r.fields.length}`);
      entries.push({ index: parseIntegerToken(r.fields[ic].trim(), file, r.line, ic + 1), name: r.fields[nc].trim() });
      check(entries, file, r.line);
    }
  } else {
    for (const l of lines) {
      const m = /^(\S+)\s+(.*)$/.exec(l.text);
      if (!m) throw new ParseError({ file, line: l.line }, 'an index and a name', JSON.stringify(l.text));
      entries.push({ index: parseIntegerToken(m[1], file, l.line, 1), name: m[2].trim() });
      check(entries, file, l.line);
    }
  }
  if (entries.length === 0) throw new ParseError({ file }, 'at least one label row', 'none');
  return entries;
}

function check(entries: LabelEntry[], file: string, line: number): void {
  const e = entries[entries.length - 1];
  if (e.index < 0) throw new ParseError({ file, line }, 'a non-negative label index', String(e.index));
  if (e.name === '') throw new ParseError({ file, line }, 'a non-empty ROI name', 'an empty name');
  const dup = entries.slice(0, -1).find((x) => x.index === e.index || x.name === e.name);
  if (dup) throw new ParseError({ file, line }, 'unique label indices and names', dup.index === e.index ? `index ${e.index} again` : `name ${JSON.stringify(e.name)} again`);
}

/** Read and parse a label table file ({@link parseLabelTable}). @throws FileError, ParseError. */
export function readLabelTable(file: string): LabelEntry[] {
  return parseLabelTable(readFileText(file), file);
}

/** An integer label image with its label table, on the data grid: one ROI per nonzero label of the table. */
export interface Atlas {
  readonly file: string;
  readonly labelsFile: string;
  readonly grid: Grid;
  /** ROIs in label-table order (label 0, the background, is left out). An ROI may have no voxels. */
  readonly rois: readonly Roi[];
  readonly resampled: boolean;
}

/**
 * ROIs of a label image: voxel v belongs to the ROI of label `values[v]`; label 0 is background.
 * @throws ParseError when a voxel holds a non-integer value or a label the table lacks (naming both files).
 */
export function roisFromLabels(values: ArrayLike<number>, table: readonly LabelEntry[], file: string, labelsFile: string): Roi[] {
  const byLabel = new Map<number, number>();
  const named = table.filter((e) => e.index !== 0);
  named.forEach((e, k) => byLabel.set(e.index, k));
  const counts = new Int32Array(named.length);
  const slot = new Int32Array(values.length).fill(-1);
  for (let v = 0; v < values.length; v++) {
    const x = values[v];
    if (x === 0) continue;
    if (!Number.isInteger(x)) throw new ParseError({ file }, 'integer labels in the atlas image', `value ${x} at voxel ${v}`);
    const k = byLabel.get(x);
    if (k === undefined) throw new ParseError({ file: labelsFile }, `a row for label ${x}, which occurs in ${file}`, 'no such row');
    slot[v] = k;
    counts[k]++;
  }
  const idx = named.map((_, k) => new Int32Array(counts[k]));
  const fill = new Int32Array(named.length);
  for (let v = 0; v < values.length; v++) if (slot[v] >= 0) idx[slot[v]][fill[slot[v]]++] = v;
  return named.map((e, k) => ({ name: e.name, label: e.index, indices: idx[k] }));
}

/**
 * Read an atlas: an integer label image and its label table, put on the data grid (exact match, or
 * nearest-neighbour resampling when asked — labels are never interpolated).
 * @throws the errors of {@link readLabelTable}, {@link roisFromLabels} and the grid check (GridMismatchError).
 */
export async function readAtlas(file: string, labelsFile: string, options: OnGridOptions = {}): Promise<Atlas> {
  const table = readLabelTable(labelsFile);
  const { grid, values, resampled } = await read3dOnGrid(file, 'atlas', options);
  return { file, labelsFile, grid, rois: roisFromLabels(values, table, file, labelsFile), resampled };
}

/**
 * The ROIs named in `names`, in that order. @throws InvalidArgumentError for a name the atlas lacks.
 */
export function selectRois(atlas: Atlas, names: readonly string[]): Roi[] {
  return names.map((n) => {
    const r = atlas.rois.find((x) => x.name === n);
    if (!r) throw new InvalidArgumentError('--roi', `an ROI of ${atlas.labelsFile} (${atlas.rois.map((x) => x.name).join(', ')})`, n);
    return r;
  });
}
