import { InvalidArgumentError, ShapeError, type Triplets } from '@conceptlab/core';
import { writeAnswer } from './pick-pair.js';
import { rowLabel } from './row-label.js';
import { checkTriplets } from './validate.js';

/**
 * Answers given as "the odd one out was at position p" (0, 1 or 2 of the presented row) as answered
 * triplets: the other two in presentation order, then the odd one out.
 *
 * @throws ShapeError when the lengths differ; InvalidArgumentError naming the row for a position
 *   outside 0..2 or a bad set.
 */
export function answeredFromPositions(sets: Triplets, choicePos: Uint8Array | ArrayLike<number>): Triplets {
  checkTriplets('sets', sets);
  if (choicePos.length !== sets.count) {
    throw new ShapeError(`choicePos has ${choicePos.length} entries; sets has ${sets.count} rows`);
  }
  const d = sets.data;
  const out = new Int32Array(d.length);
  for (let t = 0; t < sets.count; t++) {
    const p = choicePos[t];
    if (p !== 0 && p !== 1 && p !== 2) throw new InvalidArgumentError(`choicePos ${rowLabel(t)}`, 'a position 0, 1 or 2', p);
    const o = 3 * t;
    // Odd at position p keeps pair 2 − p (xy = 0, xz = 1, yz = 2).
    writeAnswer(out, o, d[o], d[o + 1], d[o + 2], 2 - p);
  }
  return { count: sets.count, data: out };
}
