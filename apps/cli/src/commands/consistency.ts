import type { Command } from 'commander';
import { InvalidArgumentError, ParseError, type Matrix } from '@conceptlab/core';
import { humanConsistency, type SimilarityHalves } from '@conceptlab/spose-embed';
import { measuredSimilarityHalves } from '@conceptlab/triplet-sampler';
import { readAnsweredFile } from '../io.js';
import { checkMemory, checkWork, intOption } from '../options.js';
import { printResult, type Io } from '../output.js';
import { readObjects48 } from './objects48.js';

interface ConsistencyCliOptions {
  model: string;
  human: string;
  objects48: string;
  objects: number;
  concepts?: string;
  bootstrap: number;
  seed: number;
  ci: string;
  json?: boolean;
}

/** The authors' measured RDM48s (1 − S, never-shown pairs 0 in S) of an answer file: full and file-order halves. */
function rdms(file: string, n: number, objects48: Int32Array): SimilarityHalves & { answers: number } {
  const { triplets } = readAnsweredFile(file, 'spose', n);
  // Fewer than 2 answers: a split half is empty, so its matrix and every correlation with it are undefined.
  if (triplets.count < 2) throw new ParseError({ file }, 'at least 2 answered triplets (one per split half)', triplets.count === 0 ? 'none' : 'one');
  const h = measuredSimilarityHalves(triplets, n, { objects: objects48 });
  const rdm = (m: Matrix<Float64Array>) => ({ ...m, data: m.data.map((v) => 1 - v) });
  return { full: rdm(h.full.similarity), firstHalf: rdm(h.firstHalf.similarity), secondHalf: rdm(h.secondHalf.similarity), answers: triplets.count };
}

export function registerConsistency(program: Command, io: Io): void {
  program
    .command('consistency')
    .description('human consistency ρ = r_mh/√(r_mm·r_hh) of measured 48-object RDMs (split-half reliabilities, no Spearman–Brown) with the authors\' pair-bootstrap CI')
    .requiredOption('--model <file>', "the model's answered 48-design triplets (odd one out last, 0-based)")
    .requiredOption('--human <file>', "the humans' answered 48-design triplets")
    .requiredOption('--objects48 <file>', 'the 48 objects: 0-based indices, or uniqueIDs/Words with --concepts')
    .requiredOption('--objects <n>', 'number of objects (indices 0..n-1)', intOption('--objects', 3))
    .option('--concepts <dir>', 'concept directory (things_concepts.tsv) to resolve names in --objects48')
    .option('--bootstrap <n>', 'pair bootstrap resamples', intOption('--bootstrap', 2), 1000)
    .option('--seed <s>', 'bootstrap seed (one seed: every model gets the same resampled pairs)', intOption('--seed', 0), 0)
    .option('--ci <method>', 'CI of ρ: paper (r_mh CI shifted by ρ − r_mh) | rescaled (r_mh CI ÷ √(r_mm·r_hh))', 'paper')
    .option('--json', 'print the result as JSON')
    .action((o: ConsistencyCliOptions) => {
      if (o.ci !== 'paper' && o.ci !== 'rescaled') throw new InvalidArgumentError('--ci', 'paper or rescaled', o.ci);
      // Before the work: three index maps of --objects entries (full answers and the two halves), and per pair
      // resample two numbers (r and Fisher z) for r_mh and for r_hh, each drawing every pair once.
      checkMemory('--objects', o.objects, 12, 'objects', 1);
      const objects48 = readObjects48(o.objects48, o.objects, o.concepts);
      const pairs = (objects48.length * (objects48.length - 1)) / 2;
      checkMemory('--bootstrap', o.bootstrap, 32, 'resamples', 1);
      checkWork('--bootstrap', o.bootstrap, 20 * pairs, `resamples of ${pairs} pairs`);
      const model = rdms(o.model, o.objects, objects48);
      const human = rdms(o.human, o.objects, objects48);
      const res = humanConsistency(model, human, { bootstrap: o.bootstrap, seed: o.seed, ci: o.ci });
      const result = { ...res, model: o.model, human: o.human, modelAnswers: model.answers, humanAnswers: human.answers, objects: objects48.length };
      const iv = (c: { low: number; high: number } | null) => (c ? ` [${c.low.toFixed(3)}, ${c.high.toFixed(3)}]` : '');
      printResult(io, Boolean(o.json), result, () => [
        `ρ = ${res.rho.toFixed(3)}${iv(res.rhoCi)} (CI: ${o.ci})`,
        `r_mh = ${res.rModelHuman.toFixed(3)}${iv(res.rModelHumanCi)}, r_mm = ${res.rModelModel.toFixed(3)}, r_hh (human) = ${res.rHumanHuman.toFixed(3)}${iv(res.rHumanHumanCi)}`,
        `${res.pairs} pairs, ${res.bootstrap} pair bootstraps (seed ${res.seed}); split halves in file order, no Spearman–Brown`,
      ].join('\n'));
    });
}
