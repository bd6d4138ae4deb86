/**
 * @conceptlab/triplet-sampler — seeded odd-one-out triplet designs, simulated observers and analyses of
 * answered triplets. Everything exported here is the package's public API.
 *
 * Conventions: object indices are 0-based; an answered row is (pair, pair, odd one out), the kept pair
 * in presentation order; an unanswered row is the presentation order. Every stochastic function takes a
 * seed or an `Rng` and is bit-for-bit reproducible.
 */

// Randomness
export { type SeedOrRng } from './seed.js';

// Designs
export { sampleUniform, type SampleUniformOptions } from './sample-uniform.js';
export { replay, type ReplayOptions } from './replay.js';
export { sampleAnchor, type SampleAnchorOptions } from './sample-anchor.js';
export { sampleR48, R48_DEFAULT_COUNT, type SampleR48, type SampleR48Options, type R48DesignMethod } from './sample-r48.js';
export { sampleBalanced, MAX_BALANCED_OBJECTS, type SampleBalancedOptions } from './sample-balanced.js';
export { splitTriplets, type SplitFractions, type SplitOptions, type TripletSplit } from './split-triplets.js';
export { repeatedSets, type RepeatedSetsOptions, type RepeatedSets } from './repeated-sets.js';

// Adaptive designs (choose the next triplets from what a fit has learned)
export {
  acquisitionScores,
  ACQUISITION_RULES,
  type AcquisitionRule,
  type ModelAcquisitionRule,
  type AcquisitionScoreOptions,
} from './adaptive/acquisition.js';
export { selectBatch, type SelectBatchOptions, type SelectedBatch, type BatchSelection } from './adaptive/select-batch.js';

// Observers
export { choiceProbabilities, type ObjectMatrix } from './choice-probabilities.js';
export { oddOneOut, answerByObserver, type Observer, type Position, type PresentedTriplet } from './observer.js';
export { answerByEmbedding, embeddingObserver, type AnswerByEmbeddingOptions, type EmbeddingObserverOptions } from './answer-by-embedding.js';
export { answerByFeatures, featureObserver, type AnswerByFeaturesOptions } from './answer-by-features.js';
export { answeredFromPositions } from './answered-from-positions.js';

// Analyses
export { agreement, type Agreement } from './agreement.js';
export { noiseCeiling, type NoiseCeiling, type NoiseCeilingOptions } from './noise-ceiling.js';
export { measuredSimilarity, type MeasuredSimilarity, type MeasuredSimilarityOptions, type UnmeasuredPairs } from './measured-similarity.js';
export { measuredSimilarityHalves, type MeasuredSimilarityHalves } from './measured-similarity-halves.js';
export { positionBias, type PositionBias } from './position-bias.js';

// Set codes (for callers that deduplicate or join triplet lists themselves)
export { setCode, setCodes, distinctSetCodes } from './set-code.js';
export { MAX_OBJECTS } from './combinatorics.js';
