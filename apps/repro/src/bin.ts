import { parseArgs } from 'node:util';
import { locateDataDir } from '@conceptlab/core';
import { formatProgress } from '@conceptlab/core/runtime';
import { formatCheck } from './check.js';
import { reproduce } from './reproduce.js';
import { SCALES, type ReproScale } from './scale.js';

const HELP = `conceptlab-repro — reproduce Du et al. (2025) on real data

usage: conceptlab-repro [--data DIR] [--out DIR] [--full | --scale ci|full|test] [--json]

  --data DIR   reference data (things/, llm-triplets/, rsa92/); default $CONCEPTLAB_DATA or ../shared/data
  --out DIR    where results.json, report.html and the fits go (default out/repro)
  --full       the paper's scale: 4.7M triplets, 20 seeds, 500 epochs (hours; resumable)
  --scale S    ci (default, ~10 min on 2 cores), full, or test (a smoke run)
  --json       print the results as JSON
Exit status: 0 when every number is within tolerance of its reference, 1 otherwise.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, out: { type: 'string', default: 'out/repro' }, full: { type: 'boolean' }, scale: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const name = (values.full ? 'full' : (values.scale ?? 'ci')) as ReproScale['name'];
  if (!(name in SCALES)) {
    process.stderr.write(`conceptlab-repro: --scale must be ci, full or test, got ${JSON.stringify(values.scale)}\n`);
    return 2;
  }
  const dataDir = values.data ?? locateDataDir(process.cwd());
  if (!dataDir) {
    process.stderr.write('conceptlab-repro: reference data not found: pass --data DIR or set CONCEPTLAB_DATA (the folder holding things/, llm-triplets/, rsa92/)\n');
    return 2;
  }
  let last = 0;
  const r = await reproduce({
    dataDir,
    outDir: values.out!,
    scale: name,
    onStep: (step, checks) => {
      if (!values.json) process.stderr.write(`== ${step}\n${checks.map((c) => '   ' + formatCheck(c)).join('\n')}\n`);
    },
    onProgress: (e) => {
      const now = Date.now();
      if (values.json || (e.phase === 'update' && now - last < 2000)) return;
      last = now;
      process.stderr.write(`   ${formatProgress(e)}\n`); // the CLI's progress line: counts, percent, rate, ETA
    },
  });
  if (values.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  else process.stdout.write(`${r.passed ? 'reproduction passed' : 'reproduction FAILED'}: ${r.checks.filter((c) => c.pass).length}/${r.checks.length} checks in ${r.seconds.toFixed(0)} s\nreport: ${r.files.html}\nresults: ${r.files.json}\n`);
  return r.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`conceptlab-repro: error: ${err.message}\n`);
    process.exit(1);
  },
);
