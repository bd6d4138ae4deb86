import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from '@conceptlab/core';
import { ACQUISITION_RULES, R48_DEFAULT_COUNT, type AcquisitionRule } from '@conceptlab/triplet-sampler';
import { checkMemory, floatOption, intOption } from '../options.js';
import { whileInterruptible } from '../interrupt.js';
import { printResult, progressRenderer, type Io } from '../output.js';
import { ADAPTIVE_DEFAULTS, adaptiveRoundSizes, PAPER_LAMBDA, PAPER_SEEDS, readRunConfig, readRunConfigFile, RUN_DEFAULT_SCHEDULE, RUN_DEFAULTS, scheduledFit, type AdaptiveDesignConfig, type RunConfig } from '../pipeline/run-config.js';
import { splitSizes } from '../pipeline/validate-run.js';
import { readTripletsFile } from '../io.js';
import type { ScheduleName } from '@conceptlab/spose-embed';
import { runPipeline, type PipelineEvents, type PipelineResult } from '../pipeline/run-pipeline.js';

interface RunCliOptions {
  concepts?: string;
  baseUrl?: string;
  model?: string;
  apiKeyEnv?: string;
  mode?: string;
  images?: string;
  triplets?: number;
  design?: string;
  budget?: number;
  rounds?: number;
  rule?: string;
  ensemble?: number;
  initial?: number;
  validation?: number;
  seed?: number;
  seeds?: number;
  dims?: number;
  lambda?: number;
  epochs?: number;
  batch?: number;
  schedule?: string;
  temperature?: number;
  concurrency?: number;
  human?: string;
  objects48?: string;
  r48Triplets?: number;
  excludeOwnRun?: boolean;
  refit?: number;
  config?: string;
  full?: boolean;
  out: string;
  json?: boolean;
}

/** Flags that set a pipeline parameter (a run given none of them continues the run recorded in --out). */
const PARAMETER_FLAGS: (keyof RunCliOptions)[] = [
  'concepts', 'baseUrl', 'model', 'apiKeyEnv', 'mode', 'images', 'triplets', 'design', 'budget', 'rounds', 'rule', 'ensemble', 'initial', 'validation', 'seed', 'seeds',
  'dims', 'lambda', 'epochs', 'batch', 'schedule', 'temperature', 'concurrency', 'human', 'full', 'objects48', 'r48Triplets', 'excludeOwnRun', 'refit',
];

/**
 * First bounds on the fit's size, before the seed list is made (the full check, with the concepts and the design,
 * in memory and in time, is validateRun's): each run keeps a record of each epoch (~100 bytes) and its result,
 * folder and stage entries (~1 KiB); an embedding of at least 3 objects has 48 bytes a dim.
 */
export function checkSeedCount(seeds: number, epochs: number, dims: number): void {
  checkMemory('--epochs', epochs, 100, 'epochs', 1, ' (a record of each epoch)');
  checkMemory('--dims', dims, 48, 'dims', 3, ' (an embedding of at least 3 objects)');
  checkMemory('--seeds', seeds, 100 * epochs + 1024, 'SPoSE runs', 1, ` (a record of each of ${epochs} epochs and 1 KiB for the run)`);
}

/** The `--design` value that asks for the adaptive design (ours) instead of a design file. */
export const ADAPTIVE_DESIGN = 'adaptive';

/** The number of object sets in a design file (its typed error when it cannot be read). */
function designFileRows(file: string): number {
  return readTripletsFile(file).count;
}

/** The run config the flags ask for (paths made absolute, so the recorded config works from anywhere). */
export function configFromFlags(o: RunCliOptions): RunConfig {
  for (const [flag, v] of [['--concepts', o.concepts], ['--base-url', o.baseUrl], ['--model', o.model]] as const) {
    if (!v) throw new InvalidArgumentError(flag, 'a value (or only --out, to continue the run recorded there)');
  }
  // `--design adaptive` is the adaptive loop (ours); a design file of that name is given as ./adaptive.
  const adaptive = o.design === ADAPTIVE_DESIGN;
  for (const [flag, v] of [['--budget', o.budget], ['--rounds', o.rounds], ['--rule', o.rule], ['--ensemble', o.ensemble], ['--initial', o.initial]] as const) {
    if (v !== undefined && !adaptive) throw new InvalidArgumentError(flag, 'goes with --design adaptive (the adaptive design; a design file named adaptive is ./adaptive)');
  }
  if (adaptive) {
    if (o.triplets !== undefined) throw new InvalidArgumentError('--triplets', 'not with --design adaptive (its size is --budget: every answered triplet, validation included)', o.triplets);
    if (o.budget === undefined) throw new InvalidArgumentError('--budget', 'the answered triplets to pay for in total with --design adaptive (validation included)');
    if (o.rounds === undefined) throw new InvalidArgumentError('--rounds', 'the number of rounds with --design adaptive (≥ 2: a uniform round 0, then rounds chosen by --rule)');
    if (o.rule !== undefined && !(ACQUISITION_RULES as readonly string[]).includes(o.rule)) throw new InvalidArgumentError('--rule', ACQUISITION_RULES.join(', '), o.rule);
  }
  if ((o.triplets === undefined) === (o.design === undefined)) {
    throw new InvalidArgumentError('--triplets/--design', 'exactly one: a number of random triplets, or a design file of object sets');
  }
  const mode = o.mode ?? RUN_DEFAULTS.mode;
  if (mode !== 'text' && mode !== 'vision') throw new InvalidArgumentError('--mode', 'text or vision', mode);
  if (mode === 'vision' && !o.images) throw new InvalidArgumentError('--images', 'a directory of concept images in vision mode');
  if (o.r48Triplets !== undefined && !o.objects48) throw new InvalidArgumentError('--r48-triplets', 'goes with --objects48 FILE (the 48 objects of the r48 design)');
  if (o.full && o.seeds !== undefined) throw new InvalidArgumentError('--full', 'either --full (the paper\'s number of seeds) or --seeds, not both');
  if (o.full && o.epochs !== undefined && o.epochs !== 500) throw new InvalidArgumentError('--full', 'the paper\'s 500 epochs (leave out --epochs)', o.epochs);
  if (o.schedule !== undefined && o.schedule !== 'paper' && o.schedule !== 'fast') throw new InvalidArgumentError('--schedule', 'paper or fast', o.schedule);
  if (o.full && o.schedule === 'fast') throw new InvalidArgumentError('--full', "the paper's schedule (leave out --schedule fast)", o.schedule);
  const scheduleName = (o.schedule ?? (o.full ? 'paper' : RUN_DEFAULT_SCHEDULE)) as ScheduleName;
  const validationFraction = o.validation ?? RUN_DEFAULTS.design.validationFraction;
  const adaptiveSizes = adaptive ? adaptiveRoundSizes({ budget: o.budget!, rounds: o.rounds!, initial: o.initial }, validationFraction) : undefined;
  const trainCount = adaptiveSizes ? adaptiveSizes.train : splitSizes(o.triplets ?? designFileRows(o.design!), validationFraction).train;
  const sched = scheduledFit(scheduleName, trainCount, { epochs: o.epochs, batch: o.batch });
  const nSeeds = o.seeds ?? (o.full ? PAPER_SEEDS[mode] : RUN_DEFAULTS.fit.seeds.length);
  checkSeedCount(nSeeds, sched.epochs, o.dims ?? RUN_DEFAULTS.fit.dims);
  return {
    version: 1,
    concepts: resolve(o.concepts!),
    baseUrl: o.baseUrl!,
    model: o.model!,
    ...(o.apiKeyEnv ? { apiKeyEnv: o.apiKeyEnv } : process.env.OPENAI_API_KEY ? { apiKeyEnv: 'OPENAI_API_KEY' } : {}),
    mode,
    ...(o.images ? { images: resolve(o.images) } : {}),
    design: {
      ...(adaptiveSizes
        ? {
            adaptive: {
              budget: o.budget!,
              rounds: o.rounds!,
              rule: (o.rule ?? ADAPTIVE_DEFAULTS.rule) as AcquisitionRule,
              ensemble: o.ensemble ?? ADAPTIVE_DEFAULTS.ensemble,
              initial: adaptiveSizes.rounds[0]!,
              ...(o.epochs !== undefined ? { roundEpochs: o.epochs } : {}),
              ...(o.batch !== undefined ? { roundBatchSize: o.batch } : {}),
            } satisfies AdaptiveDesignConfig,
          }
        : o.triplets !== undefined ? { triplets: o.triplets } : { file: resolve(o.design!) }),
      seed: o.seed ?? RUN_DEFAULTS.design.seed,
      validationFraction,
    },
    annotate: {
      temperature: o.temperature ?? RUN_DEFAULTS.annotate.temperature,
      concurrency: o.concurrency ?? RUN_DEFAULTS.annotate.concurrency,
      maxAttempts: RUN_DEFAULTS.annotate.maxAttempts,
    },
    fit: {
      dims: o.dims ?? RUN_DEFAULTS.fit.dims,
      lambda: o.lambda ?? PAPER_LAMBDA[mode],
      epochs: sched.epochs,
      batchSize: sched.batchSize,
      lr: sched.lr,
      seeds: Array.from({ length: nSeeds }, (_, i) => i),
      ...(sched.schedule ? { schedule: sched.schedule } : {}),
    },
    merge: { ...RUN_DEFAULTS.merge, ...(o.excludeOwnRun ? { excludeOwnRun: true } : {}), ...(o.refit !== undefined ? { refitEpochs: o.refit } : {}) },
    ...(o.human ? { human: resolve(o.human) } : {}),
    ...(o.objects48 ? { r48: { objects48: resolve(o.objects48), triplets: o.r48Triplets ?? R48_DEFAULT_COUNT, seed: o.seed ?? RUN_DEFAULTS.design.seed } } : {}),
    interpret: { ...RUN_DEFAULTS.interpret },
  };
}

/**
 * Stage lines and progress on stderr; Ctrl-C or SIGTERM stops cleanly at any stage (whileInterruptible: one line,
 * exit 1) — finished stages, the annotation journals and the SPoSE checkpoints are kept, so the next run continues.
 */
export async function runWithProgress(io: Io, json: boolean, run: (events: PipelineEvents) => Promise<PipelineResult>): Promise<PipelineResult> {
  const onProgress = progressRenderer(io, json);
  return whileInterruptible(
    (sig) => `interrupted by ${sig}: finished stages, the annotation journal and the SPoSE checkpoints are kept — run the same command again to continue`,
    (signal) =>
      run({
        onProgress,
        signal,
        onStage: (stage, status, seconds) => {
          if (json) io.stderr(JSON.stringify({ stage, status, ...(seconds !== undefined ? { seconds } : {}) }) + '\n');
          else if (status === 'start') io.stderr(`== ${stage}\n`);
          else if (status === 'skipped') io.stderr(`   ${stage}: already complete, skipped\n`);
          else io.stderr(`   ${stage}: done in ${seconds!.toFixed(1)} s\n`);
        },
      }),
  );
}

/** The three headline numbers, as lines. */
export function headline(r: PipelineResult): string[] {
  return [
    `held-out odd-one-out accuracy: ${(100 * r.heldOut.accuracy).toFixed(2)}% ± ${(100 * r.heldOut.ci95).toFixed(2)} (95% CI across ${r.heldOut.objectsSeen} objects, the paper's; ${r.heldOut.count} triplets; chance 33.33%)`,
    ...(r.design.method
      ? [`design: ${r.design.method} — ${r.design.train + r.design.validation} triplets asked (${r.design.train} training in rounds of ${(r.design.rounds ?? []).map((q) => q.asked).join(' + ')}, ${r.design.validation} uniform validation); ` +
          `held out: the uniform validation set, never chosen by the model; member 0's held-out accuracy by round: ${(r.design.rounds ?? []).filter((q) => q.fit).map((q) => `${(100 * q.fit!.heldOutAccuracy).toFixed(1)}% after ${q.fit!.trainedOn}`).join(', ')}`]
      : []),
    ...(r.refit ? [`held-out accuracy after a ${r.refit.epochs}-epoch refit of the merged embedding (ours, dims fixed): ${(100 * r.refit.accuracy).toFixed(2)}% ± ${(100 * r.refit.ci95).toFixed(2)} → ${r.refit.file}`] : []),
    `dimensions: ${r.merged.dims} (merged from ${r.fit.length} seeds: ${r.merged.pooled} pooled, ${r.merged.afterPruning} after pruning r > ${r.config.merge.threshold}; ` +
      `the single seeds' held-out accuracy: ${r.fit.map((f) => (f.valAccuracy === null ? 'n/a' : (100 * f.valAccuracy).toFixed(1) + '%')).join(', ')}; ` +
      `schedule ${r.config.fit.schedule ?? 'paper'}: ${r.config.fit.epochs} epochs, batch ${r.config.fit.batchSize}, lr ${r.config.fit.lr}${r.config.fit.schedule === 'fast' ? ' with warm-up and cosine decay (ours)' : " (the paper's)"})`,
    r.categories
      ? `RSA with the category model: Spearman ${r.categories.spearman.toFixed(3)}, tau-a ${r.categories.tauA.toFixed(3)} (${r.categories.objects} objects, ${r.categories.categories} categories)`
      : 'RSA with the category model: no category table in the concept directory',
    ...(r.r48 ? [`r48 (48-object similarity, predicted vs measured): r = ${r.r48.r.toFixed(3)}${r.r48.ci ? ` [${r.r48.ci.low.toFixed(3)}, ${r.r48.ci.high.toFixed(3)}]` : ''} (${r.r48.pairs} pairs, ${r.r48.answered} answered triplets)`] : []),
    ...(r.human ? [`RSA with ${r.human.file} (${r.human.kind}): Pearson ${r.human.pearson.toFixed(3)}, Spearman ${r.human.spearman.toFixed(3)}`] : []),
    `report: ${r.report.html}`,
  ];
}

export function registerRun(program: Command, io: Io): void {
  program
    .command('run')
    .description('the whole pipeline: sample triplets → annotate them with a model → fit SPoSE (several seeds) → merge → held-out accuracy → similarity → RSA; each finished stage is skipped when run again, so an interrupted run continues')
    .requiredOption('--out <dir>', 'output directory (conceptlab.config.json records every parameter; with only --out, an earlier run there continues)')
    .option('--concepts <dir>', 'concept directory (things_concepts.tsv, optional category27.tsv / categories.tsv)')
    .option('--base-url <url>', 'OpenAI-compatible API base URL (OpenAI, Gemini, vLLM, Ollama, conceptlab serve)')
    .option('--model <name>', 'model name')
    .option('--api-key-env <name>', 'environment variable holding the API key (never printed or stored; default OPENAI_API_KEY when set)')
    .option('--mode <mode>', 'text | vision', RUN_DEFAULTS.mode)
    .option('--images <dir>', 'vision: concept images <id>.jpg|png|webp')
    .option('--triplets <n>', 'number of uniform random triplets to ask about', intOption('--triplets', 10))
    .option('--design <file>', 'or: a file of object sets to ask about (SPoSE "i j k" text or .npy); or `adaptive`: the adaptive design (ours, with --budget and --rounds; a file named adaptive: ./adaptive)')
    .option('--budget <n>', '--design adaptive: answered triplets to pay for in total, the uniform validation set (--validation share) included', intOption('--budget', 1))
    .option('--rounds <r>', '--design adaptive: rounds (≥ 2): round 0 uniform, then r − 1 rounds chosen by --rule from a fit on the answers so far', intOption('--rounds', 2, 1_000_000))
    .option('--rule <name>', `--design adaptive: how each round chooses its sets: ${ACQUISITION_RULES.join(' | ')} (default ${ADAPTIVE_DEFAULTS.rule})`)
    .option('--ensemble <e>', `--design adaptive: SPoSE fits per round that uncertainty and information-gain score with (default ${ADAPTIVE_DEFAULTS.ensemble}; information-gain needs ≥ 2; uniform and coverage fit one, for the held-out accuracy by round)`, intOption('--ensemble', 1, 1000))
    .option('--initial <n>', '--design adaptive: training triplets of the uniform round 0 (default: an equal share of the training budget)', intOption('--initial', 1))
    .option('--validation <f>', 'share of triplets held out for validation', floatOption('--validation', (x) => x > 0 && x < 1, 'a share in (0, 1)'))
    .option('--seed <s>', 'seed of the design, split and presentation order', intOption('--seed', 0))
    .option('--seeds <k>', `SPoSE runs (seeds 0..k-1; default ${RUN_DEFAULTS.fit.seeds.length}; the paper: ${PAPER_SEEDS.text} text, ${PAPER_SEEDS.vision} vision)`, intOption('--seeds', 1))
    .option('--full', `the paper's number of SPoSE runs: ${PAPER_SEEDS.text} seeds (text, ChatGPT) or ${PAPER_SEEDS.vision} (vision, Gemini), 500 epochs each`)
    .option('--dims <d>', `initial SPoSE dimensions (default ${RUN_DEFAULTS.fit.dims})`, intOption('--dims', 1))
    .option('--lambda <l>', `SPoSE L1 strength (default: the paper's ${PAPER_LAMBDA.text} for text, ${PAPER_LAMBDA.vision} for vision; 0.008 is the SPoSE README's and the paper's ROI value)`, floatOption('--lambda', (x) => x >= 0, 'a number ≥ 0'))
    .option(
      '--schedule <name>',
      `SPoSE training schedule: fast (ours, the default: batch 1000 from 500,000 training triplets up, else 100; lr 0.01 after a 1-epoch warm-up, cosine decay to 0; at least 16,000 steps and 8 epochs) | paper (batch 100, lr 0.001, 500 epochs; --full's)`,
    )
    .option('--epochs <e>', "SPoSE epochs (default: the schedule's; paper 500)", intOption('--epochs', 1))
    .option('--batch <b>', `SPoSE batch size (default ${RUN_DEFAULTS.fit.batchSize})`, intOption('--batch', 1))
    .option('--temperature <t>', `sampling temperature of the model (default ${RUN_DEFAULTS.annotate.temperature}, as the paper)`, floatOption('--temperature', (x) => x >= 0, 'a number ≥ 0'))
    .option('--concurrency <c>', `requests in flight (default ${RUN_DEFAULTS.annotate.concurrency})`, intOption('--concurrency', 1))
    .option('--refit <epochs>', "ours: refit the merged embedding for this many epochs on the training triplets (dims fixed) and report its held-out accuracy beside the merged one's; the analyses keep the merged embedding, as the paper", intOption('--refit', 1, 100_000))
    .option('--exclude-own-run', "merge: score each dim's reproducibility against the other seeds only (ours). Default: the authors' score, where a dim's own seed gives r = 1, every dim scores 1 and the top k are the largest by column sum")
    .option('--objects48 <file>', "r48: the 48 objects (indices, uniqueIDs or Words; one per line or separated by spaces/commas); the model also answers the 48-object design and the report shows r48 with the authors' CI and the r48-by-dims curve")
    .option('--r48-triplets <n>', `r48 design size (default ${R48_DEFAULT_COUNT.toLocaleString('en-US')}, the paper's)`, intOption('--r48-triplets', 1))
    .option('--config <file>', 'take every parameter from a conceptlab.config.json (e.g. one an earlier run wrote) instead of flags')
    .option('--human <file>', 'a human reference to compare with (.npy): an embedding (objects × dims), a similarity matrix or an RDM (objects × objects)')
    .option('--json', 'print the results as JSON (progress as JSON lines on stderr)')
    .action(async (o: RunCliOptions) => {
      const anyParameter = PARAMETER_FLAGS.some((k) => o[k] !== undefined && !(k === 'mode' && o.mode === RUN_DEFAULTS.mode));
      if (o.config && anyParameter) throw new InvalidArgumentError('--config', 'either a config file or parameter flags, not both');
      const recorded = readRunConfig(resolve(o.out));
      const config = o.config ? readRunConfigFile(o.config) : !anyParameter && recorded ? recorded : configFromFlags(o);
      const r = await runWithProgress(io, Boolean(o.json), (events) => runPipeline(config, o.out, events));
      printResult(io, Boolean(o.json), r, () => [...headline(r), `results: ${r.files.results}`].join('\n'));
    });
}
