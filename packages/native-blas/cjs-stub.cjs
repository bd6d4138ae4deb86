'use strict';
// @conceptlab/native-blas is ESM-only. This is what require() resolves to (the "require" condition of "exports"),
// so that require() fails with a message that says what to do instead of ERR_PACKAGE_PATH_NOT_EXPORTED.
const error = new Error(
  "@conceptlab/native-blas is an ES module: use `import … from '@conceptlab/native-blas'` (or `await import('@conceptlab/native-blas')` from CommonJS); Node ≥ 20.",
);
error.code = 'ERR_REQUIRE_ESM';
throw error;
