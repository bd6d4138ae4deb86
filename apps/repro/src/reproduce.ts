import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProgressListener } from '@conceptlab/core';
import type { Check } from './check.js';
import { SCALES, type ReproScale } from './scale.js';
import { humanNoiseCeiling, llmAgreement } from './steps/behaviour.js';
import { simulatedLlm, type SimulatedLlmResult } from './steps/simulated-llm.js';
import { brainRsa, type BrainResult } from './steps/brain.js';
import { paperAnalyses, type PaperAnalysesResult } from './steps/paper-analyses.js';
import { writeReproReport } from './report.js';
import { checkDataDir } from './data-files.js';

export interface ReproOptions {
  /** The reference data directory (holding things/, llm-triplets/, rsa92/). */
  readonly dataDir: string;
  readonly outDir: string;
  readonly scale?: ReproScale | ReproScale['name'];
  readonly onProgress?: ProgressListener;
  /** Called as each step finishes, with its checks. */
  readonly onStep?: (step: string, checks: readonly Check[]) => void;
}

export interface ReproResult {
  readonly dataDir: string;
  readonly finishedAt: string;
  readonly seconds: number;
  readonly passed: boolean;
  readonly checks: readonly Check[];
  readonly noiseCeiling: Omit<ReturnType<typeof humanNoiseCeiling>, 'checks'>;
  readonly agreement: Omit<ReturnType<typeof llmAgreement>, 'checks'>;
  readonly simulated: Omit<SimulatedLlmResult, 'checks'>;
  readonly brain: Omit<BrainResult, 'checks'>;
  readonly analyses: Omit<PaperAnalysesResult, 'checks'>;
  readonly files: { readonly json: string; readonly html: string };
}

/** The paper's central analyses on real data, each number checked against its reference; writes results.json and report.html. */
export async function reproduce(options: ReproOptions): Promise<ReproResult> {
  const t0 = performance.now();
  const scale = typeof options.scale === 'object' ? options.scale : SCALES[options.scale ?? 'ci'];
  const dataDir = resolve(options.dataDir);
  const outDir = resolve(options.outDir);
  // Every input file checked before any work or output (a missing rsa92/ used to fail after the first steps).
  checkDataDir(dataDir);
  mkdirSync(outDir, { recursive: true });
  const step = <T extends { checks: Check[] }>(name: string, r: T): T => {
    options.onStep?.(name, r.checks);
    return r;
  };
  const { checks: c1, ...noiseCeiling } = step('1. human noise ceiling', humanNoiseCeiling(dataDir));
  const { checks: c2, ...agreement } = step('2. gpt-3.5-turbo vs people', llmAgreement(dataDir));
  const { checks: c3, ...simulated } = step('3–4. simulated LLM → SPoSE → merge → similarity', await simulatedLlm(dataDir, outDir, scale, options.onProgress));
  const { checks: c5, ...brain } = step('5. brain RSA (92 images, human IT)', brainRsa(dataDir, scale.bootstrap));
  const { checks: c6, ...analyses } = step('6–7. categories, accuracy CI, r48, human consistency, correspondence', paperAnalyses(dataDir));
  const checks = [...c1, ...c2, ...c3, ...c5, ...c6];
  const partial = {
    dataDir,
    finishedAt: new Date().toISOString(),
    seconds: (performance.now() - t0) / 1000,
    passed: checks.every((c) => c.pass),
    checks,
    noiseCeiling,
    agreement,
    simulated,
    brain,
    analyses,
    files: { json: resolve(outDir, 'results.json'), html: resolve(outDir, 'report.html') },
  };
  writeReproReport(outDir, partial);
  return partial;
}
