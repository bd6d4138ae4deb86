'use strict';
// @conceptlab/spose-embed is ESM-only. This is what require() resolves to (the "require" condition of "exports"),
// so that require() fails with a message that says what to do instead of ERR_PACKAGE_PATH_NOT_EXPORTED.
const error = new Error(
  "@conceptlab/spose-embed is an ES module: use `import … from '@conceptlab/spose-embed'` (or `await import('@conceptlab/spose-embed')` from CommonJS); Node ≥ 20.",
);
error.code = 'ERR_REQUIRE_ESM';
throw error;
