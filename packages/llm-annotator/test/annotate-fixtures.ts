/**
 * Shared fixtures of the annotate tests: a synthetic concept set (made-up words, so no parser ambiguity
 * with English), a random embedding for a simulated observer, random triplets, and a transpiled ESM copy
 * of the package sources for child processes (the SIGKILL test).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { conceptPrompt, createRng, type Concept, type ConceptSet, type Matrix, type Triplets } from '@conceptlab/core';

const CONSONANTS = 'bdfgklmnprstvz';
const VOWELS = 'aeiou';

function syllables(rng: ReturnType<typeof createRng>, k: number): string {
  let s = '';
  for (let i = 0; i < k; i++) s += CONSONANTS[rng.nextInt(CONSONANTS.length)] + VOWELS[rng.nextInt(VOWELS.length)];
  return s;
}

/** `n` concepts with unique made-up words and definitions. */
export function syntheticConcepts(n: number, seed = 1): ConceptSet {
  const rng = createRng(seed);
  const seen = new Set<string>();
  const concepts: Concept[] = [];
  while (concepts.length < n) {
    const word = syllables(rng, 3);
    if (seen.has(word)) continue;
    seen.add(word);
    const definition = `a ${syllables(rng, 2)} thing kept in ${syllables(rng, 3)} places`;
    const index = concepts.length;
    concepts.push({ index, id: `${word}_${index}`, word, definition, prompt: conceptPrompt(word, definition) });
  }
  return { concepts, source: 'synthetic' };
}

/** A Gaussian embedding, n × dims. */
export function randomEmbedding(n: number, dims: number, seed = 2): Matrix {
  const rng = createRng(seed);
  const data = new Float64Array(n * dims);
  for (let i = 0; i < data.length; i++) data[i] = rng.nextNormal();
  return { rows: n, cols: dims, data };
}

/** `count` random sets of 3 distinct objects of n. */
export function randomTriplets(count: number, n: number, seed = 3): Triplets {
  const rng = createRng(seed);
  const data = new Int32Array(count * 3);
  for (let t = 0; t < count; t++) data.set(rng.sampleWithoutReplacement(n, 3), 3 * t);
  return { count, data };
}

/** The argmax observer's odd-one-out position for a presented row (no ties with a continuous embedding). */
export function argmaxOdd(e: Matrix, p: readonly [number, number, number]): number {
  const dot = (a: number, b: number): number => {
    let s = 0;
    for (let f = 0; f < e.cols; f++) s += e.data[a * e.cols + f] * e.data[b * e.cols + f];
    return s;
  };
  const sab = dot(p[0], p[1]), sac = dot(p[0], p[2]), sbc = dot(p[1], p[2]);
  const m = Math.max(sab, sac, sbc);
  return m === sab ? 2 : m === sac ? 1 : 0;
}

/**
 * Transpile the package's sources (tests excluded) to ESM JavaScript in `<package>/<dirName>` with swc,
 * so a child process can import them (`@conceptlab/*` resolve to the built packages in node_modules).
 * Returns the directory; remove it with rmSync when done.
 */
export function transpilePackage(packageRoot: string, dirName: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const swc = require('@swc/core') as typeof import('@swc/core');
  const src = join(packageRoot, 'src');
  const out = join(packageRoot, dirName);
  rmSync(out, { recursive: true, force: true });
  const walk = (dir: string, rel: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p, join(rel, e.name));
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) {
        const { code } = swc.transformFileSync(p, {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
          module: { type: 'es6' },
          sourceMaps: false,
        });
        mkdirSync(join(out, rel), { recursive: true });
        writeFileSync(join(out, rel, e.name.replace(/\.ts$/, '.js')), code);
      }
    }
  };
  walk(src, '');
  return out;
}

/** One distinct PNG per concept in `dir` (`<id>.png`): a random 4×4 grid of colours, 64×64 pixels. */
export async function writeConceptImages(dir: string, concepts: ConceptSet, seed = 5): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sharp = require('sharp') as typeof import('sharp');
  mkdirSync(dir, { recursive: true });
  const rng = createRng(seed);
  for (const c of concepts.concepts) {
    const px = Buffer.alloc(4 * 4 * 3);
    for (let i = 0; i < px.length; i++) px[i] = rng.nextInt(256);
    await sharp(px, { raw: { width: 4, height: 4, channels: 3 } }).resize(64, 64, { kernel: 'nearest' }).png().toFile(join(dir, `${c.id}.png`));
  }
}
