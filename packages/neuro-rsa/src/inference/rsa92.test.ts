import { dataDirForTests, readNpy } from '@conceptlab/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRdms, type CompareMethod } from './compare.js';
import { rdmNoiseCeiling } from './noise-ceiling.js';
import { meanRdm, rdmFromMatrix, type Rdm } from '../rdm/rdm.js';

const data = dataDirForTests(__dirname, 'rsa92 (92-image human-IT and model RDMs)');

// Independently computed with numpy 2.4 / scipy 1.17 (script written from rsatoolbox's definitions):
// subject RDM = mean of its 2 sessions; values[model][subject] = compare(model, subject) with
// corr = Pearson r, spearman = Pearson r of rankdata ranks, tau-a = Σ sign(Δx)·sign(Δy) over all pairs
// / (m(m−1)/2) by brute force, corr_cov / cosine_cov = a literal port of rsatoolbox's _cov_weighting +
// _cosine. Noise ceiling = boot_noise_ceiling: lower = mean_s compare(pool(others), s), upper =
// mean_s compare(pool(all), s), pool = rsatoolbox's pool_rdm (ranks for spearman/tau-a; z-score, mean,
// minus min for corr/corr_cov; divide by RMS for cosine_cov) or, for meanLower/meanUpper, the plain mean.
const REF: Partial<Record<CompareMethod, { values: number[][]; lower: number; upper: number; meanLower: number; meanUpper: number }>> = {
'corr': { values: [[0.4198915514028318, 0.2538554158897012, 0.5791738973459006, 0.29564721790135573], [0.32334625096924685, 0.2000024614270926, 0.38233610913439053, 0.2207703114429825], [0.403742033961218, 0.2618168713091562, 0.38258879401173446, 0.28600139461774243], [0.23050934236936818, 0.38428180162960446, 0.10342068915930372, 0.3181540285458715], [0.25378807145384386, 0.073476157225432, 0.08396950552475493, 0.19707023648598085], [0.13177246842981524, -0.06997411257516298, 0.11823514664110145, -0.08003555478970142], [0.16069320240501717, 0.12218544111006015, -0.008973829856758557, 0.18965273501214427], [0.03671056898136462, -0.050104545865928954, 0.11286562995467464, 0.046629893901925276]], lower: 0.39440993705982536, upper: 0.6804132264274563, meanLower: 0.3951544048528682, meanUpper: 0.6796024516298214 },
'tau-a': { values: [[0.23883012214008006, 0.14339452039311787, 0.34224772681995685, 0.16764009975791183], [0.1533528442364347, 0.09486054955900679, 0.19641976640574116, 0.10302727245223739], [0.23546177992180797, 0.14810510771240085, 0.2758939880959516, 0.14399503151256307], [0.14514913168489607, 0.25171599477349826, 0.061428520054046004, 0.20616836801970043], [0.1663258252318561, 0.06208839729176335, 0.0655890574544151, 0.13503485761550277], [0.09193893738073261, -0.03326751685797969, 0.07483236206938872, -0.06179738914661776], [0.08786619333603905, 0.07928219513072247, -0.014923043815049426, 0.1065247359777514], [0.03780343079080807, -0.04187149404540709, 0.09091099020972794, 0.016659959436958034]], lower: 0.25394387961007875, upper: 0.4766544166964924, meanLower: 0.2584976033783888, meanUpper: 0.47607987825379133 },
'spearman': { values: [[0.4135841381029742, 0.24831750114467674, 0.592673276914008, 0.29030377553969844], [0.30980384217073076, 0.19163754589187496, 0.3968077580416893, 0.2081359821723506], [0.34451088545005254, 0.21980473609310625, 0.4090123825816586, 0.21196978385802054], [0.2162011717399676, 0.36868873999474205, 0.09207041605186092, 0.304596191582977], [0.24553995162814768, 0.09476303961864897, 0.09848276106484148, 0.2006879321022054], [0.13976524494408954, -0.05076962734823721, 0.10943078654503668, -0.09237207738127019], [0.1309999308601792, 0.11861136737278274, -0.021797114528359883, 0.15846721482751416], [0.05671274492297172, -0.06259625193823311, 0.13291091154886775, 0.025348026265410297]], lower: 0.3723132509024721, upper: 0.6657209044705086, meanLower: 0.37856374906211765, meanUpper: 0.6606844084712746 },
'corr_cov': { values: [[0.44038961130799004, 0.27550072296619094, 0.6196067747299288, 0.37711229980098265], [0.3401620616341818, 0.21894139671007257, 0.4084916167709735, 0.28082565451124375], [0.42829330613396194, 0.25898377829947733, 0.4451179670580405, 0.3298939327726764], [0.2944105372099319, 0.4083652847855466, 0.19240962073486553, 0.22427518726074575], [0.24457421613021665, 0.08392352741009786, 0.16851682296362674, 0.1265959404389827], [0.17981228586502968, 0.060237963124361596, 0.09456342763874202, 0.1072230824722271], [0.21059490287118732, 0.1318593919184776, 0.11071247309692768, 0.15092039783564495], [0.04855086204986916, 0.037264691922496596, 0.04486284508488642, 0.03070372350946522]], lower: 0.42976860364046143, upper: 0.6957787603875851, meanLower: 0.4301060844354413, meanUpper: 0.694041462008005 },
'cosine_cov': { values: [[0.41188353628729957, 0.2840592665815726, 0.5761233874775235, 0.3482375735873127], [0.37601135168887523, 0.2805789586980019, 0.43629122982140867, 0.32642707205812016], [0.6858990432641593, 0.5838405550012089, 0.653774346834643, 0.676793483855494], [0.6460361879054689, 0.667390910969649, 0.5516146615226177, 0.6731900488961488], [0.4380291240246406, 0.31272777597249807, 0.3608502495300156, 0.3756834008594539], [0.5372620644557783, 0.45299062206767277, 0.4435454562586328, 0.5408472858765208], [0.40158770942021327, 0.3358307370150132, 0.30561201837561985, 0.37774063321532453], [0.22114029670248836, 0.20511816178878803, 0.19936354630448394, 0.22598130773218894]], lower: 0.6646846718344648, upper: 0.8173191750568065, meanLower: 0.6643064539958373, meanUpper: 0.8170005701919651 },
};

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

describe('rsa92: 8 models × 4 subjects (sessions averaged)', () => {
  const dir = data ? join(data, 'rsa92') : '';
  const load = () => {
    const names = (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { 'model_rdms.npy': { names: string[] } })['model_rdms.npy'].names;
    const sessions = rdmsOf(join(dir, 'brain_rdms.npy')); // (4, 2, 92, 92) → 8 RDMs, subject-major
    const subjects = [0, 1, 2, 3].map((s) => meanRdm([sessions[2 * s]!, sessions[2 * s + 1]!]));
    return { names, sessions, subjects, models: rdmsOf(join(dir, 'model_rdms.npy')) };
  };
  (data ? test.each : test.skip.each)(Object.keys(REF) as CompareMethod[])('%s: values and noise ceiling match numpy within 1e-9', (method) => {
    const { names, sessions, subjects, models } = load();
    expect(sessions).toHaveLength(8);
    expect(models).toHaveLength(names.length);
    expect(subjects[0]!.vector.length).toBe(4186);
    const ref = REF[method]!;
    models.forEach((model, i) => {
      subjects.forEach((subj, s) => expect(Math.abs(compareRdms(model, subj, method) - ref.values[i]![s]!)).toBeLessThanOrEqual(1e-9));
    });
    const nc = rdmNoiseCeiling(subjects, method);
    expect(Math.abs(nc.lower - ref.lower)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(nc.upper - ref.upper)).toBeLessThanOrEqual(1e-9);
    const plain = rdmNoiseCeiling(subjects, method, { pooling: 'mean' });
    expect(Math.abs(plain.lower - ref.meanLower)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(plain.upper - ref.meanUpper)).toBeLessThanOrEqual(1e-9);
  });
});
