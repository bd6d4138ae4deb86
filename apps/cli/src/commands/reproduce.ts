import type { Command } from 'commander';
import { InvalidArgumentError, locateDataDir } from '@conceptlab/core';
import { formatCheck, reproduce, SCALES, type ReproScale } from '@conceptlab/repro';
import { printResult, progressRenderer, type Io } from '../output.js';

export function registerReproduce(program: Command, io: Io): void {
  program
    .command('reproduce')
    .description("the paper's central analyses on real data (noise ceiling, LLM agreement, simulated LLM → SPoSE → merge, similarity, brain RSA), each number next to its reference; exits 1 when one is outside tolerance")
    .option('--data <dir>', 'reference data holding things/, llm-triplets/, rsa92/ (default: $CONCEPTLAB_DATA or ../shared/data)')
    .option('--out <dir>', 'where results.json, report.html and the fits go', 'out/repro')
    .option('--scale <s>', 'ci (about 10 minutes on 2 cores) | full (the paper: 4.7M triplets, 20 seeds, 500 epochs) | test (a smoke run)', 'ci')
    .option('--full', 'the same as --scale full')
    .option('--json', 'print the results as JSON')
    .action(async (o: { data?: string; out: string; scale: string; full?: boolean; json?: boolean }) => {
      const scale = (o.full ? 'full' : o.scale) as ReproScale['name'];
      if (!(scale in SCALES)) throw new InvalidArgumentError('--scale', 'ci, full or test', o.scale);
      const dataDir = o.data ?? locateDataDir(process.cwd());
      if (!dataDir) throw new InvalidArgumentError('--data', 'the reference data directory (things/, llm-triplets/, rsa92/), or set CONCEPTLAB_DATA');
      const json = Boolean(o.json);
      const r = await reproduce({
        dataDir,
        outDir: o.out,
        scale,
        onProgress: progressRenderer(io, json),
        onStep: (step, checks) => {
          if (!json) io.stderr(`== ${step}\n${checks.map((c) => '   ' + formatCheck(c)).join('\n')}\n`);
        },
      });
      printResult(io, json, r, () =>
        `${r.passed ? 'reproduction passed' : 'reproduction FAILED'}: ${r.checks.filter((c) => c.pass).length}/${r.checks.length} checks in ${r.seconds.toFixed(0)} s\nreport: ${r.files.html}\nresults: ${r.files.json}`,
      );
      if (!r.passed) throw new InvalidArgumentError('reproduce', 'every number within tolerance of its reference', `${r.checks.filter((c) => !c.pass).map((c) => c.name).join('; ')}`);
    });
}
