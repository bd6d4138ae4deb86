#!/usr/bin/env node
// The install script of @conceptlab/native-blas: compiles the N-API addon (binding.gyp → build/Release/
// native_blas.node) with node-gyp. The addon links no BLAS (it dlopen()s one at first use), so it needs only a C
// compiler, make, python3 and Node's headers. When compilation is impossible this prints ONE warning line and exits
// 0, so `npm install` / `npm ci` of a project never fails because of this optional accelerator; using the package
// then throws NativeBlasUnavailableError saying the addon is not built and how to build it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// npm sets npm_config_node_gyp (its bundled node-gyp) for lifecycle scripts; run by hand, npm's bundled copy
// beside this Node, else node-gyp on PATH.
const bundled = join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
const gyp = process.env.npm_config_node_gyp ?? (existsSync(bundled) ? bundled : undefined);
const [cmd, args] = gyp ? [process.execPath, [gyp, 'rebuild']] : ['node-gyp', ['rebuild']];
const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', shell: false });
if (r.status === 0) process.exit(0);
const why = r.error ? `${cmd} could not run (${r.error.code ?? r.error.message})` : `node-gyp rebuild exited ${r.status}: ${lastError(r.stderr || r.stdout)}`;
console.warn(`@conceptlab/native-blas: the addon was not built (${why}); the package will throw NativeBlasUnavailableError until it is: install a C compiler, make and python3, then run \`npm rebuild @conceptlab/native-blas\`.`);
process.exit(0);

function lastError(text) {
  const lines = String(text).split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => /error/i.test(l) && !/^gyp ERR! (stack|System|command|cwd|node|node-gyp|not ok)/.test(l)) ?? lines.at(-1) ?? 'no output').slice(0, 200);
}
