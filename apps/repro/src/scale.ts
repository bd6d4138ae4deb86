/** How big the simulated-LLM step is: `ci` fits the CI budget, `full` is the paper's scale. */
export interface ReproScale {
  readonly name: 'test' | 'ci' | 'full';
  /** Uniform random triplets over the 1,854 THINGS objects (90% train, 10% validation). */
  readonly triplets: number;
  readonly seeds: readonly number[];
  readonly epochs: number;
  /** The merge keeps this many dims by reproducibility (the paper: 66 of a 100-dim LLM fit; here below the ~36–45 dims that the 42-dim generating embedding leaves after pruning, so that the top-k selection selects). */
  readonly top: number;
  /** Worker threads for the seeds. */
  readonly threads?: number;
  /** Condition bootstraps for the brain RSA CIs. */
  readonly bootstrap: number;
  /** Allowed shortfall (percentage points) of the merged embedding's accuracy on the noise-ceiling triplets against the generating embedding's. */
  readonly accuracyTolerance: number;
  /** Lower bounds of the recovery (median best r) and of the similarity RSA. */
  readonly minRecovery: number;
  readonly minSimilarityRsa: number;
}

export const SCALES: Record<ReproScale['name'], ReproScale> = {
  // A smoke-sized run for the test suite: the tolerances only say "learned the structure".
  test: { name: 'test', triplets: 300_000, seeds: [1, 2], epochs: 10, top: 20, threads: 1, bootstrap: 50, accuracyTolerance: 10, minRecovery: 0.3, minSimilarityRsa: 0.6 },
  // CI: about 10 minutes on 2 cores (2 × 144M triplet steps).
  ci: { name: 'ci', triplets: 2_000_000, seeds: [1, 2], epochs: 80, top: 30, bootstrap: 1000, accuracyTolerance: 2, minRecovery: 0.8, minSimilarityRsa: 0.9 },
  // The paper: 4.7M triplets, 20 seeds, 500 epochs.
  full: { name: 'full', triplets: 4_700_000, seeds: Array.from({ length: 20 }, (_, i) => i + 1), epochs: 500, top: 40, bootstrap: 1000, accuracyTolerance: 1, minRecovery: 0.85, minSimilarityRsa: 0.95 },
};
