import type { Command } from 'commander';
import { InvalidArgumentError } from '@conceptlab/core';
import { evaluateTriplets } from '@conceptlab/spose-embed';
import { readAnsweredFile, readEmbeddingFile, type AnsweredFormat } from '../io.js';
import { floatOption, intOption } from '../options.js';
import { printResult, type Io } from '../output.js';

interface EvaluateOptions {
  embedding: string;
  triplets: string;
  format: string;
  seed: number;
  temperature: number;
  similarity: string;
  json?: boolean;
}

export function registerEvaluate(program: Command, io: Io): void {
  program
    .command('evaluate')
    .description('odd-one-out accuracy and cross-entropy of an embedding on answered triplets (ties broken at random with the seed)')
    .requiredOption('--embedding <file>', 'objects × dims embedding (.npy or text)')
    .requiredOption('--triplets <file>', 'answered triplets: SPoSE "i j k" (odd one out last), .npy, or the THINGS noise-ceiling TSV')
    .option('--format <format>', 'auto | spose | things-tsv', 'auto')
    .option('--seed <s>', 'seed for tie-breaks', intOption('--seed', 0), 0)
    .option('--temperature <T>', 'softmax temperature for the cross-entropy', floatOption('--temperature', (x) => x > 0, 'a positive number'), 1)
    .option('--similarity <kind>', 'dot | euclidean', 'dot')
    .option('--json', 'print the result as JSON')
    .action((o: EvaluateOptions) => {
      if (!['auto', 'spose', 'things-tsv'].includes(o.format)) throw new InvalidArgumentError('--format', 'auto, spose or things-tsv', o.format);
      if (o.similarity !== 'dot' && o.similarity !== 'euclidean') throw new InvalidArgumentError('--similarity', 'dot or euclidean', o.similarity);
      const emb = readEmbeddingFile(o.embedding);
      const { triplets, format } = readAnsweredFile(o.triplets, o.format === 'auto' ? undefined : (o.format as AnsweredFormat), emb.rows);
      const r = evaluateTriplets(emb, triplets, { seed: o.seed, temperature: o.temperature, similarity: o.similarity });
      const ci95 = 1.96 * Math.sqrt((r.accuracy * (1 - r.accuracy)) / r.count);
      const result = {
        embedding: o.embedding,
        triplets: o.triplets,
        format,
        objects: emb.rows,
        dims: emb.cols,
        count: r.count,
        accuracy: r.accuracy,
        percent: 100 * r.accuracy,
        ci95Percent: 100 * ci95,
        crossEntropy: r.crossEntropy,
      };
      printResult(io, Boolean(o.json), result, () =>
        `accuracy: ${(100 * r.accuracy).toFixed(2)}% ± ${(100 * ci95).toFixed(2)} (95% CI, binomial) on ${r.count} triplets; cross-entropy ${r.crossEntropy.toFixed(4)}`,
      );
    });
}
