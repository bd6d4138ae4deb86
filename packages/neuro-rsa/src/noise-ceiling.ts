import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { compareRdms, type CompareMethod } from './compare.js';
import { meanRdm, type Rdm } from './rdm.js';

/** Lower and upper bounds of the noise ceiling. */
export interface NoiseCeiling {
  readonly lower: number;
  readonly upper: number;
}

/**
 * The noise ceiling of a set of subject RDMs under a comparator (rsatoolbox's `boot_noise_ceiling`
 * without bootstrap, i.e. leave-one-subject-out):
 * - `upper` = mean over subjects s of compare(RDM_s, mean of all subjects' RDMs);
 * - `lower` = mean over subjects s of compare(RDM_s, mean of the other subjects' RDMs).
 *
 * The group RDM here is the plain element-wise mean. (rsatoolbox's `pool_rdm` first normalises each
 * RDM for the comparator — ranks for rank methods, z-scores for 'corr', RMS for 'cosine' — so its
 * numbers can differ slightly.)
 *
 * @throws InvalidArgumentError with fewer than 2 subjects.
 */
export function noiseCeiling(rdms: readonly Rdm[], method: CompareMethod): NoiseCeiling {
  if (rdms.length < 2) throw new InvalidArgumentError('rdms', 'at least 2 subject RDMs', rdms.length);
  const n = rdms[0]!.n;
  rdms.forEach((r, s) => {
    if (r.n !== n) throw new ShapeError(`rdms[${s}] has ${r.n} conditions, rdms[0] has ${n}`);
  });
  const all = meanRdm(rdms);
  let upper = 0;
  let lower = 0;
  for (let s = 0; s < rdms.length; s++) {
    upper += compareRdms(rdms[s]!, all, method);
    lower += compareRdms(rdms[s]!, meanRdm(rdms.filter((_, t) => t !== s)), method);
  }
  return { lower: lower / rdms.length, upper: upper / rdms.length };
}
