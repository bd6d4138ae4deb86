/// <reference types="node" preserve="true" />
/**
 * @conceptlab/neuro-rsa — representational similarity analysis with rsatoolbox's names and semantics.
 * Everything exported here is the package's public API (named exports only, grouped by folder); the rest of
 * `src/` is internal (worker jobs, WebAssembly kernels, header parsing, numeric helpers).
 */

// rdm/ — the RDM type, computing RDMs from patterns (rsatoolbox.rdm.calc), pooling, categorical RDMs, RDM files.
export {
  rdmLength,
  rdmIndex,
  rdmFromVector,
  rdmFromMatrix,
  rdmToMatrix,
  rdmFromSimilarity,
  meanRdm,
  type Rdm,
} from './rdm/rdm.js';
export { computeRdm, type RdmMethod, type ComputeRdmOptions } from './rdm/measures.js';
export { type GramProvider } from './rdm/gram-provider.js';
export { computeRdmParallel, type ComputeRdmParallelOptions } from './rdm/parallel-rdm.js';
export { crossnobisRdm, type CrossnobisOptions } from './rdm/crossnobis.js';
export { mahalanobisRdm } from './rdm/mahalanobis.js';
export { noiseCovariance, noisePrecision, type NoiseCovarianceMethod, type NoiseCovarianceOptions } from './rdm/noise-covariance.js';
export { poolRdm } from './rdm/pool-rdm.js';
export { categoricalRdm } from './rdm/categorical-rdm.js';
export { singleCategoryLabels } from './rdm/category-labels.js';
export { squareMatrixKind, rdmFromSquareMatrix, type SquareMatrixKind } from './rdm/square-matrix.js';
export { readRdmFile, readRdmStack, writeRdmFile, type NamedRdm, type RdmStack, type WriteRdmOptions } from './rdm/rdm-io.js';

// inference/ — comparing RDMs (rsatoolbox.rdm.compare), bootstrap and permutation inference, noise ceilings,
// FDR, pairwise model tests and evaluateModels (rsatoolbox.inference.evaluate).
export { compareRdms, compareVectors, COMPARE_METHODS, type CompareMethod, type CompareOptions } from './inference/compare.js';
export { compareCovWeighted, type CovMethod } from './inference/compare-cov.js';
export { kendallTau, type KendallVariant, type KendallOptions } from './inference/kendall.js';
export { kendallTauParallel, KENDALL_PARALLEL_MIN_LENGTH, type KendallParallelOptions } from './inference/kendall-parallel.js';
export { compareRdmsParallel, type CompareParallelOptions } from './inference/compare-parallel.js';
export { bootstrapConditions, type BootstrapOptions, type BootstrapResult } from './inference/bootstrap.js';
export { bootstrapModels, type BootstrapOver, type ModelBootstrapOptions, type ModelBootstrapResult } from './inference/subject-bootstrap.js';
export { bootstrapPairTests, comparePairsByBootstrap, type ModelPairComparison } from './inference/model-comparison.js';
export { permutationTest, type PermutationOptions, type PermutationResult } from './inference/permutation.js';
export { rdmNoiseCeiling, type RdmNoiseCeiling, type RdmNoiseCeilingOptions } from './inference/noise-ceiling.js';
export { repeatNoiseCeiling, normaliseByCeiling, type RepeatNoiseCeiling } from './inference/repeat-noise-ceiling.js';
export { fdrCorrection, type FdrResult } from './inference/fdr.js';
export { categoryRsa, type CategoryComparison } from './inference/category-rsa.js';
export {
  evaluateModels,
  type EvaluateModelsOptions,
  type ModelEvaluation,
  type ModelEvaluationBootstrap,
} from './inference/evaluate-models.js';

// nifti/ — NIfTI-1/2 images: streaming reads, whole-image read/write, voxel statistics, grids, masks, atlases,
// ROI patterns.
export { NiftiError } from './nifti/error.js';
export { type NiftiDatatype, type VoxelScaling } from './nifti/datatype.js';
export { applyAffine, invertAffine, multiplyAffines, type AffineSource } from './nifti/affine.js';
export { niftiSpatialShape, niftiFrameCount, niftiValueCount, type NiftiHeader, type NiftiExtension } from './nifti/header.js';
export { openNifti, readNiftiHeader, type NiftiStream, type NiftiStreamOptions, type VoxelBlock } from './nifti/stream.js';
export { readNifti, type NiftiImage } from './nifti/read.js';
export { writeNifti, serializeNifti, type NiftiWriteOptions } from './nifti/write.js';
export { niftiStats, type VoxelStats } from './nifti/stats.js';
export { gridSize, type Grid, type Volume } from './nifti/volume.js';
export { sameGrid, assertSameGrid, GridMismatchError } from './nifti/grid-check.js';
export { resampleNearest } from './nifti/resample.js';
export { readMask, read3dOnGrid, nonzeroIndices, voxelCoordinates, type Mask, type Roi, type TargetGrid, type OnGridOptions } from './nifti/mask.js';
export { readAtlas, selectRois, roisFromLabels, parseLabelTable, readLabelTable, type Atlas, type LabelEntry } from './nifti/atlas.js';
export { extractRoiPatterns, type RoiPatternOptions, type RoiPatterns, type RoiPatternResult } from './nifti/roi-patterns.js';

// encoding/ — voxel-wise ridge encoding models with cross-validated regularisation.
export { ridgeCv, ridgeFit, ridgePredict, logspace, defaultAlphas, type RidgeCvOptions, type RidgeModel, type RidgeCvResult } from './encoding/ridge.js';
export { kFolds, trainTestSplit, splitFromTest, type Split, type KFoldOptions } from './encoding/cross-validation.js';
export { voxelwiseEncoding, noiseCeilingFromNcsnr, r2Columns, type EncodingOptions, type EncodingResult } from './encoding/encoding.js';

// searchlight/ — searchlight RSA over a volume (rsatoolbox.util.searchlight).
export { searchlightRsa, getVolumeSearchlight, type Searchlights, type SearchlightShapeOptions, type SearchlightRsaOptions, type SearchlightRsaResult } from './searchlight/searchlight.js';
export { sphereOffsets, cubeOffsets, type Neighbourhood } from './searchlight/sphere.js';
