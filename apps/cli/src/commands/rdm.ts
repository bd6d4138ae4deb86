import { Option, type Command } from 'commander';
import { contentLines, importOptionalPeer, ParseError, parseNumberToken, readFileText, type Matrix } from '@conceptlab/core';
import { computeRdm, crossnobisRdm, mahalanobisRdm, noisePrecision, writeRdmFile, type Rdm } from '@conceptlab/neuro-rsa';
import type { BlasInfo } from '@conceptlab/native-blas';
import { readMatrixFile } from '../io.js';
import { intOption } from '../options.js';
import { printResult, type Io } from '../output.js';

const MEASURES = ['euclidean', 'correlation', 'cosine', 'mahalanobis', 'crossnobis'] as const;
type Measure = (typeof MEASURES)[number];
const EUCLIDEAN_SUMS = ['differences', 'gram', 'blas'] as const;
type EuclideanSums = (typeof EUCLIDEAN_SUMS)[number];

/**
 * The euclidean RDM's sums: neuro-rsa's pairwise differences (default, the same bits everywhere), its Gram form,
 * or the Gram form with X·Xᵀ from the system BLAS (@conceptlab/native-blas, an optional peer: its library and CPU
 * kernels are recorded in the summary, since a BLAS's last bits depend on them).
 */
async function euclideanRdm(patterns: Matrix<Float64Array>, sums: EuclideanSums): Promise<{ rdm: Rdm; blas?: BlasInfo }> {
  if (sums === 'differences') return { rdm: computeRdm(patterns, 'euclidean') };
  if (sums === 'gram') return { rdm: computeRdm(patterns, 'euclidean', { euclideanSums: 'gram' }) };
  const { loadNativeBlas } = await importOptionalPeer('@conceptlab/native-blas', 'rdm --euclidean-sums blas', () => import('@conceptlab/native-blas'));
  const native = loadNativeBlas();
  return { rdm: computeRdm(patterns, 'euclidean', { euclideanSums: 'gram', gram: native.gram }), blas: native.blasInfo() };
}

/** One finite number per row (whitespace/newline separated), e.g. run or condition labels. */
function readLabels(file: string, rows: number, what: string): number[] {
  const out: number[] = [];
  for (const { line, text } of contentLines(readFileText(file))) {
    text.split(/[\t ,]+/).forEach((tok, c) => {
      const v = parseNumberToken(tok, file, line, c + 1);
      if (!Number.isFinite(v)) throw new ParseError({ file, line, column: c + 1 }, `a finite ${what} label`, tok);
      out.push(v);
    });
  }
  if (out.length !== rows) throw new ParseError({ file }, `one ${what} label per pattern row (${rows})`, `${out.length} labels`);
  return out;
}

/** Refuse NaN/±Inf in an input matrix, naming the row and column (0-based) of the first. */
function requireFinite(m: Matrix<Float64Array>, file: string, rowName: string): void {
  const q = m.data.findIndex((v) => !Number.isFinite(v));
  if (q >= 0) throw new ParseError({ file }, 'finite values', `${m.data[q]} at ${rowName} row ${Math.floor(q / m.cols)}, column ${q % m.cols} (0-based)`);
}

interface RdmOptions {
  patterns: string;
  measure: Measure;
  runs?: string;
  conditions?: string;
  noise?: string;
  residuals?: string;
  shrinkage: 'eye' | 'diag';
  euclideanSums?: EuclideanSums;
  dof?: number;
  out: string;
  json?: boolean;
}

export function registerRdm(program: Command, io: Io): void {
  program
    .command('rdm')
    .description('an RDM from a conditions × channels pattern matrix (rsatoolbox calc_rdm measures); crossnobis takes observations × channels with --runs')
    .requiredOption('--patterns <file>', 'patterns: .npy (2-D) or TSV/text, one row per condition (per observation for crossnobis)')
    .addOption(new Option('--measure <m>', 'dissimilarity measure').choices([...MEASURES]).makeOptionMandatory())
    .option('--runs <file>', 'crossnobis: the run label of each pattern row')
    .option('--conditions <file>', 'crossnobis: the condition label of each row (default: within each run, the k-th row is condition k)')
    .option('--noise <file>', 'noise precision matrix (channels × channels, .npy or text) for mahalanobis/crossnobis')
    .option('--residuals <file>', 'residuals (rows × channels) to estimate the noise precision from (rsatoolbox prec_from_residuals)')
    .addOption(new Option('--shrinkage <kind>', "shrinkage of the residual covariance: 'eye' (Ledoit–Wolf to a multiple of I) or 'diag' (Schäfer–Strimmer to the diagonal)").choices(['eye', 'diag']).default('diag'))
    .option('--dof <n>', 'degrees of freedom of the residuals (default rows − 1)', intOption('--dof', 1))
    .addOption(
      new Option(
        '--euclidean-sums <how>',
        "euclidean: 'differences' (default; the same bits on every machine), 'gram' (‖a‖² + ‖b‖² − 2a·b, rsatoolbox's form) or 'blas' (that form with X·Xᵀ from the system BLAS through the optional @conceptlab/native-blas; the summary names the library)",
      ).choices([...EUCLIDEAN_SUMS]),
    )
    .requiredOption('--out <file>', 'output RDM: .npy (n, n) or TSV')
    .option('--json', 'print a JSON summary')
    .action(async (o: RdmOptions, cmd: Command) => {
      const usage = (msg: string): never => cmd.error(`error: ${msg}`, { exitCode: 2, code: 'conceptlab.usage' });
      const noiseAware = o.measure === 'mahalanobis' || o.measure === 'crossnobis';
      if (o.noise && o.residuals) usage('give either --noise or --residuals, not both');
      if (!noiseAware && (o.noise || o.residuals)) usage(`--noise/--residuals apply to mahalanobis and crossnobis, not ${o.measure}`);
      if (o.measure === 'crossnobis' && !o.runs) usage('crossnobis needs --runs <file>');
      if (o.measure !== 'crossnobis' && (o.runs || o.conditions)) usage('--runs/--conditions apply to crossnobis only');
      if (o.euclideanSums && o.measure !== 'euclidean') usage(`--euclidean-sums applies to euclidean, not ${o.measure}`);
      const patterns = readMatrixFile(o.patterns);
      // A dissimilarity needs a pair of conditions, each a pattern of at least one channel.
      if (patterns.rows < 2 || patterns.cols < 1) throw new ParseError({ file: o.patterns }, 'at least 2 conditions (rows) and 1 channel (column)', `shape ${patterns.rows}×${patterns.cols}`);
      requireFinite(patterns, o.patterns, 'condition');
      let precision: Matrix<Float64Array> | undefined;
      let noise: Record<string, unknown> | undefined;
      if (o.noise) {
        precision = readMatrixFile(o.noise);
        requireFinite(precision, o.noise, 'channel');
        if (precision.rows !== patterns.cols || precision.cols !== patterns.cols) {
          throw new ParseError({ file: o.noise }, `a ${patterns.cols}×${patterns.cols} precision matrix (channels of ${o.patterns})`, `${precision.rows}×${precision.cols}`);
        }
        noise = { precision: o.noise };
      } else if (o.residuals) {
        const res = readMatrixFile(o.residuals);
        requireFinite(res, o.residuals, 'residual');
        if (res.cols !== patterns.cols) throw new ParseError({ file: o.residuals }, `${patterns.cols} columns (channels of ${o.patterns})`, `${res.cols}`);
        const method = o.shrinkage === 'eye' ? 'shrinkage_eye' : 'shrinkage_diag';
        precision = noisePrecision(res, { method, ...(o.dof ? { dof: o.dof } : {}) });
        noise = { residuals: o.residuals, method, dof: o.dof ?? res.rows - 1 };
      }
      let rdm: Rdm;
      let blas: BlasInfo | undefined;
      if (o.measure === 'mahalanobis') rdm = mahalanobisRdm(patterns, precision);
      else if (o.measure === 'crossnobis') {
        const runs = readLabels(o.runs!, patterns.rows, 'run');
        const conditions = o.conditions ? readLabels(o.conditions, patterns.rows, 'condition') : undefined;
        rdm = crossnobisRdm(patterns, runs, { ...(conditions ? { conditions } : {}), ...(precision ? { precision } : {}) });
      } else if (o.measure === 'euclidean') {
        const e = await euclideanRdm(patterns, o.euclideanSums ?? 'differences');
        rdm = e.rdm;
        blas = e.blas;
      } else rdm = computeRdm(patterns, o.measure);
      // A finite input can still give an undefined dissimilarity (a constant pattern under correlation or a zero
      // one under cosine: 0/0). Refuse before writing, naming the pair.
      const bad = rdm.vector.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        let i = 0, k = bad;
        while (k >= rdm.n - 1 - i) k -= rdm.n - 1 - i++;
        const j = i + 1 + k;
        throw new ParseError({ file: o.patterns }, `patterns whose ${o.measure} dissimilarities are defined`, `${rdm.vector[bad]} between conditions ${i} and ${j} (0-based; a constant or all-zero row?)`);
      }
      writeRdmFile(o.out, rdm);
      const sums = o.measure === 'euclidean' ? { euclideanSums: o.euclideanSums ?? 'differences', ...(blas ? { blas } : {}) } : {};
      const summary = { measure: o.measure, conditions: rdm.n, channels: patterns.cols, rows: patterns.rows, out: o.out, ...sums, ...(noise ? { noise } : {}) };
      printResult(io, Boolean(o.json), summary, () => `${o.measure} RDM over ${rdm.n} conditions (${patterns.cols} channels) written to ${o.out}`);
    });
}
