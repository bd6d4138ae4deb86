import { blasCandidates, DEFAULT_BLAS_LIBRARIES } from './libraries.js';

test('the default list: OpenBLAS first, then the system libblas / libcblas', () => {
  expect(DEFAULT_BLAS_LIBRARIES).toEqual(['libopenblas.so.0', 'libopenblas.so', 'libblas.so.3', 'libcblas.so.3']);
  expect(Object.isFrozen(DEFAULT_BLAS_LIBRARIES)).toBe(true);
  expect(blasCandidates(undefined, {})).toEqual({ names: DEFAULT_BLAS_LIBRARIES, from: 'default' });
  expect(blasCandidates(undefined, { CONCEPTLAB_BLAS: '' })).toEqual({ names: DEFAULT_BLAS_LIBRARIES, from: 'default' });
});

test('CONCEPTLAB_BLAS names the only library tried; the option wins over it', () => {
  expect(blasCandidates(undefined, { CONCEPTLAB_BLAS: '/opt/blis/libblis.so' })).toEqual({ names: ['/opt/blis/libblis.so'], from: 'CONCEPTLAB_BLAS' });
  expect(blasCandidates('libmkl_rt.so', { CONCEPTLAB_BLAS: '/opt/blis/libblis.so' })).toEqual({ names: ['libmkl_rt.so'], from: 'option' });
});
