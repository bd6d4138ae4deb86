import { InvalidArgumentError, type Matrix, type NumericArray } from '@conceptlab/core';
import { compareRdms } from './compare.js';
import { categoricalRdm } from '../rdm/categorical-rdm.js';
import { rdmFromSimilarity } from '../rdm/rdm.js';

/** RSA of a similarity matrix with a categorical model (same category = similar): the result of {@link categoryRsa}. */
export interface CategoryComparison {
  /** Spearman's rho between the RDM 1 − S and the categorical RDM, over pairs of conditions that both have a category. */
  readonly spearman: number;
  /** Kendall's tau-a, the comparator recommended for categorical models (Nili et al. 2014). */
  readonly tauA: number;
  /** Conditions with a category (label ≥ 0; the others are left out). */
  readonly objects: number;
  /** Distinct categories among them. */
  readonly categories: number;
  /** Mean similarity S of the pairs within a category and across categories. */
  readonly meanWithin: number;
  readonly meanBetween: number;
}

/**
 * A similarity matrix S (conditions × conditions, unit diagonal) against category labels (one per condition,
 * −1 for none; e.g. {@link singleCategoryLabels}): Spearman's rho and Kendall's tau-a between 1 − S and
 * {@link categoricalRdm}(labels), and the mean similarity within and between categories (pairs with a
 * condition without a category are left out; a mean with no pairs is NaN).
 *
 * @throws InvalidArgumentError when the labels are not one per condition, and as {@link rdmFromSimilarity}
 *   and {@link categoricalRdm}.
 */
export function categoryRsa(similarity: Matrix<NumericArray>, labels: ArrayLike<number>): CategoryComparison {
  if (labels.length !== similarity.rows) throw new InvalidArgumentError('labels', `one label per condition (${similarity.rows})`, labels.length);
  const model = rdmFromSimilarity(similarity);
  const cat = categoricalRdm(labels);
  let within = 0, nWithin = 0, between = 0, nBetween = 0;
  for (let k = 0; k < cat.vector.length; k++) {
    const c = cat.vector[k]!;
    if (Number.isNaN(c)) continue;
    const sim = 1 - model.vector[k]!;
    if (c === 0) {
      within += sim;
      nWithin++;
    } else {
      between += sim;
      nBetween++;
    }
  }
  const present = Array.from(labels).filter((l) => l >= 0);
  return {
    spearman: compareRdms(model, cat, 'spearman'),
    tauA: compareRdms(model, cat, 'tau-a'),
    objects: present.length,
    categories: new Set(present).size,
    meanWithin: within / nWithin,
    meanBetween: between / nBetween,
  };
}
