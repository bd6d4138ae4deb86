import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { computeRdm } from '@conceptlab/neuro-rsa';
import { expectClose } from '../../../test-support/expect-close.js';
import { blasForTests } from '../test/blas-for-tests.js';
import { addonFile } from './addon.js';
import { autoCoreType, cpuFlags } from './core-type.js';
import { NativeBlasUnavailableError } from './errors.js';
import { DEFAULT_BLAS_LIBRARIES } from './libraries.js';
import { loadNativeBlas } from './load.js';

const blas = blasForTests('gram products through the system BLAS');
const withBlas = blas ? describe : describe.skip;

// python3 reference/gram_reference.py > reference/gram_reference.json (numpy 2.4.6): 16 × 256 fMRI-like patterns,
// np.dot(X, Xᵀ), and rsatoolbox's calc_rdm_euclidean formula on them.
const ref = JSON.parse(readFileSync(join(__dirname, '../reference/gram_reference.json'), 'utf8')) as { patterns: number[][]; gram: number[]; rdm: number[] };
const X = Float64Array.from(ref.patterns.flat());

withBlas('gram through the system BLAS', () => {
  it('hand-computed: X = [[1, 2], [3, 4], [5, 6]] gives X·Xᵀ = [[5, 11, 17], [11, 25, 39], [17, 39, 61]], both triangles', () => {
    const { gram } = blas!; // not bound to the object
    expect(gram(Float64Array.from([1, 2, 3, 4, 5, 6]), 3, 2)).toEqual(Float64Array.from([5, 11, 17, 11, 25, 39, 17, 39, 61]));
    expect(gram(Float64Array.from([2]), 1, 1)).toEqual(Float64Array.from([4]));
  });

  it('equals numpy’s np.dot(X, Xᵀ) on 16 × 256 patterns within 1e-12 relative (summation order only), and is exactly symmetric', () => {
    const g = blas!.gram(X, 16, 256);
    expectClose(g, ref.gram, { rel: 1e-12 });
    for (let i = 0; i < 16; i++) for (let j = 0; j < i; j++) expect(g[i * 16 + j]).toBe(g[j * 16 + i]);
  });

  it("through neuro-rsa's injected Gram provider, the euclidean RDM is rsatoolbox's formula within 1e-12 relative + 1e-15·max‖x‖²/p", () => {
    const rdm = computeRdm({ rows: 16, cols: 256, data: X }, 'euclidean', { euclideanSums: 'gram', gram: blas!.gram });
    const scale = (1e-15 * Math.max(...ref.patterns.map((r) => r.reduce((s, v) => s + v * v, 0)))) / 256;
    expectClose(rdm.vector, ref.rdm, { rel: 1e-12, abs: scale });
  });

  it('blasInfo names the library, its file and (for OpenBLAS) its configuration and threads', () => {
    const info = blas!.blasInfo();
    const env = process.env.CONCEPTLAB_BLAS;
    expect(env ? [env] : DEFAULT_BLAS_LIBRARIES).toContain(info.library);
    expect(info.from).toBe(env ? 'CONCEPTLAB_BLAS' : 'default');
    expect(info.addon).toBe(addonFile());
    expect(typeof info.file).toBe('string');
    expect(['cblas_dsyrk', 'cblas_dsyrk64_', 'scipy_cblas_dsyrk64_']).toContain(info.symbol);
    if (info.config !== null) {
      expect(info.config).toMatch(/^OpenBLAS /);
      expect(Number.isInteger(info.threads) && info.threads! >= 1).toBe(true);
    }
  });

  it('bad input is a one-line typed error before the BLAS is called', () => {
    const { gram } = blas!;
    expect(() => gram(Float64Array.from([1, 2, 3]), 2, 2)).toThrow(new ShapeError('x has 3 elements, expected 2×2 = 4'));
    expect(() => gram(Float64Array.from([1, 2, Number.NaN, 4]), 2, 2)).toThrow(new InvalidArgumentError('x (row 1, column 0)', 'a finite number', Number.NaN));
    expect(() => gram(Float64Array.from([1, Number.POSITIVE_INFINITY]), 1, 2)).toThrow(InvalidArgumentError);
    expect(() => gram(Float32Array.from([1, 2]) as never, 1, 2)).toThrow(InvalidArgumentError);
    expect(() => gram(Float64Array.from([1, 2]), 0, 2)).toThrow(InvalidArgumentError);
  });

  it("the addon's vectorised scan (blocks of 4096) finds the first non-finite value anywhere", () => {
    const { gram } = blas!;
    const rows = 7;
    const cols = 2000; // 14,000 values: three full blocks and a partial one
    for (const [k, v] of [[2 * 4096 + 3, Number.NaN], [13_999, Number.NEGATIVE_INFINITY], [4095, Number.POSITIVE_INFINITY]] as const) {
      const x = new Float64Array(rows * cols).fill(0.5);
      x[k] = v;
      x[13_999] = k === 13_999 ? v : 0.5;
      expect(() => gram(x, rows, cols)).toThrow(new InvalidArgumentError(`x (row ${Math.floor(k / cols)}, column ${k % cols})`, 'a finite number', v));
    }
  });
});

// OpenBLAS's 64-bit-integer interface, as the scipy-openblas library bundled in numpy's wheels has it (symbols
// scipy_cblas_dsyrk64_ …): found through python3's numpy when it is a wheel; Debian's python3-numpy has none.
const numpyBlas = (() => {
  const py = "import glob, os, numpy; print((glob.glob(os.path.join(os.path.dirname(numpy.__file__), '..', 'numpy.libs', 'libscipy_openblas64_*.so')) + [''])[0])";
  const r = spawnSync(process.env.PYTHON ?? 'python3', ['-c', py], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
})();
if (blas && !numpyBlas) console.warn('SKIPPED: no numpy wheel with scipy-openblas (OpenBLAS 64-bit integers) found through python3: the ILP64 symbol test');
(blas && numpyBlas ? test : test.skip)("OpenBLAS's 64-bit-integer build (numpy's scipy-openblas): scipy_cblas_dsyrk64_, the same Gram as numpy within 1e-12", () => {
  const ilp64 = loadNativeBlas({ library: numpyBlas });
  expect(ilp64.blasInfo().symbol).toBe('scipy_cblas_dsyrk64_');
  expect(ilp64.blasInfo().config).toMatch(/^OpenBLAS .*USE64BITINT/);
  expect(ilp64.gram(Float64Array.from([1, 2, 3, 4, 5, 6]), 3, 2)).toEqual(Float64Array.from([5, 11, 17, 11, 25, 39, 17, 39, 61]));
  expectClose(ilp64.gram(X, 16, 256), ref.gram, { rel: 1e-12 });
});

describe('when no BLAS can be used', () => {
  const built = existsSync(addonFile());
  const saved = process.env.CONCEPTLAB_BLAS;
  afterEach(() => {
    if (saved === undefined) delete process.env.CONCEPTLAB_BLAS;
    else process.env.CONCEPTLAB_BLAS = saved;
  });

  const expectUnavailable = (load: () => unknown, reason: 'addon' | 'library', text: RegExp): void => {
    let err: unknown;
    try {
      load();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NativeBlasUnavailableError);
    const e = err as NativeBlasUnavailableError;
    expect(e._tag).toBe('NativeBlasUnavailableError');
    expect(e.message).not.toContain('\n');
    // Without the addon every load fails for that reason first.
    expect(e.reason).toBe(built ? reason : 'addon');
    expect(e.message).toMatch(built ? text : /the addon is not built .* npm rebuild @conceptlab\/native-blas/);
  };

  it('CONCEPTLAB_BLAS=/nonexistent: only that library is tried, and the error says how to fix it', () => {
    process.env.CONCEPTLAB_BLAS = '/nonexistent';
    expectUnavailable(() => loadNativeBlas(), 'library', /^@conceptlab\/native-blas: no CBLAS library could be loaded \(CONCEPTLAB_BLAS=\/nonexistent: .*\): install one \(Debian\/Ubuntu: apt-get install libopenblas0\) or set CONCEPTLAB_BLAS/);
  });

  it('the library option wins over CONCEPTLAB_BLAS; a library without cblas_dsyrk is refused', () => {
    process.env.CONCEPTLAB_BLAS = '/nonexistent';
    expectUnavailable(() => loadNativeBlas({ library: 'libc.so.6' }), 'library', /\(library=libc\.so\.6: the library has no cblas_dsyrk \(not a CBLAS\)\)/);
  });
});

// OpenBLAS reads OPENBLAS_CORETYPE once, when it is first opened in a process: each case runs in a fresh one
// (the built package, dist/). Only for a DYNAMIC_ARCH OpenBLAS (Debian's), the one that picks kernels at load.
const dynamicArch = blas?.blasInfo().config?.includes('DYNAMIC_ARCH') === true;
const thisCpuCore = (() => {
  try {
    return autoCoreType(cpuFlags(readFileSync('/proc/cpuinfo', 'utf8')));
  } catch {
    return null;
  }
})();
if (blas && !(dynamicArch && thisCpuCore)) console.warn('SKIPPED: the coreType tests need a DYNAMIC_ARCH OpenBLAS and a CPU with AVX2 and FMA');
(dynamicArch && thisCpuCore ? describe : describe.skip)("coreType: OpenBLAS's CPU kernels, chosen as the library is opened", () => {
  const inFreshProcess = (options: object, env: NodeJS.ProcessEnv = {}): { config: string; coreType: { requested: string; asked: string | null }; envAfter: string | null } => {
    const dist = join(__dirname, '..', 'dist', 'index.js');
    const code = `const { loadNativeBlas } = await import(${JSON.stringify(dist)}); const i = loadNativeBlas(${JSON.stringify(options)}).blasInfo(); console.log(JSON.stringify({ config: i.config, coreType: i.coreType, envAfter: process.env.OPENBLAS_CORETYPE ?? null }));`;
    const base = { ...process.env };
    // Not the user's core type; nor the colour variables (jest's FORCE_COLOR with CI's NO_COLOR makes Node warn).
    for (const name of ['OPENBLAS_CORETYPE', 'FORCE_COLOR', 'NO_COLOR']) delete base[name];
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env: { ...base, ...env } });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    return JSON.parse(r.stdout);
  };

  it("'auto' asks for this CPU's best core (AVX-512: SkylakeX, AVX2: Haswell), which the library then runs; the environment is restored", () => {
    const got = inFreshProcess({});
    expect(got.coreType).toMatchObject({ requested: 'auto', asked: thisCpuCore });
    expect(got.config).toContain(` ${thisCpuCore} `);
    expect(got.envAfter).toBeNull();
  });

  it("a core name is asked as is; 'auto' leaves a user's OPENBLAS_CORETYPE alone", () => {
    expect(inFreshProcess({ coreType: 'Haswell' }).config).toContain(' Haswell ');
    const user = inFreshProcess({}, { OPENBLAS_CORETYPE: 'Haswell' });
    expect(user.coreType.asked).toBeNull();
    expect(user.config).toContain(' Haswell ');
    expect(user.envAfter).toBe('Haswell');
  });
});
