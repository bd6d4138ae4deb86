import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  createProgress,
  InvalidArgumentError,
  ShapeError,
  writeFileAtomic,
  type CategoryMatrix,
  type Concept,
  type ConceptSet,
  type Matrix,
  type NumericArray,
  type ProgressListener,
} from '@conceptlab/core';
import { findConceptImage } from '@conceptlab/core';
import { predictedSimilarity } from '@conceptlab/spose-embed';
import { summarizeDimensions, type DimensionSummary } from './dimension-summary.js';
import { classificationSet, isThings27, nearestCentroidLoo, permutationChance, type PermutationChance } from './category-classification.js';
import { shuffledLabelChance, type ShuffledLabelChance } from './category-chance.js';
import { categoryEnrichment, type DimensionEnrichment } from './enrichment.js';
import { dimensionCorrespondence, type Correspondence, type CorrespondenceMethod } from './correspondence.js';
import type { SharedUniqueMethod } from './correspondence/shared-unique.js';
import { sharedUniqueThreeWay, type ThreeWaySharedUnique } from './correspondence/shared-unique-three-way.js';
import type { MapColouring } from './map-colouring.js';
import { tsne } from './tsne.js';
import { tsnePaper } from './tsne-paper.js';
import { umapMap } from './umap-map.js';
import type { DimensionLabels } from './rater-labels.js';
import type { LlmLabelResult } from './llm-labels.js';
import { roseData } from './rose.js';
import { categoryAccuracySpec, correspondenceSpec, heatmapSpec, mapSpec, roseSpec, usageSpec } from './chart-specs.js';
import { renderVegaLiteSvgs, svgToPng } from './vega-render.js';
import { loadSharp, type Sharp } from './optional-sharp.js';
import { mapSvg, reportHtml, type MapPoint } from './report-html.js';

/** Inputs and settings of {@link interpret}. */
export interface InterpretOptions {
  /** objects × dims, non-negative weights (SPoSE-style). */
  readonly embedding: Matrix<NumericArray>;
  /**
   * One concept per embedding row (names for everything): a `Concept[]`, or a `ConceptSet` (e.g. from
   * `loadThingsDirectory`, as `annotate` and `startServer` take it), whose `concepts` are used.
   */
  readonly concepts: readonly Concept[] | ConceptSet;
  /** Category membership (e.g. THINGS category27.tsv) for enrichment, classification and map colours. */
  readonly categories?: CategoryMatrix;
  /** A precomputed similarity matrix (objects × objects); default: SPoSE predicted similarity of the embedding. */
  readonly similarity?: Matrix<NumericArray>;
  /**
   * The REFERENCE embedding of the same objects (e.g. human) for dimension correspondence: its dims are the rows,
   * this embedding's dims the columns (as the authors' corr(human, model)).
   */
  readonly compare?: { readonly name: string; readonly embedding: Matrix<NumericArray> };
  /**
   * A third embedding (e.g. an MLLM) for the authors' three-way shared vs unique dims: A = `compare` (human),
   * B = this embedding, C = `compareWith`. Needs `compare`.
   */
  readonly compareWith?: { readonly name: string; readonly embedding: Matrix<NumericArray> };
  /** Correspondence procedure: 'paper' (default) or 'hungarian'. */
  readonly correspondenceMethod?: CorrespondenceMethod;
  /** Shared vs unique dims (two-way): 'paper' (default, first free on Cadapt) or 'best-free'. */
  readonly sharedMethod?: SharedUniqueMethod;
  /**
   * Map colours: e.g. {@link wordnetMapColouring} of the concepts table's "Top-down Category (WordNet)" column (the
   * authors' 11 categories). Default: each object's first category of `categories` (alphabetical table order), else none.
   */
  readonly mapColouring?: MapColouring;
  /** Rater label counts per dimension (from {@link readRaterLabels}). */
  readonly labels?: readonly DimensionLabels[];
  /** LLM labels (from {@link labelDimensions}), one per dimension in any order: shown on each card, kept in dims.json. */
  readonly llmLabels?: readonly LlmLabelResult[];
  /**
   * A directory of object images named `<uniqueID>.jpg|.jpeg|.png|.webp`, for a mosaic of each dimension's top
   * objects. Needs the optional peer dependency `sharp`.
   */
  readonly imagesDir?: string;
  /** Top objects per dimension card (default 6). */
  readonly top?: number;
  /** Top objects per dimension for category enrichment (default 20). */
  readonly enrichmentTop?: number;
  /** Seed of the permutation chance level and UMAP (default 0). */
  readonly seed?: number;
  /** Label permutations for the chance level (default 1000). */
  readonly permutations?: number;
  /** 'tsne' (default, as the paper) or 'umap'. */
  readonly map?: 'tsne' | 'umap';
  /**
   * t-SNE variant: 'paper' (default; {@link tsnePaper}: the authors' tsne_p — no early exaggeration, lr 500, 1000
   * iterations, d2p on distances/max) or 'standard' ({@link tsne}: early exaggeration 12, sklearn's auto learning rate, 750 steps).
   */
  readonly tsneMethod?: 'paper' | 'standard';
  /** t-SNE iterations (default 1000 for 'paper', 750 for 'standard'). */
  readonly tsneIterations?: number;
  /** Objects for rose plots (default: the 3 objects with the largest L1 norm). */
  readonly roseObjects?: readonly number[];
  /**
   * Write `figures/*.png` next to each `figures/*.svg` (default true). PNGs need the optional peer dependency
   * `sharp`: without it, `interpret` fails before any work with a MissingPeerDependencyError that says
   * `npm install sharp`; pass `false` for SVG figures only.
   */
  readonly png?: boolean;
  /** Output directory: report.html, dims.json, figures/*.svg|png. */
  readonly outDir: string;
  readonly title?: string;
  /**
   * Extra tables shown first in the report and kept in dims.json — e.g. the parameters and headline
   * numbers of the pipeline run that produced the embedding. Values are shown as text (escaped).
   */
  readonly facts?: readonly ReportFacts[];
  readonly onProgress?: ProgressListener;
}

/** One table of key → value facts for the report. */
export interface ReportFacts {
  readonly title: string;
  readonly rows: readonly (readonly [string, string])[];
}

/** Everything `dims.json` holds. */
export interface InterpretResult {
  readonly format: 'conceptlab-interpret';
  readonly version: 1;
  readonly title: string;
  readonly objects: number;
  readonly dims: number;
  readonly seed: number;
  readonly top: number;
  readonly enrichmentTop: number;
  readonly summaries: DimensionSummary[];
  readonly labels?: DimensionLabels[];
  /** LLM labels, in dimension order (failures keep `label: null` and their `error`). */
  readonly llmLabels?: LlmLabelResult[];
  readonly classification?: {
    /** How the category set was built ({@link classificationSet}: rule and description). */
    readonly protocol: string;
    readonly rule: 'paper' | 'min-size';
    readonly names: string[];
    readonly sizes: number[];
    readonly droppedSmall: { readonly name: string; readonly size: number }[];
    readonly nObjects: number;
    readonly classifier: string;
    readonly accuracy: number;
    readonly perClass: number[];
    /** The chance level reported: the authors' (predictions fixed, true labels shuffled); see its `method`. */
    readonly chance: ShuffledLabelChance;
    /** conceptlab's second null: the classifier re-run on shuffled labels; see its `method`. */
    readonly chanceRerun: PermutationChance;
  };
  readonly enrichment?: DimensionEnrichment[];
  readonly similarity: { readonly source: string };
  readonly map: {
    readonly method: string;
    readonly kl?: number;
    /** What colours the map, in words, and the colouring categories. */
    readonly colouredBy: string;
    readonly colourCategories: string[];
    readonly coordinates: number[][];
  };
  /** Rows: `reference` (the compared embedding, e.g. human); columns: this embedding. */
  readonly correspondence?: Correspondence & { readonly name: string; readonly reference: string; readonly model: string };
  /** The authors' three-way shared vs unique dims (A = reference, B = this embedding, C = the third). */
  readonly threeWay?: ThreeWaySharedUnique & { readonly names: { readonly A: string; readonly B: string; readonly C: string } };
  readonly images?: { readonly dir: string; readonly missing: string[] };
  readonly facts?: readonly ReportFacts[];
  readonly files: string[];
}

/** The concepts of a `Concept[]` or a `ConceptSet`. */
function conceptList(concepts: readonly Concept[] | ConceptSet): readonly Concept[] {
  if (Array.isArray(concepts)) return concepts;
  const set = concepts as ConceptSet | null | undefined;
  if (set !== null && typeof set === 'object' && Array.isArray(set.concepts)) return set.concepts;
  throw new InvalidArgumentError('concepts', 'a Concept[] or a ConceptSet ({ concepts: Concept[] })', concepts);
}

function firstCategory(categories: CategoryMatrix | undefined, i: number): string {
  if (!categories) return 'none';
  const { cols, data } = categories.membership;
  for (let c = 0; c < cols; c++) if (data[i * cols + c]) return categories.names[c];
  return 'none';
}

async function mosaic(sharp: Sharp, imagesDir: string, ids: readonly string[], missing: string[]): Promise<string | undefined> {
  const tile = 96;
  const found: { input: Buffer; left: number; top: number }[] = [];
  for (const id of ids) {
    let file: string;
    try {
      file = findConceptImage(imagesDir, id);
    } catch {
      missing.push(id);
      continue;
    }
    const input = await sharp(file).resize(tile, tile, { fit: 'cover' }).png().toBuffer();
    found.push({ input, left: found.length * tile, top: 0 });
  }
  if (!found.length) return undefined;
  const png = await sharp({ create: { width: tile * found.length, height: tile, channels: 3, background: '#ffffff' } }).composite(found).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

/**
 * Interpret an embedding's dimensions and write a self-contained report to `outDir`:
 * `report.html` (inline SVG/CSS, no network), `figures/*.svg` + `*.png` (Vega-Lite rendered in Node, PNG via
 * sharp) and `dims.json` (every number below). Steps: per-dimension summaries with named top objects; rater
 * labels when given; with categories, per-dimension hypergeometric enrichment (BH-FDR) and the paper's
 * 18-category leave-one-out nearest-centroid classification with a seeded permutation chance level (the paper's
 * protocol when its 7 excluded categories exist in the table, else all categories); the similarity matrix
 * (given, or SPoSE predicted similarity); a 2-D map (t-SNE of 1 − S with a metric-MDS start, or UMAP);
 * dimension correspondence with a second embedding; rose plots.
 *
 * @throws ShapeError when concepts, categories, similarity or the compared embedding do not match the
 *   embedding's objects; InvalidArgumentError for bad settings; FileError when the output cannot be written.
 */
export async function interpret(options: InterpretOptions): Promise<InterpretResult> {
  const x = options.embedding;
  const n = x.rows, D = x.cols;
  const top = options.top ?? 6;
  const enrichmentTop = options.enrichmentTop ?? 20;
  const seed = options.seed ?? 0;
  const listener = options.onProgress;
  const png = options.png ?? true;
  if (typeof png !== 'boolean') throw new InvalidArgumentError('png', 'true or false', png);
  // sharp (an optional peer dependency) is checked before any work, so a missing one fails fast.
  if (png) await loadSharp("interpret's PNG figures (figures/*.png; pass png: false for SVG figures only)");
  const sharp = options.imagesDir ? await loadSharp("interpret's image mosaics (imagesDir)") : undefined;
  if (n < 4) throw new InvalidArgumentError('embedding', 'at least 4 objects', n);
  const concepts = conceptList(options.concepts);
  if (concepts.length !== n) throw new ShapeError(`the embedding has ${n} objects but the concept directory has ${concepts.length}`);
  if (options.categories && options.categories.membership.rows !== n) throw new ShapeError(`the category table has ${options.categories.membership.rows} objects; the embedding has ${n}`);
  if (options.similarity && (options.similarity.rows !== n || options.similarity.cols !== n)) throw new ShapeError(`the similarity matrix is ${options.similarity.rows}×${options.similarity.cols}; the embedding has ${n} objects`);
  if (options.labels && options.labels.length !== D) throw new ShapeError(`rater labels cover ${options.labels.length} dimensions; the embedding has ${D}`);
  let llmLabels: LlmLabelResult[] | undefined;
  if (options.llmLabels) {
    llmLabels = [...options.llmLabels].sort((a, b) => a.dim - b.dim);
    if (llmLabels.length !== D || llmLabels.some((l, d) => l.dim !== d)) throw new ShapeError(`LLM labels cover dimensions [${llmLabels.map((l) => l.dim).join(', ')}]; the embedding has ${D} dimensions (0–${D - 1})`);
  }
  const step = (task: string, f: () => void): void => {
    const p = createProgress(task, listener, { total: 1, unit: 'steps' });
    f();
    p.end();
  };

  let summaries: DimensionSummary[] = [];
  step('summaries', () => { summaries = summarizeDimensions(x, concepts, { top }); });

  let classification: InterpretResult['classification'];
  let enrichment: DimensionEnrichment[] | undefined;
  const cats = options.categories;
  if (cats) {
    step('enrichment', () => { enrichment = categoryEnrichment(x, cats, { top: Math.min(enrichmentTop, n) }); });
    const set = isThings27(cats.names) ? classificationSet(cats) : classificationSet(cats, { rule: 'min-size', exclude: [], minSize: 2 });
    if (set.names.length >= 2) {
      step('classification', () => {
        const r = nearestCentroidLoo(x, set.objects, set.labels, set.names.length);
        const permutations = options.permutations ?? 1000;
        classification = {
          protocol: set.description,
          rule: set.rule,
          names: set.names,
          sizes: set.sizes,
          droppedSmall: set.droppedSmall,
          nObjects: set.objects.length,
          classifier: 'leave-one-object-out nearest centroid, Euclidean distance (ties to the lower category)',
          accuracy: r.accuracy,
          perClass: r.perClass,
          chance: shuffledLabelChance(r.predicted, set.labels, { permutations, seed }),
          chanceRerun: permutationChance(x, set.objects, set.labels, set.names.length, { permutations, seed }),
        };
      });
    }
  }

  let S: Matrix<NumericArray>;
  let simSource: string;
  if (options.similarity) {
    S = options.similarity;
    simSource = 'similarity matrix given (--similarity)';
  } else {
    const f64 = x.data instanceof Float64Array || x.data instanceof Float32Array ? (x as Matrix<Float64Array | Float32Array>) : { rows: n, cols: D, data: Float64Array.from(x.data) };
    S = predictedSimilarity(f64, { onProgress: listener });
    simSource = 'SPoSE predicted similarity of the embedding (all objects as context)';
  }

  let map: { method: string; kl?: number; coordinates: Matrix<Float64Array> };
  if (options.map === 'umap') {
    const p = createProgress('map (UMAP)', listener, { total: 1, unit: 'maps' });
    map = umapMap(x, { seed });
    p.end();
  } else {
    const dis = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dis[i * n + j] = i === j ? 0 : 1 - (S.data[i * n + j] + S.data[j * n + i]) / 2;
    const method = options.tsneMethod ?? 'paper';
    if (method !== 'paper' && method !== 'standard') throw new InvalidArgumentError('tsneMethod', "'paper' or 'standard'", method);
    const iterations = options.tsneIterations ?? (method === 'paper' ? 1000 : 750);
    const p = createProgress('map (t-SNE)', listener, { total: iterations, unit: 'steps' });
    const fitting = [5, 30].filter((q) => q < n - 1);
    const perplexities = fitting.length ? fitting : [(n - 1) / 2];
    const dm = { rows: n, cols: n, data: dis };
    map = method === 'paper'
      ? tsnePaper(dm, { iterations, perplexities, onStep: (s) => p.update(s) })
      : tsne(dm, { iterations, perplexities, onStep: (s) => p.update(s) });
    p.end();
  }

  let correspondence: InterpretResult['correspondence'];
  let threeWay: InterpretResult['threeWay'];
  if (options.compareWith && !options.compare) throw new InvalidArgumentError('compareWith', 'a reference embedding (compare) as well: the three-way comparison is reference × this × third');
  if (options.compare) {
    const c = options.compare;
    step('correspondence', () => {
      correspondence = { name: c.name, reference: c.name, model: 'this embedding', ...dimensionCorrespondence(c.embedding, x, { method: options.correspondenceMethod, sharedMethod: options.sharedMethod }) };
    });
    const third = options.compareWith;
    if (third) step('three-way shared dims', () => { threeWay = { names: { A: c.name, B: 'this embedding', C: third.name }, ...sharedUniqueThreeWay(c.embedding, x, third.embedding) }; });
  }

  // Figures
  const colouring = options.mapColouring;
  if (colouring && colouring.groups.length !== n) throw new ShapeError(`the map colouring has ${colouring.groups.length} groups; the embedding has ${n} objects`);
  const colouredBy = colouring
    ? colouring.source
    : cats ? 'each object\'s first category in the category table (table column order); "none" for objects without one — not the paper\'s 11 WordNet categories (no "Top-down Category (WordNet)" column)' : 'nothing (no category table and no WordNet category column)';
  const colourCategories = colouring ? [...colouring.categories] : cats ? [...cats.names] : [];
  const points: MapPoint[] = Array.from({ length: n }, (_, i) => ({ x: map.coordinates.data[2 * i], y: map.coordinates.data[2 * i + 1], name: concepts[i].word, group: colouring ? colouring.groups[i] : firstCategory(cats, i) }));
  const strongest = Array.from({ length: n }, (_, i) => {
    let b = 0;
    for (let d = 1; d < D; d++) if (x.data[i * D + d] > x.data[i * D + b]) b = d;
    return b;
  });
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const ga = points[a].group, gb = points[b].group;
    const last = (g: string): boolean => g === 'none' || g === 'other';
    return (ga === gb ? 0 : last(ga) ? 1 : last(gb) ? -1 : ga < gb ? -1 : 1) || strongest[a] - strongest[b] || a - b;
  });
  const roseObjects = options.roseObjects ?? Array.from({ length: n }, (_, i) => i).sort((a, b) => rowL1(x, b) - rowL1(x, a) || a - b).slice(0, Math.min(3, n));
  const specs: { name: string; spec: object }[] = [
    { name: 'usage', spec: usageSpec(summaries.map((s) => ({ dim: s.dim, usageShare: s.usageShare }))) },
    { name: 'similarity', spec: heatmapSpec(S, order, 'Similarity matrix') },
    { name: 'map', spec: mapSpec(points, map.method.split(' (')[0], colouring?.categories) },
    { name: 'rose', spec: roseSpec(roseData(x, concepts, roseObjects)) },
  ];
  if (classification) specs.push({ name: 'categories', spec: categoryAccuracySpec(classification.names, classification.perClass, classification.chance.mean, classification.accuracy) });
  if (correspondence) {
    const cc = correspondence;
    const shown = cc.paper ? cc.corr.map((row) => cc.paper!.si.map((j) => row[j])) : cc.corr;
    const colTitle = cc.paper ? 'this embedding: reordered position k (holds dimension si[k] + 1, see dims.json)' : 'this embedding: dimension';
    specs.push({ name: 'correspondence', spec: correspondenceSpec(shown, `${cc.name} (reference): dimension`, colTitle, cc.paper ? 'Dimension correlation C(:, si), columns reordered as the paper' : 'Dimension correlation') });
  }
  const pr = createProgress('figures', listener, { total: specs.length, unit: 'figures' });
  const svgs = await renderVegaLiteSvgs(specs.map((s) => s.spec));
  const figDir = join(options.outDir, 'figures');
  mkdirSync(figDir, { recursive: true });
  const files: string[] = [];
  for (let k = 0; k < specs.length; k++) {
    writeFileAtomic(join(figDir, `${specs[k].name}.svg`), svgs[k]);
    files.push(`figures/${specs[k].name}.svg`);
    if (png) {
      writeFileAtomic(join(figDir, `${specs[k].name}.png`), await svgToPng(svgs[k]));
      files.push(`figures/${specs[k].name}.png`);
    }
    pr.update(k + 1);
  }
  pr.end();
  const svgOf = (name: string): string | undefined => svgs[specs.findIndex((s) => s.name === name)];

  const mosaics = new Map<number, string>();
  let images: InterpretResult['images'];
  if (options.imagesDir) {
    const missing: string[] = [];
    const pm = createProgress('image mosaics', listener, { total: D, unit: 'dims' });
    for (const s of summaries) {
      const m = await mosaic(sharp!, options.imagesDir, s.top.map((t) => t.id), missing);
      if (m) mosaics.set(s.dim, m);
      pm.update(s.dim + 1);
    }
    pm.end();
    images = { dir: options.imagesDir, missing: [...new Set(missing)] };
  }

  files.push('report.html', 'dims.json');
  const result: InterpretResult = {
    format: 'conceptlab-interpret',
    version: 1,
    title: options.title ?? 'Embedding dimensions',
    objects: n,
    dims: D,
    seed,
    top,
    enrichmentTop: Math.min(enrichmentTop, n),
    summaries,
    ...(options.labels ? { labels: [...options.labels] } : {}),
    ...(llmLabels ? { llmLabels } : {}),
    ...(classification ? { classification } : {}),
    ...(enrichment ? { enrichment } : {}),
    similarity: { source: simSource },
    map: { method: map.method, ...(map.kl !== undefined ? { kl: map.kl } : {}), colouredBy, colourCategories, coordinates: Array.from({ length: n }, (_, i) => [map.coordinates.data[2 * i], map.coordinates.data[2 * i + 1]]) },
    ...(correspondence ? { correspondence } : {}),
    ...(threeWay ? { threeWay } : {}),
    ...(images ? { images } : {}),
    ...(options.facts ? { facts: options.facts } : {}),
    files,
  };
  const html = reportHtml(result, {
    usage: svgOf('usage')!,
    heatmap: svgOf('similarity')!,
    mapInline: mapSvg(points, undefined, colouring ? [...colouring.categories, 'other'] : undefined),
    categories: svgOf('categories'),
    correspondence: svgOf('correspondence'),
    rose: svgOf('rose'),
  }, mosaics);
  writeFileAtomic(join(options.outDir, 'report.html'), html);
  writeFileAtomic(join(options.outDir, 'dims.json'), JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1) + '\n');
  return result;
}

function rowL1(x: Matrix<NumericArray>, i: number): number {
  let s = 0;
  for (let d = 0; d < x.cols; d++) s += Math.abs(x.data[i * x.cols + d]);
  return s;
}
