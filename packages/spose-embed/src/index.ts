/// <reference types="node" preserve="true" />
/**
 * @conceptlab/spose-embed — SPoSE fitted to odd-one-out triplets, the paper's many-seed merge,
 * evaluation and predicted similarity. Everything exported here is the package's public API.
 */
export {
  DEFAULT_HYPER,
  checkHyperParams,
  LAMBDA_PRESETS,
  SIMILARITY_KINDS,
  type SposeHyperParams,
  type SimilarityKind,
  type PositivityKind,
  type TrainAccuracyTies,
  type LambdaPreset,
} from './config.js';
export type { TrainingEngine, EngineState, StepLoss } from './engine.js';
export { rowSimilarity } from './similarity.js';
export { initWeights, INIT_MEAN, INIT_SD } from './init.js';
export { createCpuEngine, defaultCpuKernel, type CpuEngine, type CpuEngineOptions, type CpuKernel } from './cpu-engine.js';
export { wasmKernelAvailable } from './kernels/dense-wasm.js';
/** The engine's inner kernels for tools/bench's timings only (not an API for pipelines; may change in any release). */
export { sposeBenchKernels } from './kernels/bench-kernels.js';
export {
  fitSpose,
  RESULTS_FILE,
  type FitOptions,
  type FitResult,
  type FitConfig,
  type FitSummary,
  type EpochRecord,
  type EngineFactory,
  type StopReason,
} from './fit.js';
export { CheckpointMismatchError, CHECKPOINT_FILE, CHECKPOINT_ARRAYS } from './checkpoint.js';
export {
  pruneAndSort,
  type SposeEmbedding,
  rankDimensions,
  countActiveDims,
  writeEmbedding,
  formatEmbeddingText,
  formatFloat32,
  DEFAULT_PRUNE_THRESHOLD,
  type PruneOptions,
  type ExportMethod,
  type DimensionRanking,
  type WriteEmbeddingOptions,
  type EmbeddingFormat,
} from './export.js';
export { checkEarlyStopping, resolveEarlyStopping, DEFAULT_EARLY_STOPPING, type EarlyStoppingOptions, type EarlyStoppingCheck } from './early-stopping.js';
export { checkPlateau, resolvePlateauStopping, DEFAULT_PLATEAU_STOPPING, type PlateauStoppingOptions, type PlateauCheck } from './plateau-stopping.js';
export { refitEmbedding, RefitDivergedError, DEFAULT_REFIT_EPOCHS, type RefitOptions, type RefitResult } from './refit.js';
export { lrScaleAt, resolveLrSchedule, describeLrSchedule, type LrSchedule, type ResolvedLrSchedule } from './lr-schedule.js';
export {
  resolveSchedule,
  SCHEDULE_NAMES,
  FAST_LR,
  FAST_LR_SCHEDULE,
  FAST_MIN_STEPS,
  FAST_MIN_EPOCHS,
  FAST_LARGE_BATCH_FROM,
  type Schedule,
  type ScheduleName,
} from './schedule.js';
export {
  selectLambda,
  LambdaSelectionError,
  LAMBDA_SELECTION_CRITERION,
  type SelectLambdaOptions,
  type LambdaSelection,
  type LambdaCandidate,
} from './select-lambda.js';
export { linearRegression, studentTCdf, studentTSf, studentTTwoSidedP, regularizedIncompleteBeta, type LinearRegression } from './stats/student-t.js';
export {
  selectTfjsBackend,
  currentTfjsBackend,
  resolveWasmDir,
  type TfModule,
  type TfjsBackendPreference,
  type TfjsBackendKind,
  type TfjsBackendSelection,
  type WasmFeatures,
} from './tfjs-backend.js';
export type { WebGpuAdapterFacts } from './webgpu-adapter.js';
export { createTfjsEngine, createTfjsEngineAsync, type TfjsEngine, type TfjsEngineOptions } from './tfjs-engine.js';
export { evaluateTriplets, type EvaluateOptions, type Evaluation } from './evaluate.js';
export {
  accuracyCi,
  perObjectAccuracy,
  PAPER_ACCURACY_CI_METHOD,
  BINOMIAL_ACCURACY_CI_METHOD,
  type AccuracyCis,
  type AccuracyInterval,
  type PaperAccuracyCi,
  type BinomialAccuracyCi,
} from './accuracy-ci.js';
export { accuracyChance, ACCURACY_CHANCE_METHOD, type AccuracyChance, type AccuracyChanceOptions } from './accuracy-chance.js';
export { predictedSimilarity, type PredictedSimilarityOptions } from './predicted-similarity.js';
export { mergeRuns, REPRODUCIBILITY_CI_METHOD, type MergeOptions, type MergedDim, type MergeResult, type ReproducibilityMethod } from './merge.js';
export { reproducibilityStats, type ReproducibilityStats, type ReproducibilityStatsOptions, type ReproducibilityRankTest, type DimReproducibility } from './reproducibility-stats.js';
export { compareSimilarity, type CompareSimilarityOptions, type SimilarityFit, type CorrelationCiMethod } from './similarity-fit.js';
export { dimsNeeded, type DimsNeeded, type DimsNeededOptions, type DimsNeededSummary } from './dims-needed.js';
export { dimsNeededPaper, type DimsNeededPaper, type DimsNeededPaperOptions, type DimsRange } from './dims-needed-paper.js';
export { r48, predictedSimilarity48, type R48, type R48Options, type R48Scale, type PredictedSimilarity48Options, type CorrelationCi } from './r48.js';
export { r48Curve, type R48Curve, type R48CurveOptions } from './r48-curve.js';
export { humanConsistency, type HumanConsistency, type HumanConsistencyOptions, type SimilarityHalves, type ConsistencyCiMethod, type Interval } from './human-consistency.js';
export { lowerTriangle } from './lower-triangle.js';
export { runSeed, engineFactory, EMBEDDING_BASENAME, type EngineChoice, type SeedJob, type SeedResult } from './run-seed.js';
export { fitSeeds, seedDir, readSeedOrder, SEEDS_FILE, WorkerError, type FitSeedsOptions } from './fit-seeds.js';
export { shardSeeds, shardFile, readShardRecords, type SeedShard, type ShardRecord } from './seed-shard.js';
