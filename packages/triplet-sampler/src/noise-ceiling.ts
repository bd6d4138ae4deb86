import { InvalidArgumentError, ShapeError, type Triplets } from '@conceptlab/core';
import { MAX_OBJECTS } from './combinatorics.js';
import { rowLabel } from './row-label.js';
import { setCode } from './set-code.js';
import { checkTriplets } from './validate.js';

export interface NoiseCeilingOptions {
  /**
   * Which set each row answers (any non-negative integers; rows with the same value must hold the same
   * unordered set). Without it rows are grouped by their unordered set.
   */
  readonly setIndex?: Int32Array;
}

export interface NoiseCeiling {
  /** Mean over the included sets of the share of answers equal to the set's modal answer, × 100. */
  readonly percent: number;
  /** Half-width of the 95% interval: 1.96 · SD · 100 / √sets, with the sample SD (n − 1); NaN for < 2 sets. */
  readonly ci95: number;
  /** Sets included (those with at least 2 answers). */
  readonly sets: number;
  /** Answers in the included sets. */
  readonly answers: number;
  /** Sets left out because they had a single answer. */
  readonly excluded: number;
  /** Per included set, the modal share, in order of each set's first row. */
  readonly perSet: Float64Array;
}

/**
 * The noise ceiling of repeated odd-one-out judgments, as in Hebart et al. (2020) and Du et al. (2025)
 * (THINGS: 67.22 ± 1.04%): answers are grouped by set; within a set, the share of answers that name the
 * modal odd one out (the most frequent last-column object) is the best any observer can agree with the
 * crowd on that set. `percent` is the mean share × 100 and `ci95` = 1.96 · SD · 100 / √sets, where SD is
 * the sample standard deviation (divisor sets − 1) of the per-set shares.
 *
 * Sets answered only once carry no information about agreement (their share is always 1) and are
 * excluded; `excluded` counts them. With no included set, percent is NaN.
 *
 * @throws ShapeError when setIndex does not have one entry per row; InvalidArgumentError naming the row
 *   for a bad row, a negative setIndex, or a row whose set differs from its setIndex group's.
 */
export function noiseCeiling(answered: Triplets, options: NoiseCeilingOptions = {}): NoiseCeiling {
  checkTriplets('answered', answered);
  const { setIndex } = options;
  if (setIndex !== undefined && (!(setIndex instanceof Int32Array) || setIndex.length !== answered.count)) {
    throw new ShapeError(`setIndex: expected an Int32Array with one entry per row (${answered.count}), got ${setIndex?.length}`);
  }
  const d = answered.data;
  let n = 0;
  for (let i = 0; i < d.length; i++) if (d[i] >= n) n = d[i] + 1;
  if (n > MAX_OBJECTS) throw new InvalidArgumentError('answered', `object indices below ${MAX_OBJECTS}`, n - 1);

  const groupOf = new Map<number, number>();
  const groupCode: number[] = [];
  const members = new Int32Array(answered.count * 3); // per group: the set as first seen
  const votes = new Int32Array(answered.count * 3); // per group: answers naming members[3g + m] odd
  for (let t = 0; t < answered.count; t++) {
    const o = 3 * t;
    const code = setCode(d[o], d[o + 1], d[o + 2], n);
    let key = code;
    if (setIndex !== undefined) {
      key = setIndex[t];
      if (key < 0) throw new InvalidArgumentError(`setIndex ${rowLabel(t)}`, 'a non-negative integer', key);
    }
    let g = groupOf.get(key);
    if (g === undefined) {
      g = groupCode.length;
      groupOf.set(key, g);
      groupCode.push(code);
      members.set(d.subarray(o, o + 3), 3 * g);
    } else if (groupCode[g] !== code) {
      const m = members.subarray(3 * g, 3 * g + 3);
      throw new InvalidArgumentError(`answered ${rowLabel(t)}`, `the set of setIndex ${key} (${m[0]} ${m[1]} ${m[2]})`, `${d[o]} ${d[o + 1]} ${d[o + 2]}`);
    }
    const odd = d[o + 2];
    const slot = members[3 * g] === odd ? 0 : members[3 * g + 1] === odd ? 1 : 2;
    votes[3 * g + slot]++;
  }

  const groups = groupCode.length;
  const shares: number[] = [];
  let answers = 0, excluded = 0;
  for (let g = 0; g < groups; g++) {
    const a = votes[3 * g], b = votes[3 * g + 1], c = votes[3 * g + 2];
    const total = a + b + c;
    if (total < 2) {
      excluded++;
      continue;
    }
    answers += total;
    shares.push(Math.max(a, b, c) / total);
  }
  const perSet = Float64Array.from(shares);
  const sets = perSet.length;
  let mean = 0;
  for (const s of perSet) mean += s;
  mean /= sets;
  let ss = 0;
  for (const s of perSet) ss += (s - mean) * (s - mean);
  const sd = sets > 1 ? Math.sqrt(ss / (sets - 1)) : NaN;
  return {
    percent: sets > 0 ? mean * 100 : NaN,
    ci95: sets > 1 ? (1.96 * sd * 100) / Math.sqrt(sets) : NaN,
    sets,
    answers,
    excluded,
    perSet,
  };
}
