import type { Command } from 'commander';
import { InvalidArgumentError, ParseError } from '@conceptlab/core';
import { dimsNeeded, dimsNeededPaper, type DimsNeededSummary } from '@conceptlab/spose-embed';
import { readEmbeddingFile, readTripletsFile } from '../io.js';
import { checkMemoryOf, intOption } from '../options.js';
import { printResult, progressRenderer, type Io } from '../output.js';

interface DimsNeededCliOptions {
  triplets: string;
  method: string;
  seed?: number;
  similarity: boolean;
  json?: boolean;
}

const range = (r: { min: number | null; max: number | null }) => `${r.min ?? 'none'}–${r.max ?? 'none'}`;

/** A per-object summary as printed: median and mean null, with `undefined` saying why, when no object defines them. */
function defined(s: DimsNeededSummary, why: string): { median: number | null; mean: number | null; objects: number; undefined?: string } {
  return s.objects > 0 ? { median: s.median, mean: s.mean, objects: s.objects } : { median: null, mean: null, objects: 0, undefined: why };
}

export function registerDimsNeeded(program: Command, io: Io): void {
  program
    .command('dims-needed')
    .description('how many dims carry the behaviour (95–99% of accuracy) and the similarity (r² 0.95–0.99); paper = the authors\' definition (zero every object\'s weakest dims at once)')
    .argument('<embedding>', 'objects × dims embedding (.npy or text)')
    .requiredOption('--triplets <file>', 'held-out answered triplets ("i j k", odd one out last, 0-based)')
    .option('--method <method>', 'paper (authors, default) | per-object (each object reduced alone)', 'paper')
    .option('--seed <s>', 'tie-break seed (default 42 for paper, 0 for per-object)', intOption('--seed', 0))
    .option('--no-similarity', 'paper: skip the similarity criterion (one full predicted-similarity matrix per level)')
    .option('--json', 'print the result as JSON')
    .action((file: string, o: DimsNeededCliOptions) => {
      if (o.method !== 'paper' && o.method !== 'per-object') throw new InvalidArgumentError('--method', 'paper or per-object', o.method);
      const emb = readEmbeddingFile(file);
      // All weights zero: every triplet is a three-way tie, so no dim carries anything (the analysis is undefined).
      if (emb.data.every((v) => v === 0)) throw new ParseError({ file }, 'an embedding with at least one non-zero weight', 'every weight 0');
      const triplets = readTripletsFile(o.triplets, emb.rows);
      if (triplets.count === 0) throw new ParseError({ file: o.triplets }, 'at least one answered triplet', 'none (an accuracy over no triplets is undefined)');
      // paper with the similarity criterion: a predicted similarity of every pair per level (the n × n matrix,
      // its products and two lower triangles: about 32 bytes a pair), before the work.
      if (o.method === 'paper' && o.similarity) {
        checkMemoryOf(`${file} (objects)`, emb.rows, (n) => 32 * n * n, (n) => n * n, `a ${emb.rows}×${emb.rows} predicted similarity per level, --no-similarity skips it`);
      }
      const onProgress = progressRenderer(io, Boolean(o.json));
      if (o.method === 'paper') {
        const res = dimsNeededPaper(emb, triplets, { seed: o.seed, similarity: o.similarity, onProgress });
        const result = {
          method: 'paper', embedding: file, dims: res.dims, triplets: res.triplets, fullAccuracy: res.fullAccuracy,
          accuracyCutoffs: res.accuracyCutoffs, accuracyDims: res.accuracyDims,
          r2Cutoffs: res.r2Cutoffs, similarityDims: res.similarityDims ?? null,
          curve: Array.from(res.accuracy, (acc, k) => ({ retained: k, accuracy: acc, r: res.similarityR ? res.similarityR[k] : undefined })),
        };
        printResult(io, Boolean(o.json), result, () => [
          `method: paper (every object's weakest dims zeroed at once; cut-offs 0.95·acc and 0.99·acc as the authors' code)`,
          `full accuracy ${(100 * res.fullAccuracy).toFixed(2)}% on ${res.triplets} triplets; ${res.dims} dims`,
          `accuracy: ${range(res.accuracyDims)} dims retained (> ${(100 * res.accuracyCutoffs[0]).toFixed(2)}% / < ${(100 * res.accuracyCutoffs[1]).toFixed(2)}%)`,
          res.similarityDims ? `similarity: ${range(res.similarityDims)} dims retained (r² > 0.95 / < 0.99)` : 'similarity: skipped',
        ].join('\n'));
      } else {
        const res = dimsNeeded(emb, triplets, { seed: o.seed, onProgress });
        // A summary over no object is undefined: null with the reason in JSON, "undefined" in text (never NaN).
        const summary = res.summary.map((s) => ({
          quantile: s.quantile,
          accuracy: defined(s.accuracy, 'no object has triplets and a full accuracy above chance'),
          variance: defined(s.variance, "every object's similarity row is constant"),
        }));
        const result = { method: 'per-object', embedding: file, dims: res.dims, triplets: triplets.count, summary };
        const median = (x: ReturnType<typeof defined>) => (x.median === null ? `undefined (${x.undefined})` : `${x.median} (${x.objects} objects)`);
        printResult(io, Boolean(o.json), result, () => [
          'method: per-object (each object keeps its m strongest dims alone; margin above chance)',
          ...summary.map((s) => `q = ${s.quantile}: accuracy median ${median(s.accuracy)}, variance median ${median(s.variance)}`),
        ].join('\n'));
      }
    });
}
