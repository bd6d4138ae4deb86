import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '@conceptlab/core';
import { evaluateModels, meanRdm, rdmFromMatrix, type CompareMethod, type Rdm } from '@conceptlab/neuro-rsa';
import { checkClose, type Check } from '../check.js';

/**
 * Reference values computed independently with numpy 2.4 / scipy 1.17 from the definitions: each subject's
 * RDM is the mean of its two sessions; a model's score is the mean over the 4 subjects of Kendall's tau-a
 * (Σ sign(dx)·sign(dy) over ordered pairs / (m(m−1))) or Pearson's r between upper triangles.
 */
export const RSA92_REFERENCE: Record<'tau-a' | 'corr', readonly number[]> = {
  'tau-a': [0.22302811727776664, 0.136915108163355, 0.20086397681068088, 0.16611550363303518, 0.10725953439838433, 0.01792659836138097, 0.06468752015736588, 0.02587572159802174],
  corr: [0.38714202063494724, 0.28161378324342834, 0.33353727347496287, 0.259091465426037, 0.15207599267250296, 0.024999486926513093, 0.11588938716761576, 0.036525386743008856],
};

/**
 * The noise ceiling of the 4 subject RDMs (rsatoolbox's boot_noise_ceiling without bootstrap, with pool_rdm's
 * per-method pooling), from a line-by-line numpy port of rsatoolbox's code.
 */
export const RSA92_NOISE_CEILING_REFERENCE: Record<'tau-a' | 'corr', { readonly lower: number; readonly upper: number }> = {
  'tau-a': { lower: 0.25394387961007875, upper: 0.4766544166964924 },
  corr: { lower: 0.39440993705982536, upper: 0.6804132264274563 },
};

export interface BrainModelScore {
  readonly model: string;
  readonly value: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly perSubject: readonly number[];
}

export interface BrainResult {
  readonly subjects: readonly string[];
  readonly methods: Record<string, { readonly models: readonly BrainModelScore[]; readonly noiseCeiling: { readonly lower: number; readonly upper: number } }>;
  readonly bootstrap: number;
  readonly checks: Check[];
}

function rdmsOf(file: string): Rdm[] {
  const a = readNpy(file);
  const n = a.shape[a.shape.length - 1]!;
  const data = a.data as Float64Array;
  return Array.from({ length: data.length / (n * n) }, (_, k) => rdmFromMatrix({ rows: n, cols: n, data: data.subarray(k * n * n, (k + 1) * n * n) }));
}

/**
 * Step 5: RSA of the 8 model RDMs with the 4 subjects' human-IT RDMs (Kriegeskorte et al. 2008, 92 images;
 * rsatoolbox's demo data): tau-a and Pearson r, with 95% bootstrap CIs over images and the noise ceiling.
 */
export function brainRsa(dataDir: string, bootstrap: number): BrainResult {
  const dir = join(dataDir, 'rsa92');
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { 'model_rdms.npy': { names: string[] }; 'brain_rdms.npy': { names: string[][] } };
  const sessions = rdmsOf(join(dir, 'brain_rdms.npy'));
  const subjects = [0, 1, 2, 3].map((s) => meanRdm([sessions[2 * s]!, sessions[2 * s + 1]!]));
  const models = rdmsOf(join(dir, 'model_rdms.npy'));
  const names = index['model_rdms.npy'].names;
  const checks: Check[] = [];
  const methods: BrainResult['methods'] = {};
  for (const method of ['tau-a', 'corr'] as const satisfies readonly CompareMethod[]) {
    // Bootstrap over images (rsatoolbox's eval_bootstrap_pattern), seed 1; the noise ceiling with pool_rdm pooling.
    const ev = evaluateModels(subjects, models, { method, bootstrap: { over: 'conditions', samples: bootstrap, seed: 1 }, noiseCeiling: true });
    const scores = models.map((_, i) => {
      checks.push(checkClose(`RSA ${method}: ${names[i]} vs human IT`, ev.mean[i]!, RSA92_REFERENCE[method][i]!, 1e-9, 'numpy/scipy from the definition'));
      return { model: names[i]!, value: ev.mean[i]!, ciLow: ev.bootstrap!.ciLow[i]!, ciHigh: ev.bootstrap!.ciHigh[i]!, perSubject: ev.values[i]! };
    });
    const nc = ev.noiseCeiling!;
    const ref = RSA92_NOISE_CEILING_REFERENCE[method];
    checks.push(checkClose(`noise ceiling ${method}, lower bound`, nc.lower, ref.lower, 1e-9, 'numpy port of rsatoolbox boot_noise_ceiling / pool_rdm'));
    checks.push(checkClose(`noise ceiling ${method}, upper bound`, nc.upper, ref.upper, 1e-9, 'numpy port of rsatoolbox boot_noise_ceiling / pool_rdm'));
    methods[method] = { models: scores, noiseCeiling: { lower: nc.lower, upper: nc.upper } };
  }
  return { subjects: index['brain_rdms.npy'].names.map((s) => s[0]!.replace(/ \| Session: 1$/, '')), methods, bootstrap, checks };
}
