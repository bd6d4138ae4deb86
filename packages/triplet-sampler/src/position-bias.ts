import { InvalidArgumentError, ShapeError, type Triplets } from '@conceptlab/core';
import { rowLabel } from './row-label.js';
import { checkTriplets } from './validate.js';

export interface PositionBias {
  /** How often the odd one out was shown at position 0, 1, 2. */
  readonly counts: [number, number, number];
  /** counts / total (NaN when there are no rows). */
  readonly rate: [number, number, number];
  readonly total: number;
  /** Pearson χ² of the counts against a uniform 1/3 each (df = 2). */
  readonly chiSquare: number;
  /** Upper tail of χ² with 2 degrees of freedom: exp(−χ²/2). */
  readonly pValue: number;
}

/**
 * Does the observer favour a screen position? For each row, the position (0, 1, 2) in the presented
 * row of the answered odd one out (last column of `answered`) is counted, and the counts are tested
 * against uniform choice with a χ² test (df 2, p = exp(−χ²/2)). Row t of `answered` must answer row t
 * of `presented` (the same unordered set).
 *
 * @throws ShapeError when the counts differ; InvalidArgumentError naming the row when the sets differ.
 */
export function positionBias(answered: Triplets, presented: Triplets): PositionBias {
  checkTriplets('answered', answered);
  checkTriplets('presented', presented);
  if (answered.count !== presented.count) {
    throw new ShapeError(`positionBias: answered has ${answered.count} rows, presented has ${presented.count}`);
  }
  const a = answered.data, p = presented.data;
  const counts: [number, number, number] = [0, 0, 0];
  for (let t = 0; t < answered.count; t++) {
    const o = 3 * t;
    const x = p[o], y = p[o + 1], z = p[o + 2];
    const inSet = (v: number): boolean => v === x || v === y || v === z;
    if (!inSet(a[o]) || !inSet(a[o + 1]) || !inSet(a[o + 2])) {
      throw new InvalidArgumentError(`answered ${rowLabel(t)}`, `the presented set ${x} ${y} ${z}`, `${a[o]} ${a[o + 1]} ${a[o + 2]}`);
    }
    const odd = a[o + 2];
    counts[odd === x ? 0 : odd === y ? 1 : 2]++;
  }
  const total = answered.count;
  const e = total / 3;
  let chiSquare = NaN;
  if (total > 0) {
    chiSquare = 0;
    for (const c of counts) chiSquare += ((c - e) * (c - e)) / e;
  }
  const rate: [number, number, number] = total > 0 ? [counts[0] / total, counts[1] / total, counts[2] / total] : [NaN, NaN, NaN];
  return { counts, rate, total, chiSquare, pValue: Math.exp(-chiSquare / 2) };
}
