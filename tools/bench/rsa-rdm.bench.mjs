// Benchmark (issue 14): an RDM from conditions × voxels patterns, against its anchor measured in the same run:
// reference/rsa_anchor.py, numpy doing rsatoolbox's calc_rdm on the same patterns (correlation: centring and
// np.einsum; euclidean: squared norms − 2·np.dot(X, Xᵀ), one BLAS call on every core).
//   correlation, 1,854 × 10,000 (target anchor / ours ≥ 5)      node rsa-rdm.bench.mjs correlation
//   euclidean,   1,000 × 10,000 (target anchor / ours ≥ 1.0)    node rsa-rdm.bench.mjs euclidean
// Times computeRdmParallel (worker threads, WebAssembly SIMD kernel) and computeRdm (one thread), and checks
// that both give the same bits and that they equal the anchor's RDM within 1e-9 relative (agree). For
// euclidean, `gram` adds the opt-in euclideanSums: 'gram' form (time, ratio, agreement) beside the default, and `blas`
// the same form with X·Xᵀ from the system BLAS (@conceptlab/native-blas injected as the Gram provider; `blas: null`
// and `blasReason` when its addon is not built or no CBLAS loads; blasInfo names the library, its CPU kernels and
// threads — OPENBLAS_CORETYPE / OPENBLAS_NUM_THREADS in the environment choose them). Uses the BUILT packages. Prints ONE JSON object (anchor null, with the reason, without python3 + numpy + scipy).
//   BENCH_CONDITIONS=500 BENCH_VOXELS=2000 BENCH_REPEATS=3 BENCH_THREADS=2 node rsa-rdm.bench.mjs correlation
import { availableParallelism } from 'node:os';
import { computeRdm, computeRdmParallel } from '@conceptlab/neuro-rsa';
import { agreement, machine, mulberry32, ratioOf, runAnchor, timeRuns } from './bench-utils.mjs';

// rsatoolboxSeconds: measured once on another machine of this class (issue 5), history only.
const REFERENCE = {
  correlation: { conditions: 1854, voxels: 10000, repeats: 3, target: 5, rsatoolboxSeconds: 22.5 },
  euclidean: { conditions: 1000, voxels: 10000, repeats: 5, target: 1, rsatoolboxSeconds: 0.48 },
};
const measure = process.argv[2] ?? 'correlation';
const ref = REFERENCE[measure];
if (!ref) {
  console.error(`usage: node rsa-rdm.bench.mjs correlation|euclidean (got ${measure})`);
  process.exit(2);
}
const conditions = Number(process.env.BENCH_CONDITIONS ?? ref.conditions);
const voxels = Number(process.env.BENCH_VOXELS ?? ref.voxels);
const repeats = Number(process.env.BENCH_REPEATS ?? ref.repeats);
const threads = Number(process.env.BENCH_THREADS ?? availableParallelism());

// fMRI-like patterns: a shared voxel profile + condition-specific noise.
const rand = mulberry32(1);
const profile = Float64Array.from({ length: voxels }, () => rand() * 2 - 1);
const data = new Float64Array(conditions * voxels);
for (let i = 0; i < conditions; i++) for (let c = 0; c < voxels; c++) data[i * voxels + c] = profile[c] + (rand() - 0.5);
const patterns = { rows: conditions, cols: voxels, data };

const before = machine();
const { anchor, reason } = runAnchor(`${measure}-rdm`, { patterns: { dtype: 'f8', shape: [conditions, voxels], data } }, repeats);
const parallel = await timeRuns(repeats, () => computeRdmParallel(patterns, measure, { threads }));
const single = await timeRuns(repeats, () => computeRdm(patterns, measure));
const a = parallel.last.vector;
const b = single.last.vector;
let identical = a.length === b.length;
for (let k = 0; identical && k < a.length; k++) identical = Object.is(a[k], b[k]);

// The headline time is the faster of the two modes (worker start-up can outweigh a second core).
const fastest = parallel.seconds <= single.seconds ? 'parallel' : 'oneThread';
const seconds = Math.min(parallel.seconds, single.seconds);
/** A euclidean variant's timing: its time and ratio, and its agreement with the anchor and with the default sums. */
const variant = (t) => ({
  seconds: t.seconds,
  runs: t.runs,
  ratio: anchor ? ratioOf(anchor.seconds, t.seconds) : null,
  ...(anchor ? agreement(t.last.vector, anchor.vector) : {}),
  maxRelDiffFromDifferences: agreement(t.last.vector, b).maxRelDiff,
});
// euclidean: also the opt-in Gram form (euclideanSums: 'gram', rsatoolbox's ‖a‖² + ‖b‖² − 2a·b), in the faster mode.
let gram = null;
if (measure === 'euclidean') {
  const opts = { euclideanSums: 'gram' };
  const g = await (fastest === 'parallel' ? timeRuns(repeats, () => computeRdmParallel(patterns, measure, { threads, ...opts })) : timeRuns(repeats, () => computeRdm(patterns, measure, opts)));
  gram = variant(g);
}
// euclidean: the same Gram form with X·Xᵀ from the system BLAS, when @conceptlab/native-blas can load one.
let blas = null;
let blasReason;
if (measure === 'euclidean') {
  let native;
  try {
    const { loadNativeBlas } = await import('@conceptlab/native-blas');
    native = loadNativeBlas();
  } catch (e) {
    blasReason = e?.message ?? String(e);
  }
  if (native) {
    const opts = { euclideanSums: 'gram', gram: native.gram };
    const n = await timeRuns(repeats, () => computeRdm(patterns, measure, opts));
    const info = native.blasInfo();
    blas = {
      ...variant(n),
      targetMet: anchor ? anchor.seconds / n.seconds >= ref.target : null,
      blasInfo: { library: info.library, file: info.file, symbol: info.symbol, config: info.config, threads: info.threads, coreType: info.coreType, OPENBLAS_CORETYPE: process.env.OPENBLAS_CORETYPE ?? null },
      ...(/ (Prescott|Core2|Nehalem|Atom) /.test(info.config ?? '')
        ? { note: 'OpenBLAS runs generic kernels on this CPU (see blasInfo.coreType: a CPU without AVX2, or a choice left to the library); coreType SkylakeX (or Haswell) selects its AVX-512 (AVX2) kernels where the CPU has them' }
        : {}),
    };
  }
}
const after = machine();
console.log(
  JSON.stringify({
    bench: `rsa-${measure}-rdm`,
    conditions,
    voxels,
    threads,
    repeats,
    seconds,
    fastest,
    secondsParallel: parallel.seconds,
    runsParallel: parallel.runs,
    secondsOneThread: single.seconds,
    runsOneThread: single.runs,
    parallelEqualsOneThread: identical,
    anchorSeconds: anchor ? Number(anchor.seconds.toFixed(3)) : null,
    ratio: anchor ? ratioOf(anchor.seconds, seconds) : null,
    targetRatio: ref.target,
    targetMet: anchor ? anchor.seconds / seconds >= ref.target : null,
    ...(anchor
      ? {
          ...agreement(a, anchor.vector),
          anchor: { what: "numpy doing rsatoolbox's calc_rdm (tools/bench/reference/rsa_anchor.py)", runs: anchor.runs.map((x) => Number(x.toFixed(3))), python: anchor.python, numpy: anchor.numpy, scipy: anchor.scipy, blas: anchor.blas },
        }
      : { anchor: null, anchorReason: reason }),
    ...(gram ? { gram } : {}),
    ...(measure === 'euclidean' ? (blas ? { blas } : { blas: null, blasReason }) : {}),
    historicalRsatoolboxSeconds: { seconds: ref.rsatoolboxSeconds, note: 'measured once on another machine of this class (issue 5); not a ratio of this run' },
    ...before,
    loadAverage1mAfter: after.loadAverage1m,
  }),
);
