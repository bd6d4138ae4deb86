import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@conceptlab/core';
import { computeRdm, type RdmMethod } from '../rdm/measures.js';
import { GRAM_WASM_BASE64 } from './gram-wasm.generated.js';
import { gramWasmAvailable } from './gram-wasm.js';
import { CHUNK, PANEL } from './pairwise.js';

const sha256 = (x: Uint8Array) => createHash('sha256').update(x).digest('hex');

test('the committed wasm was compiled from the current assembly/gram.ts (else run npm run build:wasm)', () => {
  const generated = readFileSync(join(__dirname, 'gram-wasm.generated.ts'), 'utf8');
  expect(generated).toContain(`// source sha256 ${sha256(readFileSync(join(__dirname, '../../assembly/gram.ts')))}`);
  const wasm = Buffer.from(GRAM_WASM_BASE64, 'base64');
  expect(generated).toContain(`// wasm sha256 ${sha256(wasm)} (${wasm.length} bytes)`);
  expect(wasm.subarray(0, 4).toString('latin1')).toBe('\0asm');
  expect(gramWasmAvailable()).toBe(true); // Node 20 has WebAssembly SIMD
});

/** Uniform values in [−0.5, 0.5) + a row offset, from MINSTD (deterministic). */
function randomPatterns(n: number, p: number, seed: number) {
  const data = new Float64Array(n * p);
  let s = seed;
  for (let k = 0; k < data.length; k++) {
    s = (s * 48271) % 2147483647;
    data[k] = s / 2147483647 - 0.5 + Math.floor(k / p) * 0.01;
  }
  return { rows: n, cols: p, data };
}

/** The straightforward float64 definition, one pair at a time, sequential sums. */
function definition(patterns: { rows: number; cols: number; data: Float64Array }, method: RdmMethod): Float64Array {
  const { rows: n, cols: p, data } = patterns;
  const row = (i: number) => {
    const r = data.slice(i * p, (i + 1) * p);
    if (method === 'correlation') {
      let s = 0;
      for (const v of r) s += v;
      const mean = s / p;
      for (let c = 0; c < p; c++) r[c] = r[c]! - mean;
    }
    return r;
  };
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = row(i);
    for (let j = i + 1; j < n; j++) {
      const b = row(j);
      let dot = 0, aa = 0, bb = 0, sq = 0;
      for (let c = 0; c < p; c++) {
        dot += a[c]! * b[c]!;
        aa += a[c]! * a[c]!;
        bb += b[c]! * b[c]!;
        sq += (a[c]! - b[c]!) ** 2;
      }
      out.push(method === 'euclidean' ? sq / p : 1 - dot / Math.sqrt(aa) / Math.sqrt(bb));
    }
  }
  return Float64Array.from(out);
}

// n crosses a panel boundary and is not a multiple of 4; p spans 3 chunks, the last of odd width.
const big = randomPatterns(PANEL + 21, 2 * CHUNK + 77, 7);

describe.each(['euclidean', 'correlation', 'cosine'] as const)('%s', (method) => {
  const wasm = computeRdm(big, method, { kernel: 'wasm' });
  const js = computeRdm(big, method, { kernel: 'js' });

  test('the WebAssembly and JavaScript kernels give bit-identical RDMs', () => {
    expect(Buffer.from(wasm.vector.buffer).equals(Buffer.from(js.vector.buffer))).toBe(true);
    expect(computeRdm(big, method).vector).toEqual(wasm.vector); // 'auto'
  });

  test('equals the straightforward float64 definition within 1e-12 relative', () => {
    const want = definition(big, method);
    expect(wasm.vector.length).toBe(want.length);
    let worst = 0;
    for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs(wasm.vector[k]! - want[k]!) / Math.abs(want[k]!));
    expect(worst).toBeLessThanOrEqual(1e-12);
  });

  test('a NaN value makes exactly the pairs of its row NaN, with both kernels', () => {
    const small = randomPatterns(9, 5, 3);
    small.data[4 * 5 + 2] = Number.NaN;
    for (const kernel of ['wasm', 'js'] as const) {
      const r = computeRdm(small, method, { kernel });
      let k = 0;
      for (let i = 0; i < 9; i++) {
        for (let j = i + 1; j < 9; j++, k++) {
          if (i === 4 || j === 4) expect(r.vector[k]).toBeNaN();
          else expect(Number.isFinite(r.vector[k]!)).toBe(true);
        }
      }
    }
  });
});

test('two conditions and one channel: the smallest problem, both kernels', () => {
  for (const kernel of ['wasm', 'js'] as const) {
    expect(computeRdm({ rows: 2, cols: 1, data: Float64Array.of(1, 4) }, 'euclidean', { kernel }).vector[0]).toBe(9);
    expect(computeRdm({ rows: 2, cols: 1, data: Float64Array.of(2, -3) }, 'cosine', { kernel }).vector[0]).toBe(2);
    expect(computeRdm({ rows: 2, cols: 1, data: Float64Array.of(2, -3) }, 'correlation', { kernel }).vector[0]).toBeNaN();
  }
});

test('an unknown kernel is rejected', () => {
  expect(() => computeRdm(big, 'cosine', { kernel: 'gpu' as 'js' })).toThrow(InvalidArgumentError);
});
