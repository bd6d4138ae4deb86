import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { importOptionalPeer } from '@conceptlab/core';

/**
 * WebGPU for the tfjs engine's `webgpu` backend.
 *
 * tfjs's WebGPU backend registers itself only when `navigator.gpu` exists as its module loads. Browsers
 * (and Deno) have it; Node 20 has no `navigator` at all. There, {@link ensureWebGpu} loads Dawn's Node
 * binding (the optional peer dependency `webgpu`, which ships prebuilt `dawn.node` files) and installs a
 * `navigator.gpu` that hands tfjs the adapter chosen here:
 *
 *  1. the default (`core`) adapter, high-performance first: on Linux a GPU through Vulkan;
 *  2. where there is none, a `compatibility` adapter through OpenGL ES (Mesa's llvmpipe on a machine
 *     without a GPU: a software rasteriser, slow, but the same shaders). Headless, Mesa needs
 *     `EGL_PLATFORM=surfaceless`, which is then set for the process when neither it, DISPLAY nor
 *     WAYLAND_DISPLAY is set.
 *
 * Which one was chosen is never silent: {@link WebGpuAdapterFacts} names it and flags software adapters.
 */

/** The adapter the webgpu backend runs on. */
export interface WebGpuAdapterFacts {
  /** The adapter's own description (driver and device, e.g. 'NVIDIA H200' or 'OpenGL ES 3.2 Mesa …'). */
  readonly description: string;
  readonly vendor: string;
  readonly architecture: string;
  /** 'core' (full WebGPU) or 'compatibility' (the OpenGL ES subset, see above). */
  readonly featureLevel: 'core' | 'compatibility';
  /** True for software rasterisers (llvmpipe, lavapipe, SwiftShader) and adapters that say they are a fallback. */
  readonly software: boolean;
  /** Who provided navigator.gpu: 'dawn' (this module, from the `webgpu` package) or 'host' (it was there already). */
  readonly provider: 'dawn' | 'host';
}

interface GpuAdapterInfoLike {
  readonly description?: string;
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  readonly info?: GpuAdapterInfoLike;
  readonly isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<GpuAdapterLike | null>;
}
interface DawnModule {
  create(options: string[]): GpuLike;
  globals: Record<string, unknown>;
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|softpipe/i;

let ready: Promise<WebGpuAdapterFacts> | undefined;

function factsOf(adapter: GpuAdapterLike, featureLevel: 'core' | 'compatibility', provider: 'dawn' | 'host'): WebGpuAdapterFacts {
  const info = adapter.info ?? {};
  const description = [info.description, info.device].filter((s) => typeof s === 'string' && s !== '').join(' / ') || 'unknown adapter';
  return {
    description,
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    featureLevel,
    software: SOFTWARE.test(description) || info.isFallbackAdapter === true || adapter.isFallbackAdapter === true,
    provider,
  };
}

/** The GPU object of `navigator`, if the host has one. */
function hostGpu(): GpuLike | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  return nav?.gpu;
}

function installNavigatorGpu(gpu: GpuLike): void {
  const g = globalThis as { navigator?: Record<string, unknown> };
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else {
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  }
}

/**
 * Dawn's Node addon from the `webgpu` package, loaded as a native module (the package's own ESM entry
 * only computes this same path, so the addon loads the same way from ESM and from CommonJS, jest included).
 */
function loadDawn(): DawnModule {
  const req = createRequire(import.meta.url);
  const dir = dirname(req.resolve('webgpu/package.json'));
  const platform = process.platform === 'darwin' ? 'darwin-universal' : `${process.platform}-${process.arch}`;
  return req(join(dir, 'dist', platform, 'dawn.node')) as DawnModule;
}

/**
 * Headless (neither EGL_PLATFORM, DISPLAY nor WAYLAND_DISPLAY set), set EGL_PLATFORM=surfaceless for the rest of
 * the process, so that Mesa's EGL can open a display for the OpenGL ES fallback. It stays set (no other code of this
 * process opens EGL; and a worker thread's process.env changes would never reach native code anyway).
 */
function prepareHeadlessEgl(): void {
  const env = process.env;
  if (env.EGL_PLATFORM === undefined && env.DISPLAY === undefined && env.WAYLAND_DISPLAY === undefined) env.EGL_PLATFORM = 'surfaceless';
}

async function setUp(): Promise<WebGpuAdapterFacts> {
  const host = hostGpu();
  if (host !== undefined) {
    const probe = await host.requestAdapter({ powerPreference: 'high-performance' });
    if (probe === null) throw new Error('navigator.gpu offers no adapter');
    return factsOf(probe, 'core', 'host');
  }
  const dawn = (await importOptionalPeer('webgpu', "the tfjs engine's webgpu backend under Node (Dawn)", async () => loadDawn())) as DawnModule;
  // WebGPU's interface objects (GPUBufferUsage, GPUMapMode, …) that tfjs reads as globals; never replace the host's own.
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  let gpu = dawn.create([]);
  let featureLevel: 'core' | 'compatibility' = 'core';
  let probe = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (probe === null) {
    featureLevel = 'compatibility';
    prepareHeadlessEgl();
    gpu = dawn.create(['backend=opengles']);
    probe = await gpu.requestAdapter({ featureLevel: 'compatibility' });
    if (probe === null) {
      throw new Error('Dawn found no WebGPU adapter: no Vulkan GPU (is libvulkan1 installed, and the GPU\'s Vulkan driver?) and no OpenGL ES fallback (Mesa\'s libegl-mesa0)');
    }
  }
  const chosen = gpu;
  const level = featureLevel;
  installNavigatorGpu({
    requestAdapter: (options?: Record<string, unknown>) =>
      level === 'core' ? chosen.requestAdapter(options) : chosen.requestAdapter({ ...options, featureLevel: 'compatibility' }),
  });
  return factsOf(probe, featureLevel, 'dawn');
}

/**
 * Make `navigator.gpu` available (see the module comment) and return the chosen adapter's facts.
 * Runs once per process; a failure is not kept (install the package or driver and call again).
 */
export function ensureWebGpu(): Promise<WebGpuAdapterFacts> {
  if (ready === undefined) {
    const p = setUp();
    p.catch(() => {
      if (ready === p) ready = undefined;
    });
    ready = p;
  }
  return ready;
}
