import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, ParseError, writeFileAtomic } from '@conceptlab/core';
import { LAMBDA_PRESETS, resolveSchedule, type ScheduleName } from '@conceptlab/spose-embed';
import { ACQUISITION_RULES, type AcquisitionRule } from '@conceptlab/triplet-sampler';

/** The file in a run's output directory that records every parameter of the run. */
export const RUN_CONFIG_FILE = 'conceptlab.config.json';

/**
 * Every parameter of `conceptlab run`. Written to `<out>/conceptlab.config.json` when a run starts; a
 * later run on the same directory must ask for the same parameters (it then continues where the first
 * stopped), and a run given only `--out` reads them from there.
 */
export interface RunConfig {
  readonly version: 1;
  /** The concept directory (things_concepts.tsv, optional category table). */
  readonly concepts: string;
  /** The observer: an OpenAI-compatible endpoint and model. */
  readonly baseUrl: string;
  readonly model: string;
  /** The environment variable holding the API key (its value is never recorded). */
  readonly apiKeyEnv?: string;
  readonly mode: 'text' | 'vision';
  readonly images?: string;
  /**
   * The triplet design: `count` uniform random object sets, the object sets of `file`, or (ours) the adaptive
   * loop of `adaptive` (a config without it means what it meant before).
   */
  readonly design: { readonly triplets?: number; readonly file?: string; readonly adaptive?: AdaptiveDesignConfig; readonly seed: number; readonly validationFraction: number };
  readonly annotate: { readonly temperature: number; readonly concurrency: number; readonly maxAttempts: number };
  readonly fit: {
    readonly dims: number;
    readonly lambda: number;
    readonly epochs: number;
    readonly batchSize: number;
    readonly lr: number;
    readonly seeds: readonly number[];
    /**
     * The training schedule that chose epochs, batchSize and lr (spose-embed's `resolveSchedule`). `fast` (ours)
     * also decays the learning rate (1-epoch warm-up, cosine to 0); absent or `paper`: constant, the paper's.
     */
    readonly schedule?: ScheduleName;
  };
  /**
   * The merge. `excludeOwnRun` (ours) scores each dim's reproducibility against the other seeds only; without it
   * (the authors' procedure) every dim's own seed is among the references, its r = 1 gives reproducibility 1 to
   * every dim, and the top k are the k largest by column sum. `refitEpochs` (ours): refit the merged embedding for
   * that many epochs and report its held-out accuracy too (absent: the paper's merge only).
   */
  readonly merge: { readonly threshold: number; readonly top: number; readonly excludeOwnRun?: boolean; readonly refitEpochs?: number };
  /** A human embedding (objects × dims .npy) or RDM/similarity matrix (objects × objects) to compare with. */
  readonly human?: string;
  /**
   * The 48-object similarity design (r48): `objects48` is a file naming the objects (indices, uniqueIDs or Words);
   * `triplets` sets of two of them + one other object (the paper: 100,000) are sampled without the run's own
   * design triplets, answered by the same model, and the measured 48×48 similarity is compared with the
   * merged embedding's prediction.
   */
  readonly r48?: { readonly objects48: string; readonly triplets: number; readonly seed: number };
  readonly interpret: { readonly top: number; readonly seed: number };
}

/**
 * The adaptive design (ours, `--design adaptive`): a uniform validation set of round(budget × validationFraction)
 * sets (the held-out set, never chosen by the model), a uniform round 0 of `initial` training sets, then
 * `rounds − 1` rounds that each fit `ensemble` SPoSE runs on the training answers so far (warm-started from the
 * round before) and choose the next sets with triplet-sampler's `selectBatch` and `rule`; the remaining training
 * budget is shared equally between those rounds.
 */
export interface AdaptiveDesignConfig {
  /** Answered triplets to pay for in total: the validation set and every round's training sets. */
  readonly budget: number;
  /** Rounds, ≥ 2: round 0 uniform, rounds 1 … rounds − 1 chosen by `rule`. */
  readonly rounds: number;
  readonly rule: AcquisitionRule;
  /**
   * SPoSE fits per round that the model rules (uncertainty, information-gain) score with; their seeds are the first
   * `ensemble` of fit.seeds (0 … ensemble − 1 when fit.seeds has fewer). uniform and coverage fit one (member 0), for
   * the held-out curve only.
   */
  readonly ensemble: number;
  /** Training sets of the uniform round 0. */
  readonly initial: number;
  /** The round fits' epochs and batch size when given (--epochs / --batch); absent: the run's schedule for the training triplets so far. */
  readonly roundEpochs?: number;
  readonly roundBatchSize?: number;
}

/** The adaptive design's default rule (`--rule`) and ensemble size (`--ensemble`). */
export const ADAPTIVE_DEFAULTS = { rule: 'information-gain', ensemble: 2 } as const satisfies { rule: AcquisitionRule; ensemble: number };

/**
 * The sizes of an adaptive design: the uniform validation set (round(budget × validationFraction)) and each round's
 * training sets (round 0: `initial`; the rest of the budget in equal shares, the first rounds one more when it does
 * not divide). Sizes below 1 are returned as they are (validateRun refuses them).
 */
export function adaptiveRoundSizes(a: { budget: number; rounds: number; initial?: number }, validationFraction: number): { validation: number; train: number; rounds: number[] } {
  const validation = Math.round(a.budget * validationFraction);
  const train = a.budget - validation;
  const initial = a.initial ?? Math.floor(train / a.rounds);
  const rest = train - initial, k = a.rounds - 1;
  const rounds = [initial, ...Array.from({ length: k }, (_, i) => Math.floor(rest / k) + (i < rest % k ? 1 : 0))];
  return { validation, train, rounds };
}

/**
 * The paper's SPoSE λ per mode (Du et al. 2025: 0.004 for ChatGPT-3.5 text triplets, 0.0035 for Gemini Pro
 * Vision image triplets). 0.008 is the SPoSE README's example and the paper's ROI-SPoSE value, not the LLM one.
 */
export const PAPER_LAMBDA = { text: LAMBDA_PRESETS['du2024-text'], vision: LAMBDA_PRESETS['du2024-vision'] } as const;

/** The paper's number of SPoSE seeds per mode (`--full`): 20 runs for ChatGPT (text), 29 for Gemini (vision). */
export const PAPER_SEEDS = { text: 20, vision: 29 } as const;

/**
 * Defaults of `conceptlab run`: the paper's SPoSE and merge settings (λ by mode: {@link PAPER_LAMBDA}),
 * except the number of seeds (4 for a first look; `--full` takes the paper's {@link PAPER_SEEDS}).
 */
export const RUN_DEFAULTS = {
  mode: 'text',
  design: { seed: 0, validationFraction: 0.1 },
  annotate: { temperature: 0.01, concurrency: 8, maxAttempts: 6 },
  fit: { dims: 100, lambda: PAPER_LAMBDA.text, epochs: 500, batchSize: 100, lr: 0.001, seeds: [0, 1, 2, 3] },
  merge: { threshold: 0.4, top: 66 },
  interpret: { top: 6, seed: 0 },
} as const;

/** `conceptlab run`'s schedule unless told otherwise (`--full` and `reproduce --full` take the paper's). */
export const RUN_DEFAULT_SCHEDULE: ScheduleName = 'fast';

/**
 * The fit's epochs, batch size and learning rate under schedule `name` for `trainCount` training triplets
 * (the design's training split), with --epochs / --batch given by the user taking precedence.
 * @throws InvalidArgumentError for `fast` with fewer than 2 epochs (its warm-up takes one).
 */
export function scheduledFit(name: ScheduleName, trainCount: number, over: { epochs?: number; batch?: number }): { epochs: number; batchSize: number; lr: number; schedule?: ScheduleName } {
  const s = resolveSchedule(name, Math.max(1, trainCount));
  const epochs = over.epochs ?? s.epochs;
  if (s.lrSchedule.kind !== 'constant' && epochs < 2) throw new InvalidArgumentError('--epochs', `at least 2 with the ${name} schedule (1 warm-up epoch, then the decay)`, epochs);
  return { epochs, batchSize: over.batch ?? s.batchSize, lr: s.lr, ...(name === 'paper' ? {} : { schedule: name }) };
}

/** Read the config of an earlier run in `outDir`, or undefined when there is none. */
export function readRunConfig(outDir: string): RunConfig | undefined {
  const file = join(outDir, RUN_CONFIG_FILE);
  if (!existsSync(file)) return undefined;
  return readRunConfigFile(file);
}

/** The parameters every run config must name, with what each must be. */
const REQUIRED: [string, (v: unknown) => boolean, string][] = [
  ['concepts', (v) => typeof v === 'string' && v !== '', 'a concept directory'],
  ['baseUrl', (v) => typeof v === 'string' && v !== '', 'an API base URL'],
  ['model', (v) => typeof v === 'string' && v !== '', 'a model name'],
  ['mode', (v) => v === 'text' || v === 'vision', '"text" or "vision"'],
  ['design.seed', Number.isInteger, 'an integer seed'],
  ['design.validationFraction', (v) => typeof v === 'number' && v > 0 && v < 1, 'a share in (0, 1)'],
  ['annotate.temperature', (v) => typeof v === 'number' && v >= 0, 'a number ≥ 0'],
  ['annotate.concurrency', (v) => Number.isInteger(v) && (v as number) >= 1, 'an integer ≥ 1'],
  ['annotate.maxAttempts', (v) => Number.isInteger(v) && (v as number) >= 1, 'an integer ≥ 1'],
  ['fit.dims', (v) => Number.isInteger(v) && (v as number) >= 1, 'an integer ≥ 1'],
  ['fit.lambda', (v) => typeof v === 'number' && v >= 0, 'a number ≥ 0'],
  ['fit.epochs', (v) => Number.isInteger(v) && (v as number) >= 1, 'an integer ≥ 1'],
  ['fit.batchSize', (v) => Number.isInteger(v) && (v as number) >= 1, 'an integer ≥ 1'],
  ['fit.lr', (v) => typeof v === 'number' && v > 0, 'a number > 0'],
  ['fit.schedule', (v) => v === undefined || v === 'paper' || v === 'fast', '"paper" or "fast" (or absent: the paper\'s)'],
  ['fit.seeds', (v) => Array.isArray(v) && v.length > 0 && v.every((x) => Number.isInteger(x) && x >= 0), 'a non-empty list of seeds'],
  ['merge.threshold', (v) => typeof v === 'number' && v > -1 && v < 1, 'a number in (−1, 1)'],
  ['merge.top', (v) => Number.isInteger(v) && (v as number) >= 1, 'an integer ≥ 1'],
  ['merge.excludeOwnRun', (v) => v === undefined || typeof v === 'boolean', 'true or false (or absent: the authors\' own-run-included score)'],
  ['merge.refitEpochs', (v) => v === undefined || (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 100_000), 'an integer in [1, 100000] (or absent: no refit)'],
  ['interpret.top', (v) => Number.isInteger(v) && (v as number) >= 1, 'an integer ≥ 1'],
  ['interpret.seed', Number.isInteger, 'an integer seed'],
];

/**
 * Read and check a run config file (`conceptlab.config.json`, e.g. one written by an earlier run): every
 * parameter must be there with a valid value; a missing or bad one is an error naming it.
 */
export function readRunConfigFile(file: string): RunConfig {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ParseError({ file }, 'a JSON run configuration', (e as Error).message);
  }
  if (typeof value !== 'object' || value === null || (value as { version?: unknown }).version !== 1) {
    throw new ParseError({ file }, 'a conceptlab run configuration with "version": 1', JSON.stringify(value).slice(0, 80));
  }
  for (const [path, ok, what] of REQUIRED) {
    const v = path.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), value);
    if (!ok(v)) throw new ParseError({ file }, `"${path}": ${what}`, v === undefined ? 'nothing' : JSON.stringify(v));
  }
  const fit = (value as RunConfig).fit;
  if (fit.schedule === 'fast' && fit.epochs < 2) throw new ParseError({ file }, '"fit.epochs": at least 2 with "fit.schedule": "fast" (1 warm-up epoch, then the decay)', JSON.stringify(fit.epochs));
  const r48 = (value as RunConfig).r48;
  if (r48 !== undefined) {
    if (typeof r48 !== 'object' || r48 === null || typeof r48.objects48 !== 'string' || r48.objects48 === '') throw new ParseError({ file }, '"r48.objects48": a file of the 48 objects', JSON.stringify(r48));
    if (!Number.isInteger(r48.triplets) || r48.triplets < 1) throw new ParseError({ file }, '"r48.triplets": an integer ≥ 1', JSON.stringify(r48.triplets));
    if (!Number.isInteger(r48.seed)) throw new ParseError({ file }, '"r48.seed": an integer seed', JSON.stringify(r48.seed));
  }
  const design = (value as RunConfig).design;
  if (design.adaptive !== undefined) {
    if (design.triplets !== undefined || design.file !== undefined) throw new ParseError({ file }, '"design.adaptive" without "design.triplets" or "design.file"', JSON.stringify(design));
    checkAdaptiveFields(file, design.adaptive);
  } else if ((design.triplets === undefined) === (design.file === undefined)) {
    throw new ParseError({ file }, '"design.triplets" (a number of triplets) or "design.file" (a design file), exactly one', JSON.stringify(design));
  }
  return value as RunConfig;
}

/** The adaptive design's fields, each of its type (their bounds against the concepts and the budget: validateRun). */
function checkAdaptiveFields(file: string, a: unknown): void {
  if (typeof a !== 'object' || a === null) throw new ParseError({ file }, '"design.adaptive": an object', JSON.stringify(a));
  const v = a as Record<string, unknown>;
  const int = (x: unknown, min: number) => Number.isSafeInteger(x) && (x as number) >= min;
  const fields: [string, boolean, string][] = [
    ['budget', int(v.budget, 1), 'an integer ≥ 1'],
    ['rounds', int(v.rounds, 2), 'an integer ≥ 2'],
    ['rule', (ACQUISITION_RULES as readonly unknown[]).includes(v.rule), ACQUISITION_RULES.join(', ')],
    ['ensemble', int(v.ensemble, 1), 'an integer ≥ 1'],
    ['initial', int(v.initial, 1), 'an integer ≥ 1'],
    ['roundEpochs', v.roundEpochs === undefined || int(v.roundEpochs, 1), 'an integer ≥ 1 (or absent: the schedule\'s)'],
    ['roundBatchSize', v.roundBatchSize === undefined || int(v.roundBatchSize, 1), 'an integer ≥ 1 (or absent: the schedule\'s)'],
  ];
  for (const [k, ok, what] of fields) if (!ok) throw new ParseError({ file }, `"design.adaptive.${k}": ${what}`, v[k] === undefined ? 'nothing' : JSON.stringify(v[k]));
}

/** Write the run's config (atomically). */
export function writeRunConfig(outDir: string, config: RunConfig): void {
  writeFileAtomic(join(outDir, RUN_CONFIG_FILE), JSON.stringify(config, null, 2) + '\n');
}

/** The dotted paths where two configs differ (`fit.epochs`, `design.triplets`, …). */
export function configDifferences(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].sort().flatMap((k) =>
      configDifferences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k),
    );
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path || '(root)'];
}

/**
 * The config a run on `outDir` uses: `requested` when the directory holds no run yet; the recorded one
 * when they agree. A different request is an error naming the differing parameters, so an interrupted
 * run is never continued with other settings by mistake.
 */
export function settleRunConfig(outDir: string, requested: RunConfig): RunConfig {
  const recorded = readRunConfig(outDir);
  if (recorded === undefined) return requested;
  const diff = configDifferences(recorded, requested);
  if (diff.length > 0) {
    throw new InvalidArgumentError(
      '--out',
      `a new directory, or the same parameters as the run recorded in ${join(outDir, RUN_CONFIG_FILE)} (differs in ${diff.join(', ')}); ` +
        'run with only --out to continue that run',
      outDir,
    );
  }
  return recorded;
}
