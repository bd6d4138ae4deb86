/**
 * `sharp` is an optional peer dependency of this package: only PNG figures and image mosaics need it, so the
 * analyses install without a native module. It is loaded on first use; when it is not installed, the output
 * that needs it fails with a {@link MissingPeerDependencyError} — never a silent skip.
 */
import type sharpModule from 'sharp';
import { importOptionalPeer } from '@conceptlab/core';

/** The `sharp` function (the module's default export). @internal */
export type Sharp = typeof sharpModule;

/**
 * `sharp`, for `output` (named in the error). `importer` replaces the dynamic import (tests).
 * @throws MissingPeerDependencyError when sharp is not installed.
 * @internal
 */
export async function loadSharp(output: string, importer: () => Promise<unknown> = () => import('sharp')): Promise<Sharp> {
  const mod = await importOptionalPeer('sharp', output, importer);
  const m = mod as { default?: Sharp };
  return (typeof m.default === 'function' ? m.default : mod) as Sharp;
}
