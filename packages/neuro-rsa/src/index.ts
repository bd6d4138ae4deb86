/// <reference types="node" preserve="true" />
/**
 * @conceptlab/neuro-rsa — representational similarity analysis with rsatoolbox's names and semantics.
 * Everything exported here is the package's public API.
 */
export * from './rdm/rdm.js';
export * from './rdm/measures.js';
export * from './rdm/parallel-rdm.js';
export * from './inference/compare.js';
export * from './inference/kendall.js';
export * from './inference/noise-ceiling.js';
export * from './inference/bootstrap.js';
export * from './inference/fdr.js';
export * from './inference/permutation.js';
export * from './nifti/volume.js';
export * from './rdm/categorical-rdm.js';
export * from './searchlight/sphere.js';
export * from './searchlight/searchlight.js';
export * from './nifti/error.js';
export * from './nifti/datatype.js';
export * from './nifti/affine.js';
export * from './nifti/header.js';
export * from './nifti/stream.js';
export * from './nifti/read.js';
export * from './nifti/write.js';
export * from './nifti/stats.js';
export * from './nifti/grid-check.js';
export * from './nifti/resample.js';
export * from './nifti/mask.js';
export * from './nifti/atlas.js';
export * from './nifti/roi-patterns.js';
export * from './inference/compare-cov.js';
export * from './rdm/pool-rdm.js';
export * from './rdm/mahalanobis.js';
export * from './rdm/crossnobis.js';
export * from './rdm/noise-covariance.js';
export * from './inference/subject-bootstrap.js';
export * from './inference/model-comparison.js';
export * from './rdm/rdm-io.js';
export * from './encoding/svd.js';
export * from './encoding/cross-validation.js';
export * from './encoding/ridge.js';
export * from './encoding/encoding.js';
export * from './inference/repeat-noise-ceiling.js';
