import { adamCoefficients, createAdamCoefficients } from '../adam.js';
import { adamDenseJs } from './dense-js.js';
import { createWasmArena } from './dense-wasm.js';
import { batchGradient, releaseRows } from './sparse-grad.js';

/**
 * The CPU engine's inner kernels, exported only so that `tools/bench` can time them one by one (the sparse
 * gradient pass, the dense Adam pass in JavaScript and in WebAssembly) through the package's public entry rather
 * than its internal files. Not an API for pipelines: use `createCpuEngine` / `fitSpose`; these
 * signatures follow the engine and may change in any release.
 */
export const sposeBenchKernels = {
  adamCoefficients,
  createAdamCoefficients,
  adamDenseJs,
  createWasmArena,
  batchGradient,
  releaseRows,
} as const;
