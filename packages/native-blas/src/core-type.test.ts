import { InvalidArgumentError } from '@conceptlab/core';
import { autoCoreType, cpuFlags, resolveCoreType } from './core-type.js';

// Abridged /proc/cpuinfo texts (first processor only is read).
const XEON_207 = 'processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 207\nflags\t\t: fpu sse2 avx fma avx2 avx512f avx512dq avx512cd avx512bw avx512vl\n\nprocessor\t: 1\nflags\t\t: fpu\n';
const ZEN3 = 'processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx fma avx2 bmi2\n';
const OLD = 'processor\t: 0\nflags\t\t: fpu sse2 sse3 ssse3 avx\n';

test('cpuFlags reads the first processor’s flags line; none without one', () => {
  expect(cpuFlags(XEON_207)).toEqual(new Set(['fpu', 'sse2', 'avx', 'fma', 'avx2', 'avx512f', 'avx512dq', 'avx512cd', 'avx512bw', 'avx512vl']));
  expect(cpuFlags('processor : 0\n')).toEqual(new Set());
});

test('autoCoreType: SkylakeX needs all five AVX-512 subsets, Haswell AVX2 and FMA, else null', () => {
  expect(autoCoreType(cpuFlags(XEON_207))).toBe('SkylakeX');
  expect(autoCoreType(cpuFlags(ZEN3))).toBe('Haswell');
  expect(autoCoreType(cpuFlags(OLD))).toBeNull();
  // AVX-512F alone (Knights Landing has no BW/DQ/VL): not SkylakeX.
  expect(autoCoreType(new Set(['avx2', 'fma', 'avx512f', 'avx512cd']))).toBe('Haswell');
  expect(autoCoreType(new Set(['avx2']))).toBeNull();
});

test('resolveCoreType: auto follows the CPU unless OPENBLAS_CORETYPE is set; library asks nothing; a name is asked as is', () => {
  expect(resolveCoreType('auto', {}, () => XEON_207)).toEqual({ requested: 'auto', asked: 'SkylakeX', reason: 'this CPU has avx512f, avx512cd, avx512bw, avx512dq, avx512vl (/proc/cpuinfo)' });
  expect(resolveCoreType(undefined, {}, () => ZEN3)).toEqual({ requested: 'auto', asked: 'Haswell', reason: 'this CPU has avx2, fma (/proc/cpuinfo)' });
  expect(resolveCoreType('auto', {}, () => OLD).asked).toBeNull();
  expect(resolveCoreType('auto', {}, () => null)).toEqual({ requested: 'auto', asked: null, reason: 'no /proc/cpuinfo: left to the library' });
  expect(resolveCoreType('auto', { OPENBLAS_CORETYPE: 'Zen' }, () => XEON_207)).toEqual({ requested: 'auto', asked: null, reason: 'OPENBLAS_CORETYPE=Zen is set' });
  expect(resolveCoreType('library', {}, () => XEON_207)).toEqual({ requested: 'library', asked: null, reason: 'left to the library' });
  expect(resolveCoreType('Cooperlake', { OPENBLAS_CORETYPE: 'Zen' }, () => OLD)).toEqual({ requested: 'Cooperlake', asked: 'Cooperlake', reason: 'the coreType option' });
});

test('a bad coreType is a one-line InvalidArgumentError', () => {
  for (const bad of ['', 'Sky lake', '../x', 42 as never]) {
    expect(() => resolveCoreType(bad, {}, () => XEON_207)).toThrow(InvalidArgumentError);
  }
  expect(() => resolveCoreType('', {}, () => null)).toThrow(/^coreType: expected "auto", "library" or an OpenBLAS core name such as "Haswell"/);
});
