import { ConceptlabError } from './errors.js';

/**
 * Optional peer dependencies: a heavy or native module (sharp, tfjs) that only some outputs need, so a
 * package installs without it. It is loaded on first use; when it is not installed, the output that needs it
 * fails with a {@link MissingPeerDependencyError} naming the output and the install command — never a silent
 * skip. Any other failure to load (a broken native binary) is rethrown as it is, not disguised as missing.
 */

/** An output that needs an optional peer dependency that is not installed. */
export class MissingPeerDependencyError extends ConceptlabError {
  readonly _tag = 'MissingPeerDependencyError' as const;
  /** The package(s) to install, space-separated as `npm install` takes them. */
  readonly dependency: string;
  /** What needed it ("interpret's PNG figures", "the tfjs engine"). */
  readonly output: string;
  constructor(dependency: string, output: string, options?: { cause?: unknown }) {
    super(`${output} needs the optional peer dependency ${dependency}, which is not installed: npm install ${dependency}`, options);
    this.name = 'MissingPeerDependencyError';
    this.dependency = dependency;
    this.output = output;
  }
}

/** Whether `e` is Node's "module not found" (ESM `import()` or CommonJS `require`). */
export function isModuleNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/**
 * Run `importer` (a dynamic `import()` of an optional peer dependency) for `output`.
 * @param dependency what to install, as `npm install` takes it (e.g. `sharp`).
 * @throws MissingPeerDependencyError when the module is not installed; any other error unchanged.
 */
export async function importOptionalPeer<T>(dependency: string, output: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (e) {
    if (isModuleNotFound(e)) throw new MissingPeerDependencyError(dependency, output, { cause: e });
    throw e;
  }
}
