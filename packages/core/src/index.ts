/**
 * @conceptlab/core — the shared vocabulary of conceptlab.
 * Everything exported here is the package's public API.
 */
export * from './errors.js';
export { MissingPeerDependencyError, importOptionalPeer, isModuleNotFound } from './optional-peer.js';
export * from './matrix.js';
export * from './triplets.js';
export * from './prng.js';
export * from './progress.js';
export * from './io/files.js';
export * from './io/npy.js';
export * from './io/delimited.js';
export * from './io/matrix-text.js';
export * from './io/triplet-text.js';
export * from './io/noise-ceiling-tsv.js';
export * from './things.js';
export { findConceptImage, IMAGE_EXTENSIONS } from './concept-image.js';
export * from './data-dir.js';
// The older shared numerics stay at the root for existing importers; the rest is `@conceptlab/core/stats`.
export { mean, sampleSd, matlabPrctile, fisherBootstrapCi, type FisherBootstrapCi } from './stats/index.js';
