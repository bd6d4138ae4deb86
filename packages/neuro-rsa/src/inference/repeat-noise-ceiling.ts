import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { compareRdms, type CompareMethod } from './compare.js';
import { meanRdm, type Rdm } from '../rdm/rdm.js';

/** The noise ceiling of one subject's repeated measurements (Du et al. 2025, Methods, after the NSD papers). */
export interface RepeatNoiseCeiling {
  /** compare(mean of all repeats, repeat t) for each repeat t. */
  readonly perRepeat: readonly number[];
  /** The largest of them: the ceiling the paper divides ROI RSA scores by. */
  readonly ceiling: number;
}

/**
 * The paper's ROI noise ceiling from repeated presentations of the same images: with RDMs (or 1 − RSMs)
 * from each repeat t = 1…T of one subject, NC = max over t of compare(RDM of the mean over repeats,
 * RDM of repeat t) — the paper uses 3 repeats and Pearson r (`'corr'`). The mean RDM here is the plain
 * element-wise mean of the repeat RDMs.
 *
 * @throws InvalidArgumentError with fewer than 2 repeats; ShapeError when the repeats' sizes differ.
 */
export function repeatNoiseCeiling(repeats: readonly Rdm[], method: CompareMethod = 'corr'): RepeatNoiseCeiling {
  if (repeats.length < 2) throw new InvalidArgumentError('repeats', 'at least 2 repeat RDMs', repeats.length);
  const n = repeats[0]!.n;
  repeats.forEach((r, t) => {
    if (r.n !== n) throw new ShapeError(`repeats[${t}] has ${r.n} conditions, repeats[0] has ${n}`);
  });
  const mean = meanRdm(repeats);
  const perRepeat = repeats.map((r) => compareRdms(mean, r, method));
  return { perRepeat, ceiling: Math.max(...perRepeat) };
}

/** Scores divided by a noise ceiling (the paper's "noise-normalised" RSA); NaN for a ceiling ≤ 0. */
export function normaliseByCeiling(values: readonly number[], ceiling: number): number[] {
  return values.map((v) => (ceiling > 0 ? v / ceiling : Number.NaN));
}
