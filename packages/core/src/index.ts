/**
 * @conceptlab/core — the shared vocabulary of conceptlab.
 * Everything exported here is the package's public API.
 */
export {
  ConceptlabError,
  FileError,
  InvalidArgumentError,
  ParseError,
  ShapeError,
  isConceptlabError,
  type SourceLocation,
} from './errors.js';
export { MissingPeerDependencyError, importOptionalPeer, isModuleNotFound } from './optional-peer.js';
export {
  createMatrix,
  matrixFromRows,
  matrixGet,
  matrixRow,
  matrixToRows,
  toFloat32Matrix,
  toFloat64Matrix,
  transpose,
  type Matrix,
  type NumericArray,
} from './matrix.js';
export {
  assertValidTriplets,
  concatTriplets,
  countObjects,
  createTriplets,
  findTripletProblem,
  selectTriplets,
  tripletAt,
  tripletsToRows,
  type TripletProblem,
  type Triplets,
} from './triplets.js';
export { createRng, type Rng } from './prng.js';
export {
  createProgress,
  type ProgressEvent,
  type ProgressListener,
  type ProgressOptions,
  type ProgressReporter,
} from './progress.js';
export { readFileBytes, readFileText, writeFileAtomic } from './io/files.js';
export {
  NPY_DTYPES,
  formatShape,
  matrixFromNdArray,
  ndarrayFromMatrix,
  parseNpy,
  parseNpyHeader,
  readNpy,
  readNpyMatrix,
  serializeNpy,
  writeNpy,
  writeNpyMatrix,
  type NdArray,
  type NpyDtype,
  type NpyHeader,
  type NpyTypedArray,
  type NpyWriteOptions,
} from './io/npy.js';
export {
  contentLines,
  parseDelimited,
  parseIntegerToken,
  parseNumberToken,
  type DelimitedRecord,
} from './io/delimited.js';
export { formatMatrixText, parseMatrixText, readMatrixText, writeMatrixText } from './io/matrix-text.js';
export {
  formatTripletText,
  parseTripletText,
  readTripletText,
  writeTripletText,
  type TripletTextOptions,
} from './io/triplet-text.js';
export {
  parseNoiseCeilingTsv,
  readNoiseCeilingTsv,
  type NoiseCeilingTrials,
  type NoiseCeilingTsvOptions,
} from './io/noise-ceiling-tsv.js';
export {
  THINGS_FILES,
  conceptPrompt,
  loadThingsDirectory,
  parseCategoryTsv,
  parseConceptsTsv,
  readConceptColumn,
  type CategoryMatrix,
  type Concept,
  type ConceptSet,
} from './things.js';
export { findConceptImage, IMAGE_EXTENSIONS } from './concept-image.js';
export { parseShard, checkShard, inShard, shardRowCount, type Shard } from './shard.js';
export { dataDirForTests, locateDataDir } from './data-dir.js';
// The older shared numerics stay at the root for existing importers; the rest is `@conceptlab/core/stats`.
export { mean, sampleSd, matlabPrctile, fisherBootstrapCi, type FisherBootstrapCi } from './stats/index.js';
