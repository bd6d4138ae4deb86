import { ConceptlabError } from '@conceptlab/core';
import { NativeBlasUnavailableError } from './errors.js';

test('NativeBlasUnavailableError: one line, a ConceptlabError, and how to fix it for each reason', () => {
  const addon = new NativeBlasUnavailableError('addon', 'the addon is not built (/x/native_blas.node is missing)');
  expect(addon).toBeInstanceOf(ConceptlabError);
  expect(addon._tag).toBe('NativeBlasUnavailableError');
  expect(addon.reason).toBe('addon');
  expect(addon.message).toBe(
    '@conceptlab/native-blas: the addon is not built (/x/native_blas.node is missing): run `npm rebuild @conceptlab/native-blas` (needs a C compiler, make and python3)',
  );
  const lib = new NativeBlasUnavailableError('library', 'no CBLAS library could be loaded (tried a:\n b)');
  expect(lib.message).toBe(
    '@conceptlab/native-blas: no CBLAS library could be loaded (tried a: b): install one (Debian/Ubuntu: apt-get install libopenblas0) or set CONCEPTLAB_BLAS to the path of a CBLAS shared library',
  );
});
