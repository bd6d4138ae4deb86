/**
 * Loading the package's committed WebAssembly kernels (gram, kendall): the module is compiled once, on
 * first use, from its base64 bytes; null when this runtime has no WebAssembly or cannot compile it (no SIMD).
 */

// Minimal typings: the package compiles without the DOM lib, so WebAssembly is not declared globally.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const WASM = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** A WebAssembly page: linear memory grows in these. */
export const WASM_PAGE = 65536;

/** An instance's exported linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** A getter of the compiled module (compiled on its first call), or null where it cannot run. */
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

/** A fresh instance of a module from {@link lazyWasmModule} (no imports); its exports typed as `E`. */
export function instantiateWasm<E>(module: object): E {
  return new WASM!.Instance(module, {}).exports as E;
}
