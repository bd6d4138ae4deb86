import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { importOptionalPeer, InvalidArgumentError } from '@conceptlab/core';
import type * as TfCore from '@tensorflow/tfjs-core';
import { ensureWebGpu, type WebGpuAdapterFacts } from './webgpu-adapter.js';

/**
 * Choosing and initialising a TensorFlow.js backend for the tfjs training engine.
 *
 * Every tfjs package is an optional peer dependency (the default CPU engine needs none): the portable
 * `@tensorflow/tfjs-core`, `-backend-cpu` and `-backend-wasm`, and the native `@tensorflow/tfjs-node-gpu`
 * and `@tensorflow/tfjs-node`. They are loaded with a dynamic `import()`; a missing portable one is a
 * `MissingPeerDependencyError` naming the `npm install` to run.
 *
 * Every module here is loaded lazily (on the first call), so importing this package costs nothing
 * for callers that never train with tfjs.
 */

/**
 * The tfjs-core module the engine runs on (`typeof import('@tensorflow/tfjs-core')`). Opaque in the public
 * types: tfjs's own declarations need the DOM lib (and more), so a program that never touches tfjs would
 * otherwise have to type-check them. Cast it to `typeof import('@tensorflow/tfjs-core')` to call tfjs.
 */
export interface TfModule {
  /** tfjs-core's version. */
  readonly version_core: string;
  /** tfjs's name for the active backend. */
  getBackend(): string;
}

/** tfjs-core's module namespace with tfjs's types, as the engine uses it (stripped from the shipped types). @internal */
export type TfCoreModule = typeof TfCore;

/**
 * Which backend to use. `auto` tries node-gpu, node, wasm, cpu in that order and takes the first that works;
 * `webgpu` (a GPU through WebGPU: Dawn's `webgpu` package under Node) is only used when asked for by name.
 */
export type TfjsBackendPreference = 'auto' | 'node-gpu' | 'node' | 'webgpu' | 'wasm' | 'cpu';

export type TfjsBackendKind = Exclude<TfjsBackendPreference, 'auto'>;

/** What the wasm backend runs with (tfjs's feature detection; threads are never used under Node, tfjs#3830). */
export interface WasmFeatures {
  readonly simd: boolean;
  readonly threads: boolean;
  /** Threads XNNPACK uses (1 without thread support). */
  readonly threadsCount: number;
  /** Directory the .wasm binaries were loaded from, or undefined when left to the wasm package's own default. */
  readonly wasmDir: string | undefined;
}

export interface TfjsBackendSelection {
  readonly tf: TfModule;
  /** tfjs's name for the active backend: 'tensorflow' (tfjs-node and tfjs-node-gpu), 'webgpu', 'wasm' or 'cpu'. */
  readonly backend: string;
  readonly kind: TfjsBackendKind;
  /** Present for the wasm backend. */
  readonly wasm?: WasmFeatures;
  /** Present for the webgpu backend: the adapter it runs on. */
  readonly webgpu?: WebGpuAdapterFacts;
  /** The backends tried before this one (for 'auto'), with why each was passed over. */
  readonly skipped: readonly { readonly kind: TfjsBackendKind; readonly reason: string }[];
}

const PREFERENCES: readonly TfjsBackendPreference[] = ['auto', 'node-gpu', 'node', 'webgpu', 'wasm', 'cpu'];
const AUTO_ORDER: readonly TfjsBackendKind[] = ['node-gpu', 'node', 'wasm', 'cpu'];
/**
 * The tfjs packages are optional peer dependencies (the default CPU engine needs none of them): what
 * `npm install` needs for the tfjs engine's portable backends.
 */
const TFJS_CPU_INSTALL = '@tensorflow/tfjs-core @tensorflow/tfjs-backend-cpu @tensorflow/tfjs-backend-wasm';

const PEER: Record<'node-gpu' | 'node', string> = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
};

let tfPromise: Promise<TfCoreModule> | undefined;
let lastSelection: TfjsBackendSelection | undefined;
let queue: Promise<unknown> = Promise.resolve();
let wasmDirUsed: string | undefined;
let wasmPathsSet = false;

function loadTf(): Promise<TfCoreModule> {
  if (tfPromise === undefined) {
    const loading = importOptionalPeer(TFJS_CPU_INSTALL, 'the tfjs engine', () => import('@tensorflow/tfjs-core')).then((m) => m as TfCoreModule);
    // a failed load is not kept: install the package and call again
    loading.catch(() => {
      if (tfPromise === loading) tfPromise = undefined;
    });
    tfPromise = loading;
  }
  return tfPromise;
}

function message(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0];
  if (e && typeof e === 'object' && 'message' in e) return String((e as { message: unknown }).message);
  return String(e);
}

/**
 * The directory holding the wasm backend's .wasm binaries (the package's dist/, next to its main file),
 * resolved from this module's own location so it does not depend on the working directory.
 *
 * `import.meta.url` is native in the ESM build; under jest, swc's CommonJS transform rewrites it to
 * `require("url").pathToFileURL(__filename)`, so the same resolution runs in both (both are tested).
 * Undefined when resolution fails: the wasm package then falls back to its own directory (emscripten's
 * default under Node is the directory of the loaded bundle, which is the same dist/).
 */
export function resolveWasmDir(): string | undefined {
  try {
    const req = createRequire(import.meta.url);
    return dirname(req.resolve('@tensorflow/tfjs-backend-wasm')) + sep;
  } catch {
    return undefined;
  }
}

/** Import a module whose name TypeScript must not resolve (optional peer dependencies, not installed). */
function importOptional(specifier: string): Promise<unknown> {
  return import(specifier);
}

async function activate(tf: TfCoreModule, name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed to initialise the backend`);
  await tf.ready();
  if (tf.getBackend() !== name) throw new Error(`the active backend is '${tf.getBackend()}', not '${name}'`);
}

async function tryKind(tf: TfCoreModule, kind: TfjsBackendKind): Promise<TfjsBackendSelection> {
  if (kind === 'node-gpu' || kind === 'node') {
    await importOptional(PEER[kind]);
    // tfjs-node registers the 'tensorflow' backend in the global tfjs engine; a copy of tfjs-node
    // bound to an incompatible tfjs-core would register elsewhere, so check it is visible to ours.
    if (tf.findBackendFactory('tensorflow') == null) {
      throw new Error(`${PEER[kind]} loaded but did not register the 'tensorflow' backend with this @tensorflow/tfjs-core`);
    }
    await activate(tf, 'tensorflow');
    return { tf, backend: 'tensorflow', kind, skipped: [] };
  }
  if (kind === 'webgpu') {
    // navigator.gpu must exist before the backend module loads: it registers 'webgpu' only if it does.
    const facts = await ensureWebGpu();
    await importOptionalPeer('@tensorflow/tfjs-backend-webgpu', "the tfjs engine's webgpu backend", () => importOptional('@tensorflow/tfjs-backend-webgpu'));
    if (tf.findBackendFactory('webgpu') == null) {
      throw new Error("@tensorflow/tfjs-backend-webgpu loaded but did not register the 'webgpu' backend with this @tensorflow/tfjs-core");
    }
    await activate(tf, 'webgpu');
    return { tf, backend: 'webgpu', kind, webgpu: facts, skipped: [] };
  }
  if (kind === 'wasm') {
    const wasm = (await importOptionalPeer('@tensorflow/tfjs-backend-wasm', "the tfjs engine's wasm backend", () => import('@tensorflow/tfjs-backend-wasm'))) as typeof import('@tensorflow/tfjs-backend-wasm');
    // Before the backend's first initialisation only (tf.findBackend would itself initialise it).
    if (!wasmPathsSet && tf.engine().registry['wasm'] == null) {
      const dir = resolveWasmDir();
      if (dir !== undefined) wasm.setWasmPaths(dir);
      wasmDirUsed = dir;
      wasmPathsSet = true;
    }
    await activate(tf, 'wasm');
    const [simd, threads] = await Promise.all([
      tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
      tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    ]);
    let threadsCount = 1;
    try {
      threadsCount = wasm.getThreadsCount();
    } catch {
      // not initialised by this copy of the package: keep 1
    }
    return {
      tf,
      backend: 'wasm',
      kind,
      wasm: { simd: Boolean(simd), threads: Boolean(threads), threadsCount, wasmDir: wasmDirUsed },
      skipped: [],
    };
  }
  await importOptionalPeer('@tensorflow/tfjs-backend-cpu', "the tfjs engine's cpu backend", () => import('@tensorflow/tfjs-backend-cpu'));
  await activate(tf, 'cpu');
  return { tf, backend: 'cpu', kind, skipped: [] };
}

/**
 * Load tfjs, make the chosen backend the active one and wait until it is ready.
 *
 * - `auto` (default): `@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node` (optional peer
 *   dependencies), then the wasm backend (binaries from the package's dist/ directory), then the
 *   plain-JavaScript cpu backend; the first that works.
 * - `webgpu` (by name only): tfjs's WebGPU backend on the first adapter WebGPU offers (see
 *   {@link ensureWebGpu}: under Node, Dawn's `webgpu` package provides navigator.gpu). The selection's
 *   `webgpu` field names the adapter, and says whether it is a software one (llvmpipe, SwiftShader).
 *   Engines on it read the device asynchronously (`TrainingEngine.stepAsync`).
 * - An explicit preference that cannot be used throws InvalidArgumentError naming the reason.
 *
 * The backend is global to the process (tfjs has one engine): the training engine re-activates its
 * own backend before each call, so engines on different backends can coexist.
 */
export function selectTfjsBackend(preference: TfjsBackendPreference = 'auto'): Promise<TfjsBackendSelection> {
  if (!PREFERENCES.includes(preference)) {
    return Promise.reject(new InvalidArgumentError('backend', `one of ${PREFERENCES.map((p) => `"${p}"`).join(', ')}`, preference));
  }
  const run = async (): Promise<TfjsBackendSelection> => {
    const tf = await loadTf();
    if (preference !== 'auto') {
      try {
        lastSelection = await tryKind(tf, preference);
        return lastSelection;
      } catch (e) {
        const what =
          preference === 'node-gpu' || preference === 'node'
            ? `the optional peer dependency ${PEER[preference]}`
            : preference === 'webgpu'
              ? 'the optional peer dependencies @tensorflow/tfjs-backend-webgpu and webgpu (Dawn) and a WebGPU adapter'
              : `the ${preference} backend`;
        throw new InvalidArgumentError('backend', `a usable tfjs backend; "${preference}" needs ${what}, which failed: ${message(e)}`, preference);
      }
    }
    const skipped: { kind: TfjsBackendKind; reason: string }[] = [];
    for (const kind of AUTO_ORDER) {
      try {
        const sel = await tryKind(tf, kind);
        lastSelection = { ...sel, skipped };
        return lastSelection;
      } catch (e) {
        skipped.push({ kind, reason: message(e) });
      }
    }
    throw new InvalidArgumentError('backend', `a usable tfjs backend (${skipped.map((s) => `${s.kind}: ${s.reason}`).join('; ')})`, preference);
  };
  // Serialise selections: tfjs's active backend is process-global.
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** The most recent successful {@link selectTfjsBackend} result, if any. */
export function currentTfjsBackend(): TfjsBackendSelection | undefined {
  return lastSelection;
}
