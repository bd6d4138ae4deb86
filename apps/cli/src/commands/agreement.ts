import type { Command } from 'commander';
import { ParseError } from '@conceptlab/core';
import { agreement } from '@conceptlab/triplet-sampler';
import { readAnsweredFile } from '../io.js';
import { printResult, type Io } from '../output.js';

export function registerAgreement(program: Command, io: Io): void {
  program
    .command('agreement')
    .description('share of object sets on which two observers chose the same odd one out (rows hold the same sets, in any order within a row)')
    .argument('<a>', 'answered triplets (SPoSE "i j k", odd one out last, or THINGS TSV)')
    .argument('<b>', 'the same sets answered by another observer')
    .option('--json', 'print the result as JSON')
    .action((a: string, b: string, o: { json?: boolean }) => {
      const ta = readAnsweredFile(a).triplets;
      const tb = readAnsweredFile(b).triplets;
      // No sets: the agreement is undefined (it would print NaN%); an error, not a result.
      for (const [file, t] of [[a, ta], [b, tb]] as const) {
        if (t.count === 0) throw new ParseError({ file }, 'at least one answered triplet', 'none (an agreement over no sets is undefined)');
      }
      const r = agreement(ta, tb);
      const result = { a, b, agree: r.agree, total: r.total, fraction: r.fraction, percent: 100 * r.fraction };
      printResult(io, Boolean(o.json), result, () => `agreement: ${(100 * r.fraction).toFixed(2)}% (${r.agree} of ${r.total} sets)`);
    });
}
