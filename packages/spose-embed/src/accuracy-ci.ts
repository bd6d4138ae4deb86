import { InvalidArgumentError, sampleSd, ShapeError, type Triplets } from '@conceptlab/core';

/** The paper's CI (figure 2h): across objects. */
export const PAPER_ACCURACY_CI_METHOD = 'paper-per-object: 1.96·SD(per-object accuracy)/√(objects seen)';
/** Ours, the second CI: across triplets. */
export const BINOMIAL_ACCURACY_CI_METHOD = 'binomial-over-triplets: 1.96·√(p(1−p)/triplets)';

/** A symmetric 95% CI around an accuracy (proportions in [0, 1]; low/high are not clipped). */
export interface AccuracyInterval {
  readonly halfWidth: number;
  readonly low: number;
  readonly high: number;
}

export interface PaperAccuracyCi extends AccuracyInterval {
  readonly method: typeof PAPER_ACCURACY_CI_METHOD;
  /** Objects in at least one triplet: the n of the CI. */
  readonly objectsSeen: number;
  /**
   * Objects of the embedding (0 … nObjects − 1) in no triplet. The authors' script gives them NaN, which
   * makes its CI NaN; we leave them out of the SD and of √n and say how many there were.
   */
  readonly objectsUnseen: number;
  /** Sample SD (n − 1) of the per-object accuracies (proportions). */
  readonly perObjectSd: number;
}

export interface BinomialAccuracyCi extends AccuracyInterval {
  readonly method: typeof BINOMIAL_ACCURACY_CI_METHOD;
  readonly triplets: number;
}

export interface AccuracyCis {
  readonly accuracy: number;
  /** The paper's (default everywhere we report one CI). */
  readonly paper: PaperAccuracyCi;
  readonly binomial: BinomialAccuracyCi;
}

/**
 * Per-object accuracy (shared/docs/authors-procedures.md item 4, step 4): for each object o, the mean
 * correctness over the triplets holding o in any position (a triplet counts once per object); NaN for an
 * object in no triplet. Used by {@link accuracyCi}.
 *
 * @throws ShapeError when `correct` does not hold one value per triplet or an index is outside [0, nObjects).
 */
export function perObjectAccuracy(triplets: Triplets, correct: ArrayLike<number>, nObjects: number): Float64Array {
  if (!Number.isInteger(nObjects) || nObjects < 1) throw new InvalidArgumentError('nObjects', 'a positive integer', nObjects);
  if (correct.length !== triplets.count) throw new ShapeError(`correct has ${correct.length} values for ${triplets.count} triplets`);
  const hits = new Float64Array(nObjects), seen = new Float64Array(nObjects);
  const d = triplets.data;
  for (let t = 0; t < triplets.count; t++) {
    const a = d[3 * t], b = d[3 * t + 1], c = d[3 * t + 2];
    for (const o of [a, b, c]) {
      if (!(o >= 0 && o < nObjects)) throw new ShapeError(`triplet row ${t} holds object ${o}, outside [0, ${nObjects})`);
    }
    const ok = correct[t];
    hits[a] += ok;
    seen[a]++;
    if (b !== a) {
      hits[b] += ok;
      seen[b]++;
    }
    if (c !== a && c !== b) {
      hits[c] += ok;
      seen[c]++;
    }
  }
  return hits.map((h, o) => (seen[o] > 0 ? h / seen[o] : NaN));
}

/**
 * Both 95% CIs of a held-out odd-one-out accuracy (from {@link evaluateTriplets}'s `correct`):
 * - `paper` (the authors' figure 2h): 1.96·SD(per-object accuracy)/√n over the n objects seen in the triplets
 *   (objects never seen are left out and counted: see {@link PaperAccuracyCi.objectsUnseen});
 * - `binomial` (ours): 1.96·√(p(1 − p)/N) over the N triplets.
 *
 * @throws InvalidArgumentError for no triplets or fewer than 2 objects seen; ShapeError as perObjectAccuracy.
 */
export function accuracyCi(triplets: Triplets, correct: ArrayLike<number>, nObjects: number): AccuracyCis {
  const N = triplets.count;
  if (N === 0) throw new InvalidArgumentError('triplets', 'at least one triplet', 0);
  const perObject = perObjectAccuracy(triplets, correct, nObjects);
  let hits = 0;
  for (let t = 0; t < N; t++) hits += correct[t];
  const p = hits / N;
  const seen = perObject.filter((v) => !Number.isNaN(v));
  if (seen.length < 2) throw new InvalidArgumentError('triplets', 'triplets holding at least 2 distinct objects', seen.length);
  const sd = sampleSd(seen);
  const paperHalf = (1.96 * sd) / Math.sqrt(seen.length);
  const binHalf = 1.96 * Math.sqrt((p * (1 - p)) / N);
  return {
    accuracy: p,
    paper: { method: PAPER_ACCURACY_CI_METHOD, halfWidth: paperHalf, low: p - paperHalf, high: p + paperHalf, objectsSeen: seen.length, objectsUnseen: nObjects - seen.length, perObjectSd: sd },
    binomial: { method: BINOMIAL_ACCURACY_CI_METHOD, halfWidth: binHalf, low: p - binHalf, high: p + binHalf, triplets: N },
  };
}
