import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Command } from 'commander';
import { ConceptlabError, FileError, InvalidArgumentError, ParseError, ShapeError, writeFileAtomic, writeMatrixText, writeNpyMatrix, type Matrix } from '@conceptlab/core';
import { EMBEDDING_BASENAME, evaluateTriplets, LAMBDA_PRESETS, mergeRuns, readSeedOrder, readShardRecords, refitEmbedding, reproducibilityStats, SEEDS_FILE, type ReproducibilityStats } from '@conceptlab/spose-embed';
import { readAnsweredFile, readEmbeddingFile } from '../io.js';
import { checkAtMost, checkMemory, checkWork, floatOption, intOption } from '../options.js';
import { printResult, type Io } from '../output.js';

/** The first column of `m` whose values are all equal (its Pearson r is undefined), or −1. */
function constantColumn(m: Matrix<Float64Array>): number {
  for (let c = 0; c < m.cols; c++) {
    let r = 1;
    while (r < m.rows && m.data[r * m.cols + c] === m.data[c]) r++;
    if (r === m.rows) return c;
  }
  return -1;
}

/** Shard folders (`fit --shard`) that do not together hold every seed of their full seed list exactly once. */
export class ShardCoverageError extends ConceptlabError {
  readonly _tag = 'ShardCoverageError' as const;
  /** Seeds of the full list that no folder given holds. */
  readonly missing: number[];
  /** Seeds that more than one folder given holds. */
  readonly duplicate: number[];
  constructor(message: string, missing: number[], duplicate: number[]) {
    super(message);
    this.name = 'ShardCoverageError';
    this.missing = missing;
    this.duplicate = duplicate;
  }
}

/** How the runs of one fit output directory, or of the shard folders of one seed list, were ordered. */
export type RunOrder =
  | { readonly dir: string; readonly by: 'seeds.json' | 'seed number (no seeds.json)'; readonly seeds: number[] }
  | {
      readonly dirs: string[];
      readonly by: 'shards (the order of their full seed list)';
      /** The full seed list the shards were cut from. */
      readonly allSeeds: number[];
      /** The seeds pooled, in that order. */
      readonly seeds: number[];
      /** Seeds of the full list no folder holds (only with --allow-partial; otherwise an error). */
      readonly missing: number[];
      readonly shards: { readonly dir: string; readonly shard: string; readonly seeds: number[] }[];
    };

/** How one RUN argument was expanded. */
export interface ResolvedRuns {
  readonly files: string[];
  /** Per argument that was a fit output directory (shard folders of one seed list together): the order its seed-* runs were pooled in. */
  readonly order: RunOrder[];
}

/** The shard folders of one full seed list, pooled together at the place of the first one given. */
interface ShardSet {
  readonly allSeeds: number[];
  readonly dirs: string[];
  readonly shards: { dir: string; shard: string; seeds: number[] }[];
  /** Per seed: the arguments (by index) whose folder holds its run. */
  readonly holders: Map<number, Map<number, string>>;
}

const list = (xs: readonly number[]) => xs.join(', ');

/**
 * The embedding files named by RUN arguments, in the order given: a file as-is; a run directory's
 * embedding.npy; a fit output directory's seed-* runs in the order recorded in its seeds.json (the order the
 * seeds were given to `conceptlab fit`; runs not listed there follow by seed number), or by seed number when
 * there is no seeds.json (said in `order`). Folders written by `fit --shard` (shard-K-of-N.json records) are
 * pooled with the other shard folders of the same seed list, at the place of the first, in the order of the
 * full list — as one unsharded run would be; a seed that no folder holds, or that two hold, is refused
 * (missing seeds are left out, and listed, with `allowPartial`).
 */
export function resolveRunFiles(args: readonly string[], options: { readonly allowPartial?: boolean } = {}): ResolvedRuns {
  const slots: (string[] | ShardSet)[] = [];
  const orderSlots: (RunOrder | ShardSet)[] = [];
  const sets = new Map<string, ShardSet>();
  const runFile = (dir: string, seed: number) => join(dir, `seed-${seed}`, `${EMBEDDING_BASENAME}.npy`);
  args.forEach((a, argIndex) => {
    if (!existsSync(a)) throw new FileError(a, 'read', 'no such file or directory');
    if (!statSync(a).isDirectory()) {
      slots.push([a]);
      return;
    }
    const own = join(a, `${EMBEDDING_BASENAME}.npy`);
    if (existsSync(own)) {
      slots.push([own]);
      return;
    }
    const present = readdirSync(a)
      .filter((d) => /^seed-\d+$/.test(d) && existsSync(join(a, d, `${EMBEDDING_BASENAME}.npy`)))
      .map((d) => Number(d.slice(5)))
      .sort((x, y) => x - y);
    const records = readShardRecords(a);
    if (records.length > 0) {
      for (const rec of records) {
        const key = rec.seeds.join(',');
        let set = sets.get(key);
        if (!set) {
          set = { allSeeds: rec.seeds, dirs: [], shards: [], holders: new Map() };
          sets.set(key, set);
          slots.push(set);
          orderSlots.push(set);
        }
        if (!set.dirs.includes(a)) set.dirs.push(a);
        set.shards.push({ dir: a, shard: `${rec.shard.k}/${rec.shard.n}`, seeds: rec.ran });
        // A recorded seed whose run is not here (it diverged, or has not finished) counts as missing.
        for (const seed of rec.ran.filter((x) => present.includes(x))) {
          if (!set.holders.has(seed)) set.holders.set(seed, new Map());
          set.holders.get(seed)!.set(argIndex, a);
        }
      }
      const unrecorded = present.filter((x) => !records.some((rec) => rec.ran.includes(x)));
      if (unrecorded.length > 0) {
        throw new ShardCoverageError(
          `${a}: run(s) in no shard record of this folder (${records.map((rec) => basename(rec.file)).join(', ')}): seed-${unrecorded.join(', seed-')}; give them as run folders (${join(a, `seed-${unrecorded[0]}`)}) or move them out`,
          [],
          [],
        );
      }
      return;
    }
    if (present.length === 0) throw new FileError(a, 'read', `no ${EMBEDDING_BASENAME}.npy here nor in seed-*/ run folders`);
    const recorded = readSeedOrder(a);
    const seeds = recorded ? [...recorded.filter((s) => present.includes(s)), ...present.filter((s) => !recorded.includes(s))] : present;
    orderSlots.push({ dir: a, by: recorded ? 'seeds.json' : 'seed number (no seeds.json)', seeds });
    slots.push(seeds.map((s) => runFile(a, s)));
  });
  // Each shard set: every seed of its full list held by exactly one folder given.
  const pooled = new Map<ShardSet, { seeds: number[]; files: string[]; missing: number[] }>();
  for (const set of sets.values()) {
    const missing = set.allSeeds.filter((s) => !set.holders.has(s));
    const duplicate = set.allSeeds.filter((s) => (set.holders.get(s)?.size ?? 0) > 1);
    const ns = new Set(set.shards.map((x) => Number(x.shard.split('/')[1])));
    const ofList = `the shards of seeds ${list(set.allSeeds)} (${set.shards.map((x) => `${x.shard} in ${x.dir}`).join('; ')})`;
    if (duplicate.length > 0) {
      const where = duplicate.map((s) => `seed ${s} in ${[...set.holders.get(s)!.values()].join(' and ')}`).join('; ');
      throw new ShardCoverageError(`merge: ${ofList} hold seed(s) ${list(duplicate)} more than once (${where}): give each shard's folder once`, missing, duplicate);
    }
    if (missing.length > 0 && !options.allowPartial) {
      // With one N throughout, name the shard that should have run each missing seed.
      const n = ns.size === 1 ? [...ns][0] : undefined;
      const which = n === undefined ? '' : ` (shard ${[...new Set(missing.map((s) => (set.allSeeds.indexOf(s) % n) + 1))].map((k) => `${k}/${n}`).join(', ')})`;
      throw new ShardCoverageError(`merge: ${ofList} miss seed(s) ${list(missing)}${which}: give every shard's folder, or --allow-partial to merge without them`, missing, duplicate);
    }
    const seeds = set.allSeeds.filter((s) => set.holders.has(s));
    pooled.set(set, { seeds, files: seeds.map((s) => runFile([...set.holders.get(s)!.values()][0], s)), missing });
  }
  const files = slots.flatMap((x) => (Array.isArray(x) ? x : pooled.get(x)!.files));
  const order = orderSlots.map((x): RunOrder => {
    if (!('holders' in x)) return x;
    const p = pooled.get(x)!;
    return { dirs: x.dirs, by: 'shards (the order of their full seed list)', allSeeds: x.allSeeds, seeds: p.seeds, missing: p.missing, shards: x.shards };
  });
  return { files, order };
}

/** "1-20,23" → [1, …, 20, 23] (1-based positions, in the order written), each at most `max` (`what` says why). */
function parsePositions(name: string, text: string, max: number, what: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',').map((s) => s.trim())) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new InvalidArgumentError(name, 'comma-separated 1-based positions or ranges (e.g. 1-20,23)', text);
    const a = Number(m[1]), b = m[2] === undefined ? a : Number(m[2]);
    if (a < 1 || b < a) throw new InvalidArgumentError(name, 'positions ≥ 1 and ranges low-high', part);
    // Before expanding the range: a position past the end names nothing (and 1-1e12 would never finish).
    if (b > max) throw new InvalidArgumentError(name, `positions in 1-${max} (${what})`, part);
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}

function writeEmbeddingFile(file: string, m: Matrix<Float64Array>): void {
  if (extname(file).toLowerCase() === '.npy') writeNpyMatrix(file, m);
  else writeMatrixText(file, m);
}

interface MergeCliOptions {
  threshold: number;
  top: number;
  minWeight: number;
  excludeOwnRun?: boolean;
  allowPartial?: boolean;
  references?: string;
  include?: string;
  includeFromTop?: number;
  stats: boolean;
  permutations: number;
  bootstraps: number;
  statsSeed: number;
  refit?: number;
  train?: string;
  val?: string;
  lambda: number;
  lr: number;
  batch: number;
  refitSeed: number;
  out: string;
  json?: boolean;
}

/** `<out>-refit.<ext>` beside the merged embedding `<out>.<ext>`. */
function refitFile(out: string): string {
  const m = /\.(npy|txt|tsv)$/i.exec(out);
  return m ? `${out.slice(0, -m[0].length)}-refit${m[0]}` : `${out}-refit`;
}

const f3 = (x: number | null) => (x === null ? '—' : x.toFixed(3));

export function registerMerge(program: Command, io: Io): void {
  program
    .command('merge')
    .description(
      "merge many runs into one embedding (the paper's procedure): pool dims in the order given, drop any with r > threshold to an earlier one, sort by column sum, " +
        "score reproducibility against the reference runs (by default the authors' way: each dim's own run included, so its r = 1 → z = +∞ → reproducibility 1, no CI; " +
        '--exclude-own-run for ours), keep the top k re-sorted by column sum, append --include picks; report the authors\' rank test',
    )
    .argument('<runs...>', 'run directories (embedding.npy), fit output directories (seed-*/, in the order of their seeds.json; the folders of `fit --shard` together, in the order of their full seed list), or embedding files; pooled in this order')
    .option('--allow-partial', 'merge shard folders (fit --shard) that miss some seeds of their full list (the missing seeds are listed); default: refused')
    .option('--threshold <r>', 'redundancy threshold on Pearson r', floatOption('--threshold', (x) => x > -1 && x < 1, 'a number in (-1, 1)'), 0.4)
    .option('--top <k>', 'dims to keep, by reproducibility (the paper: 66 for Gemini; 61 + 5 --include picks for ChatGPT)', intOption('--top', 1), 66)
    .option('--min-weight <w>', "a reference run's dims count for reproducibility when some weight exceeds this", floatOption('--min-weight', (x) => x >= 0, 'a number ≥ 0'), 0.1)
    .option('--exclude-own-run', "score each dim against the other runs only (ours; default: the authors' own-run-included score)")
    .option('--references <list>', 'which runs (1-based positions in the pooled run list, ranges allowed: 1-20) serve as reference runs; default all (the authors: 1-20)')
    .option('--include <list>', "hand-picked dims appended after the top k, in this order and not re-sorted: 1-based positions (the authors' ChatGPT picks: 35,56,59,63,66 with --include-from-top 70)")
    .option('--include-from-top <n>', 'positions in --include index the top n dims by reproducibility re-sorted by column sum (the authors: 70); default: all dims left after pruning, by column sum', intOption('--include-from-top', 1))
    .option('--no-stats', "skip the authors' rank test (reproducibility rank vs dim number)")
    .option('--permutations <n>', 'permutations for the rank test p-value', intOption('--permutations', 1), 100_000)
    .option('--bootstraps <n>', 'bootstrap resamples of dims for the rank test CI', intOption('--bootstraps', 2), 1000)
    .option('--stats-seed <s>', 'seed of the rank test permutations and bootstraps', intOption('--stats-seed', 0), 0)
    .option('--refit <epochs>', "ours: also refit the merged embedding for this many epochs on --train (dims fixed, columns in order) → <out>-refit; with --val, both embeddings' held-out accuracy", intOption('--refit', 1, 100_000))
    .option('--train <file>', 'refit: the training triplets (SPoSE "i j k" text or .npy)')
    .option('--val <file>', "refit: held-out triplets, to report the merged and the refitted embedding's accuracy")
    .option('--lambda <l>', 'refit: λ (default 0.004, the paper\'s text-model value)', floatOption('--lambda', (x) => x >= 0, 'a number ≥ 0'), LAMBDA_PRESETS['du2024-text'])
    .option('--lr <rate>', 'refit: Adam learning rate', floatOption('--lr', (x) => x > 0, 'a positive number'), 1e-3)
    .option('--batch <b>', 'refit: triplets per Adam step', intOption('--batch', 1), 100)
    .option('--refit-seed <s>', "refit: seed of the data order", intOption('--refit-seed', 0), 0)
    .requiredOption('--out <file>', 'merged embedding (.npy or text); the dims, their reproducibility and the rank test go to <out>.dims.json')
    .option('--json', 'print the result as JSON')
    .action(async (runs: string[], o: MergeCliOptions, cmd: Command) => {
      // The refit's options and files, checked before anything is read or written.
      if (o.refit === undefined) {
        for (const k of ['train', 'val'] as const) if (o[k] !== undefined) throw new InvalidArgumentError(`--${k}`, 'with --refit', o[k]);
        for (const k of ['lambda', 'lr', 'batch', 'refitSeed'] as const) {
          if (cmd.getOptionValueSource(k) !== 'default') throw new InvalidArgumentError(k === 'refitSeed' ? '--refit-seed' : `--${k}`, 'with --refit', o[k]);
        }
      } else if (o.train === undefined) throw new InvalidArgumentError('--refit', 'with --train (the training triplets to refit on)', `--refit ${o.refit}`);
      const { files, order } = resolveRunFiles(runs, { allowPartial: Boolean(o.allowPartial) });
      const references = o.references === undefined ? undefined : parsePositions('--references', o.references, files.length, 'the runs given').map((p) => p - 1);
      if (o.includeFromTop !== undefined && o.include === undefined) throw new InvalidArgumentError('--include-from-top', 'to come with --include', o.includeFromTop);
      const mats = files.map((f) => readEmbeddingFile(f, { nonNegative: true }));
      // Every run over the same objects, and no constant dim (its r with any other is undefined), the file named.
      mats.forEach((m, r) => {
        if (m.rows !== mats[0].rows) throw new ShapeError(`${files[r]}: ${m.rows} objects, but ${files[0]} has ${mats[0].rows}; every run must describe the same objects in the same order`);
        const c = constantColumn(m);
        if (c >= 0) throw new ParseError({ file: files[r] }, 'dims that vary over objects (a constant one has no Pearson r)', `dimension ${c} (0-based) constant at ${m.data[c]}`);
      });
      // Sizes bounded by the dims pooled, before the merge: --top (when given), --include, and the rank test's
      // work (each permutation or bootstrap shuffles and correlates the kept dims) and bootstrap memory.
      const pooled = mats.reduce((s, m) => s + m.cols, 0);
      const ofPooled = `the ${pooled} dims pooled from ${files.length} run(s)`;
      if (cmd.getOptionValueSource('top') !== 'default') checkAtMost('--top', o.top, pooled, ofPooled);
      const include = o.include === undefined ? undefined : parsePositions('--include', o.include, o.includeFromTop ?? pooled, o.includeFromTop !== undefined ? '--include-from-top' : ofPooled);
      if (o.stats) {
        const kept = Math.min(o.top, pooled) + (include?.length ?? 0);
        checkWork('--permutations', o.permutations, 20 * kept, `permutations of ${kept} dims`);
        checkMemory('--bootstraps', o.bootstraps, 8, 'resamples', 1);
        checkWork('--bootstraps', o.bootstraps, 20 * kept, `resamples of ${kept} dims`);
      }
      const refitTrain = o.refit !== undefined ? readAnsweredFile(o.train!, undefined, mats[0].rows).triplets : undefined;
      const refitVal = o.refit !== undefined && o.val !== undefined ? readAnsweredFile(o.val, undefined, mats[0].rows).triplets : undefined;
      if (refitTrain && refitTrain.count === 0) throw new ParseError({ file: o.train! }, 'at least one training triplet', 'none');
      if (refitVal && refitVal.count === 0) throw new ParseError({ file: o.val! }, 'at least one held-out triplet', 'none');
      if (refitTrain) checkAtMost('--batch', o.batch, refitTrain.count, `the number of training triplets in ${o.train}`);
      const r = mergeRuns(mats, {
        threshold: o.threshold,
        top: o.top,
        minWeight: o.minWeight,
        excludeOwnRun: Boolean(o.excludeOwnRun),
        references,
        include,
        includeFromTop: o.includeFromTop,
      });
      let stats: ReproducibilityStats | null = null;
      let statsNote: string | null = null;
      if (!o.stats) statsNote = 'skipped (--no-stats)';
      else if (r.dims.length < 3) statsNote = `not computed: ${r.dims.length} dims kept (the rank test needs at least 3)`;
      else stats = reproducibilityStats(r.dims, { permutations: o.permutations, bootstraps: o.bootstraps, seed: o.statsSeed });
      const withFile = <T extends { run: number }>(d: T) => ({ ...d, file: files[d.run] });
      const dims = r.dims.map(withFile);
      const method = { ...r.method, references: r.method.references.map((i) => i + 1), referencesAre: '1-based positions in runs' };
      const dimsFile = `${o.out.replace(/\.(npy|txt|tsv)$/i, '')}.dims.json`;
      writeEmbeddingFile(o.out, r.embedding);
      writeFileAtomic(
        dimsFile,
        JSON.stringify({ runs: files, runOrder: order, seedsFile: SEEDS_FILE, method, pooled: r.pooled, afterPruning: r.afterPruning, dims, candidates: r.candidates.map(withFile), stats, statsNote }, null, 1) + '\n',
      );
      let refit = null;
      if (refitTrain) {
        const rf = await refitEmbedding({ embedding: r.embedding, train: refitTrain, hyper: { lambda: o.lambda, lr: o.lr }, seed: o.refitSeed, epochs: o.refit!, batchSize: o.batch });
        const file = refitFile(o.out);
        writeEmbeddingFile(file, { rows: rf.embedding.rows, cols: rf.embedding.cols, data: Float64Array.from(rf.embedding.data) });
        const acc = (m: Matrix<Float32Array | Float64Array>) => (refitVal ? evaluateTriplets(m, refitVal, { seed: 0 }).accuracy : null);
        refit = {
          epochs: o.refit!,
          file,
          lambda: o.lambda,
          lr: o.lr,
          batch: o.batch,
          seed: o.refitSeed,
          heldOut: refitVal ? { file: o.val!, count: refitVal.count, merged: acc(r.embedding), refitted: acc(rf.embedding) } : null,
          method: `ours: the merged embedding refitted for ${o.refit} epochs on ${o.train} (dims fixed, columns in order, negatives set to 0); not the paper's procedure`,
        };
      }
      const result = { runs: files.length, runOrder: order, method, pooled: r.pooled, afterPruning: r.afterPruning, kept: r.embedding.cols, objects: r.embedding.rows, out: o.out, dimsFile, dims, stats, statsNote, ...(refit ? { refit } : {}) };
      printResult(io, Boolean(o.json), result, () => {
        const infinite = r.dims.filter((d) => d.zInfinite).length;
        const lines = [
          `merged ${files.length} runs: ${r.pooled} dims pooled, ${r.afterPruning} after pruning at r > ${o.threshold}, ${r.embedding.cols} kept` +
            (include ? ` (top ${Math.min(o.top, r.afterPruning)} + ${include.length} --include)` : '') +
            ` → ${o.out} (reproducibility in ${dimsFile})`,
          `reproducibility: ${r.method.reproducibility} against ${r.method.references.length} reference run(s); CI ${r.method.ci}` +
            (infinite > 0 ? `; ${infinite} kept dim(s) have r = 1 in a run (z = +∞): reproducibility 1, CI not computable` : ''),
          ...order.filter((x) => x.by !== 'seeds.json').map((x) =>
            'dirs' in x
              ? `note: ${x.shards.length} shard(s) (${x.shards.map((y) => `${y.shard} in ${y.dir}`).join('; ')}): runs pooled in the order of their full seed list ${x.allSeeds.join(',')}` +
                (x.missing.length > 0 ? `; missing seed(s) ${x.missing.join(', ')} left out (--allow-partial)` : '')
              : `note: ${x.dir}: runs pooled by ${x.by}`,
          ),
        ];
        if (stats) {
          const t = stats.rankTest;
          lines.push(
            `rank test (authors' fig. 2e–g): r(dim number, reproducibility rank) = ${t.rRank.toFixed(3)}, permutation p = ${t.permutation.p.toPrecision(3)} (${t.permutation.permutations} permutations, one-sided), ` +
              `95% CI ${t.bootstrap.status === 'ok' ? `${f3(t.bootstrap.low)} to ${f3(t.bootstrap.high)} (Fisher-z bootstrap, ${t.bootstrap.used}/${t.bootstrap.bootstraps} resamples)` : t.bootstrap.status}`,
          );
        } else lines.push(`rank test: ${statsNote}`);
        if (refit) {
          const h = refit.heldOut;
          lines.push(
            `refit (ours): ${refit.epochs} epochs on ${o.train}, dims fixed → ${refit.file}` +
              (h ? `; held-out accuracy on ${h.count} triplets: merged ${(100 * h.merged!).toFixed(2)}%, refitted ${(100 * h.refitted!).toFixed(2)}%` : ''),
          );
        }
        return lines.join('\n');
      });
    });
}
