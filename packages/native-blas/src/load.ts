import { realpathSync } from 'node:fs';
import { addonFile, loadAddon } from './addon.js';
import { NativeBlasUnavailableError } from './errors.js';
import { checkGramInputWith } from './gram-input.js';
import { blasCandidates } from './libraries.js';

/** Which BLAS a {@link NativeBlas} calls, so that every output it produces can name it. */
export interface BlasInfo {
  /** The name or path that was opened (e.g. `libopenblas.so.0`). */
  readonly library: string;
  /** The shared object `cblas_dsyrk` came from, links resolved (null where the system cannot say). */
  readonly file: string | null;
  /**
   * The symbol called: `cblas_dsyrk` (CBLAS, 32-bit integers), or for OpenBLAS's 64-bit-integer builds
   * `cblas_dsyrk64_` (e.g. Debian's libopenblas64-0) or `scipy_cblas_dsyrk64_` (the scipy-openblas library numpy's
   * wheels bundle).
   */
  readonly symbol: string;
  /** OpenBLAS's `openblas_get_config()` (version, build options and the CPU core it chose; its 64_ variant beside a 64_ symbol); null for other BLAS. */
  readonly config: string | null;
  /** OpenBLAS's `openblas_get_num_threads()` when the library was opened; null for other BLAS. */
  readonly threads: number | null;
  /** Where the library choice came from: the `library` option, `CONCEPTLAB_BLAS`, or the default list. */
  readonly from: 'option' | 'CONCEPTLAB_BLAS' | 'default';
  /** The addon file. */
  readonly addon: string;
}

/** A CBLAS opened by {@link loadNativeBlas}. */
export interface NativeBlas {
  /**
   * The Gram matrix X·Xᵀ of the row-major `rows` × `cols` matrix `x`: a new rows × rows Float64Array,
   * row-major, both triangles filled (one `cblas_dsyrk` for the upper triangle, mirrored). Not bound to
   * `this`, so it can be passed as a function (e.g. neuro-rsa's `computeRdm(…, { gram: blas.gram })`).
   * Results depend on the BLAS and its thread count (blocking and summation order), so they are reproducible
   * only for the same library, CPU core and threads; {@link NativeBlas.blasInfo} names them.
   * @throws InvalidArgumentError for a non-Float64Array, a bad dimension or a non-finite value.
   * @throws ShapeError when `x.length` is not rows × cols.
   */
  readonly gram: (x: Float64Array, rows: number, cols: number) => Float64Array;
  /** The library this object calls. */
  readonly blasInfo: () => BlasInfo;
}

/** Options of {@link loadNativeBlas}. */
export interface LoadNativeBlasOptions {
  /** The CBLAS shared library to open (a path, or a name the dynamic loader finds); default `CONCEPTLAB_BLAS`, else the default list. */
  readonly library?: string;
}

/**
 * Opens a CBLAS through the package's addon: `options.library`, else `$CONCEPTLAB_BLAS`, else the first of
 * {@link DEFAULT_BLAS_LIBRARIES} that loads and has `cblas_dsyrk` (or OpenBLAS's 64-bit-integer `cblas_dsyrk64_` /
 * `scipy_cblas_dsyrk64_`, see {@link BlasInfo.symbol}). A library named by the option or the
 * environment is the only one tried.
 * @throws NativeBlasUnavailableError when the addon is not built (`reason: 'addon'`) or no library loads (`reason: 'library'`).
 */
export function loadNativeBlas(options: LoadNativeBlasOptions = {}): NativeBlas {
  const addon = loadAddon();
  const { names, from } = blasCandidates(options.library);
  const failures: string[] = [];
  for (const library of names) {
    let opened: ReturnType<typeof addon.open>;
    try {
      opened = addon.open(library);
    } catch (e) {
      failures.push(String((e as Error)?.message ?? e));
      continue;
    }
    const info: BlasInfo = Object.freeze({ library, file: resolveFile(opened.file), symbol: opened.symbol, config: opened.config, threads: opened.threads, from, addon: addonFile() });
    const { handle } = opened;
    const gram = (x: Float64Array, rows: number, cols: number): Float64Array => {
      checkGramInputWith(x, rows, cols, addon.firstNonFinite);
      const out = new Float64Array(rows * rows);
      addon.syrk(handle, x, rows, cols, out);
      return out;
    };
    return Object.freeze({ gram, blasInfo: () => info });
  }
  const tried = from === 'default' ? `tried ${failures.join('; ')}` : `${from === 'option' ? 'library' : 'CONCEPTLAB_BLAS'}=${names[0]}: ${failures[0]}`;
  throw new NativeBlasUnavailableError('library', `no CBLAS library could be loaded (${tried})`);
}

function resolveFile(file: string | null): string | null {
  if (file === null) return null;
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
