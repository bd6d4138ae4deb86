/// <reference types="node" preserve="true" />
/**
 * @conceptlab/neuro-rsa — representational similarity analysis with rsatoolbox's names and semantics.
 * Everything exported here is the package's public API.
 */
export * from './rdm.js';
export * from './measures.js';
export * from './parallel-rdm.js';
export * from './compare.js';
export * from './kendall.js';
export * from './noise-ceiling.js';
export * from './bootstrap.js';
export * from './fdr.js';
export * from './permutation.js';
export * from './volume.js';
export * from './categorical-rdm.js';
export * from './sphere.js';
export * from './searchlight.js';
export * from './nifti-error.js';
export * from './nifti-datatype.js';
export * from './nifti-affine.js';
export * from './nifti-header.js';
export * from './nifti-stream.js';
export * from './nifti-read.js';
export * from './nifti-write.js';
export * from './nifti-stats.js';
export * from './grid-check.js';
export * from './resample.js';
export * from './mask.js';
export * from './atlas.js';
export * from './roi-patterns.js';
export * from './compare-cov.js';
export * from './pool-rdm.js';
export * from './mahalanobis.js';
export * from './crossnobis.js';
export * from './noise-covariance.js';
export * from './subject-bootstrap.js';
export * from './model-comparison.js';
export * from './rdm-io.js';
export * from './svd.js';
export * from './cross-validation.js';
export * from './ridge.js';
export * from './encoding.js';
export * from './repeat-noise-ceiling.js';
