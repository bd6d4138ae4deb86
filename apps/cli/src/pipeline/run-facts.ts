import type { ReportFacts } from '@conceptlab/interpret-dims';
import type { RunConfig } from './run-config.js';
import type { CategoryComparison, HumanComparison } from './compare-stage.js';
import type { R48Result } from './run-pipeline.js';

/** The numbers of a run that the report shows before its dimensions. */
export interface RunHeadline {
  /** `method`/`heldOut`/`rounds`: the adaptive design (ours), absent for a uniform design or a design file. */
  readonly design: {
    readonly objects: number;
    readonly train: number;
    readonly validation: number;
    readonly method?: string;
    readonly heldOut?: string;
    readonly rounds?: readonly { readonly round: number; readonly askedSoFar: number; readonly fit: { readonly trainedOn: number; readonly heldOutAccuracy: number } | null }[];
  };
  readonly annotation: { readonly answered: number; readonly unparsed: number; readonly total: number };
  readonly fit: readonly { readonly seed: number; readonly dims: number; readonly valAccuracy: number | null }[];
  readonly merged: { readonly dims: number; readonly pooled: number; readonly afterPruning: number; readonly reproducibility: string };
  readonly heldOut: { readonly accuracy: number; readonly ci95: number; readonly ciMethod: string; readonly binomialCi95: number; readonly count: number; readonly objectsSeen: number };
  readonly refit?: { readonly epochs: number; readonly accuracy: number; readonly ci95: number };
  readonly categories?: CategoryComparison;
  readonly human?: HumanComparison;
  readonly r48?: R48Result;
}

/** Every leaf of the config as `a.b.c` → value (arrays joined with commas). */
export function flattenConfig(value: unknown, prefix = ''): [string, string][] {
  if (Array.isArray(value)) return [[prefix, value.join(', ')]];
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => flattenConfig(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, String(value)]];
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** The report's first tables: the headline numbers, then every parameter of the run (conceptlab.config.json). */
export function runFacts(config: RunConfig, h: RunHeadline): ReportFacts[] {
  const rows: [string, string][] = [
    ['held-out odd-one-out accuracy', `${pct(h.heldOut.accuracy)} ± ${pct(h.heldOut.ci95)} (95% CI, the paper's: 1.96·SD over ${h.heldOut.objectsSeen} objects' accuracies / √${h.heldOut.objectsSeen}; ${h.heldOut.count} validation triplets; chance 33.33%)`],
    ['… binomial 95% CI over triplets', `± ${pct(h.heldOut.binomialCi95)}`],
    ...(h.refit ? [['held-out accuracy after a refit (ours)', `${pct(h.refit.accuracy)} ± ${pct(h.refit.ci95)}: the merged embedding refitted for ${h.refit.epochs} epochs, dims fixed (embedding-refit.npy); the analyses below use the merged embedding, as the paper`] as [string, string]] : []),
    ['dimensions', `${h.merged.dims} (${h.fit.length} seeds: ${h.merged.pooled} pooled, ${h.merged.afterPruning} after pruning; top k by reproducibility, method ${h.merged.reproducibility})`],
    ['single seeds', h.fit.map((f) => `seed ${f.seed}: ${f.dims} dims, ${f.valAccuracy === null ? 'n/a' : pct(f.valAccuracy)}`).join('; ')],
    ['triplets', `${h.design.train} train + ${h.design.validation} validation over ${h.design.objects} objects; ${h.annotation.answered} answered, ${h.annotation.unparsed} unreadable replies`],
  ];
  if (h.design.method) {
    rows.push(['design', `${h.design.method}; every held-out number above is on ${h.design.heldOut ?? 'the validation set'}`]);
    const curve = (h.design.rounds ?? []).filter((r) => r.fit !== null).map((r) => `round ${r.round}: ${pct(r.fit!.heldOutAccuracy)} after ${r.fit!.trainedOn} training triplets`);
    if (curve.length > 0) rows.push(['design: held-out accuracy of each round\'s fit (member 0)', curve.join('; ')]);
  }
  if (h.categories) {
    rows.push(['RSA with the category model', `Spearman ${h.categories.spearman.toFixed(3)}, tau-a ${h.categories.tauA.toFixed(3)} (${h.categories.objects} objects, ${h.categories.categories} categories; mean similarity within ${h.categories.meanWithin.toFixed(3)} vs between ${h.categories.meanBetween.toFixed(3)})`]);
  }
  if (h.r48) {
    const q = h.r48;
    const ci = q.ci ? ` [${q.ci.low.toFixed(3)}, ${q.ci.high.toFixed(3)}] (95% CI: ${q.ci.method === 'paper' ? "the authors' tanh(atanh r ± 1.96·SD of bootstrap z)" : q.ci.method}, ${q.ci.bootstrap} pair bootstraps)` : ' (no CI)';
    rows.push(['r48: predicted vs measured similarity of the 48 objects', `r = ${q.r.toFixed(3)}${ci}; ${q.pairs} pairs, ${q.answered} answered 48-design triplets (${q.removed} of ${q.drawn} drawn removed as sets of the run's design), ${q.unmeasuredPairs} pairs never shown together`]);
    const shown = q.curve.filter((p, i) => i === 0 || (p.dims % 10 === 0) || i === q.curve.length - 1);
    rows.push(['r48 by dimensions retained (first d dims)', shown.map((p) => `${p.dims}: ${p.r === null ? 'n/a' : p.r.toFixed(3)}`).join(', ')]);
  }
  if (h.human) rows.push(['RSA with the human reference', `Pearson ${h.human.pearson.toFixed(3)}, Spearman ${h.human.spearman.toFixed(3)} (${h.human.file}, ${h.human.kind})`]);
  return [
    { title: 'Headline numbers', rows },
    { title: 'Run parameters (conceptlab.config.json)', rows: flattenConfig(config) },
  ];
}
