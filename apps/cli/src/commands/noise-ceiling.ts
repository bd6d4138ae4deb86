import type { Command } from 'commander';
import { InvalidArgumentError, ParseError } from '@conceptlab/core';
import { noiseCeiling } from '@conceptlab/triplet-sampler';
import { readAnsweredFile, type AnsweredFormat } from '../io.js';
import { printResult, type Io } from '../output.js';

export function registerNoiseCeiling(program: Command, io: Io): void {
  program
    .command('noise-ceiling')
    .description('the noise ceiling of repeatedly answered sets: per set, the share of answers equal to the modal one; mean × 100, CI95 = 1.96·SD/√sets')
    .argument('<file>', 'THINGS noise-ceiling TSV (obj1 obj2 obj3 choice subject) or SPoSE answered triplets with repeats')
    .option('--format <format>', 'auto | things-tsv | spose', 'auto')
    .option('--json', 'print the result as JSON')
    .action((file: string, o: { format: string; json?: boolean }) => {
      if (!['auto', 'things-tsv', 'spose'].includes(o.format)) throw new InvalidArgumentError('--format', 'auto, things-tsv or spose', o.format);
      const { triplets, format } = readAnsweredFile(file, o.format === 'auto' ? undefined : (o.format as AnsweredFormat));
      if (triplets.count === 0) throw new ParseError({ file }, 'at least one answered triplet', 'none (a noise ceiling over no answers is undefined)');
      const r = noiseCeiling(triplets);
      // Every set answered once: nothing to agree with, so the ceiling is undefined (it would print NaN%).
      if (r.sets === 0 || !Number.isFinite(r.percent)) {
        throw new ParseError({ file }, 'at least one set answered more than once', `${r.excluded} set(s), each answered once (the noise ceiling is undefined)`);
      }
      // One set answered repeatedly has no spread over sets: its CI is undefined (null with the reason, not NaN).
      const ciDefined = Number.isFinite(r.ci95);
      const ciUndefined = `${r.sets} set answered more than once: no spread over sets`;
      const result = {
        file,
        format,
        percent: r.percent,
        ci95: ciDefined ? r.ci95 : null,
        ...(ciDefined ? {} : { ci95Undefined: ciUndefined }),
        sets: r.sets,
        answers: r.answers,
        excludedSets: r.excluded,
      };
      printResult(io, Boolean(o.json), result, () =>
        `noise ceiling: ${r.percent.toFixed(2)}% ± ${ciDefined ? `${r.ci95.toFixed(2)} (95% CI)` : `undefined (95% CI; ${ciUndefined})`} over ${r.sets} sets, ${r.answers} answers` +
        (r.excluded ? ` (${r.excluded} sets with a single answer left out)` : ''),
      );
    });
}
