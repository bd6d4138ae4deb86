import { ConceptlabError } from '@conceptlab/core';

/**
 * The native BLAS cannot be used: the addon is not built (`reason: 'addon'`), or no CBLAS library could be
 * loaded (`reason: 'library'`). The message is one line and says how to fix it. Nothing falls back silently:
 * a caller that wants another implementation catches this error and chooses one.
 */
export class NativeBlasUnavailableError extends ConceptlabError {
  readonly _tag = 'NativeBlasUnavailableError' as const;
  readonly reason: 'addon' | 'library';
  constructor(reason: 'addon' | 'library', detail: string, options?: { cause?: unknown }) {
    const fix =
      reason === 'addon'
        ? 'run `npm rebuild @conceptlab/native-blas` (needs a C compiler, make and python3)'
        : 'install one (Debian/Ubuntu: apt-get install libopenblas0) or set CONCEPTLAB_BLAS to the path of a CBLAS shared library';
    super(`@conceptlab/native-blas: ${detail.replace(/\s*\n\s*/g, ' ')}: ${fix}`, options);
    this.name = 'NativeBlasUnavailableError';
    this.reason = reason;
  }
}
