import { InvalidArgumentError, ShapeError, type Matrix } from '@conceptlab/core';

/** An embedding or feature matrix: one row per object. */
export type ObjectMatrix = Matrix<Float32Array | Float64Array>;

/** Throw unless `m` is a matrix with a Float32/Float64 data array of rows·cols values. */
export function checkObjectMatrix(name: string, m: ObjectMatrix): void {
  if (m === null || typeof m !== 'object' || !(m.data instanceof Float32Array || m.data instanceof Float64Array)) {
    throw new InvalidArgumentError(name, 'a Matrix with Float32Array or Float64Array data', m);
  }
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.data.length !== m.rows * m.cols) {
    throw new ShapeError(`${name}: ${m.data.length} values do not fill ${m.rows}×${m.cols}`);
  }
}

/** The dot product of rows a and b. */
export function rowDot(m: ObjectMatrix, a: number, b: number): number {
  const d = m.data, p = m.cols;
  const oa = a * p, ob = b * p;
  let s = 0;
  for (let f = 0; f < p; f++) s += d[oa + f] * d[ob + f];
  return s;
}

/**
 * Softmax over the similarities of the three pairs, written to out[0..2] as
 * [p(ab), p(ac), p(bc)] (the max is subtracted first, so large similarities do not overflow).
 */
export function softmax3(sab: number, sac: number, sbc: number, temperature: number, out: Float64Array | number[]): void {
  const m = Math.max(sab, sac, sbc);
  const eab = Math.exp((sab - m) / temperature);
  const eac = Math.exp((sac - m) / temperature);
  const ebc = Math.exp((sbc - m) / temperature);
  const z = eab + eac + ebc;
  out[0] = eab / z;
  out[1] = eac / z;
  out[2] = ebc / z;
}

/** Throw unless `temperature` is a finite number > 0. */
export function checkTemperature(temperature: unknown): number {
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature <= 0) {
    throw new InvalidArgumentError('temperature', 'a finite number > 0', temperature);
  }
  return temperature;
}

/**
 * The SPoSE choice rule for the set {a, b, c}: with s_xy = x·y (rows of `embedding`),
 * p(pair xy stays together) = exp(s_xy/T) / Σ over the three pairs exp(s/T).
 * Returns [p(ab), p(ac), p(bc)]; p(ab) is the probability that c is the odd one out.
 *
 * @throws InvalidArgumentError for indices that are not distinct rows of `embedding` or a bad temperature.
 */
export function choiceProbabilities(embedding: ObjectMatrix, a: number, b: number, c: number, temperature = 1): [number, number, number] {
  checkObjectMatrix('embedding', embedding);
  checkTemperature(temperature);
  for (const [name, v] of [['a', a], ['b', b], ['c', c]] as const) {
    if (!Number.isInteger(v) || v < 0 || v >= embedding.rows) {
      throw new InvalidArgumentError(name, `an embedding row in [0, ${embedding.rows - 1}]`, v);
    }
  }
  if (a === b || a === c || b === c) throw new InvalidArgumentError('a, b, c', 'three distinct objects', `${a} ${b} ${c}`);
  const out: [number, number, number] = [0, 0, 0];
  softmax3(rowDot(embedding, a, b), rowDot(embedding, a, c), rowDot(embedding, b, c), temperature, out);
  return out;
}
