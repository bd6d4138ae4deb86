/**
 * Export a journal:
 * - `spose`: the SPoSE triplet text (`i j k`, 0-based, the odd one out last, the kept pair in
 *   presentation order) of the ANSWERED rows, in row order. Unparsed and failed rows are left out (never
 *   guessed). Refused while rows are pending or failed unless `allowIncomplete`.
 * - `csv`, `jsonl`: every row with its status, presentation, choice, raw reply, tokens, attempts and
 *   error; JSONL also carries the re-asked replies.
 * `split` writes one file per part of the input list: a number (rows per file, like fixed-size input
 * lists) or named parts `{ name, rows }` covering consecutive input rows (e.g. the train and test lists
 * that were concatenated into one job), so each output lines up with its input list.
 * Files are written to a temporary file and renamed, so none is ever left half-written.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { FileError, InvalidArgumentError } from '@conceptlab/core';
import { JournalIncompleteError } from './errors.js';
import { openJournalReadOnly, type ItemRecord, type Journal, type ReaskRecord } from './journal/index.js';

export type ExportFormat = 'spose' | 'csv' | 'jsonl';

export interface SplitPart {
  /** File name of the part (inside `out`, a directory). */
  readonly name: string;
  /** Consecutive input rows it covers. The last part may say more (e.g. Infinity): it takes the rest. */
  readonly rows: number;
}

export interface ExportOptions {
  /** The output file; with a `split` list, the output directory. */
  readonly out: string;
  readonly format: ExportFormat;
  readonly split?: number | readonly SplitPart[];
  /** SPoSE: export although rows are pending or failed (they are left out). */
  readonly allowIncomplete?: boolean;
}

export interface ExportResult {
  readonly format: ExportFormat;
  readonly files: readonly { readonly file: string; readonly rows: number }[];
  /** Rows written in all files. */
  readonly rows: number;
  readonly answered: number;
  readonly unparsed: number;
  readonly failed: number;
  readonly pending: number;
}

/** A text file written through a temporary file and renamed into place on commit. */
export class AtomicTextWriter {
  private readonly tmp: string;
  private fd: number;
  private chunks: string[] = [];
  private size = 0;

  constructor(readonly file: string) {
    const dir = dirname(file);
    this.tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      mkdirSync(dir, { recursive: true });
      this.fd = openSync(this.tmp, 'w');
    } catch (e) {
      throw new FileError(file, 'write', e instanceof Error ? e.message : String(e), { cause: e });
    }
  }

  write(s: string): void {
    this.chunks.push(s);
    this.size += s.length;
    if (this.size >= 1 << 20) this.drain();
  }

  private drain(): void {
    if (this.chunks.length === 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }

  commit(): void {
    try {
      this.drain();
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = -1;
      renameSync(this.tmp, this.file);
    } catch (e) {
      this.abort();
      throw new FileError(this.file, 'write', e instanceof Error ? e.message : String(e), { cause: e });
    }
  }

  abort(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        /* already closed */
      }
      this.fd = -1;
    }
    rmSync(this.tmp, { force: true });
  }
}

/** The answered triplet of a row: the other two in presentation order, then the odd one out. */
export function answeredTriplet(item: ItemRecord): [number, number, number] | null {
  const c = item.choicePosition;
  if (item.status !== 'answered' || c === null) return null;
  const p = item.presented;
  const rest = [0, 1, 2].filter((k) => k !== c).map((k) => p[k]);
  return [rest[0], rest[1], p[c]];
}

const CSV_COLUMNS = [
  'row', 'a', 'b', 'c', 'p0', 'p1', 'p2', 'status', 'choice_position', 'odd_object', 'via', 'finish_reason',
  'prompt_tokens', 'completion_tokens', 'latency_ms', 'attempts', 'asks', 'source', 'error', 'raw_reply', 'message_extra',
] as const;

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLine(it: ItemRecord): string {
  const v = [
    it.row, it.objects[0], it.objects[1], it.objects[2], it.presented[0], it.presented[1], it.presented[2], it.status,
    it.choicePosition, it.oddObject, it.via, it.finishReason, it.promptTokens, it.completionTokens,
    it.latencyMs === null ? null : Math.round(it.latencyMs * 1000) / 1000, it.attempts, it.asks, it.source, it.error,
    it.rawReply, it.messageExtra,
  ];
  return v.map(csvField).join(',') + '\n';
}

function jsonLine(it: ItemRecord, reasks: readonly ReaskRecord[] | undefined): string {
  return (
    JSON.stringify({
      row: it.row,
      objects: it.objects,
      presented: it.presented,
      status: it.status,
      choicePosition: it.choicePosition,
      oddObject: it.oddObject,
      answered: answeredTriplet(it),
      via: it.via,
      rawReply: it.rawReply,
      ...(it.messageExtra ? { message: JSON.parse(it.messageExtra) } : {}),
      finishReason: it.finishReason,
      promptTokens: it.promptTokens,
      completionTokens: it.completionTokens,
      latencyMs: it.latencyMs,
      attempts: it.attempts,
      asks: it.asks,
      source: it.source,
      error: it.error,
      reasks: (reasks ?? []).map((r) => ({
        ask: r.ask,
        rawReply: r.rawReply,
        ...(r.messageExtra ? { message: JSON.parse(r.messageExtra) } : {}),
        finishReason: r.finishReason,
        reason: r.reason,
        source: r.source,
      })),
    }) + '\n'
  );
}

/** Output files and the input-row range of each. */
function plan(out: string, format: ExportFormat, count: number, split: ExportOptions['split']): { file: string; start: number; end: number }[] {
  if (split === undefined) return [{ file: out, start: 0, end: count }];
  if (typeof split === 'number') {
    if (!Number.isInteger(split) || split < 1) throw new InvalidArgumentError('split', 'rows per file (an integer ≥ 1) or a list of { name, rows }', split);
    const ext = extname(out) || (format === 'spose' ? '.txt' : `.${format}`);
    const stem = extname(out) ? out.slice(0, -ext.length) : out;
    const parts = Math.max(1, Math.ceil(count / split));
    const width = Math.max(3, String(parts).length);
    return Array.from({ length: parts }, (_, i) => ({
      file: `${stem}-${String(i + 1).padStart(width, '0')}${ext}`,
      start: i * split,
      end: Math.min(count, (i + 1) * split),
    }));
  }
  let start = 0;
  const names = new Set<string>();
  const files = split.map((p, i) => {
    if (typeof p?.name !== 'string' || p.name === '' || /[\\/]/.test(p.name) || names.has(p.name)) {
      throw new InvalidArgumentError(`split[${i}].name`, 'a unique file name (no path separators)', p?.name);
    }
    names.add(p.name);
    const last = i === split.length - 1;
    if (!(p.rows === Infinity && last) && (!Number.isInteger(p.rows) || p.rows < 0)) {
      throw new InvalidArgumentError(`split[${i}].rows`, 'an integer ≥ 0 (the last part: or Infinity, the rest)', p.rows);
    }
    // the last part may ask for more rows than remain: it takes the rest
    const rows = last ? Math.max(0, Math.min(p.rows, count - start)) : p.rows;
    const f = { file: join(out, p.name), start, end: start + rows };
    start += rows;
    return f;
  });
  if (start !== count) throw new InvalidArgumentError('split', `parts covering all ${count} input rows`, `parts covering ${start}`);
  return files;
}

/**
 * Write the journal (an open journal, or a journal file) in `format`.
 * @throws JournalIncompleteError (SPoSE with pending or failed rows and no `allowIncomplete`);
 *   InvalidArgumentError for a bad split; FileError when a file cannot be written.
 */
export function exportJournal(journal: Journal | string, options: ExportOptions): ExportResult {
  const j = typeof journal === 'string' ? openJournalReadOnly(journal) : journal;
  try {
    const { format } = options;
    if (format !== 'spose' && format !== 'csv' && format !== 'jsonl') throw new InvalidArgumentError('format', "'spose', 'csv' or 'jsonl'", format);
    const counts = j.counts();
    const pending = counts.pending + counts.missing;
    if (format === 'spose' && (pending > 0 || counts.failed > 0) && !options.allowIncomplete) {
      throw new JournalIncompleteError(j.file, pending, counts.failed, 'a SPoSE export');
    }
    const parts = plan(options.out, format, j.config.tripletsCount, options.split);
    const reasks = new Map<number, ReaskRecord[]>();
    if (format === 'jsonl') {
      for (const r of j.reasks()) {
        const list = reasks.get(r.row);
        if (list) list.push(r);
        else reasks.set(r.row, [r]);
      }
    }
    const writers = parts.map((p) => new AtomicTextWriter(p.file));
    const written = new Array<number>(parts.length).fill(0);
    try {
      if (format === 'csv') writers.forEach((w) => w.write(CSV_COLUMNS.join(',') + '\n'));
      let part = 0;
      for (const it of j.items()) {
        while (part < parts.length && it.row >= parts[part].end) part++;
        if (part >= parts.length) break;
        let line: string | undefined;
        if (format === 'spose') {
          const t = answeredTriplet(it);
          if (t) line = `${t[0]} ${t[1]} ${t[2]}\n`;
        } else if (format === 'csv') line = csvLine(it);
        else line = jsonLine(it, reasks.get(it.row));
        if (line !== undefined) {
          writers[part].write(line);
          written[part]++;
        }
      }
      writers.forEach((w) => w.commit());
    } catch (e) {
      writers.forEach((w) => w.abort());
      throw e;
    }
    return {
      format,
      files: parts.map((p, i) => ({ file: p.file, rows: written[i] })),
      rows: written.reduce((a, b) => a + b, 0),
      answered: counts.answered,
      unparsed: counts.unparsed,
      failed: counts.failed,
      pending,
    };
  } finally {
    if (typeof journal === 'string') j.close();
  }
}
