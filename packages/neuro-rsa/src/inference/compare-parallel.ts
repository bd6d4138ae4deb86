import { checkRdmPair, compareRdms, type CompareMethod, type CompareOptions } from './compare.js';
import { checkThreads, kendallTauDroppingNaNParallel, type KendallParallelOptions } from './kendall-parallel.js';
import type { Rdm } from '../rdm/rdm.js';

/** Options of {@link compareRdmsParallel}: those of {@link compareRdms} and of {@link kendallTauParallel}. */
export interface CompareParallelOptions extends CompareOptions, KendallParallelOptions {}

/**
 * {@link compareRdms} with Kendall's tau (`'tau-a'`, `'tau-b'`, `'kendall'`) counted on two threads
 * ({@link kendallTauParallel}: one worker thread, kept between calls); the other methods run in this thread,
 * as {@link compareRdms}. Same checks, same NaN-pair deletion and the same result, bit for bit.
 *
 * @throws (as a rejection) the errors of {@link compareRdms}; InvalidArgumentError for a bad `threads`;
 *   Error when the worker fails.
 */
export async function compareRdmsParallel(a: Rdm, b: Rdm, method: CompareMethod, options: CompareParallelOptions = {}): Promise<number> {
  checkThreads(options.threads);
  if (method !== 'tau-a' && method !== 'tau-b' && method !== 'kendall') return compareRdms(a, b, method, options);
  checkRdmPair(a, b);
  return kendallTauDroppingNaNParallel(a.vector, b.vector, method === 'tau-a' ? 'a' : 'b', options);
}
