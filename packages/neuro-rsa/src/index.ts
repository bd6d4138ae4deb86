/**
 * @conceptlab/neuro-rsa — representational similarity analysis with rsatoolbox's names and semantics.
 * Everything exported here is the package's public API.
 */
export * from './rdm.js';
export * from './measures.js';
export * from './compare.js';
export * from './noise-ceiling.js';
export * from './bootstrap.js';
export * from './fdr.js';
export * from './permutation.js';
export * from './volume.js';
