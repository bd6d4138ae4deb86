/**
 * Loading committed WebAssembly kernels (AssemblyScript compiled to base64 in `*.generated.ts`): the module is
 * compiled once, on first use, from its base64 bytes; null when this runtime has no WebAssembly or cannot compile
 * it (e.g. no SIMD), so callers fall back to their JavaScript kernel.
 */

// Minimal typings: the packages compile without the DOM lib, so WebAssembly is not declared globally.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const WASM = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** A WebAssembly page, 64 KiB: linear memory grows in these. */
export const WASM_PAGE = 65536;

/** An instance's exported linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** A getter of the module compiled from `base64` (compiled on its first call, then cached), or null where it cannot run. */
export function lazyWasmModule(base64: string): () => object | null {
  let compiled: object | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        compiled = WASM ? new WASM.Module(Buffer.from(base64, 'base64')) : null;
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

/**
 * A fresh instance of a module from {@link lazyWasmModule}, with `imports` (default none); its exports typed as `E`.
 * @throws Error when this runtime has no WebAssembly.
 */
export function instantiateWasm<E>(module: object, imports: object = {}): E {
  if (!WASM) throw new Error('WebAssembly is not available in this runtime');
  return new WASM.Instance(module, imports).exports as E;
}
