import { join } from 'node:path';
import type { ProgressListener } from '@conceptlab/core';
import type { CpuKernel } from './cpu-engine.js';
import { createCpuEngine } from './cpu-engine.js';
import { pruneAndSort, writeEmbedding, DEFAULT_PRUNE_THRESHOLD, type ExportMethod, type SposeEmbedding } from './export.js';
import { fitSpose, type EngineFactory, type FitOptions, type FitResult } from './fit.js';
import type { TfjsBackendPreference } from './tfjs-backend.js';

/** Which engine fits a run. Plain data, so a job can cross a worker boundary. */
export interface EngineChoice {
  readonly engine?: 'cpu' | 'tfjs';
  /** CPU engine kernel (default: the fastest available). */
  readonly kernel?: CpuKernel;
  /** tfjs backend (default 'auto': tfjs-node-gpu, tfjs-node, wasm, cpu — the first that loads). */
  readonly tfjsBackend?: TfjsBackendPreference;
}

/**
 * One seed's job: the plain-data part of {@link FitOptions} (no engine factory, listener or signal), the
 * engine choice, and the export threshold — so a job can cross a worker boundary. With an outDir, the run's
 * directory also receives embedding.npy / embedding.txt when it is done (not when it diverged or kept no dimension).
 */
export type SeedJob = Omit<FitOptions, 'createEngine' | 'onProgress' | 'signal'> &
  EngineChoice & {
    /** Export threshold: dims whose max weight is ≤ this are dropped (default 0.1). */
    readonly pruneThreshold?: number;
    /** Export order and sign (default 'reference': Σ|w| order, |w| values; see ExportMethod). */
    readonly exportMethod?: ExportMethod;
  };

/** A finished seed: the fit and its exported (pruned, sorted, non-negative: |w| by default) embedding. */
export interface SeedResult {
  readonly seed: number;
  readonly fit: FitResult;
  /** float32 ({@link SposeEmbedding}). */
  readonly embedding: SposeEmbedding;
  /** Files written for the embedding (empty without outDir, and when the fit diverged or kept no dimension). */
  readonly files: string[];
}

/** The engine factory for a choice (loads a tfjs backend first when asked for). */
export async function engineFactory(choice: EngineChoice): Promise<{ factory: EngineFactory; name: string }> {
  if (choice.engine === 'tfjs') {
    const { selectTfjsBackend } = await import('./tfjs-backend.js');
    const { createTfjsEngine } = await import('./tfjs-engine.js');
    const sel = await selectTfjsBackend(choice.tfjsBackend ?? 'auto');
    return { factory: (h, init) => createTfjsEngine(h, init, { tf: sel.tf, backend: sel.backend }), name: `tfjs-${sel.backend}` };
  }
  const kernel = choice.kernel;
  return { factory: (h, init) => createCpuEngine(h, init, kernel ? { kernel } : {}), name: `cpu${kernel ? `-${kernel}` : ''}` };
}

/** The embedding file base name inside a run directory (`embedding.npy`, `embedding.txt`). */
export const EMBEDDING_BASENAME = 'embedding';

/** Fit one seed in this thread, then export its embedding (and write it when the job has an outDir). */
export async function runSeed(job: SeedJob, onProgress?: ProgressListener, signal?: AbortSignal): Promise<SeedResult> {
  const { factory } = await engineFactory(job);
  const { engine: _engine, kernel: _kernel, tfjsBackend: _backend, pruneThreshold, exportMethod, ...fitOptions } = job;
  const options: FitOptions = { ...fitOptions, createEngine: factory, onProgress, signal };
  const fit = await fitSpose(options);
  const embedding = pruneAndSort(fit.weights, fit.nObjects, fit.dims, { threshold: pruneThreshold ?? DEFAULT_PRUNE_THRESHOLD, method: exportMethod });
  // A diverged run, or one whose every dimension was pruned, has no embedding to write (an (n, 0) file would
  // look like a result): `files` stays empty and the caller reports it.
  const usable = fit.stopReason !== 'diverged' && embedding.cols > 0;
  const files = job.outDir && usable ? writeEmbedding(join(job.outDir, EMBEDDING_BASENAME), embedding) : [];
  return { seed: job.seed, fit, embedding, files };
}
