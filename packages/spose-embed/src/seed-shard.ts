import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkShard, inShard, InvalidArgumentError, ParseError, writeFileAtomic, type Shard } from '@conceptlab/core';

/**
 * Shard k of n (1-based k) of a seed list: core's shard rule (the seeds at 0-based positions p with
 * `p % n === k − 1`, as the annotator's row shards), so the n shards together run every seed exactly once, with
 * n at most the number of seeds (every shard runs at least one). Seeds are independent runs, so n machines can each
 * fit one shard; a merge of their folders pools the runs in the order of the full list, as one machine's run would.
 */
export type SeedShard = Shard;

/** Throw unless `shard` is a valid k of n for `seedCount` seeds. */
export function checkSeedShard(shard: SeedShard, seedCount: number, argument = 'shard'): void {
  checkShard(shard, argument);
  if (shard.n > seedCount) throw new InvalidArgumentError(`${argument}.n`, `at most ${seedCount}, the number of seeds (with more shards than seeds some shard would run none)`, shard.n);
}

/** The seeds shard k of n runs, in the order of `seeds`: those at positions p with p % n === k − 1. */
export function shardSeeds(seeds: readonly number[], shard: SeedShard): number[] {
  checkSeedShard(shard, seeds.length);
  return seeds.filter((_, p) => inShard(p, shard));
}

/** The file in a fit output directory recording what shard k of n ran: `shard-<k>-of-<n>.json`. */
export function shardFile(shard: SeedShard): string {
  return `shard-${shard.k}-of-${shard.n}.json`;
}

const SHARD_FILE_RE = /^shard-(\d+)-of-(\d+)\.json$/;

/** What one shard recorded in its fit output directory (see {@link readShardRecords}). */
export interface ShardRecord {
  /** The record's path. */
  readonly file: string;
  readonly shard: SeedShard;
  /** The full seed list the shard was cut from, in the order given (the merge's pooling order). */
  readonly seeds: number[];
  /** The seeds this shard ran (its share of `seeds`, in that order). */
  readonly ran: number[];
}

/** Record that `outDir` holds shard `shard` of `seeds` (written before the runs start). */
export function writeShardRecord(outDir: string, seeds: readonly number[], shard: SeedShard): void {
  const ran = shardSeeds(seeds, shard);
  writeFileAtomic(join(outDir, shardFile(shard)), JSON.stringify({ shard: { k: shard.k, n: shard.n }, seeds, ran }) + '\n');
}

/**
 * The shard records in `outDir` (files `shard-<k>-of-<n>.json`), by n then k; empty when there are none
 * (a directory fitted without shards).
 * @throws ParseError when a record is not `{ "shard": {k, n}, "seeds": [...], "ran": [...] }` matching its name
 * and the shard rule.
 */
export function readShardRecords(outDir: string): ShardRecord[] {
  if (!existsSync(outDir)) return [];
  const out: ShardRecord[] = [];
  for (const name of readdirSync(outDir)) {
    const m = SHARD_FILE_RE.exec(name);
    if (!m) continue;
    const file = join(outDir, name);
    let json: { shard?: { k?: unknown; n?: unknown }; seeds?: unknown; ran?: unknown };
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new ParseError({ file }, 'JSON', (e as Error).message);
    }
    const expected = `{ "shard": { "k": ${m[1]}, "n": ${m[2]} }, "seeds": [distinct non-negative integers], "ran": [shard ${m[1]} of ${m[2]} of seeds] }`;
    const found = JSON.stringify(json).slice(0, 80);
    const seeds = json?.seeds;
    if (!Array.isArray(seeds) || seeds.some((s) => !Number.isSafeInteger(s) || s < 0) || new Set(seeds).size !== seeds.length) throw new ParseError({ file }, expected, found);
    const shard = { k: Number(m[1]), n: Number(m[2]) };
    if (json.shard?.k !== shard.k || json.shard?.n !== shard.n || shard.k < 1 || shard.k > shard.n || shard.n > seeds.length) throw new ParseError({ file }, expected, found);
    const ran = shardSeeds(seeds as number[], shard);
    if (!Array.isArray(json.ran) || json.ran.length !== ran.length || json.ran.some((s, i) => s !== ran[i])) throw new ParseError({ file }, expected, found);
    out.push({ file, shard, seeds: seeds as number[], ran });
  }
  return out.sort((a, b) => a.shard.n - b.shard.n || a.shard.k - b.shard.k);
}
