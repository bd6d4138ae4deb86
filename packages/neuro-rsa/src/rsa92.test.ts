import { dataDirForTests, readNpy } from '@conceptlab/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRdms } from './compare.js';
import { noiseCeiling } from './noise-ceiling.js';
import { meanRdm, rdmFromMatrix, type Rdm } from './rdm.js';

const data = dataDirForTests(__dirname, 'rsa92 (92-image human-IT and model RDMs)');

// Independently computed with numpy 2.4 / scipy 1.17: subject RDM = mean of its 2 sessions,
// score = mean over the 4 subjects of spearmanr(model upper triangle, subject upper triangle);
// noise ceiling with the plain mean as the group RDM (leave-one-subject-out for the lower bound).
const EXPECTED_SPEARMAN: Record<string, number> = {
  animacy: 0.3862196729253393,
  FaceBodyManmadeNatobj: 0.2765962820691614,
  monkeyIT: 0.2963244469957095,
  EVA: 0.24538912984238687,
  HMAX: 0.1598684211034609,
  V1: 0.026513581689904708,
  Silhouette: 0.09657034963302907,
  RADON: 0.03809385769975417,
};
const EXPECTED_CEILING = { lower: 0.37856374906211765, upper: 0.6606844084712746 };

function rdmsOf(file: string): Rdm[] {
  const arr = readNpy(file);
  const n = arr.shape[arr.shape.length - 1]!;
  const count = arr.data.length / (n * n);
  const out: Rdm[] = [];
  for (let k = 0; k < count; k++) {
    out.push(rdmFromMatrix({ rows: n, cols: n, data: (arr.data as Float64Array).subarray(k * n * n, (k + 1) * n * n) }));
  }
  return out;
}

(data ? test : test.skip)('rsa92: model Spearman scores and the noise ceiling match numpy/scipy within 1e-9', () => {
  const dir = join(data!, 'rsa92');
  const names = (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { 'model_rdms.npy': { names: string[] } })['model_rdms.npy'].names;
  const sessions = rdmsOf(join(dir, 'brain_rdms.npy')); // (4, 2, 92, 92) → 8 RDMs, subject-major
  expect(sessions).toHaveLength(8);
  const subjects = [0, 1, 2, 3].map((s) => meanRdm([sessions[2 * s]!, sessions[2 * s + 1]!]));
  const models = rdmsOf(join(dir, 'model_rdms.npy'));
  expect(models).toHaveLength(names.length);
  expect(subjects[0]!.vector.length).toBe(4186);

  models.forEach((model, i) => {
    const score = subjects.reduce((s, subj) => s + compareRdms(model, subj, 'spearman'), 0) / subjects.length;
    expect(Math.abs(score - EXPECTED_SPEARMAN[names[i]!]!)).toBeLessThanOrEqual(1e-9);
  });
  const nc = noiseCeiling(subjects, 'spearman');
  expect(Math.abs(nc.lower - EXPECTED_CEILING.lower)).toBeLessThanOrEqual(1e-9);
  expect(Math.abs(nc.upper - EXPECTED_CEILING.upper)).toBeLessThanOrEqual(1e-9);
});
