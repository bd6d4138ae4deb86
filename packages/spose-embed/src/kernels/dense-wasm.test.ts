import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adamCoefficients, createAdamCoefficients } from '../adam.js';
import { DEFAULT_HYPER } from '../config.js';
import { ADAM_WASM_BASE64 } from './adam-wasm.generated.js';
import { createWasmArena, wasmArenaBytes, wasmKernelAvailable } from './dense-wasm.js';

const sha256 = (x: Uint8Array | string) => createHash('sha256').update(x).digest('hex');

describe('the generated WebAssembly kernel', () => {
  const generated = readFileSync(join(__dirname, 'adam-wasm.generated.ts'), 'utf8');

  test('was compiled from the current assembly/adam.ts (else run node scripts/build-wasm.mjs)', () => {
    const source = readFileSync(join(__dirname, '../../assembly/adam.ts'));
    expect(generated).toContain(`// source sha256 ${sha256(source)}`);
    const wasm = Buffer.from(ADAM_WASM_BASE64, 'base64');
    expect(generated).toContain(`// wasm sha256 ${sha256(wasm)} (${wasm.length} bytes)`);
    expect(wasm.subarray(0, 4).toString('latin1')).toBe('\0asm');
  });

  test('arenas are independent, zeroed, with rowSlot all −1, and a dense pass with m = v = g = 0 moves nothing', () => {
    expect(wasmKernelAvailable()).toBe(true);
    const a = createWasmArena(5, 3), b = createWasmArena(5, 3);
    expect(a.W.buffer).not.toBe(b.W.buffer);
    expect(Array.from(a.rowSlot)).toEqual([-1, -1, -1, -1, -1]);
    expect(a.W.every((x) => x === 0) && a.M.every((x) => x === 0) && a.V.every((x) => x === 0)).toBe(true);
    a.W.set([0.5, -0.25, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const k = adamCoefficients({ ...DEFAULT_HYPER, nObjects: 5, lambda: 0 }, 1, createAdamCoefficients());
    a.dense({ ...k, gNeg: 0 }, false); // no penalties, no sparse gradient: g = 0 everywhere
    expect(Array.from(a.W)).toEqual([0.5, -0.25, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(Array.from(a.sums)).toEqual([0.25, 78.75]); // Σ max(−w, 0), Σ |w|
    expect(wasmArenaBytes(1854, 100)).toBeLessThan(3.1e6);
  });
});
