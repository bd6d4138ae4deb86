import { sampleSd } from './summary.js';

/** A correlation with the authors' normal-approximation bootstrap CI in Fisher-z space. */
export interface FisherBootstrapCi {
  /** The observed r: the CI is centred on atanh(r). */
  readonly r: number;
  /** tanh(atanh(r) − 1.96·SD_z) and tanh(atanh(r) + 1.96·SD_z). */
  readonly low: number;
  readonly high: number;
  /** Sample SD (n − 1) of atanh of the bootstrap r. */
  readonly sdZ: number;
  /** Bootstrap r that gave a finite z (NaN resamples, or |r| = 1, are left out and counted out of this). */
  readonly used: number;
}

/**
 * The CI the authors' scripts put around a correlation (r48, dimension-rank reproducibility, human
 * consistency): z = atanh(r), SD_z = sample SD of atanh(r_b) over the bootstrap correlations r_b, and
 * CI = tanh(z ± 1.96·SD_z) — a normal approximation centred on the observed r, not bootstrap percentiles.
 * Bootstrap values whose atanh is not finite are left out (`used` says how many remain); with fewer than 2
 * left, or a non-finite atanh(r), the bounds are NaN.
 */
export function fisherBootstrapCi(r: number, bootstrapR: ArrayLike<number>): FisherBootstrapCi {
  const z: number[] = [];
  for (let b = 0; b < bootstrapR.length; b++) {
    const v = Math.atanh(bootstrapR[b]);
    if (Number.isFinite(v)) z.push(v);
  }
  const sdZ = sampleSd(z);
  const z0 = Math.atanh(r);
  const ok = Number.isFinite(z0) && Number.isFinite(sdZ);
  return { r, low: ok ? Math.tanh(z0 - 1.96 * sdZ) : NaN, high: ok ? Math.tanh(z0 + 1.96 * sdZ) : NaN, sdZ, used: z.length };
}
