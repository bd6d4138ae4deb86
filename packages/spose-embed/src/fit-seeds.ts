import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ConceptlabError, InvalidArgumentError, ParseError, writeFileAtomic, type ProgressEvent, type ProgressListener, type Triplets } from '@conceptlab/core';
import { runWorkerPool, shareArray, WorkerTaskError } from '@conceptlab/core/runtime';
import { runSeed, type SeedJob, type SeedResult } from './run-seed.js';
import { shardSeeds, writeShardRecord, type SeedShard } from './seed-shard.js';

/** An error thrown inside a worker, carried back with its original tag and fields. */
export class WorkerError extends ConceptlabError {
  readonly _tag = 'WorkerError' as const;
  readonly seed: number;
  /** The `_tag` of the error in the worker (e.g. "ParseError"), when it was a conceptlab error. */
  readonly originalTag: string | undefined;
  readonly fields: Readonly<Record<string, unknown>>;
  constructor(seed: number, message: string, originalTag: string | undefined, fields: Record<string, unknown>) {
    super(`seed ${seed}: ${message}`);
    this.name = 'WorkerError';
    this.seed = seed;
    this.originalTag = originalTag;
    this.fields = fields;
  }
}

export interface FitSeedsOptions extends Omit<SeedJob, 'seed' | 'outDir'> {
  /** One run per seed (the paper: 20 for ChatGPT, 29 for Gemini). */
  readonly seeds: readonly number[];
  /**
   * Run only shard k of n of `seeds` (those at positions p with p % n === k − 1; see {@link shardSeeds}), for
   * n machines fitting one seed list. With an outDir the full list goes to seeds.json and the shard's share to
   * `shard-<k>-of-<n>.json` (see {@link readShardRecords}), so a merge of the n folders pools in the full order.
   */
  readonly shard?: SeedShard;
  /** Runs go to `<outDir>/seed-<seed>/` (results.json, checkpoints, embedding.npy/.txt). */
  readonly outDir?: string;
  /**
   * Worker threads running seeds in parallel (default: min(seeds, available cores)). With 1, seeds run
   * one after another in this thread.
   */
  readonly threads?: number;
  readonly onProgress?: ProgressListener;
  /** Aborting stops every run (workers are terminated; checkpoints already written stay for a resume). */
  readonly signal?: AbortSignal;
  /** The worker script (default: fit-worker.js beside this module). For running from sources in tests. */
  readonly workerUrl?: URL | string;
}

/**
 * The file in a fit output directory recording the seeds in the order they were given (the merge's pooling
 * order); a shard (`shard` option) records the full list it was cut from.
 */
export const SEEDS_FILE = 'seeds.json';

/**
 * The seeds recorded in `<outDir>/seeds.json`, in the order given to fitSeeds (earlier calls first), or null
 * when there is no such file.
 * @throws ParseError when the file is not `{ "seeds": [non-negative integers] }`.
 */
export function readSeedOrder(outDir: string): number[] | null {
  const file = join(outDir, SEEDS_FILE);
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ParseError({ file }, 'JSON', (e as Error).message);
  }
  const seeds = (json as { seeds?: unknown })?.seeds;
  if (!Array.isArray(seeds) || seeds.some((s) => !Number.isSafeInteger(s) || s < 0)) throw new ParseError({ file }, '{ "seeds": [non-negative integers] }', JSON.stringify(json).slice(0, 80));
  return seeds as number[];
}

/** Record the seeds in order: those already recorded keep their place, new ones are appended in the given order. */
function recordSeedOrder(outDir: string, seeds: readonly number[]): void {
  const before = readSeedOrder(outDir) ?? [];
  const all = [...before, ...seeds.filter((s) => !before.includes(s))];
  writeFileAtomic(join(outDir, SEEDS_FILE), JSON.stringify({ seeds: all }) + '\n');
}

/** The directory of one seed's run inside `outDir`. */
export function seedDir(outDir: string, seed: number): string {
  return join(outDir, `seed-${seed}`);
}

/** The triplets on a SharedArrayBuffer, so the workers share one copy. */
function shareTriplets(t: Triplets | undefined): Triplets | undefined {
  return t && { count: t.count, data: shareArray(t.data) };
}

/**
 * Fit SPoSE once per seed — in parallel on worker threads — and export each run's embedding.
 * Results come back in the order of `seeds`; with an outDir the order is also recorded in
 * `<outDir>/seeds.json` (see {@link readSeedOrder}), so a merge of the directory pools runs in that order. The training triplets are shared between workers, not copied.
 * With `shard`, only that shard's seeds run (and come back).
 */
export async function fitSeeds(options: FitSeedsOptions): Promise<SeedResult[]> {
  const { seeds, shard, outDir, onProgress, signal, workerUrl, threads: threadsOpt, ...common } = options;
  if (!Array.isArray(seeds) || seeds.length === 0) throw new InvalidArgumentError('seeds', 'at least one seed', seeds);
  for (const s of seeds) if (!Number.isSafeInteger(s) || s < 0) throw new InvalidArgumentError('seeds', 'non-negative integers', s);
  if (new Set(seeds).size !== seeds.length) throw new InvalidArgumentError('seeds', 'distinct seeds', seeds.join(','));
  const run = shard === undefined ? seeds : shardSeeds(seeds, shard);
  const threads = threadsOpt ?? Math.min(run.length, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1) throw new InvalidArgumentError('threads', 'a positive integer', threadsOpt);
  const jobs: SeedJob[] = run.map((seed) => ({ ...common, seed, outDir: outDir === undefined ? undefined : seedDir(outDir, seed) }));
  if (outDir !== undefined) {
    recordSeedOrder(outDir, seeds);
    if (shard !== undefined) writeShardRecord(outDir, seeds, shard);
  }

  // Dawn's WebGPU set up on several threads of one process at once can crash it (Mesa's OpenGL ES fallback, two worker
  // threads: 3 of 12 processes segfaulted, 0 of 12 with one thread): the webgpu engine runs its seeds in this thread,
  // one after another, on one device.
  const webgpu = common.engine === 'tfjs' && common.tfjsBackend === 'webgpu';
  if (threads === 1 || webgpu) {
    const out: SeedResult[] = [];
    for (const job of jobs) out.push(await runSeed(job, onProgress, signal));
    return out;
  }

  const train = shareTriplets(common.train)!;
  const validation = shareTriplets(common.validation);
  const shared = jobs.map((j) => ({ ...j, train, validation }));
  const url = workerUrl ?? new URL('./fit-worker.js', import.meta.url);
  try {
    return await runWorkerPool<SeedJob, SeedResult>({ url, tasks: shared, threads, signal, name: 'fit', onEvent: (e) => onProgress?.(e as ProgressEvent) });
  } catch (err) {
    if (err instanceof WorkerTaskError) throw new WorkerError(shared[err.task].seed, err.originalMessage, err.originalTag, { ...err.fields });
    throw err;
  }
}
