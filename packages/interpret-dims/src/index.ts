/// <reference types="node" preserve="true" />
/**
 * @conceptlab/interpret-dims — make every embedding dimension explain itself: top objects, rater labels,
 * category enrichment and classification, 2-D maps, dimension correspondence, and a self-contained HTML report.
 * Everything exported here is the package's public API.
 */
export * from './dimension-summary.js';
export * from './category-classification.js';
export * from './category-chance.js';
export * from './hypergeometric.js';
export * from './enrichment.js';
export * from './hungarian.js';
export * from './correspondence/adapted-matrix.js';
export * from './correspondence/paper-matches.js';
export * from './correspondence/shared-unique.js';
export * from './correspondence/shared-unique-three-way.js';
export * from './correspondence.js';
export * from './mds.js';
export * from './tsne.js';
export * from './tsne-paper.js';
export * from './map-colouring.js';
export * from './umap-map.js';
export * from './rater-labels.js';
export * from './rose.js';
export * from './vega-render.js';
export * from './chart-specs.js';
export * from './report-html.js';
export * from './llm-labels.js';
export * from './interpret.js';
