import type { Command } from 'commander';
import { InvalidArgumentError, ParseError, writeNpyMatrix } from '@conceptlab/core';
import { predictedSimilarity } from '@conceptlab/spose-embed';
import { readEmbeddingFile, readIndexList } from '../io.js';
import { checkMemoryOf, floatOption } from '../options.js';
import { printResult, progressRenderer, type Io } from '../output.js';

interface SimilarityOptions {
  embedding: string;
  objects?: string;
  context?: string;
  temperature: number;
  out: string;
  json?: boolean;
}

export function registerSimilarity(program: Command, io: Io): void {
  program
    .command('similarity')
    .description('the predicted similarity matrix S_ij = mean over third objects k of p(i,j | k) under the SPoSE choice rule')
    .requiredOption('--embedding <file>', 'objects × dims embedding (.npy or text)')
    .option('--objects <file>', 'only these objects (0-based indices) as the rows and columns of S')
    .option('--context <file>', 'average over these third objects k (default: all objects)')
    .option('--temperature <T>', 'softmax temperature', floatOption('--temperature', (x) => x > 0, 'a positive number'), 1)
    .requiredOption('--out <file>', 'output .npy (float64 n × n)')
    .option('--json', 'print the result as JSON')
    .action((o: SimilarityOptions) => {
      const emb = readEmbeddingFile(o.embedding);
      const objects = o.objects ? readIndexList(o.objects, emb.rows) : undefined;
      const context = o.context ? readIndexList(o.context, emb.rows) : undefined;
      if (objects && objects.length === 0) throw new ParseError({ file: o.objects! }, 'at least one object index', 'none');
      if (context && context.length === 0) throw new ParseError({ file: o.context! }, 'at least one context object index', 'none');
      // Before the work: one object has no pair; without --context, a pair of two objects has no third to average over.
      const size = objects ? new Set(objects).size : emb.rows;
      if (size < 2) {
        if (objects) throw new ParseError({ file: o.objects! }, 'at least 2 distinct objects (one object has no pair to compare)', `${size}`);
        throw new ParseError({ file: o.embedding }, 'at least 2 objects (one object has no pair to compare)', `${emb.rows} row`);
      }
      if (!context && emb.rows < 3) {
        throw new ParseError({ file: o.embedding }, 'at least 3 objects (S averages each pair over third objects; give --context otherwise)', `${emb.rows} rows`);
      }
      if (context) {
        // Before the work: with fewer than 3 distinct context objects, a pair of them has no third to average over.
        const ctx = [...new Set(context)];
        const rows = new Set(objects ?? Array.from({ length: emb.rows }, (_, i) => i));
        const inRows = ctx.filter((k) => rows.has(k));
        const other = [...rows].find((i) => !ctx.includes(i));
        const pair = ctx.length === 1 && inRows.length === 1 && other !== undefined ? [inRows[0], other] : ctx.length === 2 && inRows.length === 2 ? inRows : undefined;
        if (ctx.length === 0 || pair) {
          throw new InvalidArgumentError('--context', `at least 3 distinct objects, or none shared with the rows: S(${pair?.join(', ')}) would average over no third object (undefined)`, o.context);
        }
      }
      // The n × n result and the n × context rows of exponentiated dot products, in memory before the work.
      // (Without --objects and --context the context is the rows themselves, so it grows with them.)
      const ctx = (s: number) => (context ? context.length : objects ? emb.rows : s);
      checkMemoryOf(objects ? '--objects' : '--embedding', size, (s) => 8 * s * s + 16 * s * ctx(s), (s) => s * Math.max(s, ctx(s)), `a ${size}×${size} similarity matrix and ${size}×${ctx(size)} products, 8 bytes each`);
      const t0 = performance.now();
      const s = predictedSimilarity(emb, { objects, context, temperature: o.temperature, onProgress: progressRenderer(io, Boolean(o.json)) });
      const seconds = (performance.now() - t0) / 1000;
      // S_ij averages over the context objects other than i and j: a pair that covers the whole context (a
      // context of one or two objects) has nothing to average, so S_ij is undefined. Refuse before writing.
      for (let q = 0; q < s.data.length; q++) {
        const v = s.data[q]!;
        if (Number.isFinite(v)) continue;
        const [i, j] = [Math.floor(q / s.cols), q % s.cols];
        const [oi, oj] = objects ? [objects[i], objects[j]] : [i, j];
        throw new InvalidArgumentError(
          context ? '--context' : '--embedding',
          context ? `context objects other than each pair: S(${oi}, ${oj}) averages over none of the ${new Set(context).size} given (give at least 3 distinct objects)` : `finite similarities (S(${oi}, ${oj}) is ${v})`,
          context ? o.context : o.embedding,
        );
      }
      writeNpyMatrix(o.out, s);
      const result = { embedding: o.embedding, size: s.rows, context: context ? context.length : emb.rows, seconds, out: o.out };
      printResult(io, Boolean(o.json), result, () => `wrote the ${s.rows}×${s.cols} predicted similarity matrix to ${o.out} (${seconds.toFixed(1)} s)`);
    });
}
