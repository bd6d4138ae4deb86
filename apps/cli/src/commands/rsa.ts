import { Option, type Command } from 'commander';
import { InvalidArgumentError, ParseError } from '@conceptlab/core';
import {
  COMPARE_METHODS,
  evaluateModels,
  meanRdm,
  readRdmFile,
  readRdmStack,
  type BootstrapOver,
  type CompareMethod,
  type NamedRdm,
} from '@conceptlab/neuro-rsa';
import { checkMemory, checkWork, floatOption, intOption } from '../options.js';
import { printResult, type Io } from '../output.js';

/** Kept for the commands that import it from here (the logic lives in @conceptlab/neuro-rsa). */
export { readRdmFile };

/**
 * The subject RDMs of a brain stack with two leading axes (subjects × sessions): the mean over
 * sessions for each subject, named `file[s]`.
 */
function averageSessions(file: string): NamedRdm[] {
  const st = readRdmStack(file);
  if (st.shape.length !== 2) {
    throw new ParseError({ file }, 'a stack with two leading axes (subjects, sessions, n, n) for --average-sessions', `leading axes (${st.shape.join(', ')})`);
  }
  const [subjects, sessions] = st.shape as [number, number];
  return Array.from({ length: subjects }, (_, s) => {
    const rdms = st.rdms.slice(s * sessions, (s + 1) * sessions);
    return { name: rdms[0]!.name.replace(/,\d+\]$/, ']'), rdm: meanRdm(rdms.map((r) => r.rdm)) };
  });
}

interface RsaOptions {
  model: string[];
  brain: string[];
  method: string;
  bootstrap?: number;
  bootstrapOver: BootstrapOver;
  seed: number;
  noiseCeiling?: boolean;
  normalize?: string;
  pooling: 'rsatoolbox' | 'mean';
  averageSessions?: boolean;
  compareModels?: boolean;
  fdr: number;
  json?: boolean;
}

export function registerRsa(program: Command, io: Io): void {
  program
    .command('rsa')
    .description('compare model RDMs with brain RDMs (rsatoolbox comparators); values[model][brain], optionally with bootstrap CIs, the noise ceiling and pairwise model tests')
    .requiredOption('--model <files...>', 'model RDM files: .npy (n, n) or a stack (…, n, n), or TSV/text (n×n blocks, optional header of condition names)')
    .requiredOption('--brain <files...>', 'brain RDM files (one per subject, or stacks)')
    .option('--method <method>', COMPARE_METHODS.join(' | '), 'spearman')
    .option('--average-sessions', 'each brain file is a (subjects, sessions, n, n) stack: one RDM per subject, the mean over its sessions')
    .option('--bootstrap <n>', 'a 95% percentile CI per model from n bootstrap resamples (mean over brain RDMs)', intOption('--bootstrap', 1))
    .addOption(new Option('--bootstrap-over <what>', 'resample conditions (images), subjects (brain RDMs) or both').choices(['conditions', 'subjects', 'both']).default('conditions'))
    .option('--seed <s>', 'bootstrap seed', intOption('--seed', 0), 0)
    .option('--noise-ceiling', 'also the noise ceiling of the brain RDMs (leave-one-out lower bound, all-subjects upper bound)')
    .addOption(new Option('--pooling <how>', "group RDM of the noise ceiling: rsatoolbox's pool_rdm or the plain mean").choices(['rsatoolbox', 'mean']).default('rsatoolbox'))
    .option('--compare-models', 'pairwise model differences with bootstrap CIs and two-sided p values, BH-FDR over pairs (needs --bootstrap)')
    .option('--fdr <q>', 'false discovery rate for --compare-models', floatOption('--fdr', (x) => x > 0 && x <= 1, 'a number in (0, 1]'), 0.05)
    .option('--normalize <by>', 'also the values (and CIs) divided by a noise ceiling: upper | lower (of the brain RDMs) | a number (e.g. a repeat-based ceiling)')
    .option('--json', 'print { method, models, brains, values, ci?, noiseCeiling?, normalized?, pairs? } as JSON')
    .action((o: RsaOptions, cmd: Command) => {
      if (!(COMPARE_METHODS as readonly string[]).includes(o.method)) throw new InvalidArgumentError('--method', COMPARE_METHODS.join(', '), o.method);
      if (o.compareModels && !o.bootstrap) cmd.error('error: --compare-models needs --bootstrap <n>', { exitCode: 2, code: 'conceptlab.usage' });
      const method = o.method as CompareMethod;
      const models = o.model.flatMap(readRdmFile);
      const brains = o.averageSessions ? o.brain.flatMap(averageSessions) : o.brain.flatMap(readRdmFile);
      const n = brains[0]!.rdm.n;
      for (const x of [...models, ...brains]) {
        if (x.rdm.n !== n) throw new InvalidArgumentError(x.name, `an RDM over ${n} conditions (as ${brains[0]!.name})`, `${x.rdm.n} conditions`);
      }
      // Two conditions make one pair: no correlation of RDMs is defined over it (it would print NaN).
      if (n < 3) throw new ParseError({ file: o.brain[0]! }, 'RDMs over at least 3 conditions (2 pairs to correlate)', `${n} conditions`);
      if (o.compareModels && models.length < 2) throw new InvalidArgumentError('--model', 'at least 2 model RDMs for --compare-models', models.length);
      const by = o.normalize;
      if (by !== undefined && by !== 'upper' && by !== 'lower' && !(Number(by) > 0)) {
        throw new InvalidArgumentError('--normalize', 'upper, lower or a positive number', by);
      }
      if (o.bootstrap) {
        // Bounds before the work: each resample keeps a value per model (and per model pair), and compares every
        // model with every brain RDM over the m = n(n − 1)/2 pairs of conditions (a ranking: m log m).
        const kept = models.length + (models.length * (models.length - 1)) / 2;
        checkMemory('--bootstrap', o.bootstrap, 8 * kept + 8 * n, 'resamples');
        const m = (n * (n - 1)) / 2;
        checkWork('--bootstrap', o.bootstrap, (models.length + 1) * brains.length * m * Math.max(1, Math.log2(m)), 'resamples');
      }
      const ev = evaluateModels(brains.map((b) => b.rdm), models.map((m) => m.rdm), {
        method,
        ...(o.bootstrap ? { bootstrap: { over: o.bootstrapOver, samples: o.bootstrap, seed: o.seed } } : {}),
        noiseCeiling: o.noiseCeiling || by === 'upper' || by === 'lower' ? { pooling: o.pooling } : false,
        ...(o.compareModels ? { compareModels: { fdr: o.fdr } } : {}),
        ...(by === undefined ? {} : { normalize: by === 'upper' || by === 'lower' ? by : Number(by) }),
      });
      const { values, noiseCeiling: nc } = ev;
      const ci = ev.bootstrap ? models.map((_, i) => ({ mean: ev.mean[i]!, low: ev.bootstrap!.ciLow[i]!, high: ev.bootstrap!.ciHigh[i]! })) : undefined;
      const pairs = ev.pairs?.map((p) => ({ ...p, a: models[p.a]!.name, b: models[p.b]!.name }));
      const normalized = ev.normalized ? { ...ev.normalized, by: by! } : undefined;
      const result = {
        method,
        models: models.map((m) => m.name),
        brains: brains.map((b) => b.name),
        values,
        ...(ci ? { ci, bootstrap: { over: o.bootstrapOver, samples: o.bootstrap, seed: o.seed } } : {}),
        ...(nc ? { noiseCeiling: { ...nc, pooling: o.pooling } } : {}),
        ...(normalized ? { normalized } : {}),
        ...(pairs ? { pairs, fdr: o.fdr } : {}),
      };
      // A value the method does not define (e.g. Kendall's tau-b of a constant RDM) is NaN: null in JSON (with the
      // reason below), "undefined" in text.
      const undefinedValues = values.some((v) => v.some((x) => Number.isNaN(x)));
      if (undefinedValues) Object.assign(result, { undefined: `null values: ${method} is not defined for these RDMs (e.g. a constant one)` });
      const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'undefined');
      printResult(io, Boolean(o.json), result, () => {
        const lines = models.map((m, i) => {
          const mean = values[i]!.reduce((s, v) => s + v, 0) / values[i]!.length;
          const nan = values[i]!.filter((x) => Number.isNaN(x)).length;
          return `${m.name}: mean ${method} ${f4(mean)} over ${brains.length} brain RDMs` +
            (nan ? ` (${method} undefined for ${nan} of them, e.g. a constant RDM)` : '') +
            (ci ? ` (95% CI ${f4(ci[i]!.low)} to ${f4(ci[i]!.high)}, ${o.bootstrap} bootstraps over ${o.bootstrapOver})` : '');
        });
        if (nc) lines.push(`noise ceiling: lower ${f4(nc.lower)}, upper ${f4(nc.upper)} (${o.pooling} pooling)`);
        if (normalized) {
          lines.push(`normalised by ${normalized.by === 'upper' || normalized.by === 'lower' ? `the ${normalized.by} noise ceiling` : 'the given ceiling'} (${f4(normalized.ceiling)}): ` +
            models.map((m, i) => `${m.name} ${f4(normalized.values[i]!.reduce((a, v) => a + v, 0) / normalized.values[i]!.length)}`).join(', '));
        }
        for (const p of pairs ?? []) {
          lines.push(`${p.a} − ${p.b}: ${p.difference.toFixed(4)} (95% CI ${p.ciLow.toFixed(4)} to ${p.ciHigh.toFixed(4)}), p = ${p.p.toPrecision(3)}, BH-adjusted ${p.pAdjusted.toPrecision(3)}${p.significant ? ' *' : ''}`);
        }
        return lines.join('\n');
      });
    });
}
