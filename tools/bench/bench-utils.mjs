// Shared pieces of the benchmarks: a seeded generator, timing, and the machine facts every JSON line carries.
import { availableParallelism, loadavg } from 'node:os';

/** mulberry32: a tiny seeded generator, so a bench needs nothing beyond the built packages. */
export function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The median of timings is core's (np.median: the mean of the two middle values for an even count).
export { median } from '@conceptlab/core/stats';
export const round3 = (x) => Math.round(x * 1000) / 1000;

/** Run `fn` `repeats` times (awaiting it); the seconds of each run, their median, and the last result. */
export async function timeRuns(repeats, fn) {
  const runs = [];
  let last;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    last = await fn();
    runs.push((performance.now() - t0) / 1000);
  }
  return { runs: runs.map(round3), seconds: round3(median(runs)), last };
}

/** The ratio to a reference time measured with rsatoolbox on this machine class, and whether it is ≥ 5×. */
export function againstRsatoolbox(rsatoolboxSeconds, seconds, atReferenceSize) {
  const speedup = rsatoolboxSeconds / seconds;
  return { rsatoolboxSeconds, speedup: Math.round(speedup * 10) / 10, targetSpeedup: 5, targetMet: atReferenceSize ? speedup >= 5 : null };
}

/** Load and cores, so noisy numbers can be read in context. */
export function machine() {
  return { loadAverage1m: Math.round(loadavg()[0] * 100) / 100, cpus: availableParallelism() };
}
