import type { Command } from 'commander';
import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { checkCorrespondenceInputs, dimensionCorrespondence, sharedUniqueThreeWay, THREE_WAY_PATTERNS } from '@conceptlab/interpret-dims';
import { readEmbeddingFile } from '../io.js';
import { floatOption } from '../options.js';
import { printResult, type Io } from '../output.js';

interface CorrespondenceCliOptions {
  reference: string;
  model: string;
  third?: string;
  method: string;
  shared: string;
  threshold: number;
  sharedThreshold: number;
  json?: boolean;
}

const r3 = (x: number) => x.toFixed(3);

export function registerCorrespondence(program: Command, io: Io): void {
  program
    .command('correspondence')
    .description(
      "dimension correspondence of a model embedding with a reference (e.g. human) embedding of the same objects, the authors' way by default " +
        '(Du et al. 2025, Fig. 5d/5e): reorder the model dims by first best match, Cadapt = C(:, si) − (corr(reference) − I), ≥ 0.4, at most 2 per reference dim; ' +
        'shared vs unique dims at 0.2 (first free); with --third, the three-way counts (reference, model, third)',
    )
    .requiredOption('--reference <file>', 'the REFERENCE embedding (objects × dims, .npy or text): its dims are the rows')
    .requiredOption('--model <file>', "the model's embedding of the same objects: its dims are the columns")
    .option('--third <file>', 'a third embedding (e.g. an MLLM): the authors\' three-way shared vs unique counts (A = --reference, B = --model, C = this)')
    .option('--method <m>', "paper (the authors' reorder + adapted matrix) | hungarian (optimal one-to-one matching)", 'paper')
    .option('--shared <m>', 'shared vs unique: paper (first free position on Cadapt) | best-free (best free dim on raw r)', 'paper')
    .option('--threshold <t>', "the adapted matrix's threshold (the paper: 0.4)", floatOption('--threshold', Number.isFinite, 'a number'), 0.4)
    .option('--shared-threshold <t>', 'shared vs unique threshold (the paper: 0.2)', floatOption('--shared-threshold', Number.isFinite, 'a number'), 0.2)
    .option('--json', 'print the result as JSON (correlation and adapted matrices included)')
    .action((o: CorrespondenceCliOptions) => {
      if (o.method !== 'paper' && o.method !== 'hungarian') throw new InvalidArgumentError('--method', 'paper or hungarian', o.method);
      if (o.shared !== 'paper' && o.shared !== 'best-free') throw new InvalidArgumentError('--shared', 'paper or best-free', o.shared);
      const ref = readEmbeddingFile(o.reference);
      const model = readEmbeddingFile(o.model);
      const third = o.third ? readEmbeddingFile(o.third) : undefined;
      for (const [file, m] of [[o.model, model], ...(third ? [[o.third!, third] as const] : [])] as const) {
        if (m.rows !== ref.rows) throw new ShapeError(`${file}: ${m.rows} objects, but the reference ${o.reference} has ${ref.rows}; both must describe the same objects in the same order`);
        // At least 3 objects and no constant dim (e.g. all zero: its r is undefined), the file named.
        checkCorrespondenceInputs(ref, m, [o.reference, file]);
      }
      const c = dimensionCorrespondence(ref, model, { method: o.method, sharedMethod: o.shared, adaptedThreshold: o.threshold, sharedThreshold: o.sharedThreshold });
      const three = third ? sharedUniqueThreeWay(ref, model, third, { threshold: o.sharedThreshold }) : undefined;
      const result = {
        reference: o.reference,
        model: o.model,
        ...(o.third ? { third: o.third } : {}),
        objects: ref.rows,
        referenceDims: ref.cols,
        modelDims: model.cols,
        correspondence: c,
        ...(three ? { threeWay: three } : {}),
      };
      printResult(io, Boolean(o.json), result, () => {
        const lines = [`${ref.rows} objects; reference ${o.reference}: ${ref.cols} dims (rows); model ${o.model}: ${model.cols} dims (columns)`];
        if (c.paper) {
          const p = c.paper;
          lines.push(`correspondence (method ${c.method}: ${c.description}): ${p.matches.length} matches with Cadapt ≥ ${p.threshold}, at most ${p.maxPerRow} per reference dim, over ${new Set(p.matches.map((m) => m.a)).size} reference dims`);
          if (p.unequalDimsRule) lines.push(`unequal dims: ${p.unequalDimsRule}`);
          for (const m of p.matches) lines.push(`  reference dim ${m.a + 1} → model dim ${m.b + 1} (position ${m.position + 1}): ${r3(m.value)}`);
          lines.push(`diag(Cadapt), sorted descending (as the authors print it): ${p.diagonalSortedDescending.map(r3).join(' ')}`);
        } else {
          const opt = c.optimal!;
          lines.push(`correspondence (method ${c.method}: ${c.description}): ${opt.length} pairs, mean r ${r3(opt.reduce((s, q) => s + q.r, 0) / Math.max(1, opt.length))}`);
          for (const q of opt) lines.push(`  reference dim ${q.a + 1} ↔ model dim ${q.b + 1}: ${r3(q.r)}`);
        }
        const s = c.shared;
        lines.push(`shared vs unique at ${s.threshold} (method ${s.method}): ${s.counts.shared} shared, ${s.counts.uniqueA} unique to the reference, ${s.counts.uniqueB} unique to the model`);
        if (three) lines.push(`three-way (method ${three.method}; A reference, B model, C ${o.third}): ${THREE_WAY_PATTERNS.map((k) => `[${k}] ${three.counts[k]}`).join(' ')}`);
        return lines.join('\n');
      });
    });
}
