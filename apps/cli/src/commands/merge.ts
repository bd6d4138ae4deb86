import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Command } from 'commander';
import { FileError, InvalidArgumentError, ParseError, ShapeError, writeFileAtomic, writeMatrixText, writeNpyMatrix, type Matrix } from '@conceptlab/core';
import { EMBEDDING_BASENAME, mergeRuns, readSeedOrder, reproducibilityStats, SEEDS_FILE, type ReproducibilityStats } from '@conceptlab/spose-embed';
import { readEmbeddingFile } from '../io.js';
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

/** How one RUN argument was expanded. */
export interface ResolvedRuns {
  readonly files: string[];
  /** Per argument that was a fit output directory: the order its seed-* runs were pooled in. */
  readonly order: { readonly dir: string; readonly by: 'seeds.json' | 'seed number (no seeds.json)'; readonly seeds: number[] }[];
}

/**
 * The embedding files named by RUN arguments, in the order given: a file as-is; a run directory's
 * embedding.npy; a fit output directory's seed-* runs in the order recorded in its seeds.json (the order the
 * seeds were given to `conceptlab fit`; runs not listed there follow by seed number), or by seed number when
 * there is no seeds.json (said in `order`).
 */
export function resolveRunFiles(args: readonly string[]): ResolvedRuns {
  const files: string[] = [];
  const order: ResolvedRuns['order'] = [];
  for (const a of args) {
    if (!existsSync(a)) throw new FileError(a, 'read', 'no such file or directory');
    if (!statSync(a).isDirectory()) {
      files.push(a);
      continue;
    }
    const own = join(a, `${EMBEDDING_BASENAME}.npy`);
    if (existsSync(own)) {
      files.push(own);
      continue;
    }
    const present = readdirSync(a)
      .filter((d) => /^seed-\d+$/.test(d) && existsSync(join(a, d, `${EMBEDDING_BASENAME}.npy`)))
      .map((d) => Number(d.slice(5)))
      .sort((x, y) => x - y);
    if (present.length === 0) throw new FileError(a, 'read', `no ${EMBEDDING_BASENAME}.npy here nor in seed-*/ run folders`);
    const recorded = readSeedOrder(a);
    const seeds = recorded ? [...recorded.filter((s) => present.includes(s)), ...present.filter((s) => !recorded.includes(s))] : present;
    order.push({ dir: a, by: recorded ? 'seeds.json' : 'seed number (no seeds.json)', seeds });
    for (const s of seeds) files.push(join(a, `seed-${s}`, `${EMBEDDING_BASENAME}.npy`));
  }
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
  references?: string;
  include?: string;
  includeFromTop?: number;
  stats: boolean;
  permutations: number;
  bootstraps: number;
  statsSeed: number;
  out: string;
  json?: boolean;
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
    .argument('<runs...>', 'run directories (embedding.npy), fit output directories (seed-*/, in the order of their seeds.json), or embedding files; pooled in this order')
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
    .requiredOption('--out <file>', 'merged embedding (.npy or text); the dims, their reproducibility and the rank test go to <out>.dims.json')
    .option('--json', 'print the result as JSON')
    .action((runs: string[], o: MergeCliOptions, cmd: Command) => {
      const { files, order } = resolveRunFiles(runs);
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
      const result = { runs: files.length, runOrder: order, method, pooled: r.pooled, afterPruning: r.afterPruning, kept: r.embedding.cols, objects: r.embedding.rows, out: o.out, dimsFile, dims, stats, statsNote };
      printResult(io, Boolean(o.json), result, () => {
        const infinite = r.dims.filter((d) => d.zInfinite).length;
        const lines = [
          `merged ${files.length} runs: ${r.pooled} dims pooled, ${r.afterPruning} after pruning at r > ${o.threshold}, ${r.embedding.cols} kept` +
            (include ? ` (top ${Math.min(o.top, r.afterPruning)} + ${include.length} --include)` : '') +
            ` → ${o.out} (reproducibility in ${dimsFile})`,
          `reproducibility: ${r.method.reproducibility} against ${r.method.references.length} reference run(s); CI ${r.method.ci}` +
            (infinite > 0 ? `; ${infinite} kept dim(s) have r = 1 in a run (z = +∞): reproducibility 1, CI not computable` : ''),
          ...order.filter((x) => x.by !== 'seeds.json').map((x) => `note: ${x.dir}: runs pooled by ${x.by}`),
        ];
        if (stats) {
          const t = stats.rankTest;
          lines.push(
            `rank test (authors' fig. 2e–g): r(dim number, reproducibility rank) = ${t.rRank.toFixed(3)}, permutation p = ${t.permutation.p.toPrecision(3)} (${t.permutation.permutations} permutations, one-sided), ` +
              `95% CI ${t.bootstrap.status === 'ok' ? `${f3(t.bootstrap.low)} to ${f3(t.bootstrap.high)} (Fisher-z bootstrap, ${t.bootstrap.used}/${t.bootstrap.bootstraps} resamples)` : t.bootstrap.status}`,
          );
        } else lines.push(`rank test: ${statsNote}`);
        return lines.join('\n');
      });
    });
}
