/**
 * Everything `conceptlab run`/`demo` can check before it writes a file or sends a request: the concept
 * directory, the design (its size bounded, its file read), the split and the fit's batch size against the
 * number of training triplets, the fit's size in memory (dims, seeds), the human reference,
 * the r48 objects and the annotation options (endpoint URL scheme, API key variable, prompt, images). A run
 * refused here leaves its output folder as it was.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, loadThingsDirectory, type ConceptSet, type Triplets } from '@conceptlab/core';
import { DEFAULT_PROMPT, prepareAnnotation, resolvePrompt } from '@conceptlab/llm-annotator';
import { readObjects48 } from '../commands/objects48.js';
import { readTripletsFile } from '../io.js';
import { checkMemory } from '../options.js';
import { readHumanReference } from './compare-stage.js';
import { adaptiveRoundSizes, type AdaptiveDesignConfig, type RunConfig } from './run-config.js';

/**
 * The most triplets a run (or its r48 design) may ask about: 20 million, over 4× the paper's 4.7 million.
 * Bounded by what one machine holds: the design, the journal (a few hundred bytes a row on disk) and the
 * SPoSE training set in memory.
 */
export const MAX_RUN_TRIPLETS = 20_000_000;

/** What the checks found: the concept set and the design's sizes. */
export interface RunPlan {
  readonly concepts: ConceptSet;
  readonly designCount: number;
  readonly train: number;
  readonly validation: number;
}

/** Sizes of `splitTriplets` with fractions {train: 1 − v, validation: v} (its rule: validation = ⌊v·N⌋, train the rest). */
export function splitSizes(count: number, validationFraction: number): { train: number; validation: number } {
  const validation = Math.floor(validationFraction * count + 1e-9); // the same tolerance as splitTriplets
  return { train: count - validation, validation };
}

/**
 * Check `config` before anything is written or asked.
 * @param baseUrl where requests will go (the demo's local server), when it differs from `config.baseUrl`.
 * @throws the first problem found, as a typed one-line error naming the parameter or file.
 */
export function validateRun(config: RunConfig, baseUrl?: string): RunPlan {
  const concepts = loadThingsDirectory(config.concepts);
  const n = concepts.concepts.length;
  const sets = n >= 3 ? (n * (n - 1) * (n - 2)) / 6 : 0;
  let designCount: number;
  if (config.design.adaptive !== undefined) {
    return validateAdaptiveRun(config, config.design.adaptive, concepts, sets, baseUrl);
  } else if (config.design.file !== undefined) {
    designCount = readTripletsFile(config.design.file, n).count;
    if (designCount > MAX_RUN_TRIPLETS) throw new InvalidArgumentError(`design.file ${config.design.file}`, `at most ${MAX_RUN_TRIPLETS.toLocaleString('en-US')} object sets`, designCount);
  } else {
    const t = config.design.triplets!;
    const max = Math.min(sets, MAX_RUN_TRIPLETS);
    if (!Number.isSafeInteger(t) || t < 1 || t > max) {
      throw new InvalidArgumentError(
        '--triplets (design.triplets)',
        `an integer in [1, ${max.toLocaleString('en-US')}] (` +
          (max === sets ? `the C(${n}, 3) distinct sets of ${n} concepts` : `the most one run holds; ${n} concepts have ${sets.toLocaleString('en-US')} sets`) + ')',
        t,
      );
    }
    designCount = t;
  }
  const { train, validation } = splitSizes(designCount, config.design.validationFraction);
  if (validation < 1) {
    throw new InvalidArgumentError('--validation (design.validationFraction)', `a share leaving at least one of the ${designCount} triplets for validation`, config.design.validationFraction);
  }
  if (config.fit.batchSize > train) {
    throw new InvalidArgumentError(
      '--batch (fit.batchSize)',
      `at most the ${train} training triplets of the design (${designCount} triplets, ${validation} held out for validation); ask for more triplets or a smaller batch`,
      config.fit.batchSize,
    );
  }
  checkFitSize(config, n);
  checkTheRest(config, concepts, baseUrl);
  return { concepts, designCount, train, validation };
}

/** The adaptive design's sizes against the concepts, the budget and the fits (`--design adaptive`). */
function validateAdaptiveRun(config: RunConfig, a: AdaptiveDesignConfig, concepts: ConceptSet, sets: number, baseUrl: string | undefined): RunPlan {
  const n = concepts.concepts.length;
  const max = Math.min(sets, MAX_RUN_TRIPLETS);
  if (!Number.isSafeInteger(a.budget) || a.budget < 1 || a.budget > max) {
    throw new InvalidArgumentError(
      '--budget (design.adaptive.budget)',
      `an integer in [1, ${max.toLocaleString('en-US')}] (` +
        (max === sets ? `the C(${n}, 3) distinct sets of ${n} concepts: no set is asked twice` : `the most one run holds; ${n} concepts have ${sets.toLocaleString('en-US')} sets`) + ')',
      a.budget,
    );
  }
  const sizes = adaptiveRoundSizes(a, config.design.validationFraction);
  if (sizes.validation < 1) {
    throw new InvalidArgumentError('--validation (design.validationFraction)', `a share leaving at least one of the ${a.budget} budgeted triplets for the uniform validation set`, config.design.validationFraction);
  }
  if (sizes.train < a.rounds) {
    throw new InvalidArgumentError(
      '--budget (design.adaptive.budget)',
      `at least the ${sizes.validation} validation triplets + 1 triplet in each of the ${a.rounds} rounds (${sizes.validation + a.rounds}); ask for a larger budget or fewer rounds`,
      a.budget,
    );
  }
  if (a.initial > sizes.train - (a.rounds - 1)) {
    throw new InvalidArgumentError('--initial (design.adaptive.initial)', `at most ${sizes.train - (a.rounds - 1)}: the ${sizes.train} training triplets of the budget less 1 for each of the ${a.rounds - 1} adaptive rounds`, a.initial);
  }
  if (a.rule === 'information-gain' && a.ensemble < 2) {
    throw new InvalidArgumentError('--ensemble (design.adaptive.ensemble)', 'at least 2 fits per round with --rule information-gain (the disagreement between fits is its score)', a.ensemble);
  }
  checkMemory('--ensemble (design.adaptive.ensemble)', a.ensemble, 16 * n * config.fit.dims, 'fits per round', n * config.fit.dims, ` (each fit's weights and its pruned copy, ${n} concepts × ${config.fit.dims} dims)`);
  if (config.fit.schedule === 'fast' && a.roundEpochs !== undefined && a.roundEpochs < 2) {
    throw new InvalidArgumentError('--epochs (design.adaptive.roundEpochs)', 'at least 2 with the fast schedule (1 warm-up epoch, then the decay)', a.roundEpochs);
  }
  // The first round fit trains on round 0 alone: its batch must fit in it.
  if (a.roundBatchSize !== undefined && a.roundBatchSize > a.initial) {
    throw new InvalidArgumentError('--batch (design.adaptive.roundBatchSize)', `at most the ${a.initial} training triplets of round 0, which the first round's fit trains on; ask for a smaller batch or a larger --initial`, a.roundBatchSize);
  }
  if (config.fit.batchSize > sizes.train) {
    throw new InvalidArgumentError('--batch (fit.batchSize)', `at most the ${sizes.train} training triplets of the budget (${a.budget} triplets, ${sizes.validation} held out for validation)`, config.fit.batchSize);
  }
  checkFitSize(config, n);
  checkTheRest(config, concepts, baseUrl);
  return { concepts, designCount: a.budget, train: sizes.train, validation: sizes.validation };
}

/** The human reference, the r48 objects and the annotation options. */
function checkTheRest(config: RunConfig, concepts: ConceptSet, baseUrl: string | undefined): void {
  const n = concepts.concepts.length;
  if (config.human !== undefined) readHumanReference(config.human, n);
  if (config.r48) {
    readObjects48(config.r48.objects48, n, config.concepts);
    if (config.r48.triplets > MAX_RUN_TRIPLETS) throw new InvalidArgumentError('--r48-triplets (r48.triplets)', `at most ${MAX_RUN_TRIPLETS.toLocaleString('en-US')}`, config.r48.triplets);
  }
  // The annotation options, exactly as the annotate stage will pass them (no journal, no request).
  const probe: Triplets = { count: 1, data: Int32Array.of(0, 1, 2) };
  prepareAnnotation({
    baseUrl: baseUrl ?? config.baseUrl,
    model: config.model,
    apiKeyEnv: config.apiKeyEnv,
    concepts,
    triplets: probe,
    journalFile: '(not opened)',
    mode: config.mode,
    imagesDir: config.images,
    prompt: resolvePrompt(DEFAULT_PROMPT[config.mode], config.mode),
    temperature: config.annotate.temperature,
    concurrency: config.annotate.concurrency,
    maxAttempts: config.annotate.maxAttempts,
    seed: config.design.seed,
  });
}

/**
 * The fit's size in memory, before any work: each concurrent SPoSE run holds about 40 bytes per object and dim
 * (weights, Adam moments, gradients, a checkpoint copy); the merge reads every run's embedding and a copy, and
 * every run keeps a record of each epoch. (No bound by time: a long fit shows its progress and resumes.)
 * @param nObjects the concept count.
 */
export function checkFitSize(config: RunConfig, nObjects: number): void {
  const { dims, epochs, seeds } = config.fit;
  const concurrent = Math.max(1, Math.min(seeds.length, availableParallelism()));
  checkMemory('--dims (fit.dims)', dims, 40 * nObjects * concurrent, 'dims', nObjects, ` (40 per object, ${nObjects} concepts, ${concurrent} concurrent run(s))`);
  checkMemory('--seeds (fit.seeds)', seeds.length, 16 * nObjects * dims + 100 * epochs, 'SPoSE runs', nObjects * dims, ` (each run's embedding and its copy in the merge, ${nObjects} concepts × ${dims} dims, and its record of ${epochs} epochs)`);
}
