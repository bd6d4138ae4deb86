import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { compareCovWeighted } from './compare-cov.js';
import { compareRdms, compareVectors } from './compare.js';
import { rdmFromVector } from '../rdm/rdm.js';

// The deterministic vectors of the numpy reference script (n = 7 conditions, 21 dissimilarities).
const L = 21;
const k = Array.from({ length: L }, (_, i) => i);
const x = k.map((i) => ((i * 7919) % 101) / 10 + 1);
const y = k.map((i) => ((i * 104729) % 97) / 7);
const z = k.map((i, j) => (i % 5 === 0 ? x[j]! * 2 + 1 : y[j]!));
const xn = x.map((v, i) => (i === 3 || i === 10 ? NaN : v));
const yn = y.map((v, i) => (i === 10 || i === 17 ? NaN : v));
const sigma = [1, 1.5, 2, 1, 1.5, 2, 1];

// numpy 2.4, a literal port of rsatoolbox's _cov_weighting + _cosine (nan_idx = entries where both are
// finite). For sigma_k = identity the same numbers also come from the definition
// d1ᵀV⁻¹d2 / √(d1ᵀV⁻¹d1 · d2ᵀV⁻¹d2), V = (CCᵀ)∘(CCᵀ) restricted to the present entries (|Δ| ≤ 2e-16),
// with and without NaNs. With a diagonal sigma_k rsatoolbox's fast path (used here) is not that
// V⁻¹ form; the values pinned are rsatoolbox's.
const REF: Record<string, { corr_cov: [number, number]; cosine_cov: [number, number] }> = {
  xy: { corr_cov: [0.14886387355269143, 0.24609020546457616], cosine_cov: [0.44396684396375746, 0.5245382760641115] },
  xz: { corr_cov: [0.24932275907505197, 0.37059134902151286], cosine_cov: [0.5088905858568568, 0.6012148203921319] },
  xyNaN: { corr_cov: [0.2616273523985504, 0.39221944531035735], cosine_cov: [0.5428463260651671, 0.6337218790543395] },
};
const inputs: Record<string, [number[], number[]]> = { xy: [x, y], xz: [x, z], xyNaN: [xn, yn] };

describe.each(Object.keys(REF))('%s', (name) => {
  test.each(['corr_cov', 'cosine_cov'] as const)('%s matches rsatoolbox within 1e-12 (identity and diagonal sigma_k)', (method) => {
    const [a, b] = inputs[name]!;
    const [plain, weighted] = REF[name]![method];
    expect(Math.abs(compareVectors(a, b, method) - plain)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(compareVectors(a, b, method, { sigmaK: sigma }) - weighted)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(compareRdms(rdmFromVector(a), rdmFromVector(b), method) - plain)).toBeLessThanOrEqual(1e-12);
  });
});

test('hand-computed: n = 3, cosine_cov of an RDM with itself is 1 and is scale-free', () => {
  expect(compareVectors([1, 2, 3], [1, 2, 3], 'cosine_cov')).toBeCloseTo(1, 14);
  expect(compareVectors([1, 2, 3], [10, 20, 30], 'corr_cov')).toBeCloseTo(1, 14);
  // A constant RDM is removed entirely by corr_cov's centring: norm 0 → 0, as rsatoolbox's _cosine.
  expect(compareVectors([1, 1, 1], [1, 2, 3], 'corr_cov')).toBe(0);
  // n = 3, d = (1, 0, 0) (pair 0–1): G = −½D has row means (−1/6, −1/6, 0) and grand mean −1/9, so
  // w01 = −½ + 1/3 − 1/9 = −5/18, w02 = w12 = 1/6 − 1/9 = 1/18, diagonal (2/9, 2/9, −1/9); pairs ×√2:
  // a = (√2·(−5, 1, 1), 4, 4, −2)/18. For d = (0, 0, 1) (pair 1–2) likewise b = (√2·(1, 1, −5), −2, 4, 4)/18.
  // a·b = (2·(−5 + 1 − 5) − 8 + 16 − 8)/324 = −18/324, |a|² = |b|² = (2·27 + 36)/324 = 90/324 → −0.2.
  expect(compareVectors([1, 0, 0], [0, 0, 1], 'cosine_cov')).toBeCloseTo(-0.2, 14);
});

test('runs on a 1,854-condition RDM in O(n²) and agrees with itself under relabelling of the inputs', () => {
  const n = 1854;
  const len = (n * (n - 1)) / 2;
  const a = new Float64Array(len);
  const b = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    a[i] = ((i * 7919) % 1009) / 1009;
    b[i] = a[i]! + ((i * 31) % 17) / 17;
  }
  const r = compareVectors(a, b, 'corr_cov');
  expect(r).toBeGreaterThan(0);
  expect(r).toBeLessThan(1);
  expect(compareVectors(b, a, 'corr_cov')).toBeCloseTo(r, 12);
  expect(compareVectors(a, a, 'cosine_cov')).toBeCloseTo(1, 12);
});

test('bad arguments', () => {
  expect(() => compareVectors([1, 2, 3, 4], [1, 2, 3, 4], 'corr_cov')).toThrow(InvalidArgumentError);
  expect(() => compareVectors([1, 2, 3], [1, 2, 3], 'corr_cov', { sigmaK: [1, 2] })).toThrow(ShapeError);
  expect(() => compareVectors([1, 2, 3], [1, 2, 3], 'corr_cov', { sigmaK: [1, 0, 2] })).toThrow(InvalidArgumentError);
  expect(() => compareCovWeighted([1, 2], [1, 2], 3, 'corr_cov')).toThrow(ShapeError);
  expect(compareVectors([NaN, NaN, 1], [1, 2, 3], 'cosine_cov')).toBeNaN();
});

test('a non-finite dissimilarity: NaN pairs are left out, an infinity gives NaN (never a cosine of 0)', () => {
  const a = [1, 2, 3];
  expect(compareVectors([Number.POSITIVE_INFINITY, 2, 3], a, 'corr_cov')).toBeNaN();
  expect(compareVectors(a, [1, Number.NEGATIVE_INFINITY, 3], 'cosine_cov')).toBeNaN();
  expect(compareCovWeighted([Number.NaN, 2, 3], a, 3, 'cosine_cov')).toBeNaN();
  // A NaN pair is missing, not an error: the rest is compared (an RDM with itself: 1).
  expect(compareVectors([Number.NaN, 2, 3], [Number.NaN, 2, 3], 'cosine_cov')).toBeCloseTo(1, 12);
});
