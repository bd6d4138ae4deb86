import { InvalidArgumentError } from '@conceptlab/core';
import { rdmLength, type Rdm } from './rdm.js';

/**
 * A categorical model RDM (rsatoolbox's `get_categorical_rdm`): d(i, j) = 0 when conditions i and j have
 * the same category label, 1 otherwise. A condition without a category (label −1) has NaN
 * dissimilarities to every other condition, so the NaN-aware comparators leave its pairs out.
 *
 * @param labels one integer label per condition (≥ 0), or −1 for none.
 * @throws InvalidArgumentError for fewer than 2 conditions or a label that is not an integer ≥ −1.
 */
export function categoricalRdm(labels: ArrayLike<number>): Rdm {
  const n = labels.length;
  if (n < 2) throw new InvalidArgumentError('labels', 'at least 2 conditions', n);
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (!Number.isInteger(l) || l < -1) throw new InvalidArgumentError(`labels[${i}]`, 'an integer category label ≥ 0, or −1 for none', l);
  }
  const vector = new Float64Array(rdmLength(n));
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = labels[i]!;
      const b = labels[j]!;
      vector[k++] = a < 0 || b < 0 ? Number.NaN : a === b ? 0 : 1;
    }
  }
  return { n, vector };
}
