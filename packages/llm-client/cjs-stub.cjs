'use strict';
// @conceptlab/llm-client is ESM-only. This is what require() resolves to (the "require" condition of "exports"),
// so that require() fails with a message that says what to do instead of ERR_PACKAGE_PATH_NOT_EXPORTED.
const error = new Error(
  "@conceptlab/llm-client is an ES module: use `import … from '@conceptlab/llm-client'` (or `await import('@conceptlab/llm-client')` from CommonJS); Node ≥ 20.",
);
error.code = 'ERR_REQUIRE_ESM';
throw error;
