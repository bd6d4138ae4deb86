import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { concatTriplets, FileError, InvalidArgumentError, ParseError, type Matrix, type Triplets } from '@conceptlab/core';
import { EMBEDDING_BASENAME, seedDir } from '@conceptlab/spose-embed';
import { ACQUISITION_RULES, MAX_OBJECTS, selectBatch, distinctSetCodes, type AcquisitionRule, type BatchSelection } from '@conceptlab/triplet-sampler';
import { readEmbeddingFile, readTripletsFile, writeTripletsFile } from '../io.js';
import { checkAtMost, checkMemory, checkTextTriplets, checkWork, floatOption, intOption, oneOf } from '../options.js';
import { printResult, progressRenderer, type Io } from '../output.js';

interface SelectCliOptions {
  rule: string;
  count: number;
  asked?: string;
  embedding?: string;
  fit?: string;
  objects?: number;
  pool?: number;
  maxPerObject?: number;
  selection?: string;
  temperature?: number;
  seed: number;
  out: string;
  json?: boolean;
}

const SELECTIONS: readonly BatchSelection[] = ['top', 'stochastic'];

/** The rules that score candidates with fitted embeddings. */
function isModelRule(rule: AcquisitionRule): rule is 'uncertainty' | 'information-gain' {
  return rule === 'uncertainty' || rule === 'information-gain';
}

/** A comma-separated list of files: every item a name ("a,,b" or a trailing comma is a typo, not a shorter list). */
function fileList(option: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new InvalidArgumentError(option, 'a comma-separated list of files, no empty items', text);
  return items;
}

/**
 * The ensemble of a `conceptlab fit --out` folder: every seed-<seed>/embedding.npy, in seed order. A seed folder
 * without its embedding (an unfinished or failed run) is an error, not a smaller ensemble.
 */
export function fitEnsembleFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new FileError(dir, 'read', 'not a directory (expected a `conceptlab fit --out` folder)');
  const seeds = readdirSync(dir)
    .map((d) => /^seed-(\d+)$/.exec(d))
    .filter((m): m is RegExpExecArray => m !== null && statSync(join(dir, m[0])).isDirectory())
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  if (seeds.length === 0) throw new FileError(dir, 'read', 'no seed-*/ run folders (expected a `conceptlab fit --out` folder)');
  const files = seeds.map((s) => join(seedDir(dir, s), `${EMBEDDING_BASENAME}.npy`));
  const missing = files.find((f) => !existsSync(f));
  if (missing !== undefined) throw new FileError(missing, 'read', 'no such file (an unfinished or failed run: finish it with `fit --resume`, or name the finished runs with --embedding)');
  return files;
}

export function registerSelect(program: Command, io: Io): void {
  program
    .command('select')
    .description('choose the next batch of an adaptive triplet design (new object sets, never one already asked) by an acquisition rule')
    .requiredOption(
      '--rule <rule>',
      'uniform (uniformly random new sets: the baseline) | coverage (even out how often objects and pairs were asked; no model) | ' +
        'uncertainty (the entropy of the fitted model\'s predicted choice) | information-gain (BALD: the mutual information between the answer and the model, from an ensemble of ≥ 2 fits)',
    )
    .requiredOption('--count <n>', 'number of new sets to choose', intOption('--count', 1))
    .option('--asked <files>', 'comma-separated triplet files already asked (SPoSE text "i j k" or .npy, answered or not): their sets are never chosen again; coverage evens out their counts')
    .option('--embedding <files>', 'uncertainty / information-gain: the fitted embeddings (objects × dims, .npy or text), comma-separated, one per ensemble member')
    .option('--fit <dir>', 'uncertainty / information-gain: a `conceptlab fit --out` folder; its ensemble is every seed-*/embedding.npy, in seed order (not with --embedding)')
    .option('--objects <n>', "number of objects (default: the embeddings' rows, which it must equal; required for uniform and coverage)", intOption('--objects', 3))
    .option('--pool <n>', 'coverage and the model rules: candidates drawn uniformly from the sets not asked yet, the batch chosen from them (default: min(10 × count, the sets left))', intOption('--pool', 1))
    .option('--max-per-object <k>', 'model rules: no object in more than k sets of the batch (default ⌈2 · 3·count / objects⌉, twice an object\'s share)', intOption('--max-per-object', 1))
    .option('--selection <how>', 'model rules: top (the best scores; default) | stochastic (drawn ∝ score, Gumbel top-k)')
    .option('--temperature <T>', "model rules: the choice rule's softmax temperature (default 1, as SPoSE fits)", floatOption('--temperature', (x) => x > 0, 'a positive number'))
    .option('--seed <s>', 'random seed (the candidate pool, the stochastic selection and the presentation order)', intOption('--seed', 0), 0)
    .requiredOption('--out <file>', 'the chosen sets, unanswered, in a random presentation order (.txt: "i j k" lines; .npy: int32 n×3)')
    .option('--json', 'print the result as JSON')
    .action((o: SelectCliOptions) => {
      // Every flag and file is checked before anything is written; an option the rule ignores is an error, not dropped.
      const rule = oneOf('--rule', o.rule, ACQUISITION_RULES);
      const model = isModelRule(rule);
      const selection = o.selection === undefined ? undefined : oneOf('--selection', o.selection, SELECTIONS);
      if (!model) {
        const uses = 'uses no fitted model';
        if (o.embedding !== undefined) throw new InvalidArgumentError('--embedding', `no --embedding with --rule ${rule} (the rule ${uses})`, o.embedding);
        if (o.fit !== undefined) throw new InvalidArgumentError('--fit', `no --fit with --rule ${rule} (the rule ${uses})`, o.fit);
        if (o.selection !== undefined) throw new InvalidArgumentError('--selection', `no --selection with --rule ${rule} (it applies to uncertainty and information-gain)`, o.selection);
        if (o.temperature !== undefined) throw new InvalidArgumentError('--temperature', `no --temperature with --rule ${rule} (the rule ${uses})`, o.temperature);
        if (o.maxPerObject !== undefined) throw new InvalidArgumentError('--max-per-object', `no --max-per-object with --rule ${rule} (it applies to uncertainty and information-gain)`, o.maxPerObject);
        if (rule === 'uniform' && o.pool !== undefined) throw new InvalidArgumentError('--pool', 'no --pool with --rule uniform (its batch is itself a uniform draw)', o.pool);
        if (o.objects === undefined) throw new InvalidArgumentError('--objects', `the number of objects with --rule ${rule} (no embedding to count them)`);
      } else {
        if (o.embedding !== undefined && o.fit !== undefined) throw new InvalidArgumentError('--embedding/--fit', 'either --embedding or --fit, not both', `--embedding ${o.embedding} --fit ${o.fit}`);
        if (o.embedding === undefined && o.fit === undefined) throw new InvalidArgumentError('--embedding/--fit', `the fitted embeddings --rule ${rule} scores with: --embedding FILES or --fit DIR`);
      }
      if (o.objects !== undefined) checkAtMost('--objects', o.objects, MAX_OBJECTS, 'the most objects whose sets have exact codes below 2^53');

      // The ensemble: every member finite, all with the same rows (= --objects when given).
      const ensembleFiles = model ? (o.fit !== undefined ? fitEnsembleFiles(o.fit) : fileList('--embedding', o.embedding!)) : [];
      const ensembleOption = o.fit !== undefined ? '--fit' : '--embedding';
      if (rule === 'information-gain' && ensembleFiles.length < 2) {
        throw new InvalidArgumentError(ensembleOption, 'at least 2 embeddings for --rule information-gain (an ensemble of fits, e.g. `fit --seeds 0,1`; one embedding: --rule uncertainty)', `${ensembleFiles.length} (${ensembleFiles.join(', ')})`);
      }
      const ensemble: Matrix<Float64Array>[] = [];
      for (const file of ensembleFiles) {
        const m = readEmbeddingFile(file);
        const rows = o.objects ?? ensemble[0]?.rows;
        if (rows !== undefined && m.rows !== rows) {
          throw new ParseError({ file }, o.objects !== undefined ? `${rows} rows, one per object (--objects ${rows})` : `${rows} rows, one per object, as ${ensembleFiles[0]}`, `${m.rows} rows`);
        }
        ensemble.push(m);
      }
      const n = o.objects ?? ensemble[0].rows;
      if (n < 3) throw new ParseError({ file: ensembleFiles[0] }, 'at least 3 rows (objects) to form a set', `${n} rows`);
      checkAtMost('--objects', n, MAX_OBJECTS, 'the most objects whose sets have exact codes below 2^53');

      // The sets asked so far: every index within the objects (a bad one names the file and line).
      const askedFiles = o.asked === undefined ? [] : fileList('--asked', o.asked);
      if (askedFiles.some((f) => resolve(f) === resolve(o.out))) throw new InvalidArgumentError('--out', 'a file other than the --asked files (it would replace the record of the sets asked)', o.out);
      const askedParts = askedFiles.map((f) => readTripletsFile(f, n));
      const askedCount = askedParts.reduce((s, t) => s + t.count, 0);
      const asked: Triplets | undefined = askedFiles.length === 0 ? undefined : concatTriplets(askedParts);
      const distinctAsked = asked ? distinctSetCodes(asked.data, n).length : 0;
      const left = (n * (n - 1) * (n - 2)) / 6 - distinctAsked;
      const askedNote = `the ${left} sets of ${n} objects not asked yet${asked ? `; --asked holds ${distinctAsked} distinct sets` : ''}`;
      checkAtMost('--count', o.count, left, askedNote);
      if (o.pool !== undefined) {
        if (o.pool < o.count) throw new InvalidArgumentError('--pool', `at least --count (${o.count}): the batch is chosen from the pool`, o.pool);
        checkAtMost('--pool', o.pool, left, askedNote);
      }
      const pool = rule === 'uniform' ? o.count : o.pool ?? Math.min(10 * o.count, left);
      // Bounds before any work: each candidate's code, set, score, key and order (about 64 bytes), the batch and
      // its written copy; the model rules' scoring (each member's three dot products per candidate).
      checkMemory(o.pool !== undefined ? '--pool' : '--count', o.pool ?? o.count, o.pool !== undefined ? 64 : 64 * (rule === 'uniform' ? 1 : 10), 'candidates', 3);
      checkTextTriplets('--count', o.count, n, o.out);
      if (model) checkWork(o.pool !== undefined ? '--pool' : '--count', o.pool ?? o.count, (o.pool !== undefined ? 1 : 10) * ensemble.reduce((s, m) => s + 3 * m.cols + 10, 0), 'candidates');

      const batch = selectBatch({
        nObjects: n,
        count: o.count,
        rule,
        seed: o.seed,
        ...(model ? { ensemble, temperature: o.temperature ?? 1, selection: selection ?? 'top' } : {}),
        ...(asked ? { asked } : {}),
        ...(rule !== 'uniform' ? { poolSize: pool } : {}),
        ...(o.maxPerObject !== undefined ? { maxPerObject: o.maxPerObject } : {}),
        onProgress: progressRenderer(io, Boolean(o.json)),
      });
      writeTripletsFile(o.out, batch.triplets);

      const result = {
        rule: batch.rule,
        selection: batch.selection,
        count: batch.triplets.count,
        objects: n,
        seed: o.seed,
        temperature: model ? o.temperature ?? 1 : null,
        poolSize: batch.poolSize,
        maxPerObject: batch.maxPerObject,
        overCap: batch.overCap,
        meanScore: batch.meanScore,
        poolMeanScore: batch.poolMeanScore,
        scoreUnit: model ? 'nats' : null,
        asked: { files: askedFiles, triplets: askedCount, distinctSets: distinctAsked },
        ensemble: model ? { from: o.fit !== undefined ? { fit: o.fit } : { embedding: ensembleFiles }, size: ensemble.length, dims: ensemble.map((m) => m.cols), files: ensembleFiles } : null,
        out: o.out,
      };
      printResult(io, Boolean(o.json), result, () => {
        const how = model
          ? `${rule} (${batch.selection}, ${ensemble.length} member${ensemble.length === 1 ? '' : 's'}): mean score ${batch.meanScore!.toFixed(4)} nats vs ${batch.poolMeanScore!.toFixed(4)} in the pool of ${batch.poolSize.toLocaleString('en-US')}, ${batch.overCap} over the per-object cap of ${batch.maxPerObject}`
          : rule === 'coverage'
            ? `coverage from a pool of ${batch.poolSize.toLocaleString('en-US')}`
            : 'uniform';
        return `selected ${batch.triplets.count.toLocaleString('en-US')} new sets of ${n} objects by ${how}; ${distinctAsked.toLocaleString('en-US')} asked before → ${o.out}`;
      });
    });
}
