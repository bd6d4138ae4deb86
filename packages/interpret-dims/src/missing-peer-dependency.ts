import { ConceptlabError } from '@conceptlab/core';

/** An output that needs an optional peer dependency that is not installed. */
export class MissingPeerDependencyError extends ConceptlabError {
  readonly _tag = 'MissingPeerDependencyError' as const;
  readonly dependency: string;
  readonly output: string;
  constructor(dependency: string, output: string, options?: { cause?: unknown }) {
    super(`${output} needs the optional peer dependency ${dependency}, which is not installed: npm install ${dependency}`, options);
    this.name = 'MissingPeerDependencyError';
    this.dependency = dependency;
    this.output = output;
  }
}
