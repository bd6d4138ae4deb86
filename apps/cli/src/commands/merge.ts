import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Command } from 'commander';
import { FileError, writeFileAtomic, writeMatrixText, writeNpyMatrix, type Matrix } from '@conceptlab/core';
import { EMBEDDING_BASENAME, mergeRuns } from '@conceptlab/spose-embed';
import { readEmbeddingFile } from '../io.js';
import { floatOption, intOption } from '../options.js';
import { printResult, type Io } from '../output.js';

/**
 * The embedding files named by RUN arguments: a file as-is; a run directory's embedding.npy; a fit output
 * directory's seed-* runs, in seed order.
 */
export function resolveRunFiles(args: readonly string[]): string[] {
  const files: string[] = [];
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
    const seeds = readdirSync(a)
      .filter((d) => /^seed-\d+$/.test(d) && existsSync(join(a, d, `${EMBEDDING_BASENAME}.npy`)))
      .sort((x, y) => Number(x.slice(5)) - Number(y.slice(5)));
    if (seeds.length === 0) throw new FileError(a, 'read', `no ${EMBEDDING_BASENAME}.npy here nor in seed-*/ run folders`);
    for (const d of seeds) files.push(join(a, d, `${EMBEDDING_BASENAME}.npy`));
  }
  return files;
}

function writeEmbeddingFile(file: string, m: Matrix<Float64Array>): void {
  if (extname(file).toLowerCase() === '.npy') writeNpyMatrix(file, m);
  else writeMatrixText(file, m);
}

export function registerMerge(program: Command, io: Io): void {
  program
    .command('merge')
    .description("merge many runs into one embedding (the paper's procedure): pool dims, drop any with r > threshold to an earlier one, score reproducibility, keep the top k, sort by column sum")
    .argument('<runs...>', 'run directories (embedding.npy), fit output directories (seed-*/), or embedding files')
    .option('--threshold <r>', 'redundancy threshold on Pearson r', floatOption('--threshold', (x) => x > -1 && x < 1, 'a number in (-1, 1)'), 0.4)
    .option('--top <k>', 'dims to keep, by reproducibility', intOption('--top', 1), 66)
    .option('--min-weight <w>', "a run's dims count for reproducibility when some weight exceeds this", floatOption('--min-weight', (x) => x >= 0, 'a number ≥ 0'), 0.1)
    .requiredOption('--out <file>', 'merged embedding (.npy or text); the dims and their reproducibility go to <out>.dims.json')
    .option('--json', 'print the result as JSON')
    .action((runs: string[], o: { threshold: number; top: number; minWeight: number; out: string; json?: boolean }) => {
      const files = resolveRunFiles(runs);
      const mats = files.map((f) => readEmbeddingFile(f, { nonNegative: true }));
      const r = mergeRuns(mats, { threshold: o.threshold, top: o.top, minWeight: o.minWeight });
      const dims = r.dims.map((d) => ({ ...d, file: files[d.run] }));
      const dimsFile = `${o.out.replace(/\.(npy|txt|tsv)$/i, '')}.dims.json`;
      writeEmbeddingFile(o.out, r.embedding);
      writeFileAtomic(dimsFile, JSON.stringify({ runs: files, threshold: o.threshold, top: o.top, minWeight: o.minWeight, pooled: r.pooled, afterPruning: r.afterPruning, dims, candidates: r.candidates }, null, 1) + '\n');
      const result = { runs: files.length, pooled: r.pooled, afterPruning: r.afterPruning, kept: r.embedding.cols, objects: r.embedding.rows, out: o.out, dimsFile, dims };
      printResult(io, Boolean(o.json), result, () =>
        `merged ${files.length} runs: ${r.pooled} dims pooled, ${r.afterPruning} after pruning at r > ${o.threshold}, ${r.embedding.cols} kept → ${o.out} (reproducibility in ${dimsFile})`,
      );
    });
}
