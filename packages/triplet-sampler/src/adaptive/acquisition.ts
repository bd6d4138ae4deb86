import { InvalidArgumentError, type Triplets } from '@conceptlab/core';
import { checkObjectMatrix, checkTemperature, softmax3, type ObjectMatrix } from '../choice-probabilities.js';
import { checkTripletsAgainstRows } from '../validate.js';

/**
 * How the next triplets are chosen (see {@link selectBatch}):
 * - `uniform`: uniformly random new sets (the baseline: the paper's design, round by round);
 * - `coverage`: new sets that even out how often each object and each pair has been asked (no model needed);
 * - `uncertainty`: the largest entropy of the predicted choice (the ensemble's mean choice distribution);
 * - `information-gain`: the largest expected information about the embedding, the mutual information between the
 *   answer and the model, approximated with an ensemble of fits (BALD: H(mean p) − mean H(p); Houlsby et al. 2011).
 */
export type AcquisitionRule = 'uniform' | 'coverage' | 'uncertainty' | 'information-gain';

/** Every rule, in the order above. */
export const ACQUISITION_RULES: readonly AcquisitionRule[] = ['uniform', 'coverage', 'uncertainty', 'information-gain'];

/** The rules that score triplets with a fitted model (an ensemble of embeddings). */
export type ModelAcquisitionRule = 'uncertainty' | 'information-gain';

/** Throw unless `rule` is one of {@link ACQUISITION_RULES}. */
export function checkAcquisitionRule(argument: string, rule: unknown): AcquisitionRule {
  if (typeof rule !== 'string' || !(ACQUISITION_RULES as readonly string[]).includes(rule)) {
    throw new InvalidArgumentError(argument, ACQUISITION_RULES.join(', '), rule);
  }
  return rule as AcquisitionRule;
}

/** The fewest ensemble members a model rule needs. */
export function minEnsembleSize(rule: ModelAcquisitionRule): number {
  return rule === 'information-gain' ? 2 : 1;
}

export interface AcquisitionScoreOptions {
  /** The choice rule's softmax temperature (SPoSE fits at 1). */
  readonly temperature?: number;
}

/** Natural-log entropy of a distribution over three outcomes (0·ln 0 = 0). */
function entropy3(p0: number, p1: number, p2: number): number {
  let h = 0;
  if (p0 > 0) h -= p0 * Math.log(p0);
  if (p1 > 0) h -= p1 * Math.log(p1);
  if (p2 > 0) h -= p2 * Math.log(p2);
  return h;
}

/**
 * Score every candidate set with a model rule, in nats: `uncertainty` = H(p̄), `information-gain` =
 * H(p̄) − (1/E)·Σₑ H(pₑ), where pₑ is member e's SPoSE choice distribution over the three pairs
 * (softmax of the dot products / T) and p̄ their mean. The members may have different numbers of dims (each is
 * a fit of its own), but the same objects. Larger is more informative. The order of a set's objects does not
 * matter.
 *
 * @throws InvalidArgumentError for an unknown rule, too few members (information-gain needs 2), members with
 *   different numbers of objects, a bad temperature, or non-finite similarities (naming the candidate);
 *   ShapeError for an object without a row.
 */
export function acquisitionScores(
  rule: ModelAcquisitionRule,
  candidates: Triplets,
  ensemble: readonly ObjectMatrix[],
  options: AcquisitionScoreOptions = {},
): Float64Array {
  if (rule !== 'uncertainty' && rule !== 'information-gain') throw new InvalidArgumentError('rule', 'uncertainty or information-gain', rule);
  const temperature = checkTemperature(options.temperature ?? 1);
  checkEnsemble(rule, ensemble);
  const n = ensemble[0].rows;
  checkTripletsAgainstRows('candidates', candidates, n, 'embedding');

  const E = ensemble.length;
  const count = candidates.count, d = candidates.data;
  const mean = new Float64Array(3 * count);
  const meanH = new Float64Array(count);
  const p = new Float64Array(3);
  for (const m of ensemble) {
    const w = m.data, dims = m.cols;
    for (let t = 0; t < count; t++) {
      const oa = d[3 * t] * dims, ob = d[3 * t + 1] * dims, oc = d[3 * t + 2] * dims;
      // The three dot products in one pass over the dims (rowDot would make three).
      let sab = 0, sac = 0, sbc = 0;
      for (let f = 0; f < dims; f++) {
        const a = w[oa + f], b = w[ob + f], c = w[oc + f];
        sab += a * b;
        sac += a * c;
        sbc += b * c;
      }
      if (!Number.isFinite(sab + sac + sbc)) {
        throw new InvalidArgumentError(`candidates row ${t + 1}`, 'finite similarities (check the embeddings for NaN/Infinity)', `${sab}, ${sac}, ${sbc}`);
      }
      softmax3(sab, sac, sbc, temperature, p);
      const p0 = p[0], p1 = p[1], p2 = p[2];
      mean[3 * t] += p0 / E;
      mean[3 * t + 1] += p1 / E;
      mean[3 * t + 2] += p2 / E;
      if (rule === 'information-gain') meanH[t] += entropy3(p0, p1, p2) / E;
    }
  }
  const out = new Float64Array(count);
  for (let t = 0; t < count; t++) {
    const h = entropy3(mean[3 * t], mean[3 * t + 1], mean[3 * t + 2]);
    // Rounding can leave a mutual information of −1e-17; it is ≥ 0 by Jensen's inequality.
    out[t] = rule === 'information-gain' ? Math.max(0, h - meanH[t]) : h;
  }
  return out;
}

/** Throw unless `ensemble` holds enough embeddings for `rule`, all with the same objects. */
export function checkEnsemble(rule: ModelAcquisitionRule, ensemble: readonly ObjectMatrix[] | undefined): void {
  const need = minEnsembleSize(rule);
  if (!Array.isArray(ensemble) || ensemble.length < need) {
    const why = rule === 'information-gain' ? ' (the disagreement between fits is the information; fit several seeds)' : '';
    throw new InvalidArgumentError('ensemble', `at least ${need} embedding(s) for ${rule}${why}`, Array.isArray(ensemble) ? `${ensemble.length}` : ensemble);
  }
  ensemble.forEach((m, i) => checkObjectMatrix(`ensemble[${i}]`, m));
  const n = ensemble[0].rows;
  const other = ensemble.findIndex((m) => m.rows !== n);
  if (other >= 0) throw new InvalidArgumentError(`ensemble[${other}]`, `${n} objects (rows), as ensemble[0]`, `${ensemble[other].rows}`);
}
