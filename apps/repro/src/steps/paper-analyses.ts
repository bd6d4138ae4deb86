import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadThingsDirectory, readNoiseCeilingTsv, readNpy, readNpyMatrix, type Matrix, type Triplets } from '@conceptlab/core';
import { classificationSet, dimensionCorrespondence, nearestCentroidLoo, shuffledLabelChance } from '@conceptlab/interpret-dims';
import { accuracyCi, evaluateTriplets, humanConsistency, r48 } from '@conceptlab/spose-embed';
import { measuredSimilarity, measuredSimilarityHalves } from '@conceptlab/triplet-sampler';
import { checkClose, type Check } from '../check.js';
import { referenceFile, reproReference } from '../reference.js';

/** Reference values of apps/repro/reference/simulated48.py (numpy only), and its answered 48-object designs. */
interface Simulated48Reference {
  readonly objects48: readonly number[];
  readonly r48: { readonly r: number; readonly ciLow: number; readonly ciHigh: number; readonly pairs: number; readonly unmeasured: number };
  readonly consistency: { readonly rho: number; readonly rModelHuman: number; readonly rModelModel: number; readonly rHumanHuman: number; readonly rhoCiLow: number; readonly rhoCiHigh: number };
  readonly correspondence: { readonly si: readonly number[]; readonly adaptedDiagonal: readonly number[]; readonly nonZero: number; readonly nonZeroRows: number; readonly shared: number };
}

function answersFixture(name: string): Triplets {
  const a = readNpy(referenceFile(name));
  return { count: a.shape[0]!, data: Int32Array.from(a.data as ArrayLike<number>) };
}

/** What steps 6 and 7 measured, each number with the method that produced it. */
export interface PaperAnalysesResult {
  readonly categories: { readonly names: readonly string[]; readonly objects: number; readonly accuracy: number; readonly chance: number; readonly chanceLow: number; readonly chanceHigh: number; readonly chanceMethod: string; readonly expectedChance: number };
  readonly heldOut: { readonly accuracy: number; readonly ci95: number; readonly ciMethod: string; readonly objectsSeen: number };
  readonly r48: { readonly r: number; readonly low: number; readonly high: number; readonly method: string };
  readonly consistency: { readonly rho: number; readonly low: number; readonly high: number; readonly rModelHuman: number; readonly rModelModel: number; readonly rHumanHuman: number };
  readonly correspondence: { readonly matches: number; readonly rowsMatched: number; readonly shared: number; readonly method: string };
  readonly checks: Check[];
}

/**
 * Steps 6–7: the paper's other analyses on the real THINGS data and on 48-object designs answered by numpy,
 * each compared with a value computed outside conceptlab (apps/repro/reference/*.py):
 * - the 18-category leave-one-out classification of the human VICE embedding and the authors' chance level
 *   (labels shuffled against fixed predictions: compared with its exact expectation, within 4 Monte-Carlo SE);
 * - the paper's held-out accuracy CI (per-object SD) of that embedding on the real noise-ceiling triplets;
 * - r48 of the VICE embedding on a numpy-answered 48-object design, with the authors' Fisher-z CI;
 * - human consistency ρ of a degraded model against that design's answers;
 * - the authors' dimension correspondence of the VICE embedding with a derived model embedding.
 */
export function paperAnalyses(dataDir: string): PaperAnalysesResult {
  const ref = reproReference();
  const sim = JSON.parse(readFileSync(referenceFile('simulated48.json'), 'utf8')) as Simulated48Reference;
  const E = readNpyMatrix(join(dataDir, 'things', 'human_embedding_vice42.npy'));
  const n = E.rows;
  const checks: Check[] = [];

  // 6a. Categories.
  const things = loadThingsDirectory(join(dataDir, 'things'));
  const set = classificationSet(things.categories!);
  const cls = nearestCentroidLoo(E, set.objects, set.labels, set.names.length);
  const chance = shuffledLabelChance(cls.predicted, set.labels, { permutations: 1000, seed: 0 });
  const cref = ref.categories;
  const se = cref.chance_numpy_shuffles.sd / Math.sqrt(1000);
  checks.push(
    checkClose('VICE 18-category leave-one-out accuracy (%)', 100 * cls.accuracy, cref.accuracy_percent, 1e-9, `numpy (reference/repro_reference.py), ${cref.objects} objects; the authors' category set`),
    checkClose("… the authors' chance level: labels shuffled against fixed predictions (%)", 100 * chance.mean, cref.chance_exact_percent, 4 * se, `numpy: exact expectation Σ n_c·m_c / N²; tolerance 4 SE of 1,000 shuffles (SD ${cref.chance_numpy_shuffles.sd.toFixed(3)})`),
  );

  // 6b. Held-out accuracy with the paper's CI.
  const nc = readNoiseCeilingTsv(join(dataDir, 'things', 'human_noise_ceiling_triplets.tsv'), { nObjects: n }).answered;
  const ev = evaluateTriplets(E, nc, { seed: 0 });
  const ci = accuracyCi(nc, ev.correct, n);
  checks.push(checkClose("generating embedding: the paper's accuracy CI, 1.96·SD(per-object)/√objects (%)", 100 * ci.paper.halfWidth, ref.nc_accuracy.paper_ci95_seen_objects, 1e-9, `numpy, over the ${ref.nc_accuracy.objects_seen} objects in the triplets`));

  // 7a. r48 on a numpy-answered 48-object design.
  const obj48 = Int32Array.from(sim.objects48);
  const human = answersFixture('answers48_human.npy');
  const model = answersFixture('answers48_model.npy');
  const measured = measuredSimilarity(human, n, { objects: obj48 });
  const r = r48(E, obj48, measured.similarity, { bootstrap: 1000, seed: 2 });
  checks.push(
    checkClose('r48 of the VICE embedding on a 48-object design (20,000 answers)', r.r, sim.r48.r, 1e-9, 'numpy (reference/simulated48.py): measured and predicted ÷ 48 as the authors'),
    checkClose("… its 95% CI, lower (the authors' tanh(atanh r − 1.96·SD_z))", r.ci?.low ?? NaN, sim.r48.ciLow, 0.003, 'numpy, 1,000 pair bootstraps (another generator: Monte-Carlo tolerance)'),
    checkClose('… upper', r.ci?.high ?? NaN, sim.r48.ciHigh, 0.003, 'numpy, 1,000 pair bootstraps (another generator: Monte-Carlo tolerance)'),
  );

  // 7b. Human consistency of a degraded model (the VICE embedding's first 30 dims) with those answers.
  const halves = (t: Triplets) => {
    const h = measuredSimilarityHalves(t, n, { objects: obj48 });
    return { full: h.full.similarity, firstHalf: h.firstHalf.similarity, secondHalf: h.secondHalf.similarity };
  };
  const hc = humanConsistency(halves(model), halves(human), { bootstrap: 1000, seed: 2 });
  const cs = sim.consistency;
  checks.push(
    checkClose('human consistency ρ = r_mh/√(r_mm·r_hh) (48-object designs)', hc.rho, cs.rho, 1e-9, 'numpy (reference/simulated48.py), split halves in file order, no Spearman–Brown'),
    checkClose('… r_mh', hc.rModelHuman, cs.rModelHuman, 1e-9, 'numpy'),
    checkClose('… r_hh (split-half)', hc.rHumanHuman, cs.rHumanHuman, 1e-9, 'numpy'),
    checkClose("… ρ's CI, lower (the authors': r_mh's CI shifted by ρ − r_mh)", hc.rhoCi?.low ?? NaN, cs.rhoCiLow, 0.005, 'numpy, 1,000 pair bootstraps (Monte-Carlo tolerance)'),
  );

  // 7c. Dimension correspondence, the authors' procedure.
  const derived = derivedModel(E);
  const cor = dimensionCorrespondence(E, derived);
  const p = cor.paper!;
  let siSame = p.si.length === sim.correspondence.si.length ? 0 : 1;
  p.si.forEach((v, k) => { if (v !== sim.correspondence.si[k]) siSame++; });
  let diagDiff = 0;
  p.adaptedRaw.forEach((row, k) => { if (k < sim.correspondence.adaptedDiagonal.length) diagDiff = Math.max(diagDiff, Math.abs(row[k]! - sim.correspondence.adaptedDiagonal[k]!)); });
  const rowsMatched = new Set(p.matches.map((m) => m.a)).size;
  checks.push(
    checkClose('correspondence: model dims reordered (si) as the authors, positions that differ', siSame, 0, 0, 'numpy port of draw_figure5d (reference/simulated48.py)'),
    checkClose('… max |Cadapt diagonal − numpy|', diagDiff, 0, 1e-9, 'numpy'),
    checkClose('… matches ≥ 0.4 (at most 2 per human dim)', p.matches.length, sim.correspondence.nonZero, 0, 'numpy'),
    checkClose('… shared dims at 0.2 (first free, the authors\' figure 5e)', cor.shared.counts.shared, sim.correspondence.shared, 0, 'numpy'),
  );

  return {
    categories: { names: set.names, objects: set.objects.length, accuracy: cls.accuracy, chance: chance.mean, chanceLow: chance.lower, chanceHigh: chance.upper, chanceMethod: chance.method, expectedChance: chance.expected },
    heldOut: { accuracy: ev.accuracy, ci95: ci.paper.halfWidth, ciMethod: ci.paper.method, objectsSeen: ci.paper.objectsSeen },
    r48: { r: r.r, low: r.ci?.low ?? NaN, high: r.ci?.high ?? NaN, method: r.method.ci },
    consistency: { rho: hc.rho, low: hc.rhoCi?.low ?? NaN, high: hc.rhoCi?.high ?? NaN, rModelHuman: hc.rModelHuman, rModelModel: hc.rModelModel, rHumanHuman: hc.rHumanHuman },
    correspondence: { matches: p.matches.length, rowsMatched, shared: cor.shared.counts.shared, method: cor.method },
    checks,
  };
}

/**
 * The derived model of reference/simulated48.py, built without random numbers: with p(d) = 5d mod 42, columns
 * d < 36 are VICE column p(d); columns 36 + e are VICE columns p(e) + p(e + 6); plus 0.1·sin(1.3 i + 0.7 d),
 * clipped at 0.
 */
function derivedModel(E: Matrix<Float32Array | Float64Array>): Matrix<Float64Array> {
  const n = E.rows, D = E.cols;
  const p = (d: number) => (5 * d) % 42;
  const out = new Float64Array(n * 42);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < 42; d++) {
      const base = d < 36 ? E.data[i * D + p(d)]! : E.data[i * D + p(d - 36)]! + E.data[i * D + p(d - 30)]!;
      out[i * 42 + d] = Math.max(0, base + 0.1 * Math.sin(1.3 * i + 0.7 * d));
    }
  }
  return { rows: n, cols: 42, data: out };
}
