/**
 * Shards split one list across machines or API keys: shard k of n (1-based k) holds the items at 0-based positions
 * p with `p % n === k − 1`, so every item is in exactly one shard. The annotator shards triplet rows (`annotate
 * merge` joins the shards' journals); spose-embed shards seed lists (`merge` pools the shards' runs).
 */
import { InvalidArgumentError } from './errors.js';

export interface Shard {
  /** 1-based shard number, 1 ≤ k ≤ n. */
  readonly k: number;
  readonly n: number;
}

/** Throw unless `shard` is a valid k-of-n. */
export function checkShard(shard: Shard, argument = 'shard'): void {
  if (!Number.isSafeInteger(shard?.n) || shard.n < 1) throw new InvalidArgumentError(`${argument}.n`, 'an integer ≥ 1', shard?.n);
  if (!Number.isSafeInteger(shard.k) || shard.k < 1 || shard.k > shard.n) {
    throw new InvalidArgumentError(`${argument}.k`, `an integer in [1, ${shard.n}]`, shard.k);
  }
}

/** Parse "k/n" (e.g. "2/8"). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new InvalidArgumentError('shard', 'k/n, e.g. 2/8', text);
  const shard = { k: Number(m[1]), n: Number(m[2]) };
  checkShard(shard);
  return shard;
}

/** Whether the item at 0-based position `row` is in the shard (every item is, without one). */
export function inShard(row: number, shard: Shard | null | undefined): boolean {
  return !shard || row % shard.n === shard.k - 1;
}

/** How many of `count` rows are in the shard. */
export function shardRowCount(count: number, shard: Shard | null | undefined): number {
  if (!shard) return count;
  const first = shard.k - 1;
  return first >= count ? 0 : Math.floor((count - 1 - first) / shard.n) + 1;
}
