import * as api from './index.js';

test('the public API is exactly the documented names', () => {
  expect(Object.keys(api).sort()).toEqual(['DEFAULT_BLAS_LIBRARIES', 'NativeBlasUnavailableError', 'blasCandidates', 'checkGramInput', 'loadNativeBlas'].sort());
});
