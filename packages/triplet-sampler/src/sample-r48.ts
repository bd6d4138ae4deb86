import { InvalidArgumentError, type Triplets } from '@conceptlab/core';
import { MAX_OBJECTS } from './combinatorics.js';
import { sampleAnchor } from './sample-anchor.js';
import { resolveRng, type SeedOrRng } from './seed.js';
import { setCode, setCodes } from './set-code.js';
import { checkInteger, checkTriplets } from './validate.js';

/**
 * How the 48-object similarity design is drawn:
 * - `paper` (the authors' get_full_sampling_triplets_for_48_objects_randomly.py): `count` independent draws,
 *   each two distinct objects of the 48 (in draw order) then one object outside them, written as
 *   `a b other` (the outside object always last); the same set may be drawn more than once. Rows whose
 *   unordered set is in `exclude` are then removed (the authors' file is "without overlapping with trainset";
 *   their filter is not published), so fewer than `count` rows may remain (`removed` says how many went).
 * - `distinct` ({@link sampleAnchor}): exactly `count` distinct sets, none in `exclude`, each in random
 *   presentation order.
 */
export type R48DesignMethod = 'paper' | 'distinct';

export interface SampleR48Options {
  /** The 48 objects (distinct 0-based indices; any number ≥ 2 and < nObjects is accepted). */
  readonly objects48: Int32Array | readonly number[];
  /** Number of objects (the third object comes from the nObjects − |objects48| others). */
  readonly nObjects: number;
  /** Sets to draw (default 100,000, as the paper). */
  readonly count?: number;
  readonly seed: SeedOrRng;
  /** Sets (compared as unordered sets) that must not appear, e.g. the model's training triplets. */
  readonly exclude?: Triplets;
  /** Default `paper`. */
  readonly method?: R48DesignMethod;
}

export interface SampleR48 {
  /** The design: unanswered rows (presentation order). */
  readonly triplets: Triplets;
  readonly method: R48DesignMethod;
  /** Rows drawn before exclusion (`paper`; equals the count for `distinct`). */
  readonly drawn: number;
  /** Rows removed because their set is in `exclude` (always 0 for `distinct`, which never draws them). */
  readonly removed: number;
}

/** The paper's design size: 100,000 triplets. */
export const R48_DEFAULT_COUNT = 100_000;

/**
 * The 48-object similarity design of Hebart et al. (2020) and Du et al. (2025): triplets with two of the 48
 * given objects and one of the remaining nObjects − 48, to measure the 48×48 similarity matrix (r48, human
 * consistency). The authors' `wordposition48` (which 48 THINGS objects) is not public: pass your own list.
 *
 * @throws InvalidArgumentError for a bad object list (repeats, out of range, fewer than 2, or no object left
 *   outside it), a bad count, seed or exclude row; for `distinct`, a count above the available sets.
 */
export function sampleR48(options: SampleR48Options): SampleR48 {
  const n = checkInteger('nObjects', options.nObjects, 3, MAX_OBJECTS);
  // The rows are one Int32Array of 3·count indices, at most 2^31 − 1 long.
  const count = checkInteger('count', options.count ?? R48_DEFAULT_COUNT, 0, Math.floor((2 ** 31 - 1) / 3));
  const method = options.method ?? 'paper';
  if (method === 'distinct') {
    const triplets = sampleAnchor({ anchors: options.objects48, nObjects: n, count, seed: options.seed, exclude: options.exclude });
    return { triplets, method, drawn: count, removed: 0 };
  }
  if (method !== 'paper') throw new InvalidArgumentError('method', "'paper' or 'distinct'", method);
  const objs = options.objects48;
  if (!(objs instanceof Int32Array) && !Array.isArray(objs)) throw new InvalidArgumentError('objects48', 'an Int32Array or an array of object indices', objs);
  const in48 = new Uint8Array(n);
  for (let r = 0; r < objs.length; r++) {
    const x = objs[r];
    if (!Number.isInteger(x) || x < 0 || x >= n) throw new InvalidArgumentError(`objects48[${r}]`, `an object index in [0, ${n - 1}]`, x);
    if (in48[x]) throw new InvalidArgumentError(`objects48[${r}]`, 'distinct object indices', `${x} again`);
    in48[x] = 1;
  }
  const m = objs.length;
  if (m < 2) throw new InvalidArgumentError('objects48', 'at least 2 objects', m);
  if (m >= n) throw new InvalidArgumentError('objects48', `fewer than nObjects (${n}) objects, so a third object remains`, m);
  const rest = new Int32Array(n - m);
  for (let o = 0, x = 0; x < n; x++) if (!in48[x]) rest[o++] = x;
  const rng = resolveRng(options.seed);

  let excluded: Float64Array | undefined;
  if (options.exclude !== undefined) {
    checkTriplets('exclude', options.exclude, n);
    excluded = setCodes(options.exclude.data, n).sort();
  }
  const data = new Int32Array(3 * count);
  let kept = 0;
  for (let t = 0; t < count; t++) {
    const i = rng.nextInt(m);
    let j = rng.nextInt(m - 1);
    if (j >= i) j++;
    const a = objs[i], b = objs[j], c = rest[rng.nextInt(rest.length)];
    if (excluded && sortedHas(excluded, setCode(a, b, c, n))) continue;
    data[3 * kept] = a;
    data[3 * kept + 1] = b;
    data[3 * kept + 2] = c;
    kept++;
  }
  return { triplets: { count: kept, data: data.slice(0, 3 * kept) }, method, drawn: count, removed: count - kept };
}

function sortedHas(a: Float64Array, x: number): boolean {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else if (a[mid] > x) hi = mid;
    else return true;
  }
  return false;
}
