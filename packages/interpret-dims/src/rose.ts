import { InvalidArgumentError, type Concept, type Matrix, type NumericArray } from '@conceptlab/core';

/** One petal of a rose plot: dimension `dim` of object `object` with its weight and angular position. */
export interface RosePetal {
  readonly object: number;
  readonly name: string;
  readonly dim: number;
  readonly weight: number;
  /** Start and end angle in radians (0 at the top, clockwise), equal slices per dimension. */
  readonly theta0: number;
  readonly theta1: number;
}

/**
 * Rose (polar bar) plot data of chosen objects' dimension profiles, as the paper's example figures: every
 * dimension gets an equal angular slice 2π/D in dimension order, the petal length is the object's weight.
 *
 * @throws InvalidArgumentError for an object index outside the embedding.
 */
export function roseData(embedding: Matrix<NumericArray>, concepts: readonly Concept[], objects: readonly number[]): RosePetal[] {
  const D = embedding.cols;
  const out: RosePetal[] = [];
  for (const o of objects) {
    if (!Number.isInteger(o) || o < 0 || o >= embedding.rows) throw new InvalidArgumentError('objects', `indices in [0, ${embedding.rows})`, o);
    for (let d = 0; d < D; d++) {
      out.push({ object: o, name: concepts[o]?.word ?? String(o), dim: d, weight: embedding.data[o * D + d], theta0: (2 * Math.PI * d) / D, theta1: (2 * Math.PI * (d + 1)) / D });
    }
  }
  return out;
}
