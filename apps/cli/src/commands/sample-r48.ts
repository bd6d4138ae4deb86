import type { Command } from 'commander';
import { InvalidArgumentError } from '@conceptlab/core';
import { MAX_OBJECTS, R48_DEFAULT_COUNT, sampleR48 } from '@conceptlab/triplet-sampler';
import { readTripletsFile, writeTripletsFile } from '../io.js';
import { checkAtMost, checkMemory, checkTextTriplets, intOption } from '../options.js';
import { printResult, type Io } from '../output.js';
import { readObjects48 } from './objects48.js';

interface SampleR48CliOptions {
  objects48: string;
  objects: number;
  concepts?: string;
  count: number;
  seed: number;
  method: string;
  exclude?: string;
  out: string;
  json?: boolean;
}

export function registerSampleR48(program: Command, io: Io): void {
  program
    .command('sample-r48')
    .description('the 48-object similarity design: two of the 48 objects + one of the others per triplet (for r48 and human consistency)')
    .requiredOption('--objects48 <file>', 'the 48 objects: 0-based indices, or uniqueIDs/Words with --concepts')
    .requiredOption('--objects <n>', 'number of objects (indices 0..n-1)', intOption('--objects', 3))
    .option('--concepts <dir>', 'concept directory (things_concepts.tsv) to resolve names in --objects48')
    .option('--count <k>', 'triplets to draw', intOption('--count', 1), R48_DEFAULT_COUNT)
    .option('--seed <s>', 'random seed', intOption('--seed', 0), 0)
    .option('--method <method>', 'paper (independent draws, 48-48-other order; excluded sets removed after drawing) | distinct (exactly --count distinct sets, shuffled order)', 'paper')
    .option('--exclude <file>', 'drop sets present (as unordered sets) in this triplet file, e.g. the training set')
    .requiredOption('--out <file>', 'output file (.txt: "i j k" lines; .npy: int32 n×3)')
    .option('--json', 'print the result as JSON')
    .action((o: SampleR48CliOptions) => {
      if (o.method !== 'paper' && o.method !== 'distinct') throw new InvalidArgumentError('--method', 'paper or distinct', o.method);
      // Bounds before any work: exact set codes, and the drawn triplets (int32 × 3, kept and copied, plus the
      // distinct method's codes) in memory and, as text, in one string.
      checkAtMost('--objects', o.objects, MAX_OBJECTS, 'the most objects whose sets have exact codes below 2^53');
      checkMemory('--count', o.count, 32, 'triplets', 3);
      checkTextTriplets('--count', o.count, o.objects, o.out);
      const objects48 = readObjects48(o.objects48, o.objects, o.concepts);
      const exclude = o.exclude ? readTripletsFile(o.exclude, o.objects) : undefined;
      const res = sampleR48({ objects48, nObjects: o.objects, count: o.count, seed: o.seed, method: o.method, exclude });
      writeTripletsFile(o.out, res.triplets);
      const result = { design: 'r48', method: res.method, objects: o.objects, objects48: objects48.length, count: res.triplets.count, drawn: res.drawn, removed: res.removed, seed: o.seed, out: o.out };
      printResult(io, Boolean(o.json), result, () =>
        `wrote ${res.triplets.count.toLocaleString('en-US')} r48 triplets (${res.method}; ${objects48.length} objects + 1 of the other ${o.objects - objects48.length}` +
          (exclude ? `; ${res.removed} drawn sets removed as in --exclude` : '') + `) to ${o.out}`,
      );
    });
}
