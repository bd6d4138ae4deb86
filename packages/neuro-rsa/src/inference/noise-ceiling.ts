import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { compareRdms, type CompareMethod, type CompareOptions } from './compare.js';
import { poolRdm } from '../rdm/pool-rdm.js';
import { meanRdm, type Rdm } from '../rdm/rdm.js';

/** Lower and upper bounds of the noise ceiling. */
export interface RdmNoiseCeiling {
  readonly lower: number;
  readonly upper: number;
}

/** Options of {@link rdmNoiseCeiling}. */
export interface RdmNoiseCeilingOptions extends CompareOptions {
  /**
   * How the group RDM is formed: `'rsatoolbox'` (default) with rsatoolbox's `pool_rdm`
   * normalisation for the comparator ({@link poolRdm}), `'mean'` the plain element-wise mean.
   */
  readonly pooling?: 'rsatoolbox' | 'mean';
}

/**
 * The noise ceiling of a set of subject RDMs under a comparator, as rsatoolbox's
 * `boot_noise_ceiling(rdms, method)` (leave-one-subject-out, no bootstrap):
 * - `upper` = mean over subjects s of compare(pool(all subjects), RDM_s);
 * - `lower` = mean over subjects s of compare(pool(the other subjects), RDM_s);
 *
 * where pool is {@link poolRdm} (default) or the plain mean (`pooling: 'mean'`). The pooled RDM is
 * the first argument of the comparison, as in rsatoolbox (it matters only for which NaNs count).
 *
 * @throws InvalidArgumentError with fewer than 2 subjects or an unknown pooling.
 * @throws ShapeError when the RDMs have different numbers of conditions.
 */
export function rdmNoiseCeiling(rdms: readonly Rdm[], method: CompareMethod, options: RdmNoiseCeilingOptions = {}): RdmNoiseCeiling {
  const { pooling = 'rsatoolbox' } = options;
  if (rdms.length < 2) throw new InvalidArgumentError('rdms', 'at least 2 subject RDMs', rdms.length);
  if (pooling !== 'rsatoolbox' && pooling !== 'mean') throw new InvalidArgumentError('pooling', "'rsatoolbox' or 'mean'", pooling);
  const n = rdms[0]!.n;
  rdms.forEach((r, s) => {
    if (r.n !== n) throw new ShapeError(`rdms[${s}] has ${r.n} conditions, rdms[0] has ${n}`);
  });
  const pool = (set: readonly Rdm[]): Rdm => (pooling === 'mean' ? meanRdm(set) : poolRdm(set, method));
  const all = pool(rdms);
  let upper = 0;
  let lower = 0;
  for (let s = 0; s < rdms.length; s++) {
    upper += compareRdms(all, rdms[s]!, method, options);
    lower += compareRdms(pool(rdms.filter((_, t) => t !== s)), rdms[s]!, method, options);
  }
  return { lower: lower / rdms.length, upper: upper / rdms.length };
}
