import { mkdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Command } from 'commander';
import { FileError, InvalidArgumentError, ParseError, ShapeError, readMatrixText, readNpy, writeFileAtomic, writeNpy } from '@conceptlab/core';
import { mean, median } from '@conceptlab/core/stats';
import {
  defaultAlphas,
  gridSize,
  logspace,
  readMask,
  splitFromTest,
  trainTestSplit,
  voxelwiseEncoding,
  writeNifti,
  type Split,
} from '@conceptlab/neuro-rsa';
import { readEmbeddingFile, readIndexList, readMatrixFile } from '../io.js';
import { checkMemory, checkWork, floatOption, intOption } from '../options.js';
import { printResult, type Io } from '../output.js';

interface EncodeCliOptions {
  embedding: string;
  patterns: string;
  testFraction?: number;
  test?: string;
  alphas?: string;
  folds: number;
  shuffle?: boolean;
  seed: number;
  ncsnr?: string;
  nRepeats: number;
  mask?: string;
  out: string;
  json?: boolean;
}

/**
 * Penalties from the command line: numbers separated by commas or spaces, or `logspace:START:STOP:NUM`
 * (numpy.logspace).
 */
export function parseAlphas(text: string, checkCount: (n: number) => void = () => undefined): Float64Array {
  const m = /^logspace:([^:]+):([^:]+):([^:]+)$/.exec(text.trim());
  if (m) {
    const [a, b, n] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError('--alphas', 'logspace:START:STOP:NUM with finite exponents and a positive integer count', text);
    checkCount(n);
    return logspace(a, b, n);
  }
  const parts = text.split(/[\s,]+/).filter((s) => s !== '');
  const out = Float64Array.from(parts, Number);
  if (parts.length === 0 || out.some((v) => !(Number.isFinite(v) && v >= 0))) throw new InvalidArgumentError('--alphas', 'penalties ≥ 0 separated by commas, or logspace:START:STOP:NUM', text);
  return out;
}

/** A 1-D vector of per-voxel values from .npy (any shape; flattened) or text (whitespace-separated). */
function readVector(file: string, what: string): Float64Array {
  if (extname(file).toLowerCase() === '.npy') {
    const a = readNpy(file);
    if (a.dtype === 'i8') throw new ParseError({ file }, `${what} as floating-point or 32-bit values`, `dtype ${a.dtype}`);
    return Float64Array.from(a.data as ArrayLike<number>);
  }
  return readMatrixText(file).data;
}

function stats(values: Float64Array): { mean: number | null; median: number | null; max: number | null; finite: number } {
  const f = Array.from(values).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (f.length === 0) return { mean: null, median: null, max: null, finite: 0 };
  return { mean: mean(f), median: median(f), max: f[f.length - 1]!, finite: f.length };
}

export function registerEncode(program: Command, io: Io): void {
  program
    .command('encode')
    .description('voxelwise ridge encoding: predict each voxel from an embedding, penalty per voxel by K-fold CV, scored by held-out R² and r')
    .requiredOption('--embedding <file>', 'conditions × dims features (.npy or text)')
    .requiredOption('--patterns <file>', 'conditions × voxels responses (.npy or text), rows in the embedding\'s order')
    .option('--test-fraction <f>', 'hold out this fraction of conditions at random (seeded)', floatOption('--test-fraction', (x) => x > 0 && x < 1, 'a number in (0, 1)'))
    .option('--test <file>', 'hold out these conditions (0-based indices, whitespace- or comma-separated)')
    .option('--alphas <list>', 'ridge penalties: numbers separated by commas, or logspace:START:STOP:NUM (default logspace:-3:3:100)')
    .option('--folds <k>', 'CV folds for choosing each voxel\'s penalty (and outer folds when no test set is given)', intOption('--folds', 2), 5)
    .option('--shuffle', 'shuffle conditions (seeded) before cutting folds; default contiguous folds')
    .option('--seed <s>', 'seed of the test split and fold shuffles', intOption('--seed', 0), 0)
    .option('--ncsnr <file>', 'noise-ceiling SNR per voxel (.npy or text): adds noise-ceiling.npy and r2-normalized.npy')
    .option('--n-repeats <n>', 'trials averaged per condition, for the noise ceiling', intOption('--n-repeats', 1), 3)
    .option('--mask <file>', 'NIfTI mask whose non-zero voxels (NIfTI order) are the pattern columns: also writes r/r2/alpha NIfTI maps')
    .requiredOption('--out <dir>', 'output directory: r.npy, r2.npy, alpha.npy, predictions.npy, summary.json (+ NIfTI maps with --mask)')
    .option('--json', 'print the summary as JSON')
    .action(async (o: EncodeCliOptions) => {
      if (o.testFraction !== undefined && o.test !== undefined) throw new InvalidArgumentError('--test-fraction/--test', 'at most one of them', 'both');
      const x = readEmbeddingFile(o.embedding);
      const y = readMatrixFile(o.patterns);
      if (y.cols === 0) throw new ParseError({ file: o.patterns }, 'at least one voxel (column)', `shape ${y.rows}×0`);
      if (y.rows !== x.rows) throw new ShapeError(`${o.patterns} has ${y.rows} conditions (rows), ${o.embedding} has ${x.rows}`);
      for (let q = 0; q < y.data.length; q++) {
        if (!Number.isFinite(y.data[q]!)) throw new ParseError({ file: o.patterns }, 'finite values', `${y.data[q]} at condition ${Math.floor(q / y.cols)}, voxel ${q % y.cols} (0-based)`);
      }
      // Bounds before the work: each penalty keeps a CV score per voxel (8 bytes) and fits every fold (about
      // conditions × (dims + voxels) operations).
      const checkCount = (n: number) => {
        checkMemory('--alphas', n, 8 * Math.max(1, y.cols), 'penalties', y.cols, ` (one CV score per voxel, ${y.cols} voxels)`);
        checkWork('--alphas', n, o.folds * x.rows * (x.cols + y.cols + 1), 'penalties');
      };
      const alphas = o.alphas !== undefined ? parseAlphas(o.alphas, checkCount) : defaultAlphas();
      if (o.alphas !== undefined) checkCount(alphas.length);
      const ncsnr = o.ncsnr !== undefined ? readVector(o.ncsnr, 'ncsnr') : undefined;
      if (ncsnr && ncsnr.length !== y.cols) throw new ShapeError(`${o.ncsnr} has ${ncsnr.length} values, ${o.patterns} has ${y.cols} voxels`);
      const mask = o.mask !== undefined ? await readMask(o.mask) : undefined;
      if (mask && mask.indices.length !== y.cols) throw new ShapeError(`${o.mask} has ${mask.indices.length} voxels inside, ${o.patterns} has ${y.cols} columns`);
      let evaluation: Split | number = o.folds;
      if (o.test !== undefined) evaluation = splitFromTest(x.rows, readIndexList(o.test, x.rows));
      else if (o.testFraction !== undefined) evaluation = trainTestSplit(x.rows, o.testFraction, o.seed);
      const res = voxelwiseEncoding(x, y, { evaluation, alphas, folds: o.folds, shuffle: Boolean(o.shuffle), seed: o.seed, ncsnr, nRepeats: o.nRepeats });

      try {
        mkdirSync(o.out, { recursive: true });
      } catch (e) {
        throw new FileError(o.out, 'write', (e as Error).message);
      }
      const files: Record<string, string> = {};
      const save = (name: string, data: Float64Array | Int32Array, shape: number[]) => {
        const f = join(o.out, name);
        writeNpy(f, { dtype: data instanceof Int32Array ? 'i4' : 'f8', shape, data });
        files[name.replace(/\.npy$/, '')] = f;
      };
      save('r.npy', res.r, [y.cols]);
      save('r2.npy', res.r2, [y.cols]);
      save('alpha.npy', res.alpha, [y.cols]);
      save('predictions.npy', res.predictions.data, [res.predictions.rows, y.cols]);
      save('test-rows.npy', res.testRows, [res.testRows.length]);
      if (res.noiseCeiling) save('noise-ceiling.npy', res.noiseCeiling, [y.cols]);
      if (res.r2Normalized) save('r2-normalized.npy', res.r2Normalized, [y.cols]);
      if (mask) {
        const maps: [string, Float64Array][] = [['r', res.r], ['r2', res.r2], ['alpha', res.alpha]];
        if (res.r2Normalized) maps.push(['r2-normalized', res.r2Normalized]);
        for (const [name, values] of maps) {
          const data = new Float32Array(gridSize(mask.grid)).fill(Number.NaN);
          mask.indices.forEach((v, c) => (data[v] = values[c]!));
          const f = join(o.out, `${name}.nii.gz`);
          writeNifti(f, { grid: mask.grid, frames: 1, data }, { description: `conceptlab encode ${name}` });
          files[`${name}Map`] = f;
        }
      }
      const summary = {
        embedding: o.embedding,
        patterns: o.patterns,
        conditions: x.rows,
        dims: x.cols,
        voxels: y.cols,
        evaluation: typeof evaluation === 'number' ? { outerFolds: evaluation } : { train: evaluation.train.length, test: evaluation.test.length },
        folds: o.folds,
        shuffle: Boolean(o.shuffle),
        seed: o.seed,
        alphas: { count: alphas.length, min: Math.min(...alphas), max: Math.max(...alphas) },
        r: stats(res.r),
        r2: stats(res.r2),
        ...(res.r2Normalized ? { r2Normalized: stats(res.r2Normalized), nRepeats: o.nRepeats } : {}),
        files,
      };
      writeFileAtomic(join(o.out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
      printResult(io, Boolean(o.json), summary, () => {
        const f = (v: number | null) => (v === null ? 'n/a' : v.toFixed(4));
        const how = typeof evaluation === 'number' ? `${evaluation}-fold outer CV` : `${evaluation.test.length} held-out conditions`;
        const lines = [
          `${y.cols} voxels from ${x.cols} dims over ${x.rows} conditions (${how}; penalty per voxel by ${o.folds}-fold CV over ${alphas.length} alphas)`,
          `r: mean ${f(summary.r.mean)}, median ${f(summary.r.median)}, max ${f(summary.r.max)}`,
          `R²: mean ${f(summary.r2.mean)}, median ${f(summary.r2.median)}, max ${f(summary.r2.max)}`,
        ];
        if (summary.r2Normalized) lines.push(`R² / noise ceiling: mean ${f(summary.r2Normalized.mean)}, median ${f(summary.r2Normalized.median)}`);
        lines.push(`→ ${o.out}`);
        return lines.join('\n');
      });
    });
}
