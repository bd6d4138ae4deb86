import * as api from './index.js';

describe('public API', () => {
  it('exports exactly the documented functions and constants', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'ACQUISITION_RULES',
        'MAX_BALANCED_OBJECTS',
        'acquisitionScores',
        'selectBatch',
        'MAX_OBJECTS',
        'agreement',
        'answerByEmbedding',
        'answerByFeatures',
        'answerByObserver',
        'embeddingObserver',
        'featureObserver',
        'oddOneOut',
        'answeredFromPositions',
        'choiceProbabilities',
        'measuredSimilarity',
        'measuredSimilarityHalves',
        'noiseCeiling',
        'positionBias',
        'repeatedSets',
        'replay',
        'sampleAnchor',
        'sampleBalanced',
        'sampleR48',
        'R48_DEFAULT_COUNT',
        'sampleUniform',
        'setCode',
        'setCodes',
        'distinctSetCodes',
        'splitTriplets',
      ].sort(),
    );
  });

  it('set codes identify unordered sets', () => {
    expect(api.setCode(2, 0, 1, 10)).toBe(12);
    expect(api.setCode(1, 2, 0, 10)).toBe(12);
    expect(Array.from(api.setCodes(Int32Array.of(9, 8, 7, 0, 1, 2), 10))).toEqual([789, 12]);
  });
});
