#!/usr/bin/env node
// Launcher committed beside the sources so npm can link the `conceptlab` command at install time;
// the program itself is built into dist/ by `npm run build`.
import('../dist/bin.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/bin.js')) {
    process.stderr.write('conceptlab-repro: not built yet — run `npm run build` in the conceptlab workspace first\n');
    process.exit(70);
  }
  throw err;
});
