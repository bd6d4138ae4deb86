import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, ParseError, readMatrixText, readNpy } from '@conceptlab/core';
import { bootstrapConditions, compareRdms, noiseCeiling, rdmFromMatrix, type CompareMethod, type Rdm } from '@conceptlab/neuro-rsa';
import { intOption } from '../options.js';
import { printResult, type Io } from '../output.js';

const METHODS: readonly CompareMethod[] = ['corr', 'cosine', 'spearman', 'kendall', 'tau-b', 'tau-a', 'rho-a'];

/**
 * The RDMs in a file: one n×n matrix (.npy or TSV/text), or a stack (…, n, n) in .npy whose leading axes are
 * flattened in C order. Names are the file's base name, with `[i]` or `[i,j]` for stacks.
 */
export function readRdmFile(file: string): { name: string; rdm: Rdm }[] {
  const base = basename(file, extname(file));
  if (extname(file).toLowerCase() !== '.npy') {
    const m = readMatrixText(file);
    return [{ name: base, rdm: toRdm(file, m.rows, m.data, 0) }];
  }
  const a = readNpy(file);
  if (a.shape.length < 2 || a.shape[a.shape.length - 1] !== a.shape[a.shape.length - 2]) {
    throw new ParseError({ file }, 'an RDM (n, n) or a stack of RDMs (…, n, n)', `shape (${a.shape.join(', ')})`);
  }
  const n = a.shape[a.shape.length - 1];
  const lead = a.shape.slice(0, -2);
  const count = lead.reduce((p, x) => p * x, 1);
  const data = Float64Array.from(a.data as ArrayLike<number | bigint>, (v) => Number(v));
  const out: { name: string; rdm: Rdm }[] = [];
  for (let k = 0; k < count; k++) {
    const idx: number[] = [];
    let r = k;
    for (let d = lead.length - 1; d >= 0; d--) {
      idx.unshift(r % lead[d]);
      r = Math.floor(r / lead[d]);
    }
    out.push({ name: lead.length ? `${base}[${idx.join(',')}]` : base, rdm: toRdm(file, n, data, k * n * n) });
  }
  return out;
}

function toRdm(file: string, n: number, data: ArrayLike<number>, offset: number): Rdm {
  const rows = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => data[offset + i * n + j]));
  if (rows.some((r) => r.length !== n)) throw new ParseError({ file }, 'a square RDM', `${rows.length} rows`);
  try {
    return rdmFromMatrix({ rows: n, cols: n, data: Float64Array.from(rows.flat()) });
  } catch (e) {
    throw new ParseError({ file }, 'a symmetric RDM with a zero diagonal', (e as Error).message);
  }
}

export function registerRsa(program: Command, io: Io): void {
  program
    .command('rsa')
    .description('compare model RDMs with brain RDMs (rsatoolbox comparators); values[model][brain], optionally with the noise ceiling of the brain RDMs')
    .requiredOption('--model <files...>', 'model RDM files: .npy (n, n) or a stack (…, n, n), or TSV/text n × n')
    .requiredOption('--brain <files...>', 'brain RDM files (one per subject, or stacks)')
    .option('--method <method>', METHODS.join(' | '), 'spearman')
    .option('--bootstrap <n>', 'a 95% CI per model from n bootstrap resamples of the conditions (mean over brain RDMs)', intOption('--bootstrap', 1))
    .option('--seed <s>', 'bootstrap seed', intOption('--seed', 0), 0)
    .option('--noise-ceiling', 'also the noise ceiling of the brain RDMs (leave-one-out lower bound, all-subjects upper bound)')
    .option('--json', 'print { method, models, brains, values, noiseCeiling? } as JSON')
    .action((o: { model: string[]; brain: string[]; method: string; bootstrap?: number; seed: number; noiseCeiling?: boolean; json?: boolean }) => {
      if (!(METHODS as readonly string[]).includes(o.method)) throw new InvalidArgumentError('--method', METHODS.join(', '), o.method);
      const method = o.method as CompareMethod;
      const models = o.model.flatMap(readRdmFile);
      const brains = o.brain.flatMap(readRdmFile);
      const n = brains[0].rdm.n;
      for (const x of [...models, ...brains]) {
        if (x.rdm.n !== n) throw new InvalidArgumentError(x.name, `an RDM over ${n} conditions (as ${brains[0].name})`, `${x.rdm.n} conditions`);
      }
      const values = models.map((m) => brains.map((b) => compareRdms(m.rdm, b.rdm, method)));
      const nc = o.noiseCeiling ? noiseCeiling(brains.map((b) => b.rdm), method) : undefined;
      const ci = o.bootstrap
        ? models.map((m) => {
            const b = bootstrapConditions(m.rdm, brains.map((x) => x.rdm), method, { samples: o.bootstrap, seed: o.seed });
            return { mean: b.mean, low: b.ciLow, high: b.ciHigh };
          })
        : undefined;
      const result = { method, models: models.map((m) => m.name), brains: brains.map((b) => b.name), values, ...(ci ? { ci } : {}), ...(nc ? { noiseCeiling: nc } : {}) };
      printResult(io, Boolean(o.json), result, () => {
        const lines = models.map((m, i) => {
          const mean = values[i].reduce((s, v) => s + v, 0) / values[i].length;
          return `${m.name}: mean ${method} ${mean.toFixed(4)} over ${brains.length} brain RDMs` + (ci ? ` (95% CI ${ci[i].low.toFixed(4)} to ${ci[i].high.toFixed(4)}, ${o.bootstrap} condition bootstraps)` : '');
        });
        if (nc) lines.push(`noise ceiling: lower ${nc.lower.toFixed(4)}, upper ${nc.upper.toFixed(4)}`);
        return lines.join('\n');
      });
    });
}
