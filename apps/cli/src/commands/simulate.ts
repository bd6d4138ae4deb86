import type { Command } from 'commander';
import { InvalidArgumentError, ParseError } from '@conceptlab/core';
import { answerByEmbedding, answerByFeatures } from '@conceptlab/triplet-sampler';
import { readEmbeddingFile, readTripletsFile, writeTripletsFile } from '../io.js';
import { floatOption, intOption } from '../options.js';
import { printResult, type Io } from '../output.js';

interface SimulateOptions {
  embedding?: string;
  features?: string;
  triplets: string;
  seed: number;
  temperature: number;
  argmax?: boolean;
  out: string;
  json?: boolean;
}

export function registerSimulate(program: Command, io: Io): void {
  program
    .command('simulate')
    .description('answer triplets with a simulated observer: an embedding (SPoSE choice rule) or feature vectors (cosine argmax)')
    .option('--embedding <file>', 'objects × dims embedding (.npy or text): p(pair) = softmax of the three dot products / T')
    .option('--features <file>', 'objects × features (.npy or text): the most cosine-similar pair is kept, the third is odd')
    .requiredOption('--triplets <file>', 'object sets to answer (SPoSE text or .npy)')
    .option('--seed <s>', 'random seed (sampling and tie-breaks)', intOption('--seed', 0), 0)
    .option('--temperature <T>', 'softmax temperature', floatOption('--temperature', (x) => x > 0, 'a positive number'), 1)
    .option('--argmax', 'choose the most similar pair instead of sampling')
    .requiredOption('--out <file>', 'answered triplets (odd one out last)')
    .option('--json', 'print the result as JSON')
    .action((o: SimulateOptions) => {
      if ((o.embedding === undefined) === (o.features === undefined)) {
        throw new InvalidArgumentError('--embedding/--features', 'exactly one of --embedding or --features');
      }
      const file = (o.embedding ?? o.features)!;
      // At least one row and one column, every value finite (no dims: every answer would be a tie).
      const m = readEmbeddingFile(file);
      // Indices beyond the embedding's rows are rejected at the line that holds them.
      const sets = readTripletsFile(o.triplets, m.rows);
      if (sets.count === 0) throw new ParseError({ file: o.triplets }, 'at least one object set to answer', 'none');
      const observer = o.features ? 'cosine-argmax' : o.argmax ? 'spose-argmax' : 'spose-softmax';
      const answered = o.features
        ? answerByFeatures(sets, m, { seed: o.seed })
        : answerByEmbedding(sets, m, { seed: o.seed, temperature: o.temperature, argmax: Boolean(o.argmax) });
      writeTripletsFile(o.out, answered);
      const result = {
        observer,
        temperature: observer === 'spose-softmax' ? o.temperature : null,
        seed: o.seed,
        objects: m.rows,
        dims: m.cols,
        triplets: answered.count,
        out: o.out,
      };
      printResult(io, Boolean(o.json), result, () => `answered ${answered.count.toLocaleString('en-US')} triplets (${observer}${observer === 'spose-softmax' ? `, T=${o.temperature}` : ''}) → ${o.out}`);
    });
}
