import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { NativeBlasUnavailableError } from './errors.js';

/** @internal What the compiled addon (addon/native_blas.c) exports. */
export interface BlasAddon {
  open(path: string): { handle: unknown; file: string | null; symbol: string; config: string | null; threads: number | null };
  syrk(handle: unknown, x: Float64Array, rows: number, cols: number, out: Float64Array): void;
  /** The index of the first NaN or ±Infinity in `x`, or -1 (a vectorised scan). */
  firstNonFinite(x: Float64Array): number;
}

/**
 * The addon's file: build/Release/native_blas.node beside src/ and dist/ (the install script builds it).
 * `import.meta.url` is native in the ESM build; under jest, swc rewrites it for CommonJS.
 */
export function addonFile(): string {
  return fileURLToPath(new URL('../build/Release/native_blas.node', import.meta.url));
}

let cached: BlasAddon | undefined;

/**
 * @internal The loaded addon.
 * @throws NativeBlasUnavailableError (`reason: 'addon'`) when it is not built or cannot be loaded.
 */
export function loadAddon(): BlasAddon {
  if (cached) return cached;
  const file = addonFile();
  try {
    cached = createRequire(import.meta.url)(file) as BlasAddon;
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    const detail = code === 'MODULE_NOT_FOUND' ? `the addon is not built (${file} is missing)` : `the addon ${file} could not be loaded (${String((e as Error)?.message ?? e)})`;
    throw new NativeBlasUnavailableError('addon', detail, { cause: e });
  }
  return cached;
}
