import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { denseRanks, kendallTau, kendallTauRanks } from './kendall.js';
import { KENDALL_WASM_BASE64 } from '../kernels/kendall-wasm.generated.js';
import { kendallWasmAvailable } from '../kernels/kendall-wasm.js';
import { expectClose } from '../../../../test-support/expect-close.js';
import { lcg, vectors } from '../../test/kendall-vectors.js';

const sha256 = (x: Uint8Array) => createHash('sha256').update(x).digest('hex');

const cmp = (a: number, b: number) => (a > b ? 1 : a < b ? -1 : 0);

/** The O(m²) definition: Σ_{i<j} sign(x_j − x_i)·sign(y_j − y_i), and the tied-pair counts. */
function bruteForce(x: ArrayLike<number>, y: ArrayLike<number>) {
  const m = x.length;
  let s = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      s += cmp(x[j]!, x[i]!) * cmp(y[j]!, y[i]!);
      if (x[i] === x[j]) tx++;
      if (y[i] === y[j]) ty++;
    }
  }
  const t = (m * (m - 1)) / 2;
  return { a: s / t, b: tx === t || ty === t ? Number.NaN : s / Math.sqrt((t - tx) * (t - ty)) };
}

// python3: scipy.stats.kendalltau(x, y).statistic (scipy 1.17) and the exact tau-a Σ sign·sign / T,
// on the vectors() above.
const SCIPY: [seed: number, m: number, levels: number, tauB: number, tauA: number][] = [
  [1, 1000, 30, 0.6415086875528108, 0.6171351351351352],
  [2, 1000, 1000000, 0.6301567869440464, 0.6301561561561562],
  [3, 200, 5, 0.6538097867273885, 0.5024120603015075],
  // m ≥ 2^16: the long-vector paths (JavaScript 16-bit radix; WebAssembly instance held after the call); tau-a = (C − D)/T with C − D = 1,542,342,930 exactly.
  [4, 70000, 5000, 0.6296814344854473, 0.6295367199123253],
];

test.each(SCIPY)('seed %i, m = %i, %i levels: tau-b and tau-a match scipy within 1e-12, both kernels', (seed, m, levels, tauB, tauA) => {
  const [x, y] = vectors(seed, m, levels);
  for (const kernel of ['wasm', 'js'] as const) {
    expectClose(kendallTau(x, y, 'b', { kernel }), tauB, { rel: 1e-12 });
    expectClose(kendallTau(x, y, 'a', { kernel }), tauA, { rel: 1e-12 });
  }
  expect(kendallTau(x, y, 'b', { kernel: 'wasm' })).toBe(kendallTau(x, y, 'b', { kernel: 'js' }));
  expect(kendallTau(x, y, 'a')).toBe(kendallTau(x, y, 'a', { kernel: 'js' }));
});

test('the committed Kendall wasm was compiled from the current assembly/kendall.ts (else run npm run build:wasm)', () => {
  const generated = readFileSync(join(__dirname, '../kernels/kendall-wasm.generated.ts'), 'utf8');
  expect(generated).toContain(`// source sha256 ${sha256(readFileSync(join(__dirname, '../../assembly/kendall.ts')))}`);
  const wasm = Buffer.from(KENDALL_WASM_BASE64, 'base64');
  expect(generated).toContain(`// wasm sha256 ${sha256(wasm)} (${wasm.length} bytes)`);
  expect(kendallWasmAvailable()).toBe(true);
});

test('hand-computed: x = [1, 2, 3, 4], y = [1, 3, 2, 4] has C = 5, D = 1 → tau = 4/6', () => {
  expect(kendallTau([1, 2, 3, 4], [1, 3, 2, 4], 'a')).toBeCloseTo(4 / 6, 15);
  expect(kendallTau([1, 2, 3, 4], [1, 3, 2, 4], 'b')).toBeCloseTo(4 / 6, 15);
});

test('hand-computed with ties: x = [1, 1, 2, 3], y = [1, 2, 2, 3]: C = 4, D = 0, Tx = 1, Ty = 1', () => {
  // tau-a = 4/6; tau-b = 4 / √(5·5)
  expect(kendallTau([1, 1, 2, 3], [1, 2, 2, 3], 'a')).toBeCloseTo(4 / 6, 15);
  expect(kendallTau([1, 1, 2, 3], [1, 2, 2, 3], 'b')).toBeCloseTo(4 / 5, 15);
});

test('equals the O(m²) definition on random vectors with ties, negatives, −0 and +0, and huge magnitudes', () => {
  const u = lcg(11, 3 * 400);
  const specials = [0, -0, 1e300, -1e300, 5e-324, -5e-324, Infinity, -Infinity];
  for (const m of [2, 3, 17, 150, 400]) {
    const x = new Float64Array(m);
    const y = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      x[k] = u[k]! < 0.1 ? specials[Math.floor(u[400 + k]! * 8)]! : Math.round((u[k]! - 0.5) * 20) / 3;
      y[k] = u[800 + k]! < 0.1 ? specials[Math.floor(u[k]! * 8)]! : x[k]! * 0.5 + Math.round(u[800 + k]! * 9);
    }
    const want = bruteForce(x, y);
    for (const variant of ['a', 'b'] as const) {
      for (const kernel of ['wasm', 'js'] as const) {
        expectClose(kendallTau(x, y, variant, { kernel }), want[variant], { abs: 1e-15, rel: 1e-12 }); // NaN only for NaN
      }
    }
  }
});

test.each(['wasm', 'js'] as const)('%s: perfectly (anti-)ordered vectors give ±1; a constant vector gives NaN for tau-b and 0 for tau-a', (kernel) => {
  expect(kendallTau([3, 1, 2], [30, 10, 20], 'b', { kernel })).toBe(1);
  expect(kendallTau([3, 1, 2], [-30, -10, -20], 'a', { kernel })).toBe(-1);
  expect(kendallTau([2, 2, 2], [1, 2, 3], 'b', { kernel })).toBeNaN();
  expect(kendallTau([2, 2, 2], [1, 2, 3], 'a', { kernel })).toBe(0);
  expect(kendallTau([1], [1], 'a', { kernel })).toBeNaN();
  expect(kendallTau([-0, 0, 1], [1, 2, 3], 'b', { kernel })).toBeCloseTo(2 / Math.sqrt(2 * 3), 15);
});

test('values that differ only in their low bits (the WebAssembly sort covers ≤ 28 varying key bits, then orders ties on them by the full key): the O(m²) definition', () => {
  // 1 + k·2⁻⁴⁵ share sign, exponent and the top 21 mantissa bits: one tie run of the radix pass, ordered by
  // insertion (≤ 32 values) or by a radix sort of the low bits (longer runs).
  const u = lcg(31, 2 * 300);
  for (const m of [40, 300]) {
    const x = new Float64Array(m);
    const y = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      x[k] = 1 + Math.floor(u[k]! * 250) * 2 ** -45;
      y[k] = k % 3 === 0 ? 0.5 + Math.floor(u[300 + k]! * 50) * 2 ** -50 : -2 - Math.floor(u[k]! * 200) * 2 ** -49;
    }
    const want = bruteForce(x, y);
    for (const variant of ['a', 'b'] as const) {
      for (const kernel of ['wasm', 'js'] as const) expectClose(kendallTau(x, y, variant, { kernel }), want[variant], { abs: 1e-15, rel: 1e-12 });
      expect(kendallTau(x, y, variant, { kernel: 'wasm' })).toBe(kendallTau(x, y, variant, { kernel: 'js' }));
    }
  }
});

/** The pair counts of both kernels agree exactly: tau-a and tau-b from the WebAssembly and JavaScript kernels are the same numbers. */
function expectKernelsAgree(x: Float64Array, y: Float64Array): void {
  for (const variant of ['a', 'b'] as const) {
    expect(kendallTau(x, y, variant, { kernel: 'wasm' })).toBe(kendallTau(x, y, variant, { kernel: 'js' }));
  }
}

test('the WebAssembly rank sort on one bucket: values over 28 varying key bits apart and values apart only in their low bits, −0 and +0, exact ties: the O(m²) definition', () => {
  // Magnitudes from 2⁻³⁰ to 2³⁰ (the sorted top bits cover the exponents) with low-bit offsets j·2⁻⁴⁸ of
  // 1, 2 or 4: values that tie on the sorted bits but differ, ordered by their full keys.
  const m = 3000;
  const u = lcg(41, 3 * m);
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const e = Math.floor(u[k]! * 60) - 30;
    x[k] = k % 7 === 0 ? (k % 14 === 0 ? -0 : 0) : (1 + Math.floor(u[m + k]! * 8) * 2 ** -48) * 2 ** e * (u[2 * m + k]! < 0.3 ? -1 : 1);
    y[k] = k % 5 === 0 ? 2 ** Math.floor(u[2 * m + k]! * 4) : (1 + Math.floor(u[2 * m + k]! * 64) * 2 ** -50) * 2 ** Math.floor(u[m + k]! * 8);
  }
  const want = bruteForce(x, y);
  for (const variant of ['a', 'b'] as const) expectClose(kendallTau(x, y, variant, { kernel: 'wasm' }), want[variant], { rel: 1e-12 });
  expectKernelsAgree(x, y);
});

test('the WebAssembly rank sort on long vectors (split into buckets): continuous values, low-bit ties, −0 and +0, exact ties, both kernels equal', () => {
  const m = 50000;
  const u = lcg(43, 3 * m);
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    // Continuous values, a share that differ from another only below the sorted bits, zeros of both signs.
    x[k] = k % 11 === 0 ? (k % 22 === 0 ? -0 : 0) : k % 3 === 0 ? 1 + Math.floor(u[k]! * 3000) * 2 ** -47 : u[k]! * 2 - 0.5;
    y[k] = k % 101 === 0 ? 1 : x[k]! * 0.5 + u[m + k]! * (u[2 * m + k]! < 0.5 ? 1e-9 : 1);
  }
  expectKernelsAgree(x, y);
  expectKernelsAgree(y, x);
});

test('the WebAssembly rank sort: a long vector that varies only in its lowest key bits, a constant one, two-valued ones (a categorical model RDM)', () => {
  const m = 20000;
  const u = lcg(47, 2 * m);
  const low = Float64Array.from({ length: m }, (_, k) => 1 + Math.floor(u[k]! * 2 ** 14) * 2 ** -50); // one run of the sorted bits
  const constant = new Float64Array(m).fill(0.25);
  const twoValued = Float64Array.from({ length: m }, (_, k) => (u[m + k]! < 0.3 ? 0 : 1));
  const continuous = Float64Array.from({ length: m }, (_, k) => u[m + k]! + u[k]! * 0.1);
  expectKernelsAgree(low, continuous);
  expectKernelsAgree(twoValued, continuous);
  expectKernelsAgree(continuous, twoValued);
  expectKernelsAgree(twoValued, low);
  expect(kendallTau(constant, continuous, 'a')).toBe(0);
  expect(kendallTau(constant, continuous, 'b')).toBeNaN();
  expect(kendallTau(continuous, constant, 'a')).toBe(0);
  expect(kendallTau(continuous, continuous, 'a')).toBe(1);
  expect(kendallTau(continuous, continuous, 'b')).toBeCloseTo(1, 15); // T / √T / √T rounds
  // tau-a of a vector with itself is 1 − (tied pairs)/T; of its mirror, the negative.
  const t = (m * (m - 1)) / 2;
  let n1 = 0;
  for (let k = 0; k < m; k++) n1 += twoValued[k]!;
  const tied = (n1 * (n1 - 1)) / 2 + ((m - n1) * (m - n1 - 1)) / 2;
  expect(kendallTau(twoValued, twoValued, 'a')).toBe((t - tied) / t);
  expect(kendallTau(twoValued, twoValued.map((v) => -v), 'a')).toBe(-(t - tied) / t);
});

test('n = 2 and 3, equal keys: hand-computed', () => {
  expect(kendallTau([1, 2], [5, 3], 'a', { kernel: 'wasm' })).toBe(-1);
  expect(kendallTau([1, 1], [5, 3], 'a', { kernel: 'wasm' })).toBe(0);
  expect(kendallTau([-0, 0], [5, 3], 'b', { kernel: 'wasm' })).toBeNaN();
  // x = [2, 2, 1], y = [1, 3, 0]: pairs (0,1) tied in x; (0,2) and (1,2) concordant: tau-a = 2/3, tau-b = 2/√(2·3).
  expect(kendallTau([2, 2, 1], [1, 3, 0], 'a', { kernel: 'wasm' })).toBeCloseTo(2 / 3, 15);
  expect(kendallTau([2, 2, 1], [1, 3, 0], 'b', { kernel: 'wasm' })).toBeCloseTo(2 / Math.sqrt(6), 15);
});

test('repeated x (the sorted-x memo of the WebAssembly kernel) gives the same results as fresh computations', () => {
  const [x, y1] = vectors(21, 500, 60);
  const [, y2] = vectors(22, 500, 60);
  const x2 = x.slice();
  x2[123] = 7; // one value differs: the memo must not be used
  const calls: [Float64Array, Float64Array][] = [[x, y1], [x, y2], [x2, y2], [x, y2], [x.subarray(0, 400), y1.subarray(0, 400)], [x, y1]];
  for (const [a, b] of calls) {
    for (const variant of ['a', 'b'] as const) {
      expect(kendallTau(a, b, variant, { kernel: 'wasm' })).toBe(kendallTau(a, b, variant, { kernel: 'js' }));
    }
  }
  expect(kendallTau(x2, y2, 'a')).not.toBe(kendallTau(x, y2, 'a'));
});

test('denseRanks: equal values share a rank, −0 equals +0, order is numeric', () => {
  const { ranks, distinct } = denseRanks([0.5, -0, -Infinity, 0, 2, -1.5, 0.5]);
  expect(Array.from(ranks)).toEqual([3, 2, 0, 2, 4, 1, 3]);
  expect(distinct).toBe(5);
});

test('kendallTauRanks on ranks of a larger vector, subsampled, equals kendallTau on the subsampled values', () => {
  const [x, y] = vectors(5, 600, 40);
  const rx = denseRanks(x);
  const ry = denseRanks(y);
  const pick = Int32Array.from({ length: 450 }, (_, k) => (k * 7919) % 600); // with repeats
  const xs = Float64Array.from(pick, (k) => x[k]!);
  const ys = Float64Array.from(pick, (k) => y[k]!);
  const rxs = Int32Array.from(pick, (k) => rx.ranks[k]!);
  const rys = Int32Array.from(pick, (k) => ry.ranks[k]!);
  for (const variant of ['a', 'b'] as const) {
    const want = bruteForce(xs, ys)[variant];
    expect(kendallTauRanks(rxs, rys, variant, rx.distinct, ry.distinct)).toBe(kendallTau(xs, ys, variant));
    expect(kendallTauRanks(rxs, rys, variant)).toBe(kendallTau(xs, ys, variant));
    expectClose(kendallTau(xs, ys, variant), want, { rel: 1e-12 });
  }
  expect(() => kendallTauRanks(Int32Array.of(0, 3), Int32Array.of(0, 1), 'a', 3, 2)).toThrow(InvalidArgumentError);
  expect(() => kendallTauRanks(Int32Array.of(0, -1), Int32Array.of(0, 1), 'a')).toThrow(InvalidArgumentError);
});

test('bad input: NaN, different lengths, unknown variant', () => {
  expect(() => kendallTau([1, Number.NaN], [1, 2], 'a')).toThrow(InvalidArgumentError);
  expect(() => kendallTau([1, 2], [1, 2, 3], 'a')).toThrow(ShapeError);
  expect(() => kendallTau([1, 2], [1, 2], 'c' as 'a')).toThrow(InvalidArgumentError);
  expect(() => kendallTau([1, 2], [1, 2], 'a', { kernel: 'gpu' as 'js' })).toThrow(InvalidArgumentError);
});
