/// <reference types="node" preserve="true" />
/**
 * @conceptlab/native-blas — an opt-in accelerator: X·Xᵀ from the system's BLAS (OpenBLAS or any CBLAS, opened at
 * run time by a tiny N-API addon that links none), e.g. as neuro-rsa's Gram provider for the euclidean RDM.
 * Everything exported here is the package's public API.
 */

// Loading a BLAS and what it computes
export { loadNativeBlas, type NativeBlas, type BlasInfo, type LoadNativeBlasOptions } from './load.js';
export { DEFAULT_BLAS_LIBRARIES, blasCandidates } from './libraries.js';
export type { CoreTypeOption, CoreTypeChoice } from './core-type.js';
export { checkGramInput } from './gram-input.js';

// Errors
export { NativeBlasUnavailableError } from './errors.js';
