import { ConceptlabError } from '@conceptlab/core';

/**
 * A NIfTI file that cannot be used: not NIfTI at all, truncated or corrupt, or using a feature this reader
 * does not support (complex or RGB voxels, 64-bit integers beyond 2^53). Names the file, what was expected
 * and what was found, like core's `ParseError`.
 */
export class NiftiError extends ConceptlabError {
  readonly _tag = 'NiftiError' as const;
  readonly file: string;
  readonly expected: string;
  readonly found: string | undefined;

  constructor(file: string, expected: string, found?: string) {
    super(`${file}: expected ${expected}` + (found !== undefined ? `, found ${found}` : ''));
    this.name = 'NiftiError';
    this.file = file;
    this.expected = expected;
    this.found = found;
  }
}
