import type { Command } from 'commander';
import { ParseError } from '@conceptlab/core';
import { r48, r48Curve, type CorrelationCiMethod, type R48Scale } from '@conceptlab/spose-embed';
import { measuredSimilarity, type UnmeasuredPairs } from '@conceptlab/triplet-sampler';
import { readAnsweredFile, readEmbeddingFile } from '../io.js';
import { checkMemory, checkWork, intOption, oneOf } from '../options.js';
import { printResult, type Io } from '../output.js';
import { readObjects48 } from './objects48.js';

interface R48CliOptions {
  objects48: string;
  answers: string;
  embedding: string;
  concepts?: string;
  bootstrap: number;
  seed: number;
  ci: string;
  scale: string;
  unmeasured: string;
  curve?: boolean;
  json?: boolean;
}


export function registerR48(program: Command, io: Io): void {
  program
    .command('r48')
    .description("r48: Pearson r between the embedding's predicted similarity of 48 objects (48-object context) and their similarity measured from answered 48-design triplets, with the authors' bootstrap CI")
    .requiredOption('--objects48 <file>', 'the 48 objects: 0-based indices, or uniqueIDs/Words with --concepts')
    .requiredOption('--answers <file>', 'answered 48-design triplets ("i j k", odd one out last, 0-based)')
    .requiredOption('--embedding <file>', 'objects × dims embedding (.npy or text)')
    .option('--concepts <dir>', 'concept directory (things_concepts.tsv) to resolve names in --objects48')
    .option('--bootstrap <n>', 'pair bootstrap resamples for the CI (0 = none)', intOption('--bootstrap', 0), 1000)
    .option('--seed <s>', 'bootstrap seed', intOption('--seed', 0), 0)
    .option('--ci <method>', 'paper (tanh(atanh r ± 1.96·SD of bootstrap z)) | percentile', 'paper')
    .option('--scale <method>', 'predicted similarity: paper (sum ÷ 48) | mean (÷ 46); r is the same', 'paper')
    .option('--unmeasured <fill>', 'pairs never shown together: zero (authors) | nan (left out)', 'zero')
    .option('--curve', 'also r48 against dims retained (the first d columns, d = 1 … D)')
    .option('--json', 'print the result as JSON')
    .action((o: R48CliOptions) => {
      const ci = oneOf<CorrelationCiMethod>('--ci', o.ci, ['paper', 'percentile']);
      const scale = oneOf<R48Scale>('--scale', o.scale, ['paper', 'mean']);
      const unmeasured = oneOf<UnmeasuredPairs>('--unmeasured', o.unmeasured, ['zero', 'nan']);
      const emb = readEmbeddingFile(o.embedding);
      const objects48 = readObjects48(o.objects48, emb.rows, o.concepts);
      // Before the work: each pair resample holds two numbers (its r and Fisher z) and draws every pair once.
      const pairs = (objects48.length * (objects48.length - 1)) / 2;
      checkMemory('--bootstrap', o.bootstrap, 16, 'resamples', 1);
      checkWork('--bootstrap', o.bootstrap, 10 * pairs, `resamples of ${pairs} pairs`);
      const { triplets } = readAnsweredFile(o.answers, 'spose', emb.rows);
      // No answers: nothing is measured (every pair unmeasured), so r48 is undefined; an error naming the file.
      if (triplets.count === 0) throw new ParseError({ file: o.answers }, 'at least one answered triplet', 'none (r48 over no answers is undefined)');
      const measured = measuredSimilarity(triplets, emb.rows, { objects: objects48, unmeasured });
      const res = r48(emb, objects48, measured.similarity, { bootstrap: o.bootstrap, seed: o.seed, ci, scale });
      const curve = o.curve ? r48Curve(emb, objects48, measured.similarity, { scale }) : undefined;
      const result = {
        r48: res.r,
        ci: res.ci,
        pairs: res.pairs,
        objects: objects48.length,
        answers: triplets.count,
        unmeasuredPairs: measured.unmeasuredPairs,
        method: { ...res.method, measured: `chosen pair / co-occurrence, never-shown pairs ${unmeasured}` },
        embedding: o.embedding,
        ...(curve ? { curve: curve.points } : {}),
      };
      printResult(io, Boolean(o.json), result, () => {
        const lines = [
          `r48 = ${res.r.toFixed(4)}` +
            (res.ci ? ` (95% CI ${res.ci.low.toFixed(4)}–${res.ci.high.toFixed(4)}, ${ci} CI from ${res.ci.used} of ${res.ci.bootstrap} pair bootstraps, seed ${o.seed})` : ' (no CI)'),
          `${res.pairs} pairs of ${objects48.length} objects; predicted in the ${objects48.length}-object context (${scale === 'paper' ? `÷ ${objects48.length}, as the authors` : 'mean over third objects'}); measured from ${triplets.count} answers` +
            (measured.unmeasuredPairs ? `; ${measured.unmeasuredPairs} pairs never shown together (${unmeasured})` : ''),
        ];
        if (curve) lines.push('dims retained → r48: ' + curve.points.map((p) => `${p.dims}:${p.r === null ? 'undefined' : p.r.toFixed(3)}`).join(' '));
        return lines.join('\n');
      });
    });
}
