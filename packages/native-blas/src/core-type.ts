import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from '@conceptlab/core';

/**
 * Which OpenBLAS CPU kernels {@link loadNativeBlas} asks for (OpenBLAS's `OPENBLAS_CORETYPE`, read once, when the
 * library is first opened in the process):
 * - `'auto'` (default): when `OPENBLAS_CORETYPE` is not set, the fastest core this CPU's features support among
 *   those every OpenBLAS `DYNAMIC_ARCH` build since 0.3.x knows — `'SkylakeX'` with AVX-512 (F, CD, BW, DQ, VL),
 *   `'Haswell'` with AVX2 and FMA — else nothing is asked (see {@link autoCoreType}). This matters where the
 *   OpenBLAS is older than the CPU: Debian 12's 0.3.21 does not recognise an Intel Xeon of family 6 model 207 and
 *   falls back to its SSE3 `Prescott` kernels, about 3× slower there.
 * - `'library'`: nothing is asked; the library picks (or follows `OPENBLAS_CORETYPE`).
 * - a core name (e.g. `'Haswell'`): asked for as is, whatever the CPU (a core the CPU cannot run stops the
 *   process with an illegal instruction, as the environment variable would).
 */
export type CoreTypeOption = 'auto' | 'library' | (string & {});

/** What {@link loadNativeBlas} did about OpenBLAS's core type ({@link BlasInfo.coreType}). */
export interface CoreTypeChoice {
  /** The option given. */
  readonly requested: string;
  /** The core asked for through `OPENBLAS_CORETYPE` while the library was opened; null when nothing was asked. */
  readonly asked: string | null;
  /** Why, in words. */
  readonly reason: string;
}

/** CPU features (lower case) that {@link autoCoreType} looks at. */
const AVX512 = ['avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl'] as const;
const AVX2 = ['avx2', 'fma'] as const;

/**
 * The OpenBLAS core `'auto'` asks for on a CPU with these feature flags (as Linux's /proc/cpuinfo names them):
 * `'SkylakeX'` when all of avx512f, avx512cd, avx512bw, avx512dq and avx512vl are present, else `'Haswell'` when
 * avx2 and fma are, else null.
 */
export function autoCoreType(flags: ReadonlySet<string>): 'SkylakeX' | 'Haswell' | null {
  if (AVX512.every((f) => flags.has(f))) return 'SkylakeX';
  if (AVX2.every((f) => flags.has(f))) return 'Haswell';
  return null;
}

/** The feature flags of the first processor in a /proc/cpuinfo text (its `flags` line); empty when there is none. */
export function cpuFlags(cpuinfo: string): Set<string> {
  const line = /^flags\s*:(.*)$/m.exec(cpuinfo);
  return new Set(line ? line[1]!.trim().split(/\s+/).filter((f) => f !== '') : []);
}

/** Reads /proc/cpuinfo; null where it cannot be read (not Linux). */
function readCpuinfo(): string | null {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null;
  }
}

/**
 * What to ask OpenBLAS for, given the option, the environment and the CPU (the reader returns /proc/cpuinfo's
 * text, or null where there is none).
 * @throws InvalidArgumentError for an option that is not `'auto'`, `'library'` or a core name (letters and digits).
 */
export function resolveCoreType(option: CoreTypeOption = 'auto', env: NodeJS.ProcessEnv = process.env, cpuinfo: () => string | null = readCpuinfo): CoreTypeChoice {
  if (typeof option !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(option)) {
    throw new InvalidArgumentError('coreType', '"auto", "library" or an OpenBLAS core name such as "Haswell"', option);
  }
  const fromEnv = env.OPENBLAS_CORETYPE;
  if (option === 'library') return { requested: option, asked: null, reason: fromEnv ? `left to the library (OPENBLAS_CORETYPE=${fromEnv} is set)` : 'left to the library' };
  if (option !== 'auto') return { requested: option, asked: option, reason: 'the coreType option' };
  if (fromEnv) return { requested: option, asked: null, reason: `OPENBLAS_CORETYPE=${fromEnv} is set` };
  const text = cpuinfo();
  if (text === null) return { requested: option, asked: null, reason: 'no /proc/cpuinfo: left to the library' };
  const flags = cpuFlags(text);
  const core = autoCoreType(flags);
  if (core === null) return { requested: option, asked: null, reason: 'this CPU has neither AVX-512 nor AVX2 with FMA: left to the library' };
  const used = core === 'SkylakeX' ? AVX512 : AVX2;
  return { requested: option, asked: core, reason: `this CPU has ${used.join(', ')} (/proc/cpuinfo)` };
}
