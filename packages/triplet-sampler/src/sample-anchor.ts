import { InvalidArgumentError, type Triplets } from '@conceptlab/core';
import { choose2, MAX_OBJECTS } from './combinatorics.js';
import { sampleDistinctCodes, type CodeSpace } from './distinct-codes.js';
import { shuffleRows } from './presentation-order.js';
import { resolveRng, type SeedOrRng } from './seed.js';
import { decodeSet, setCode } from './set-code.js';
import { checkInteger, checkTriplets } from './validate.js';

export interface SampleAnchorOptions {
  /** The anchor subset: distinct object indices in [0, nObjects), at least 2. */
  readonly anchors: Int32Array | readonly number[];
  /** Number of objects; the objects not in `anchors` (at least 1) give the third member. */
  readonly nObjects: number;
  /** Number of sets; at most C(anchors, 2)·(nObjects − anchors) minus the excluded sets. */
  readonly count: number;
  readonly seed: SeedOrRng;
  /** Sets (compared as unordered sets) that must not be drawn, e.g. a model's training triplets. */
  readonly exclude?: Triplets;
}

/** Anchors as a sorted Int32Array, plus membership flags over 0..n−1. */
function checkAnchors(anchors: Int32Array | readonly number[], n: number): { sorted: Int32Array; isAnchor: Uint8Array } {
  if (!(anchors instanceof Int32Array) && !Array.isArray(anchors)) {
    throw new InvalidArgumentError('anchors', 'an Int32Array or an array of object indices', anchors);
  }
  const isAnchor = new Uint8Array(n);
  for (let i = 0; i < anchors.length; i++) {
    const a = anchors[i];
    if (!Number.isInteger(a) || a < 0 || a >= n) {
      throw new InvalidArgumentError(`anchors[${i}]`, `an object index in [0, ${n - 1}]`, a);
    }
    if (isAnchor[a]) throw new InvalidArgumentError(`anchors[${i}]`, 'distinct object indices', `${a} again`);
    isAnchor[a] = 1;
  }
  if (anchors.length < 2) throw new InvalidArgumentError('anchors', 'at least 2 objects', anchors.length);
  if (anchors.length >= n) throw new InvalidArgumentError('anchors', `fewer than nObjects (${n}) objects, so a third object remains`, anchors.length);
  return { sorted: Int32Array.from(anchors).sort(), isAnchor };
}

/** The space of sets with two members from `anchors` and one from `rest`. */
function anchorSpace(anchors: Int32Array, rest: Int32Array, n: number): CodeSpace {
  const m = anchors.length;
  const r = rest.length;
  return {
    size: choose2(m) * r,
    draw(rng) {
      const i = rng.nextInt(m);
      let j = rng.nextInt(m - 1);
      if (j >= i) j++;
      return setCode(anchors[i], anchors[j], rest[rng.nextInt(r)], n);
    },
    enumerate() {
      const out = new Float64Array(choose2(m) * r);
      let o = 0;
      for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) for (let k = 0; k < r; k++) out[o++] = setCode(anchors[i], anchors[j], rest[k], n);
      return out;
    },
  };
}

/**
 * Anchor-pair sets: each row holds two distinct objects of `anchors` and one object outside it, as in
 * the 48-object similarity set of Hebart et al. (2020) and Du et al. (2025): 2 of 48 + 1 of the other
 * 1,806. Rows are distinct unordered sets, a uniformly random `count`-subset of all such sets that are
 * not in `exclude`, each in random presentation order. Rows of `exclude` with another make-up (not
 * 2 anchors + 1 other) can never be drawn anyway and are ignored.
 *
 * @throws InvalidArgumentError for bad anchors, an exclude row out of range, or a count above what is available.
 */
export function sampleAnchor(options: SampleAnchorOptions): Triplets {
  const n = checkInteger('nObjects', options.nObjects, 3, MAX_OBJECTS);
  const count = checkInteger('count', options.count, 0);
  const rng = resolveRng(options.seed);
  const { sorted: anchors, isAnchor } = checkAnchors(options.anchors, n);
  const rest = new Int32Array(n - anchors.length);
  for (let o = 0, x = 0; x < n; x++) if (!isAnchor[x]) rest[o++] = x;
  const space = anchorSpace(anchors, rest, n);

  let excluded: Float64Array | undefined;
  if (options.exclude !== undefined) {
    checkTriplets('exclude', options.exclude, n);
    const d = options.exclude.data;
    const codes: number[] = [];
    for (let t = 0; t < options.exclude.count; t++) {
      const x = d[3 * t], y = d[3 * t + 1], z = d[3 * t + 2];
      if (isAnchor[x] + isAnchor[y] + isAnchor[z] === 2) codes.push(setCode(x, y, z, n));
    }
    const sortedCodes = Float64Array.from(codes).sort();
    let w = 0;
    for (let r = 0; r < sortedCodes.length; r++) if (w === 0 || sortedCodes[r] !== sortedCodes[w - 1]) sortedCodes[w++] = sortedCodes[r];
    excluded = sortedCodes.slice(0, w);
  }

  const available = space.size - (excluded?.length ?? 0);
  if (count > available) {
    throw new InvalidArgumentError(
      'count',
      `at most ${available} distinct sets (C(${anchors.length}, 2)·${rest.length} = ${space.size}` +
        (excluded ? ` minus ${excluded.length} excluded)` : ')'),
      count,
    );
  }
  const codes = sampleDistinctCodes(space, count, rng, excluded);
  const data = new Int32Array(count * 3);
  for (let t = 0; t < count; t++) decodeSet(codes[t], n, data, 3 * t);
  shuffleRows(data, rng);
  return { count, data };
}
