// A package's public surface, read with the workspace's TypeScript compiler API from its built declaration
// files: its entry points (package.json "exports") and, for each, every exported name with its declaration.
// Used by pack-check.mjs (the strict consumer) and api-report.mjs (the committed API reports).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * The entry points of the package in `pkgDir`: one per subpath of "exports" ('.', './stats', …; not
 * './package.json' or patterns), with its import specifier and its declaration file (relative to pkgDir).
 * @returns {{ subpath: string, specifier: string, types: string }[]}
 */
export function entryPoints(pkgDir) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const exp = pkg.exports ?? { '.': { types: pkg.types ?? pkg.typings } };
  const map = typeof exp === 'string' || !Object.keys(exp).every((k) => k.startsWith('.')) ? { '.': exp } : exp;
  const out = [];
  for (const [subpath, target] of Object.entries(map)) {
    if (subpath === './package.json' || subpath.includes('*')) continue;
    const types = typesOf(target);
    if (!types) throw new Error(`${pkg.name}: exports["${subpath}"] has no "types" condition`);
    out.push({ subpath, specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`, types: types.replace(/^\.\//, '') });
  }
  return out;
}

function typesOf(target) {
  if (typeof target === 'string') return target.endsWith('.d.ts') ? target : target.replace(/\.m?js$/, '.d.ts');
  if (!target || typeof target !== 'object') return undefined;
  if (typeof target.types === 'string') return target.types;
  for (const c of ['import', 'node', 'default']) {
    const t = typesOf(target[c]);
    if (t) return t;
  }
  return undefined;
}

function load(dtsFile) {
  const program = ts.createProgram([dtsFile], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(dtsFile);
  if (!source) throw new Error(`${dtsFile}: cannot be read`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const symbols = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
  return { checker, symbols };
}

/** Whether an export is type-only: `export type { X }` anywhere along its re-export chain. */
function typeOnlyAlias(symbol, checker) {
  let s = symbol;
  for (let i = 0; i < 20 && s && s.flags & ts.SymbolFlags.Alias; i++) {
    for (const d of s.declarations ?? []) {
      if ((ts.isExportSpecifier(d) || ts.isImportSpecifier(d)) && (d.isTypeOnly || d.parent.parent.isTypeOnly)) return true;
      if (ts.isImportClause(d) && d.isTypeOnly) return true;
    }
    s = checker.getImmediateAliasedSymbol(s);
  }
  return false;
}

function resolveSymbol(symbol, checker) {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

const isValue = (symbol, checker) => !typeOnlyAlias(symbol, checker) && Boolean(resolveSymbol(symbol, checker).flags & ts.SymbolFlags.Value);

/** The exported names of a declaration file, split into values (usable at run time) and type-only names, each sorted. */
export function exportedNames(dtsFile) {
  const { checker, symbols } = load(dtsFile);
  const values = [];
  const types = [];
  for (const s of symbols) (isValue(s, checker) ? values : types).push(s.name);
  return { values: values.sort(), types: types.sort() };
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

function kindOf(target) {
  const f = target.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  if (f & ts.SymbolFlags.Variable) return 'const';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  if (f & ts.SymbolFlags.Module) return 'namespace';
  return 'other';
}

function declarationText(decl) {
  const sf = decl.getSourceFile();
  if (ts.isSourceFile(decl)) return undefined;
  // A variable's declaration is printed with its statement (`declare const x: T;`).
  const node = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
  return printer
    .printNode(ts.EmitHint.Unspecified, node, sf)
    .replace(/^export (declare )?/, '')
    .replace(/^declare /, '');
}

/**
 * Every exported name of a declaration file with its kind and its declaration text (comments removed, printed
 * by the compiler, so formatting is stable), sorted by name.
 * @returns {{ name: string, kind: string, typeOnly: boolean, text: string }[]}
 */
export function describeExports(dtsFile) {
  const { checker, symbols } = load(dtsFile);
  return symbols
    .map((s) => {
      const target = resolveSymbol(s, checker);
      const decls = target.declarations ?? [];
      let text;
      if (decls.length && decls.every((d) => ts.isSourceFile(d))) {
        text = `namespace ${s.name} { ${checker.getExportsOfModule(target).map((m) => m.name).sort().join(', ')} }`;
      } else {
        text = decls.map(declarationText).filter(Boolean).join('\n');
      }
      return { name: s.name, kind: kindOf(target), typeOnly: !isValue(s, checker), text };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
