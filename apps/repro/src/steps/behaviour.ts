import { join } from 'node:path';
import { readNoiseCeilingTsv, readTripletText } from '@conceptlab/core';
import { agreement, noiseCeiling } from '@conceptlab/triplet-sampler';
import { checkClose, type Check } from '../check.js';

/** Step 1: the human noise ceiling of the THINGS noise-ceiling triplets (the paper: 67.22 ± 1.04). */
export function humanNoiseCeiling(dataDir: string): { percent: number; ci95: number; sets: number; answers: number; checks: Check[] } {
  const trials = readNoiseCeilingTsv(join(dataDir, 'things', 'human_noise_ceiling_triplets.tsv'), { nObjects: 1854 });
  const nc = noiseCeiling(trials.answered);
  return {
    percent: nc.percent,
    ci95: nc.ci95,
    sets: nc.sets,
    answers: nc.answers,
    checks: [
      checkClose('human noise ceiling (%)', nc.percent, 67.22, 0.005, 'Du et al. 2025 / Hebart et al. 2020: 67.22'),
      checkClose('its 95% CI half-width (%)', nc.ci95, 1.04, 0.005, 'Du et al. 2025: ± 1.04'),
    ],
  };
}

/** Step 2: agreement of gpt-3.5-turbo with people on the 2,171 shared triplets (the paper: about 35%). */
export function llmAgreement(dataDir: string): { percent: number; agree: number; total: number; checks: Check[] } {
  const dir = join(dataDir, 'llm-triplets');
  const humans = readTripletText(join(dir, '2171trials_humans.txt'));
  const gpt = readTripletText(join(dir, '2171trials_gpt-3.5-turbo.txt'));
  const a = agreement(humans, gpt);
  return {
    percent: 100 * a.fraction,
    agree: a.agree,
    total: a.total,
    checks: [
      checkClose('gpt-3.5-turbo agrees with people (%)', 100 * a.fraction, 35, 1, 'Du et al. 2025: about 35%'),
      checkClose('… sets on which they agree', a.agree, 754, 0, 'independent count (numpy): 754 of 2,171'),
    ],
  };
}
