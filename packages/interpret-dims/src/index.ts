/// <reference types="node" preserve="true" />
/**
 * @conceptlab/interpret-dims — make every embedding dimension explain itself: top objects, rater labels,
 * category enrichment and classification, 2-D maps, dimension correspondence, and a self-contained HTML report.
 * Everything exported here is the package's public API.
 */
export {
  DEFAULT_USAGE_THRESHOLD,
  summarizeDimensions,
  topObjectIndices,
  type DimensionSummary,
  type SummarizeOptions,
  type TopObject,
} from './dimension-summary.js';
export {
  PAPER_EXCLUDED_CATEGORIES,
  PAPER_MIN_CATEGORY_SIZE,
  PAPER_SMALL_CATEGORY_POSITIONS,
  RERUN_CHANCE_METHOD,
  THINGS27_CATEGORIES,
  classificationSet,
  isThings27,
  nearestCentroidLoo,
  permutationChance,
  type ClassificationSet,
  type ClassificationSetOptions,
  type NearestCentroidResult,
  type PermutationChance,
} from './category-classification.js';
export { SHUFFLED_LABEL_CHANCE_METHOD, shuffledLabelChance, type ShuffledLabelChance } from './category-chance.js';
export { hypergeometricSf } from './hypergeometric.js';
export { categoryEnrichment, type DimensionEnrichment, type EnrichmentTest } from './enrichment.js';
export { linearSumAssignment, type Assignment } from './hungarian.js';
export { UNEQUAL_DIMS_RULE, adaptedCorrespondenceMatrix, checkCorrespondenceInputs, type AdaptedMatrix } from './correspondence/adapted-matrix.js';
export { paperMatches, type PaperMatch, type PaperMatches } from './correspondence/paper-matches.js';
export {
  SHARED_UNIQUE_METHODS,
  sharedUniqueBestFree,
  sharedUniquePaper,
  type SharedPair,
  type SharedUnique,
  type SharedUniqueMethod,
} from './correspondence/shared-unique.js';
export {
  THREE_WAY_PATTERNS,
  sharedUniqueThreeWay,
  type ThreeWayMatch,
  type ThreeWayPattern,
  type ThreeWaySharedUnique,
} from './correspondence/shared-unique-three-way.js';
export {
  CORRESPONDENCE_METHODS,
  dimensionCorrespondence,
  type Correspondence,
  type CorrespondenceMethod,
  type CorrespondenceOptions,
  type DimPair,
} from './correspondence.js';
export { classicalMds, smacof, stress, type SmacofResult } from './mds.js';
export { tsne, type Map2d, type TsneOptions } from './tsne.js';
export { d2p, tsnePaper, type TsnePaperOptions } from './tsne-paper.js';
export {
  PAPER_MAP_CATEGORIES,
  WORDNET_CATEGORY_COLUMN,
  wordnetMapColouring,
  type MapColouring,
} from './map-colouring.js';
export { umapMap } from './umap-map.js';
export { parseRaterFile, readRaterLabels, type DimensionLabels } from './rater-labels.js';
export { roseData, type RosePetal } from './rose.js';
export { ChartRenderError, renderVegaLiteSvgs, svgToPng } from './vega-render.js';
export { categoryAccuracySpec, correspondenceSpec, heatmapSpec, mapSpec, roseSpec, usageSpec } from './chart-specs.js';
export { reportHtml, type MapPoint, type ReportFigures } from './report-html.js';
export {
  LABEL_TYPES,
  MAX_LABEL_CHARS,
    labelDimensions,
  labelPrompt,
  parseLabelReply,
  type LabelDimensionsOptions,
  type LabelType,
  type LlmLabel,
  type LlmLabelFailure,
  type LlmLabelResult,
} from './llm-labels.js';
export { interpret, type InterpretOptions, type InterpretResult, type ReportFacts } from './interpret.js';
