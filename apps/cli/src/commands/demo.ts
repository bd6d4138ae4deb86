import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, loadThingsDirectory } from '@conceptlab/core';
import { startServerThread } from '@conceptlab/sim-server';
import { intOption } from '../options.js';
import { printResult, type Io } from '../output.js';
import { RUN_DEFAULTS, scheduledFit, type RunConfig } from '../pipeline/run-config.js';
import { splitSizes } from '../pipeline/validate-run.js';
import { runPipeline } from '../pipeline/run-pipeline.js';
import { checkSeedCount, headline, runWithProgress } from './run.js';

/** The built-in concept set: 150 everyday objects in 10 categories, with definitions written for conceptlab. */
export function builtinConceptsDir(): string {
  return fileURLToPath(new URL('../../concepts/everyday150', import.meta.url));
}

/** The demo's held-out share of its design. */
const DEMO_VALIDATION_FRACTION = 0.1;

/**
 * The demo's size: finishes in a few minutes on 2 cores. λ 0.001 was chosen by cross-validation on the demo's own
 * answers under its fast schedule (`conceptlab fit --schedule fast --lambda 0.001,0.002,0.004,0.008,0.016
 * --select-lambda`: the lowest validation cross-entropy; table in the spose-embed README).
 */
export const DEMO_DEFAULTS = { triplets: 60000, seeds: 4, dims: 100, lambda: 0.001, r48Triplets: 20000, refit: 25 } as const;

interface DemoCliOptions {
  out: string;
  triplets: number;
  epochs?: number;
  schedule: string;
  seeds: number;
  r48Triplets: number;
  refit: number;
  json?: boolean;
}

export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description(
      'the whole pipeline offline, on the built-in set of 150 everyday objects: a local OpenAI-compatible server (`conceptlab serve`\'s word-vectors observer) ' +
        'answers the odd-one-out questions through the same client as a real model; then SPoSE, merge, held-out accuracy, similarity, RSA with the category model and r48 on a 48-object design',
    )
    .option('--out <dir>', 'output directory (run again to continue or reuse it)', 'conceptlab-demo')
    .option('--triplets <n>', 'triplets to annotate', intOption('--triplets', 100), DEMO_DEFAULTS.triplets)
    .option('--schedule <name>', "SPoSE training schedule: fast (ours: lr 0.01 after a 1-epoch warm-up, cosine decay to 0; 30 epochs on the demo's 54,000 training triplets) | paper (batch 100, lr 0.001 constant, 500 epochs)", 'fast')
    .option('--epochs <e>', "SPoSE epochs per seed (default: the schedule's)", intOption('--epochs', 1))
    .option('--seeds <k>', 'SPoSE seeds', intOption('--seeds', 1), DEMO_DEFAULTS.seeds)
    .option('--r48-triplets <n>', 'triplets of the 48-object similarity design (objects48.txt of the built-in set; the paper: 100,000)', intOption('--r48-triplets', 100), DEMO_DEFAULTS.r48Triplets)
    .option('--refit <epochs>', "ours: refit the merged embedding for this many epochs (dims fixed) and report its held-out accuracy beside the merged one's; 0: none", intOption('--refit', 0, 100_000), DEMO_DEFAULTS.refit)
    .option('--json', 'print the results as JSON (progress as JSON lines on stderr)')
    .action(async (o: DemoCliOptions) => {
      // Before the seed list and the server: the rest is checked by validateRun with the built-in concepts.
      if (o.schedule !== 'paper' && o.schedule !== 'fast') throw new InvalidArgumentError('--schedule', 'paper or fast', o.schedule);
      const sched = scheduledFit(o.schedule, splitSizes(o.triplets, DEMO_VALIDATION_FRACTION).train, { epochs: o.epochs });
      checkSeedCount(o.seeds, sched.epochs, DEMO_DEFAULTS.dims);
      const conceptsDir = builtinConceptsDir();
      const concepts = loadThingsDirectory(conceptsDir);
      // On its own thread: the client and the server each get a core (the answers are the same: each is seeded by its request).
      const server = await startServerThread({ concepts, observer: 'word-vectors', seed: 0, modelName: 'word-vectors' });
      const config: RunConfig = {
        version: 1,
        concepts: conceptsDir,
        baseUrl: 'http://127.0.0.1/v1 (conceptlab demo: a local word-vectors server on a free port)',
        model: 'word-vectors',
        mode: 'text',
        design: { triplets: o.triplets, seed: 0, validationFraction: DEMO_VALIDATION_FRACTION },
        annotate: { temperature: RUN_DEFAULTS.annotate.temperature, concurrency: 32, maxAttempts: RUN_DEFAULTS.annotate.maxAttempts },
        fit: { ...RUN_DEFAULTS.fit, dims: DEMO_DEFAULTS.dims, lambda: DEMO_DEFAULTS.lambda, ...sched, seeds: Array.from({ length: o.seeds }, (_, i) => i) },
        merge: { ...RUN_DEFAULTS.merge, ...(o.refit > 0 ? { refitEpochs: o.refit } : {}) },
        r48: { objects48: join(conceptsDir, 'objects48.txt'), triplets: o.r48Triplets, seed: 0 },
        interpret: { ...RUN_DEFAULTS.interpret },
      };
      if (!o.json) io.stderr(`conceptlab demo: ${concepts.concepts.length} built-in concepts, word-vectors observer at ${server.url}\n`);
      let r;
      try {
        r = await runWithProgress(io, Boolean(o.json), (events) => runPipeline(config, o.out, { ...events, baseUrl: server.url }));
      } finally {
        await server.close();
      }
      const result = r;
      printResult(io, Boolean(o.json), result, () => [`conceptlab demo → ${resolve(o.out)}`, ...headline(result), `results: ${result.files.results}`].join('\n'));
    });
}
