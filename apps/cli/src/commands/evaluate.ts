import type { Command } from 'commander';
import { InvalidArgumentError, ParseError } from '@conceptlab/core';
import { accuracyChance, accuracyCi, evaluateTriplets, type SimilarityKind } from '@conceptlab/spose-embed';
import { readAnsweredFile, readEmbeddingFile, type AnsweredFormat } from '../io.js';
import { checkWork, floatOption, intOption } from '../options.js';
import { printResult, type Io } from '../output.js';

interface EvaluateOptions {
  embedding: string;
  triplets: string;
  format: string;
  seed: number;
  temperature: number;
  similarity: string;
  chance?: boolean;
  chanceDraws: number;
  json?: boolean;
}

const pct = (x: number) => (100 * x).toFixed(2);

const SIMILARITY_HELP = "dot | euclidean (the SPoSE reference's −distance) | euclidean-squared (−distance²)";

/** The CLI's --similarity names: `euclidean` is the SPoSE reference's −distance (the library's 'euclidean-distance'). */
function parseSimilarity(name: string): SimilarityKind {
  if (name === 'dot' || name === 'euclidean-squared' || name === 'euclidean-distance') return name;
  if (name === 'euclidean') return 'euclidean-distance';
  throw new InvalidArgumentError('--similarity', 'dot, euclidean or euclidean-squared', name);
}

export function registerEvaluate(program: Command, io: Io): void {
  program
    .command('evaluate')
    .description(
      "odd-one-out accuracy and cross-entropy of an embedding on answered triplets (ties broken at random with the seed), with the paper's 95% CI " +
        '(1.96·SD of per-object accuracy/√objects seen, figure 2h) and a binomial CI over triplets; --chance adds the authors\' random-label chance level',
    )
    .requiredOption('--embedding <file>', 'objects × dims embedding (.npy or text)')
    .requiredOption('--triplets <file>', 'answered triplets: SPoSE "i j k" (odd one out last), .npy, or the THINGS noise-ceiling TSV')
    .option('--format <format>', 'auto | spose | things-tsv', 'auto')
    .option('--seed <s>', 'seed for tie-breaks (and the chance draws)', intOption('--seed', 0), 0)
    .option('--temperature <T>', 'softmax temperature for the cross-entropy', floatOption('--temperature', (x) => x > 0, 'a positive number'), 1)
    .option('--similarity <kind>', SIMILARITY_HELP, 'dot')
    .option('--chance', "also the authors' chance level: the mean and MATLAB prctile 2.5/97.5 of the accuracy of random labels against the fixed predictions")
    .option('--chance-draws <n>', 'random label draws for --chance', intOption('--chance-draws', 1), 1000)
    .option('--json', 'print the result as JSON')
    .action((o: EvaluateOptions) => {
      if (!['auto', 'spose', 'things-tsv'].includes(o.format)) throw new InvalidArgumentError('--format', 'auto, spose or things-tsv', o.format);
      const similarity: SimilarityKind = parseSimilarity(o.similarity);
      const emb = readEmbeddingFile(o.embedding);
      const { triplets, format } = readAnsweredFile(o.triplets, o.format === 'auto' ? undefined : (o.format as AnsweredFormat), emb.rows);
      // No triplets: the accuracy is undefined (it would print NaN%); an error, not a result.
      if (triplets.count === 0) throw new ParseError({ file: o.triplets }, 'at least one answered triplet', 'none (an accuracy over no triplets is undefined)');
      if (o.chance) checkWork('--chance-draws', o.chanceDraws, triplets.count, 'draws');
      const r = evaluateTriplets(emb, triplets, { seed: o.seed, temperature: o.temperature, similarity });
      const ci = accuracyCi(triplets, r.correct, emb.rows);
      const chance = o.chance ? accuracyChance(r.predicted, { draws: o.chanceDraws, seed: o.seed }) : null;
      const result = {
        embedding: o.embedding,
        triplets: o.triplets,
        format,
        objects: emb.rows,
        dims: emb.cols,
        count: r.count,
        similarity,
        accuracy: r.accuracy,
        percent: 100 * r.accuracy,
        /** The paper's CI (figure 2h), the one to report; half-width in percent points. */
        ci95Percent: 100 * ci.paper.halfWidth,
        ci95Method: ci.paper.method,
        ci: {
          paper: { ...ci.paper, halfWidthPercent: 100 * ci.paper.halfWidth },
          binomial: { ...ci.binomial, halfWidthPercent: 100 * ci.binomial.halfWidth },
        },
        chance: chance && { ...chance, meanPercent: 100 * chance.mean, lowPercent: 100 * chance.low, highPercent: 100 * chance.high },
        crossEntropy: r.crossEntropy,
      };
      printResult(io, Boolean(o.json), result, () =>
        [
          `accuracy: ${pct(r.accuracy)}% ± ${pct(ci.paper.halfWidth)} (95% CI, the paper's: 1.96·SD of per-object accuracy/√${ci.paper.objectsSeen} objects seen` +
            (ci.paper.objectsUnseen > 0 ? `; ${ci.paper.objectsUnseen} objects in no triplet left out` : '') +
            `) on ${r.count} triplets; cross-entropy ${r.crossEntropy.toFixed(4)}`,
          `  binomial CI over triplets: ± ${pct(ci.binomial.halfWidth)}`,
          ...(chance ? [`  chance (${chance.draws} random-label draws): ${pct(chance.mean)}% [${pct(chance.low)}, ${pct(chance.high)}] (MATLAB prctile 2.5/97.5)`] : []),
        ].join('\n'),
      );
    });
}
