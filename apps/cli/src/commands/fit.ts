import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { ConceptlabError, InvalidArgumentError, ParseError, countObjects, writeFileAtomic } from '@conceptlab/core';
import { engineFactory, fitSeeds, selectTfjsBackend, LAMBDA_PRESETS, resolveSchedule, SCHEDULE_NAMES, type Schedule, type ScheduleName, seedDir, selectLambda, shardSeeds, type FitSeedsOptions, type LambdaPreset, type LambdaSelection, type SimilarityKind } from '@conceptlab/spose-embed';
import { readAnsweredFile, readEmbeddingFile } from '../io.js';
import { checkAtMost, checkMemory, floatOption, intOption } from '../options.js';
import { printResult, progressRenderer, type Io } from '../output.js';
import { resolveShard } from '../shard.js';
import { scheduledFit } from '../pipeline/run-config.js';

interface FitCliOptions {
  train: string;
  val?: string;
  objects?: number;
  dims: number;
  init?: string;
  lambda?: number[];
  selectLambda?: boolean;
  preset?: string;
  epochs?: number;
  batch?: number;
  lr?: number;
  schedule: string;
  temperature: number;
  seeds: string;
  shard?: string;
  out: string;
  engine: string;
  kernel?: string;
  tfjsBackend: string;
  threads?: number;
  earlyStopping?: boolean | string;
  stoppingWindow?: number;
  minImprovement?: number;
  checkpointEvery: number;
  resume?: boolean;
  overwrite?: boolean;
  similarity: string;
  positivity: string;
  trainAccuracyTies: string;
  json?: boolean;
}

const PRESET_HELP = Object.entries(LAMBDA_PRESETS).map(([k, v]) => `${k} (λ ${v})`).join(' | ');

/** The CLI's --similarity names: `euclidean` is the SPoSE reference's −distance (the library's 'euclidean-distance'). */
function parseSimilarity(name: string): SimilarityKind {
  if (name === 'dot' || name === 'euclidean-squared' || name === 'euclidean-distance') return name;
  if (name === 'euclidean') return 'euclidean-distance';
  throw new InvalidArgumentError('--similarity', 'dot, euclidean or euclidean-squared', name);
}

function parseSeeds(text: string): number[] {
  // Every item must be a seed: "1,,2" or a trailing comma is a typo, not a shorter list.
  const seeds = text.split(',').map((s) => s.trim());
  if (seeds.some((s) => !/^\d+$/.test(s) || !Number.isSafeInteger(Number(s)))) throw new InvalidArgumentError('--seeds', 'a comma-separated list of non-negative integers, no empty items', text);
  const dup = seeds.find((s, i) => seeds.findIndex((t) => Number(t) === Number(s)) !== i);
  if (dup !== undefined) throw new InvalidArgumentError('--seeds', `each seed once (seed ${Number(dup)} twice would fit the same run into one folder)`, text);
  return seeds.map(Number);
}

/** A fit that produced no embedding: its loss diverged, or every dimension was pruned. Nothing was exported. */
export class FitDivergedError extends ConceptlabError {
  readonly _tag = 'FitDivergedError' as const;
  constructor(message: string) {
    super(message);
    this.name = 'FitDivergedError';
  }
}

export function registerFit(program: Command, io: Io): void {
  program
    .command('fit')
    .description('fit SPoSE embeddings (one run per seed, in parallel on worker threads) to answered triplets')
    .requiredOption('--train <file>', 'training triplets: SPoSE "i j k" (odd one out last) or .npy')
    .option('--val <file>', 'validation triplets, evaluated after every epoch')
    .option('--objects <n>', 'number of objects (default: 1 + the largest index in the data)', intOption('--objects', 3))
    .option('--dims <d>', 'initial dimensions', intOption('--dims', 1), 100)
    .option(
      '--init <file>',
      "warm start: the initial weights from an embedding (objects × dims, .npy or text, finite; e.g. the previous round's seed-0/embedding.npy) instead of N(0.1, 0.01²) from the seed. " +
        'Its rows are the objects (an explicit --objects must agree) and its columns the dims (an explicit --dims must agree); with several --seeds every seed starts from it (the seeds then differ only in the data order). ' +
        'Recorded in each results.json (config.init); --resume refuses a different --init. Not with --select-lambda',
    )
    .option(
      '--lambda <λ>',
      `L1 weight λ (the loss uses λ / n_objects); default ${LAMBDA_PRESETS['du2024-text']}, the paper's text-model (ChatGPT) λ — the paper's vision model (Gemini) used ${LAMBDA_PRESETS['du2024-vision']}, the SPoSE README ${LAMBDA_PRESETS['spose-readme']} (also the paper's ROI analyses). ` +
        'With --select-lambda: the candidates, comma-separated (e.g. 0.002,0.004,0.008)',
      lambdaOption,
    )
    .option('--preset <name>', `λ by name: ${PRESET_HELP} (not with --lambda)`)
    .option(
      '--select-lambda',
      'choose λ among the --lambda candidates by cross-validation, as the SPoSE work chose it: one run per candidate on --train with the first seed of --seeds and every other setting as given, ' +
        `scored by the validation cross-entropy on --val at its final weights (lowest wins; exact ties: the larger λ, the sparser model); all candidates go to <out>/${LAMBDA_SELECTION_FILE}, ` +
        'then every seed is fitted with the chosen λ (the first seed again, to the same numbers). Needs --val; not with --shard (select once, then run the shards with --lambda <chosen>)',
    )
    .option(
      '--schedule <name>',
      "paper (the paper's: batch 100, Adam lr 0.001 constant, 500 epochs) | fast (ours, measured to reach the paper's quality in a fraction of the time: " +
        'batch 1000 from 500,000 training triplets up, else 100; lr 0.01 after a 1-epoch warm-up, cosine decay to 0; at least 16,000 steps and 8 epochs). ' +
        '--epochs, --batch and --lr override its values',
      'paper',
    )
    .option('--epochs <n>', 'maximum epochs (default: the schedule\'s; paper 500)', intOption('--epochs', 1))
    .option('--batch <b>', "triplets per Adam step (default: the schedule's; paper 100)", intOption('--batch', 1))
    .option('--lr <rate>', "Adam learning rate (default: the schedule's; paper 0.001)", floatOption('--lr', (x) => x > 0, 'a positive number'))
    .option('--temperature <T>', 'softmax temperature', floatOption('--temperature', (x) => x > 0, 'a positive number'), 1)
    .option('--similarity <kind>', "dot (the paper) | euclidean (the SPoSE reference's −distance; cpu engine only) | euclidean-squared (−distance²)", 'dot')
    .option('--positivity <kind>', 'soft (the reference: penalties in the loss) | proximal', 'soft')
    .option('--train-accuracy-ties <rule>', "how the per-epoch training accuracy counts ties: reference (the SPoSE reference's argmax: a tie with the answered pair counts correct unless all three tie) | strict (every tie wrong)", 'reference')
    .option('--seeds <list>', 'comma-separated seeds, one run each', '0')
    .option(
      '--shard <K/N|auto|auto/N>',
      'run only shard K of N of --seeds (the seeds at positions p, from 0, with p % N = K − 1), one shard per machine; ' +
        'auto: K and N from a SLURM job array (SLURM_ARRAY_TASK_ID, _MIN and _COUNT or _MAX); auto/N: K from a SLURM job array or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX), N shards. ' +
        '`conceptlab merge` of the N --out folders pools the runs in the order of the full --seeds list, as one run would',
    )
    .requiredOption('--out <dir>', 'output directory: one seed-<seed>/ folder per run (results.json, checkpoints, embedding.npy/.txt)')
    .option('--engine <engine>', 'cpu | tfjs', 'cpu')
    .option('--kernel <kernel>', 'cpu engine kernel: wasm (SIMD) | js (default: the fastest available)')
    .option('--tfjs-backend <backend>', 'tfjs engine backend: auto | node-gpu | node | webgpu | wasm | cpu', 'auto')
    .option('--threads <n>', 'worker threads (default: min(seeds, cores))', intOption('--threads', 1))
    .option(
      '--early-stopping [rule]',
      "stop a run before --epochs: reference (the default rule: the SPoSE reference's regression on the last --stopping-window training losses, p > 0.1) | " +
        'plateau (conceptlab: the best validation cross-entropy improved less than --min-improvement over the last --stopping-window epochs and the active dims held; needs --val)',
    )
    .option('--stopping-window <W>', 'epochs the stopping rule looks back (default: 50 reference, 10 plateau)', intOption('--stopping-window', 1, 100_000))
    .option('--min-improvement <nats>', 'plateau: smallest decrease of the best validation cross-entropy that counts (default 0.001)', floatOption('--min-improvement', (x) => x >= 0, 'a number ≥ 0'))
    .option('--checkpoint-every <k>', 'checkpoint every k epochs', intOption('--checkpoint-every', 1), 10)
    .option('--resume', 'continue runs from their checkpoints (refused if any setting or the data differ)')
    .option('--overwrite', 'start afresh, replacing existing checkpoints')
    .option('--json', 'print the result as JSON')
    .action(async (o: FitCliOptions, cmd: Command) => {
      if (o.engine !== 'cpu' && o.engine !== 'tfjs') throw new InvalidArgumentError('--engine', 'cpu or tfjs', o.engine);
      if (o.kernel !== undefined && o.kernel !== 'js' && o.kernel !== 'wasm') throw new InvalidArgumentError('--kernel', 'js or wasm', o.kernel);
      if (!['auto', 'node-gpu', 'node', 'webgpu', 'wasm', 'cpu'].includes(o.tfjsBackend)) throw new InvalidArgumentError('--tfjs-backend', 'auto, node-gpu, node, webgpu, wasm or cpu', o.tfjsBackend);
      const similarity = parseSimilarity(o.similarity);
      if (o.positivity !== 'soft' && o.positivity !== 'proximal') throw new InvalidArgumentError('--positivity', 'soft or proximal', o.positivity);
      if (o.trainAccuracyTies !== 'reference' && o.trainAccuracyTies !== 'strict') throw new InvalidArgumentError('--train-accuracy-ties', 'reference or strict', o.trainAccuracyTies);
      if (o.preset !== undefined && !(o.preset in LAMBDA_PRESETS)) throw new InvalidArgumentError('--preset', Object.keys(LAMBDA_PRESETS).join(', '), o.preset);
      if (o.preset !== undefined && o.lambda !== undefined) throw new InvalidArgumentError('--preset', 'either --preset or --lambda, not both', o.preset);
      checkLambdaSelection(o);
      let lambda = o.lambda?.[0] ?? LAMBDA_PRESETS[(o.preset ?? 'du2024-text') as LambdaPreset];
      let lambdaSource = o.lambda !== undefined ? '--lambda' : o.preset !== undefined ? `--preset ${o.preset}` : "default: the paper's text-model λ (du2024-text)";
      const allSeeds = parseSeeds(o.seeds);
      const shard = o.shard === undefined ? undefined : resolveShard('--shard', o.shard, process.env);
      if (shard) checkAtMost('--shard', shard.n, allSeeds.length, `N ≤ the ${allSeeds.length} seeds of --seeds: with more shards than seeds some would run none; N from ${shard.from}`);
      // This process's runs: all seeds, or this shard's share of them.
      const seeds = shard ? shardSeeds(allSeeds, shard) : allSeeds;
      // A worker thread costs its own heap and engine (about 64 MiB): bounded by memory before any starts.
      if (o.threads !== undefined) checkMemory('--threads', o.threads, 64 * 2 ** 20, 'worker threads');
      if (o.resume && o.overwrite) throw new InvalidArgumentError('--overwrite', 'either --resume (continue the runs) or --overwrite (start afresh), not both', '--resume --overwrite');
      const earlyStopping = stoppingRule(o);
      const init = o.init === undefined ? undefined : warmStart(o, cmd.getOptionValueSource('dims') === 'cli');
      // With --init its rows are the objects: an index beyond them is refused at the line that holds it.
      const objects = o.objects ?? init?.rows;
      const train = readAnsweredFile(o.train, undefined, objects).triplets;
      const validation = o.val ? readAnsweredFile(o.val, undefined, objects).triplets : undefined;
      if (train.count === 0) throw new ParseError({ file: o.train }, 'at least one training triplet', 'none');
      if (validation && validation.count === 0) throw new ParseError({ file: o.val! }, 'at least one validation triplet', 'none');
      if (earlyStopping && 'rule' in earlyStopping && !validation) throw new InvalidArgumentError('--early-stopping', 'plateau with --val (it watches the validation cross-entropy)', 'no --val');
      const nObjects = objects ?? Math.max(countObjects(train), validation ? countObjects(validation) : 0);
      const dims = init?.cols ?? o.dims;
      if (!(SCHEDULE_NAMES as readonly string[]).includes(o.schedule)) throw new InvalidArgumentError('--schedule', SCHEDULE_NAMES.join(' or '), o.schedule);
      const schedule = resolveSchedule(o.schedule as ScheduleName, train.count);
      // The same resolution (and the same refusal of 1 epoch with the fast schedule's warm-up) as run and demo.
      const scheduled = scheduledFit(schedule.name, train.count, { epochs: o.epochs, batch: o.batch });
      const epochs = scheduled.epochs, batch = scheduled.batchSize, lr = o.lr ?? scheduled.lr;
      // Each concurrent run holds weights, Adam moments, gradients and a checkpoint copy: about 40 bytes per
      // object and dimension (float64 and float32 arrays of nObjects × dims).
      const concurrent = Math.max(1, Math.min(seeds.length, o.threads ?? availableParallelism()));
      // The library refuses a batch larger than the data too, but only after it made the output folder.
      checkAtMost('--batch', batch, train.count, `the number of training triplets in ${o.train}`);
      if (o.objects !== undefined) checkMemory('--objects', o.objects, 40 * dims * concurrent, 'objects', dims, ` (40 per dimension, ${dims} dims, ${concurrent} concurrent run(s))`);
      checkMemory(init ? '--init' : '--dims', dims, 40 * nObjects * concurrent, 'dims', nObjects, ` (40 per object, ${nObjects} objects, ${concurrent} concurrent run(s))`);
      // Each run keeps a record of every epoch. (No bound by time: a long fit shows its progress and resumes.)
      checkMemory('--epochs', epochs, 100 * seeds.length, 'epochs', 1, ` (a record of each epoch, ${seeds.length} run(s))`);
      // A run that diverges writes nothing: folders this command creates are removed again (see below).
      const existedBefore = new Set([o.out, ...seeds.map((s) => seedDir(o.out, s))].filter((d) => existsSync(d)));
      const options: FitSeedsOptions = {
        train,
        validation,
        hyper: {
          nObjects,
          dims,
          lambda,
          lr,
          temperature: o.temperature,
          similarity,
          positivity: o.positivity,
          trainAccuracyTies: o.trainAccuracyTies as 'reference' | 'strict',
        },
        seeds: allSeeds,
        shard: shard && { k: shard.k, n: shard.n },
        ...(init ? { initialWeights: init.weights } : {}),
        epochs,
        batchSize: batch,
        lrSchedule: schedule.lrSchedule,
        engine: o.engine,
        kernel: o.kernel as 'js' | 'wasm' | undefined,
        tfjsBackend: o.tfjsBackend as FitSeedsOptions['tfjsBackend'],
        threads: o.threads,
        earlyStopping,
        checkpointEvery: o.checkpointEvery,
        resume: Boolean(o.resume),
        overwrite: Boolean(o.overwrite),
        outDir: o.out,
        onProgress: progressRenderer(io, Boolean(o.json)),
      };
      // The tfjs backend is loaded (and a webgpu adapter found) before any file is written; each run (or worker)
      // then selects the same one.
      const tfjs = o.engine === 'tfjs' ? await selectTfjsBackend(o.tfjsBackend as FitSeedsOptions['tfjsBackend']) : undefined;
      // The candidates' runs come first (their times are in lambda-selection.json, not in the seeds' triplets/s).
      const selection = o.selectLambda ? await selectFitLambda(o, options, allSeeds[0]) : undefined;
      if (selection) {
        lambda = selection.lambda;
        lambdaSource = `--select-lambda: the lowest validation cross-entropy of ${o.lambda!.join(', ')} (seed ${selection.seed})`;
      }
      const t0 = performance.now();
      const runs = await fitSeeds(selection ? { ...options, hyper: { ...options.hyper, lambda } } : options);
      const seconds = (performance.now() - t0) / 1000;
      const failed = runs.filter((r) => r.fit.stopReason === 'diverged' || r.embedding.cols === 0);
      if (failed.length > 0) {
        const what = failed.map((r) => `seed ${r.seed} ${r.fit.stopReason === 'diverged' ? `diverged (loss ${r.fit.records.at(-1)?.loss} at epoch ${r.fit.records.length})` : 'kept no dimension (all pruned)'}`).join('; ');
        for (const r of failed) if (!existedBefore.has(seedDir(o.out, r.seed))) rmSync(seedDir(o.out, r.seed), { recursive: true, force: true });
        // A folder this command made for runs that all failed (it holds only their seeds.json) goes too — but not a
        // shard's: other shards may write into the same folder meanwhile; its shard record stays, so a merge names
        // the seeds missing.
        if (!shard && !existedBefore.has(o.out) && failed.length === runs.length) rmSync(o.out, { recursive: true, force: true });
        throw new FitDivergedError(`fit: ${what} with λ ${lambda}, learning rate ${lr}: no embedding written for ${failed.length === 1 ? 'it' : 'them'} (try a smaller --lambda or --lr)`);
      }
      const trained = runs.reduce((s, r) => s + r.fit.records.length * r.fit.config.stepsPerEpoch * r.fit.config.batchSize, 0);
      const result = {
        out: o.out,
        objects: nObjects,
        lambda,
        lambdaSource,
        schedule: { name: schedule.name, epochs, batchSize: batch, lr, lrSchedule: runs[0]?.fit.config.lrSchedule ?? null, method: scheduleMethod(schedule, o) },
        similarity,
        trainAccuracyTies: o.trainAccuracyTies,
        seconds,
        tripletsPerSecond: trained / seconds,
        ...(tfjs ? { tfjs: { backend: tfjs.backend, ...(tfjs.webgpu ? { webgpu: tfjs.webgpu } : {}), ...(tfjs.wasm ? { wasm: tfjs.wasm } : {}) } } : {}),
        ...(shard ? { shard: { k: shard.k, n: shard.n, from: shard.from, seeds: allSeeds, ran: seeds } } : {}),
        ...(init ? { init: { file: o.init!, objects: init.rows, dims: init.cols, description: runs[0]?.fit.config.init ?? null } } : {}),
        ...(selection ? { lambdaSelection: selectionJson(selection, join(o.out, LAMBDA_SELECTION_FILE)) } : {}),
        runs: runs.map((r) => ({
          seed: r.seed,
          dir: seedDir(o.out, r.seed),
          epochs: r.fit.records.length,
          stopReason: r.fit.stopReason,
          stopDetail: r.fit.summary.stopDetail,
          loss: r.fit.summary.loss,
          trainAccuracy: r.fit.summary.trainAccuracy,
          valAccuracy: r.fit.summary.valAccuracy,
          dims: r.embedding.cols,
          engine: r.fit.config.engine,
          files: r.files,
        })),
      };
      printResult(io, Boolean(o.json), result, () =>
        [
          ...result.runs.map(
            (r) =>
              `seed ${r.seed}: ${r.epochs} epochs (${r.stopReason === 'early-stopping' ? r.stopDetail : r.stopReason}), loss ${r.loss?.toFixed(4)}, ` +
              (r.valAccuracy !== null ? `validation accuracy ${(100 * r.valAccuracy).toFixed(2)}%, ` : '') +
              `${r.dims} dims → ${r.dir}`,
          ),
          ...(selection ? selectionLines(selection, join(o.out, LAMBDA_SELECTION_FILE)) : []),
          `λ ${lambda} (${lambdaSource}), similarity ${similarity}, training accuracy ties: ${o.trainAccuracyTies}`,
          `schedule: ${result.schedule.method}`,
          ...(tfjs ? [`tfjs backend: ${tfjs.backend}${tfjs.webgpu ? ` on ${tfjs.webgpu.description} (${tfjs.webgpu.featureLevel}${tfjs.webgpu.software ? ', a software adapter: slow' : ''})` : ''}`] : []),
          ...(init ? [`warm start: every seed from --init ${o.init} (${init.rows} objects × ${init.cols} dims)`] : []),
          ...(shard ? [`shard ${shard.k}/${shard.n} (${shard.from}) of seeds ${allSeeds.join(',')}: ran ${seeds.join(',')}; merge all ${shard.n} shards' --out folders`] : []),
          `${runs.length} run(s) in ${seconds.toFixed(1)} s (${Math.round(result.tripletsPerSecond).toLocaleString('en-US')} triplets/s in all)`,
        ].join('\n'),
      );
    });
}

/**
 * --init: the warm start's weights (float32, row-major), checked before any work — finite, rows equal to an
 * explicit --objects, columns equal to an explicit --dims, not with --select-lambda (its candidates start cold).
 */
function warmStart(o: FitCliOptions, dimsGiven: boolean): { rows: number; cols: number; weights: Float32Array } {
  const file = o.init!;
  if (o.selectLambda) throw new InvalidArgumentError('--init', 'no --init with --select-lambda (the candidates are fitted from the seed\'s initial weights; select λ first, then warm-start with --lambda <chosen>)', file);
  const m = readEmbeddingFile(file);
  if (o.objects !== undefined && m.rows !== o.objects) throw new ParseError({ file }, `${o.objects} rows, one per object (--objects ${o.objects})`, `${m.rows} rows`);
  if (dimsGiven && m.cols !== o.dims) throw new InvalidArgumentError('--dims', `${m.cols}, the columns of --init ${file} (or no --dims: the warm start sets them)`, o.dims);
  const weights = Float32Array.from(m.data);
  const bad = weights.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new ParseError({ file }, 'values within the float32 range (the weights are float32)', `${m.data[bad]} at object row ${Math.floor(bad / m.cols)}, dimension ${bad % m.cols} (0-based)`);
  return { rows: m.rows, cols: m.cols, weights };
}

/** The stopping rule from --early-stopping [rule], --stopping-window and --min-improvement (checked before any work). */
function stoppingRule(o: FitCliOptions): FitSeedsOptions['earlyStopping'] {
  const rule = o.earlyStopping === true ? 'reference' : o.earlyStopping;
  if (rule === undefined || rule === false) {
    if (o.stoppingWindow !== undefined) throw new InvalidArgumentError('--stopping-window', 'with --early-stopping', o.stoppingWindow);
    if (o.minImprovement !== undefined) throw new InvalidArgumentError('--min-improvement', 'with --early-stopping plateau', o.minImprovement);
    return false;
  }
  if (rule === 'reference') {
    if (o.minImprovement !== undefined) throw new InvalidArgumentError('--min-improvement', 'with --early-stopping plateau (the reference rule tests the loss slope)', o.minImprovement);
    if (o.stoppingWindow !== undefined && o.stoppingWindow < 3) throw new InvalidArgumentError('--stopping-window', 'at least 3 with the reference rule (a regression)', o.stoppingWindow);
    return o.stoppingWindow !== undefined ? { window: o.stoppingWindow } : {};
  }
  if (rule === 'plateau') {
    return { rule: 'plateau', ...(o.stoppingWindow !== undefined ? { window: o.stoppingWindow } : {}), ...(o.minImprovement !== undefined ? { minImprovement: o.minImprovement } : {}) };
  }
  throw new InvalidArgumentError('--early-stopping', 'reference or plateau', rule);
}

/** The file `fit --select-lambda` writes into --out: every candidate, the criterion and the chosen λ. */
export const LAMBDA_SELECTION_FILE = 'lambda-selection.json';

/** --lambda: one λ ≥ 0, or comma-separated candidates for --select-lambda (each ≥ 0, no empty items). */
function lambdaOption(text: string): number[] {
  const items = text.split(',');
  const ok = items.every((s) => s.trim() !== '' && Number.isFinite(Number(s)) && Number(s) >= 0);
  // floatOption's usage error (the same words as before for one value), naming the whole list when one item is bad.
  if (!ok) floatOption('--lambda', () => false, items.length > 1 ? 'a comma-separated list of numbers ≥ 0, no empty items' : 'a number ≥ 0')(text);
  return items.map(Number);
}

/** The schedule in words, with the values --epochs, --batch and --lr replaced. */
function scheduleMethod(schedule: Schedule, o: FitCliOptions): string {
  const over = [o.epochs !== undefined ? `--epochs ${o.epochs}` : '', o.batch !== undefined ? `--batch ${o.batch}` : '', o.lr !== undefined ? `--lr ${o.lr}` : ''].filter(Boolean);
  return `${schedule.name}: ${schedule.method}` + (over.length ? ` — with ${over.join(', ')}` : '');
}

/** --lambda with several values needs --select-lambda, which needs 2+ distinct candidates > 0, --val and no --shard (checked before any work). */
function checkLambdaSelection(o: FitCliOptions): void {
  const list = o.lambda?.join(',');
  if (!o.selectLambda) {
    if (o.lambda !== undefined && o.lambda.length > 1) throw new InvalidArgumentError('--lambda', 'one value, or several with --select-lambda (which chooses among them)', list);
    return;
  }
  if (o.lambda === undefined || o.lambda.length < 2) throw new InvalidArgumentError('--select-lambda', 'at least 2 candidates in --lambda (e.g. --lambda 0.002,0.004,0.008)', o.lambda === undefined ? (o.preset !== undefined ? `--preset ${o.preset}` : 'no --lambda') : `--lambda ${list}`);
  const bad = o.lambda.find((x) => !(x > 0));
  if (bad !== undefined) throw new InvalidArgumentError('--lambda', 'candidates > 0 with --select-lambda', bad);
  const dup = o.lambda.find((x, i) => o.lambda!.indexOf(x) !== i);
  if (dup !== undefined) throw new InvalidArgumentError('--lambda', `distinct candidates (${dup} is given twice)`, list);
  if (!o.val) throw new InvalidArgumentError('--select-lambda', '--val (the candidates are scored on the validation triplets)', 'no --val');
  if (o.shard !== undefined) throw new InvalidArgumentError('--select-lambda', 'no --shard (select λ once, then run the shards with --lambda <chosen>)', `--shard ${o.shard}`);
}

/**
 * Fit each --lambda candidate with the first seed and the fit's other settings (the same options the seeds get,
 * only λ differs), choose by validation cross-entropy, and write lambda-selection.json into --out.
 */
async function selectFitLambda(o: FitCliOptions, options: FitSeedsOptions, seed: number): Promise<LambdaSelection> {
  const { seeds: _seeds, shard: _shard, outDir: _out, threads: _threads, workerUrl: _url, checkpointEvery: _every, resume: _resume, overwrite: _overwrite, initialWeights: _init, signal: _signal,
    engine, kernel, tfjsBackend, pruneThreshold: _prune, exportMethod: _export, hyper, validation, ...fit } = options;
  const { lambda: _lambda, ...rest } = hyper;
  const { factory } = await engineFactory({ engine, kernel, tfjsBackend });
  const selection = await selectLambda({ ...fit, validation: validation!, hyper: rest, candidates: o.lambda!, seed, createEngine: factory });
  writeFileAtomic(join(o.out, LAMBDA_SELECTION_FILE), JSON.stringify({ format: 'conceptlab-lambda-selection', version: 1, train: o.train, validation: o.val, ...selectionJson(selection), config: selection.fit.config }, null, 1) + '\n');
  return selection;
}

/** The selection as JSON: criterion, rule, chosen λ and every candidate (NaN cross-entropy of a diverged run → null). */
function selectionJson(s: LambdaSelection, file?: string) {
  return {
    ...(file !== undefined ? { file } : {}),
    criterion: s.criterion,
    rule: "the lowest mean cross-entropy of the validation triplets at each candidate's final weights; exact ties: the larger λ (the sparser model); a diverged run cannot be chosen",
    seed: s.seed,
    chosen: s.lambda,
    candidates: s.candidates.map((c) => ({ ...c, valCrossEntropy: Number.isFinite(c.valCrossEntropy) ? c.valCrossEntropy : null, valAccuracy: Number.isFinite(c.valAccuracy) ? c.valAccuracy : null })),
  };
}

function selectionLines(s: LambdaSelection, file: string): string[] {
  return [
    ...s.candidates.map(
      (c) =>
        `λ ${c.lambda}${c.lambda === s.lambda ? ' (chosen)' : ''}: validation cross-entropy ${Number.isFinite(c.valCrossEntropy) ? c.valCrossEntropy.toFixed(4) : 'none (diverged)'}, ` +
        `accuracy ${(100 * c.valAccuracy).toFixed(2)}%, ${c.activeDims} dims, ${c.epochs} epochs (${c.stopReason === 'early-stopping' ? c.stopDetail : c.stopReason}), ${c.seconds.toFixed(1)} s`,
    ),
    `λ selection (seed ${s.seed}, lowest ${s.criterion}; exact ties: the larger λ) → ${file}`,
  ];
}
