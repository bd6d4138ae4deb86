import { realpathSync } from 'node:fs';
import { addonFile, loadAddon } from './addon.js';
import { NativeBlasUnavailableError } from './errors.js';
import { resolveCoreType, type CoreTypeChoice, type CoreTypeOption } from './core-type.js';
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
  /**
   * What was asked of OpenBLAS's kernel choice when the library was first opened in this process (the `coreType`
   * option); `config` shows the core it runs. A library opened before keeps its first choice.
   */
  readonly coreType: CoreTypeChoice;
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
  /** OpenBLAS's CPU kernels: `'auto'` (default), `'library'` or a core name; see {@link CoreTypeOption}. */
  readonly coreType?: CoreTypeOption;
}

/** The core-type choice made when each library was first opened in this process (OpenBLAS reads it once). */
const firstChoice = new Map<string, CoreTypeChoice>();

/**
 * Opens a CBLAS through the package's addon: `options.library`, else `$CONCEPTLAB_BLAS`, else the first of
 * {@link DEFAULT_BLAS_LIBRARIES} that loads and has `cblas_dsyrk` (or OpenBLAS's 64-bit-integer `cblas_dsyrk64_` /
 * `scipy_cblas_dsyrk64_`, see {@link BlasInfo.symbol}). A library named by the option or the
 * environment is the only one tried. OpenBLAS is asked for the CPU kernels `coreType` names (default `'auto'`:
 * the best this CPU supports, unless `OPENBLAS_CORETYPE` is set; see {@link CoreTypeOption}).
 * @throws InvalidArgumentError for a bad `coreType`.
 * @throws NativeBlasUnavailableError when the addon is not built (`reason: 'addon'`) or no library loads (`reason: 'library'`).
 */
export function loadNativeBlas(options: LoadNativeBlasOptions = {}): NativeBlas {
  const choice = resolveCoreType(options.coreType);
  const addon = loadAddon();
  const { names, from } = blasCandidates(options.library);
  const failures: string[] = [];
  for (const library of names) {
    let opened: ReturnType<typeof addon.open>;
    try {
      opened = withCoreType(choice.asked, () => addon.open(library));
    } catch (e) {
      failures.push(String((e as Error)?.message ?? e));
      continue;
    }
    const file = resolveFile(opened.file);
    const key = file ?? library;
    const coreType = firstChoice.get(key) ?? choice;
    firstChoice.set(key, coreType);
    const info: BlasInfo = Object.freeze({ library, file, symbol: opened.symbol, config: opened.config, threads: opened.threads, coreType, from, addon: addonFile() });
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

/**
 * Runs `open` with OPENBLAS_CORETYPE set to `core` (when not null), then restores the environment as it was, so
 * that child processes and other libraries see the user's own setting.
 */
function withCoreType<T>(core: string | null, open: () => T): T {
  if (core === null) return open();
  const before = process.env.OPENBLAS_CORETYPE;
  process.env.OPENBLAS_CORETYPE = core;
  try {
    return open();
  } finally {
    if (before === undefined) delete process.env.OPENBLAS_CORETYPE;
    else process.env.OPENBLAS_CORETYPE = before;
  }
}

function resolveFile(file: string | null): string | null {
  if (file === null) return null;
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
