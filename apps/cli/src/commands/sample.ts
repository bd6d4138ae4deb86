import { extname } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, type Triplets } from '@conceptlab/core';
import { MAX_OBJECTS, sampleAnchor, sampleBalanced, sampleUniform, splitTriplets } from '@conceptlab/triplet-sampler';
import { readIndexList, readTripletsFile, writeTripletsFile } from '../io.js';
import { checkAtMost, checkMemory, checkTextTriplets, floatOption, intOption } from '../options.js';
import { printResult, progressRenderer, type Io } from '../output.js';
import { splitSizes } from '../pipeline/validate-run.js';

interface SampleOptions {
  objects: number;
  count: number;
  seed: number;
  design: 'uniform' | 'anchor' | 'balanced';
  anchors?: string;
  exclude?: string;
  split?: number;
  allowDuplicates?: boolean;
  out: string;
  json?: boolean;
}

/** `out` with `.train` / `.validation` inserted before the extension. */
export function splitPath(out: string, part: string): string {
  const ext = extname(out);
  return ext ? `${out.slice(0, -ext.length)}.${part}${ext}` : `${out}.${part}`;
}

export function registerSample(program: Command, io: Io): void {
  program
    .command('sample')
    .description('sample a seeded triplet design (unanswered object sets) and write it as SPoSE text or .npy')
    .requiredOption('--objects <n>', 'number of objects (indices 0..n-1)', intOption('--objects', 3))
    .requiredOption('--count <k>', 'number of triplets', intOption('--count', 1))
    .option('--seed <s>', 'random seed', intOption('--seed', 0), 0)
    .option('--design <design>', 'uniform | anchor | balanced', 'uniform')
    .option('--anchors <file>', 'anchor design: file of 0-based object indices (2 of these + 1 other per set)')
    .option('--exclude <file>', 'anchor design: drop sets present (as unordered sets) in this triplet file')
    .option('--split <fraction>', 'also split into train/validation files with this train fraction', floatOption('--split', (x) => x > 0 && x < 1, 'a fraction in (0, 1)'))
    .option('--allow-duplicates', 'uniform design: allow the same set more than once')
    .requiredOption('--out <file>', 'output file (.txt: "i j k" lines; .npy: int32 n×3)')
    .option('--json', 'print the result as JSON')
    .action((o: SampleOptions) => {
      // An option the design ignores is an error, not silently dropped.
      if (o.anchors !== undefined && o.design !== 'anchor') throw new InvalidArgumentError('--anchors', `--design anchor (the ${o.design} design takes no anchors)`, o.anchors);
      if (o.exclude !== undefined && o.design !== 'anchor') throw new InvalidArgumentError('--exclude', `--design anchor (the ${o.design} design takes no exclusion file)`, o.exclude);
      if (o.allowDuplicates && o.design !== 'uniform') throw new InvalidArgumentError('--allow-duplicates', `--design uniform (the ${o.design} design has no such option)`, true);
      // Bounds before any work: exact set codes; the triplets (int32 × 3), the draw's codes and the written copy
      // in memory; a text file within one string.
      checkAtMost('--objects', o.objects, MAX_OBJECTS, 'the most objects whose sets have exact codes below 2^53');
      checkMemory('--count', o.count, 32 + (o.split !== undefined ? 12 : 0), 'triplets', 3);
      checkTextTriplets('--count', o.count, o.objects, o.out);
      if (o.design === 'uniform' && !o.allowDuplicates) {
        const sets = (o.objects * (o.objects - 1) * (o.objects - 2)) / 6;
        checkAtMost('--count', o.count, sets, `the C(${o.objects}, 3) distinct sets of ${o.objects} objects; --allow-duplicates for more`);
      }
      if (o.split !== undefined) {
        // An empty part is no split (and `fit --val` refuses an empty file): refused before the work.
        const { train, validation } = splitSizes(o.count, 1 - o.split);
        if (train === 0 || validation === 0) {
          throw new InvalidArgumentError('--split', `a fraction leaving at least one of the ${o.count} triplets in each part (train ${train}, validation ${validation})`, o.split);
        }
      }
      let triplets: Triplets;
      const onProgress = progressRenderer(io, Boolean(o.json));
      switch (o.design) {
        case 'uniform':
          triplets = sampleUniform({ nObjects: o.objects, count: o.count, seed: o.seed, allowDuplicates: Boolean(o.allowDuplicates), onProgress });
          break;
        case 'balanced':
          triplets = sampleBalanced({ nObjects: o.objects, count: o.count, seed: o.seed, onProgress });
          break;
        case 'anchor': {
          if (!o.anchors) throw new InvalidArgumentError('--anchors', 'a file of anchor object indices for --design anchor');
          const anchors = readIndexList(o.anchors, o.objects);
          const exclude = o.exclude ? readTripletsFile(o.exclude, o.objects) : undefined;
          triplets = sampleAnchor({ anchors, nObjects: o.objects, count: o.count, seed: o.seed, exclude });
          break;
        }
        default:
          throw new InvalidArgumentError('--design', 'uniform, anchor or balanced', o.design);
      }
      const files: { path: string; role: string; count: number }[] = [];
      if (o.split !== undefined) {
        const parts = splitTriplets(triplets, { fractions: { train: o.split, validation: 1 - o.split }, seed: o.seed });
        // Validate both parts before writing either, so a failure leaves nothing behind.
        files.push({ path: splitPath(o.out, 'train'), role: 'train', count: parts.train.count });
        files.push({ path: splitPath(o.out, 'validation'), role: 'validation', count: parts.validation.count });
        writeTripletsFile(files[0].path, parts.train);
        writeTripletsFile(files[1].path, parts.validation);
      } else {
        files.push({ path: o.out, role: 'all', count: triplets.count });
        writeTripletsFile(o.out, triplets);
      }
      const result = { design: o.design, objects: o.objects, count: triplets.count, seed: o.seed, files };
      printResult(io, Boolean(o.json), result, () =>
        files.map((f) => `wrote ${f.count.toLocaleString('en-US')} ${o.design} triplets (${f.role}) to ${f.path}`).join('\n'),
      );
    });
}
