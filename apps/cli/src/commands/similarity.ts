import type { Command } from 'commander';
import { writeNpyMatrix } from '@conceptlab/core';
import { predictedSimilarity } from '@conceptlab/spose-embed';
import { readEmbeddingFile, readIndexList } from '../io.js';
import { floatOption } from '../options.js';
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
      const t0 = performance.now();
      const s = predictedSimilarity(emb, { objects, context, temperature: o.temperature, onProgress: progressRenderer(io, Boolean(o.json)) });
      const seconds = (performance.now() - t0) / 1000;
      writeNpyMatrix(o.out, s);
      const result = { embedding: o.embedding, size: s.rows, context: context ? context.length : emb.rows, seconds, out: o.out };
      printResult(io, Boolean(o.json), result, () => `wrote the ${s.rows}×${s.cols} predicted similarity matrix to ${o.out} (${seconds.toFixed(1)} s)`);
    });
}
