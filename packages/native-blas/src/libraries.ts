/**
 * The CBLAS libraries {@link loadNativeBlas} tries, in order, when neither its `library` option nor
 * `CONCEPTLAB_BLAS` names one: OpenBLAS (Debian/Ubuntu `libopenblas0`), then whatever provides the system's
 * `libblas.so.3` / `libcblas.so.3` (an alternatives link on Debian: OpenBLAS, BLIS, ATLAS or the reference BLAS).
 */
export const DEFAULT_BLAS_LIBRARIES: readonly string[] = Object.freeze(['libopenblas.so.0', 'libopenblas.so', 'libblas.so.3', 'libcblas.so.3']);

/**
 * The libraries to try: `[library]` when given, else `[CONCEPTLAB_BLAS]` when that is set (only it: a named
 * library that fails is an error, never a fallback to another one), else {@link DEFAULT_BLAS_LIBRARIES}.
 */
export function blasCandidates(library?: string, env: NodeJS.ProcessEnv = process.env): { names: readonly string[]; from: 'option' | 'CONCEPTLAB_BLAS' | 'default' } {
  if (library !== undefined) return { names: [library], from: 'option' };
  const fromEnv = env.CONCEPTLAB_BLAS;
  if (fromEnv !== undefined && fromEnv !== '') return { names: [fromEnv], from: 'CONCEPTLAB_BLAS' };
  return { names: DEFAULT_BLAS_LIBRARIES, from: 'default' };
}
