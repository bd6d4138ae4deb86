import { createRng, InvalidArgumentError, ShapeError, type CategoryMatrix, type Matrix, type NumericArray } from '@conceptlab/core';

/** The 7 of the 27 THINGS categories the paper removes before classification (Du et al. 2025, Methods). */
export const PAPER_EXCLUDED_CATEGORIES: readonly string[] = ['bird', 'clothing accessory', 'dessert', 'drink', 'fruit', 'insect', 'vegetable'];

/** The 27 THINGS categories of `category27.tsv`, in the file's (alphabetical) order: the authors' column indices refer to it. */
export const THINGS27_CATEGORIES: readonly string[] = [
  'animal', 'bird', 'body part', 'clothing', 'clothing accessory', 'container', 'dessert', 'drink', 'electronic device',
  'food', 'fruit', 'furniture', 'home decor', 'insect', 'kitchen appliance', 'kitchen tool', 'medical equipment',
  'musical instrument', 'office supply', 'part of car', 'plant', 'sports equipment', 'tool', 'toy', 'vegetable', 'vehicle', 'weapon',
];

/**
 * The authors' "too few items" step: columns 9 and 10 (1-based) of the 20 categories left after the 7 removals,
 * hard-coded in predict_category.m — kitchen appliance and kitchen tool, with 4 and 7 single-category objects
 * on `category27.tsv` (every other of the 20 has at least 17), so it agrees with a "fewer than 10" rule there.
 */
export const PAPER_SMALL_CATEGORY_POSITIONS: readonly number[] = [8, 9];

/** Smallest category size of the `min-size` rule. */
export const PAPER_MIN_CATEGORY_SIZE = 10;

/** Whether a category table has exactly the 27 THINGS categories in the file's order. */
export function isThings27(names: readonly string[]): boolean {
  return names.length === THINGS27_CATEGORIES.length && names.every((n, i) => n === THINGS27_CATEGORIES[i]);
}

/** Objects with one category label each, ready for the classifier. */
export interface ClassificationSet {
  /** Names of the kept categories; label c is `names[c]`. */
  readonly names: string[];
  /** Object indices (rows of the embedding), ascending. */
  readonly objects: Int32Array;
  /** Label of each entry of `objects`. */
  readonly labels: Int32Array;
  /** Sizes of the kept categories. */
  readonly sizes: number[];
  /** Which construction ran. */
  readonly rule: 'paper' | 'min-size';
  readonly description: string;
  /** Categories removed in the last step, with their single-category object counts. */
  readonly droppedSmall: { readonly name: string; readonly size: number }[];
}

export interface ClassificationSetOptions {
  /**
   * 'paper' (default): the authors' predict_category.m on the 27 THINGS categories — remove the 7
   * {@link PAPER_EXCLUDED_CATEGORIES}, blank objects in more than one of the remaining 20, remove columns 9 and 10
   * of the 20 ({@link PAPER_SMALL_CATEGORY_POSITIONS}), drop objects left without a category. Needs the THINGS
   * table ({@link isThings27}). 'min-size': remove `exclude`, keep single-category objects, remove categories
   * with fewer than `minSize` objects — for any table.
   */
  readonly rule?: 'paper' | 'min-size';
  /** 'min-size' only: categories removed first (default {@link PAPER_EXCLUDED_CATEGORIES}; each must exist). */
  readonly exclude?: readonly string[];
  /** 'min-size' only: categories with fewer objects are removed last (default 10). */
  readonly minSize?: number;
}

/**
 * The category set for classification:
 * - `rule: 'paper'` (default) — exactly the authors' steps (see {@link ClassificationSetOptions.rule}). On THINGS
 *   `category27.tsv`: 18 categories and 1,111 objects; the two dropped are kitchen appliance (4) and kitchen tool (7).
 * - `rule: 'min-size'` — 1. remove the `exclude` categories; 2. keep objects in exactly one of the *remaining*
 *   categories; 3. remove categories with fewer than `minSize` objects. On THINGS with the defaults this gives the
 *   same 18 categories and 1,111 objects.
 *
 * @throws InvalidArgumentError when rule 'paper' meets a table other than the 27 THINGS categories, an excluded
 *   category is not among the names, or minSize is not a positive integer.
 */
export function classificationSet(categories: CategoryMatrix, options: ClassificationSetOptions = {}): ClassificationSet {
  const rule = options.rule ?? 'paper';
  if (rule !== 'paper' && rule !== 'min-size') throw new InvalidArgumentError('rule', "'paper' or 'min-size'", rule);
  if (rule === 'paper' && (options.exclude !== undefined || options.minSize !== undefined)) throw new InvalidArgumentError('exclude/minSize', "only with rule 'min-size'", 'given with rule paper');
  if (rule === 'paper' && !isThings27(categories.names)) {
    throw new InvalidArgumentError('categories', `the 27 THINGS categories in category27.tsv order for rule 'paper' (the authors' column indices are positional); use rule 'min-size' otherwise`, categories.names.join(', '));
  }
  const exclude = options.exclude ?? PAPER_EXCLUDED_CATEGORIES;
  const minSize = options.minSize ?? PAPER_MIN_CATEGORY_SIZE;
  if (!Number.isInteger(minSize) || minSize < 1) throw new InvalidArgumentError('minSize', 'a positive integer', minSize);
  for (const e of exclude) {
    if (!categories.names.includes(e)) throw new InvalidArgumentError('exclude', `category names from the file (${categories.names.join(', ')})`, e);
  }
  const { rows, cols, data } = categories.membership;
  const remaining = categories.names.map((_, c) => c).filter((c) => !exclude.includes(categories.names[c]));
  const single = new Int32Array(rows).fill(-1);
  for (let i = 0; i < rows; i++) {
    let count = 0, which = -1;
    for (const c of remaining) if (data[i * cols + c]) { count++; which = c; }
    if (count === 1) single[i] = which;
  }
  const size = new Map<number, number>();
  for (let i = 0; i < rows; i++) if (single[i] >= 0) size.set(single[i], (size.get(single[i]) ?? 0) + 1);
  const small = rule === 'paper'
    ? remaining.filter((_, k) => PAPER_SMALL_CATEGORY_POSITIONS.includes(k))
    : remaining.filter((c) => (size.get(c) ?? 0) < minSize);
  const kept = remaining.filter((c) => !small.includes(c));
  const label = new Map(kept.map((c, k) => [c, k]));
  const objects: number[] = [], labels: number[] = [];
  for (let i = 0; i < rows; i++) {
    const l = label.get(single[i]);
    if (l !== undefined) { objects.push(i); labels.push(l); }
  }
  const description = rule === 'paper'
    ? 'paper (predict_category.m): 7 categories removed (bird, clothing accessory, dessert, drink, fruit, insect, vegetable); objects in more than one of the remaining 20 blanked; columns 9 and 10 of the 20 removed (kitchen appliance, kitchen tool); objects without a category dropped'
    : `min-size: ${exclude.length ? `${exclude.length} categories removed (${exclude.join(', ')}); ` : ''}objects in exactly one remaining category; categories with fewer than ${minSize} objects removed`;
  return {
    names: kept.map((c) => categories.names[c]),
    objects: Int32Array.from(objects),
    labels: Int32Array.from(labels),
    sizes: kept.map((c) => size.get(c) ?? 0),
    rule,
    description,
    droppedSmall: small.map((c) => ({ name: categories.names[c], size: size.get(c) ?? 0 })),
  };
}

/** Result of the leave-one-object-out nearest-centroid classifier. */
export interface NearestCentroidResult {
  /** Share of objects assigned to their own category. */
  readonly accuracy: number;
  /** Predicted label per object (same order as the input). */
  readonly predicted: Int32Array;
  /** Accuracy per category. */
  readonly perClass: number[];
}

function checkLabels(x: Matrix<NumericArray>, rows: ArrayLike<number>, labels: ArrayLike<number>, nClasses: number): number[] {
  if (rows.length !== labels.length) throw new ShapeError(`${rows.length} objects but ${labels.length} labels`);
  if (!Number.isInteger(nClasses) || nClasses < 2) throw new InvalidArgumentError('nClasses', 'an integer ≥ 2', nClasses);
  const counts = new Array<number>(nClasses).fill(0);
  for (let t = 0; t < labels.length; t++) {
    const l = labels[t];
    if (!Number.isInteger(l) || l < 0 || l >= nClasses) throw new InvalidArgumentError(`labels[${t}]`, `an integer in [0, ${nClasses})`, l);
    const r = rows[t];
    if (!Number.isInteger(r) || r < 0 || r >= x.rows) throw new InvalidArgumentError(`objects[${t}]`, `a row in [0, ${x.rows})`, r);
    counts[l]++;
  }
  counts.forEach((n, c) => {
    if (n < 2) throw new InvalidArgumentError(`category ${c}`, 'at least 2 objects (leave-one-out needs a centroid without the object)', n);
  });
  return counts;
}

/** Core loop: predictions for one labelling (sums per class precomputed here). */
function looPredict(x: Matrix<NumericArray>, rows: ArrayLike<number>, labels: ArrayLike<number>, nClasses: number, counts: number[], out: Int32Array): number {
  const D = x.cols, X = x.data, n = rows.length;
  const sums = new Float64Array(nClasses * D);
  for (let t = 0; t < n; t++) {
    const o = rows[t] * D, s = labels[t] * D;
    for (let d = 0; d < D; d++) sums[s + d] += X[o + d];
  }
  const cent = new Float64Array(nClasses * D);
  for (let c = 0; c < nClasses; c++) for (let d = 0; d < D; d++) cent[c * D + d] = sums[c * D + d] / counts[c];
  let correct = 0;
  for (let t = 0; t < n; t++) {
    const o = rows[t] * D, y = labels[t];
    let best = -1, bestD = Infinity;
    for (let c = 0; c < nClasses; c++) {
      let dist = 0;
      if (c === y) {
        const m = counts[c] - 1;
        for (let d = 0; d < D; d++) { const v = X[o + d] - (sums[c * D + d] - X[o + d]) / m; dist += v * v; }
      } else {
        for (let d = 0; d < D; d++) { const v = X[o + d] - cent[c * D + d]; dist += v * v; }
      }
      if (dist < bestD) { bestD = dist; best = c; }
    }
    out[t] = best;
    if (best === y) correct++;
  }
  return correct / n;
}

/**
 * Leave-one-object-out nearest-centroid classification with Euclidean distance (the paper's 18-category
 * analysis): each object is assigned to the category whose centroid is nearest, where its own category's
 * centroid is computed without it. Ties go to the lower label (numpy `argmin`).
 *
 * @param x the embedding (objects × dims); `objects[t]` is the row of the t-th classified object.
 * @throws ShapeError / InvalidArgumentError for mismatched lengths, bad labels, or a class with < 2 objects.
 */
export function nearestCentroidLoo(x: Matrix<NumericArray>, objects: ArrayLike<number>, labels: ArrayLike<number>, nClasses: number): NearestCentroidResult {
  const counts = checkLabels(x, objects, labels, nClasses);
  const predicted = new Int32Array(objects.length);
  const accuracy = looPredict(x, objects, labels, nClasses, counts, predicted);
  const hit = new Array<number>(nClasses).fill(0);
  for (let t = 0; t < labels.length; t++) if (predicted[t] === labels[t]) hit[labels[t]]++;
  return { accuracy, predicted, perClass: hit.map((h, c) => h / counts[c]) };
}

export const RERUN_CHANCE_METHOD = 'conceptlab: re-run the leave-one-out classifier on shuffled labels';

/** Chance level of the classifier by label permutation, the classifier re-run on each permutation (conceptlab's null). */
export interface PermutationChance {
  readonly method: typeof RERUN_CHANCE_METHOD;
  readonly permutations: number;
  readonly seed: number;
  /** Mean accuracy over label permutations: the chance level. */
  readonly mean: number;
  /** Population SD of the permutation accuracies. */
  readonly sd: number;
  /** Percentile of the observed accuracy among permutation accuracies: 100·#(perm < observed)/permutations. */
  readonly percentile: number;
  /** One-sided permutation p-value: (1 + #(perm ≥ observed)) / (1 + permutations). */
  readonly p: number;
  readonly observed: number;
}

/**
 * conceptlab's permutation null of {@link nearestCentroidLoo} (not the paper's; that is
 * {@link shuffledLabelChance}): the labels are shuffled (class sizes kept) with
 * `createRng(seed, 0)` Fisher–Yates, the leave-one-out accuracy recomputed, `permutations` times.
 * Bit-for-bit reproducible for a seed.
 *
 * @throws as {@link nearestCentroidLoo}; InvalidArgumentError for permutations < 1.
 */
export function permutationChance(x: Matrix<NumericArray>, objects: ArrayLike<number>, labels: ArrayLike<number>, nClasses: number, options: { permutations?: number; seed?: number } = {}): PermutationChance {
  const permutations = options.permutations ?? 1000;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(permutations) || permutations < 1) throw new InvalidArgumentError('permutations', 'a positive integer', permutations);
  const counts = checkLabels(x, objects, labels, nClasses);
  const pred = new Int32Array(objects.length);
  const observed = looPredict(x, objects, labels, nClasses, counts, pred);
  const rng = createRng(seed, 0);
  const perm = Int32Array.from(labels);
  let sum = 0, sumSq = 0, below = 0, atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    rng.shuffle(perm);
    const a = looPredict(x, objects, perm, nClasses, counts, pred);
    sum += a;
    sumSq += a * a;
    if (a < observed) below++;
    else atLeast++;
  }
  const mean = sum / permutations;
  return { method: RERUN_CHANCE_METHOD, permutations, seed, mean, sd: Math.sqrt(Math.max(0, sumSq / permutations - mean * mean)), percentile: (100 * below) / permutations, p: (1 + atLeast) / (1 + permutations), observed };
}
