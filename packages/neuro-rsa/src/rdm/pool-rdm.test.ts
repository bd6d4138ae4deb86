import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { poolRdm } from './pool-rdm.js';
import { rdmFromVector } from './rdm.js';
import { expectClose } from '../../../../test-support/expect-close.js';

const S = [
  [1, 2, 3, 4, 5, 6],
  [2, 1, 3, 5, 4, 6],
  [1, 3, 2, 4, 6, 5],
];
const SN = [S[0]!.map((v, k) => (k === 2 ? NaN : v)), S[1]!.map((v, k) => (k === 4 ? NaN : v)), S[2]!];
const rdms = (vs: number[][]) => vs.map((v) => rdmFromVector(v));

// numpy 2.4 / scipy 1.17, a literal port of rsatoolbox's pool_rdm, _nan_mean and _nan_rank_data.
const REF: Record<string, [number[], number[]]> = {
  cosine: [
    [0.3423683940087303, 0.5135525910130955, 0.6847367880174606, 1.1126972805283737, 1.2838814775327387, 1.455065674537104],
    [0.34003549138775574, 0.507464191530533, NaN, 1.1019430758038622, NaN, 1.4382230703300298],
  ],
  corr: [
    [0, 0.3903600291794135, 0.7807200583588267, 1.75662013130736, 2.1469801604867733, 2.5373401896661862],
    [0, 0.39036002917941326, NaN, 1.6638677758035039, NaN, 2.398211656410403],
  ],
  spearman: [
    [4 / 3, 2, 8 / 3, 13 / 3, 5, 17 / 3],
    [4 / 3, 2, NaN, 11 / 3, NaN, 5],
  ],
};
REF['cosine_cov'] = REF['cosine']!;
REF['corr_cov'] = REF['corr']!;
REF['tau-a'] = REF['spearman']!;
REF['rho-a'] = REF['spearman']!;
REF['kendall'] = REF['spearman']!;

test.each(Object.keys(REF))('%s pooling matches rsatoolbox pool_rdm (with and without NaNs)', (method) => {
  const [full, withNaN] = REF[method]!;
  // expectClose: NaN expected ⇔ NaN got.
  expectClose(poolRdm(rdms(S), method as never).vector, full, { abs: 1e-14 });
  expectClose(poolRdm(rdms(SN), method as never).vector, withNaN, { abs: 1e-14 });
});

test('hand-computed: rank pooling is the mean of the rank vectors', () => {
  // ranks of S are S itself (1..6 permutations): mean of column 0 = (1 + 2 + 1)/3.
  expect(poolRdm(rdms(S), 'spearman').vector[0]).toBeCloseTo(4 / 3, 15);
});

test('bad arguments', () => {
  expect(() => poolRdm([], 'corr')).toThrow(InvalidArgumentError);
  expect(() => poolRdm(rdms(S), 'nope' as never)).toThrow(InvalidArgumentError);
  expect(() => poolRdm([rdmFromVector([1, 2, 3]), rdmFromVector(S[0]!)], 'corr')).toThrow(ShapeError);
});
