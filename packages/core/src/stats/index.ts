/** Shared numerics: one implementation each, used by every package (more move here with issue 12). */
export { mean, sampleSd, matlabPrctile } from './summary.js';
export { fisherBootstrapCi, type FisherBootstrapCi } from './fisher-ci.js';
