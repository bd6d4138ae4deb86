import type { Journal, StoredReply } from './journal/index.js';

/**
 * The reply cache of a run: identical requests (same request key) are answered from the run's own
 * journal first, then from further read-only journals, in order. Disabled, it never answers.
 */
export function createCacheLookup(journal: Journal, others: readonly Journal[], enabled: boolean): (key: string) => StoredReply | undefined {
  return (key) => {
    if (!enabled) return undefined;
    const hit = journal.lookupCache(key);
    if (hit) return hit;
    for (const j of others) {
      const h = j.lookupCache(key);
      if (h) return h;
    }
    return undefined;
  };
}
