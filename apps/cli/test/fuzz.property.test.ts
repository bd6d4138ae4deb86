/**
 * Issue 13, "one rule for every command", property-based: fast-check mutates good input files (a triplet text
 * file, an .npy embedding, a pattern matrix, an RDM TSV, NIfTI images, an annotation journal) and runs the built
 * binary on them. Whatever the mutation, either the command exits 0 with a sane output (finite numbers, a readable
 * output file), or it exits ≠ 0 with exactly one line on stderr, no stack trace, nothing on stdout and nothing
 * created or changed in its folder — within 5 s either way. Each spawn costs about 0.6 s, so each property runs a
 * few cases (fixed seeds: a failure reproduces; raise numRuns locally to search further).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { createTriplets, readNpy, readTripletText, serializeNpy } from '@conceptlab/core';
import { hashTriplets, openJournal, type JournalConfig } from '@conceptlab/llm-annotator';
import { serializeNifti } from '@conceptlab/neuro-rsa';
import { byteMutation, mutateBytes, mutateText, textMutation } from '../../../test-support/fuzz-mutations.js';
import { BIN, snapshot, tempDir } from './run-cli.js';

/** The good inputs, as bytes, written into each case's own folder. */
const GOOD = (() => {
  const rdm = (g: (i: number, j: number) => number) => Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => (i === j ? 0 : g(i, j))).join('\t')).join('\n') + '\n';
  const grid = { shape: [5, 4, 3] as [number, number, number], affine: Float64Array.from([2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]) };
  return {
    // 9 objects × 3 dims, and 40 answered triplets over them.
    emb: serializeNpy({ dtype: 'f8', shape: [9, 3], data: Float64Array.from({ length: 27 }, (_, q) => ((q * 7) % 5) / 4 + (q % 3 === Math.floor(q / 3) % 3 ? 1 : 0.1)) }),
    triplets: Array.from({ length: 40 }, (_, t) => `${t % 9} ${(t + 1 + (t % 4)) % 9} ${(t + 6) % 9}`).join('\n') + '\n',
    // 4 conditions × 3 channels; RDMs over the 4 conditions.
    patterns: '1 2 3\n4 5 7\n2 9 1\n0 1 4\n',
    model: rdm((i, j) => Math.abs(i - j)),
    brain: rdm((i, j) => ((i + j) % 3) + 1),
    bold: gzipSync(serializeNifti({ grid, frames: 4, data: Float32Array.from({ length: 240 }, (_, q) => Math.sin(q * 1.3)) })),
    mask: serializeNifti({ grid, frames: 1, data: new Float32Array(60).fill(1) }),
  };
})();

/** A complete annotation journal of 5 rows over 9 objects (made once, with the package's own writer). */
let journalBytes: Buffer;
beforeAll(() => {
  const triplets = createTriplets([[0, 1, 2], [3, 4, 5], [6, 7, 8], [0, 4, 8], [1, 5, 6]]);
  const config: JournalConfig = {
    model: 'm', baseUrl: 'http://127.0.0.1:1/v1', mode: 'text', answerFormat: 'free', imageLayout: null, promptId: 'p', promptText: 't',
    temperature: 0.01, maxTokens: 10, presentationSeed: 3, tripletsHash: hashTriplets(triplets), tripletsCount: 5, conceptsHash: 'c', shard: null,
  };
  const file = join(tempDir(), 'journal.sqlite');
  const j = openJournal(file, config, { triplets });
  for (let row = 0; row < 5; row++) {
    j.recordFinal({ row, status: 'answered', choicePosition: (row % 3) as 0 | 1 | 2, via: 'name', reply: { rawReply: `answer ${row}`, messageExtra: null, finishReason: 'stop', promptTokens: 5, completionTokens: 3 }, attempts: 1, asks: 1 });
  }
  j.close();
  journalBytes = readFileSync(file);
});

interface Outcome {
  readonly dir: string;
  readonly code: number;
  readonly stdout: string;
}

/**
 * Write `files` into a fresh folder, run `argv` there, and check the one rule. Returns the outcome of a command
 * that exited 0, for the caller's checks of its output; undefined for a refusal (already checked).
 */
function runCase(files: Record<string, string | Uint8Array>, argv: string[]): Outcome | undefined {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const before = snapshot(dir);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', CONCEPTLAB_DEBUG: '' }, timeout: 20_000 });
  const ms = performance.now() - t0;
  const what = `conceptlab ${argv.join(' ')} (exit ${r.status}, ${Math.round(ms)} ms)\nstderr: ${r.stderr}`;
  expect({ what, ms: ms < 5000 }).toEqual({ what, ms: true });
  expect({ what, stack: /^\s+at /m.test(r.stderr) }).toEqual({ what, stack: false });
  expect(r.status).not.toBeNull();
  if (r.status === 0) return { dir, code: 0, stdout: r.stdout };
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect({ what, lines: lines.length }).toEqual({ what, lines: 1 });
  expect({ what, stdout: r.stdout }).toEqual({ what, stdout: '' });
  expect({ what, files: snapshot(dir) }).toEqual({ what, files: before });
  return undefined;
}

/** A sane success: stdout holds no NaN or Infinity (a number the data do not define is an error, or labelled). */
function expectFinite(o: Outcome): void {
  expect(o.stdout).not.toMatch(/NaN|Infinity/);
}

/** Cases per property: 6 (about 4 s each); CONCEPTLAB_FUZZ_RUNS=N searches further. */
const RUNS = Number(process.env.CONCEPTLAB_FUZZ_RUNS ?? 6);

describe('fuzzed inputs: exit 0 with a sane output, or exit ≠ 0 with one line, nothing written, under 5 s', () => {
  test('evaluate with a mutated triplet file', () => {
    fc.assert(
      fc.property(textMutation, fc.boolean(), (m, json) => {
        const o = runCase({ 'emb.npy': GOOD.emb, 't.txt': mutateText(GOOD.triplets, m) }, ['evaluate', '--embedding', 'emb.npy', '--triplets', 't.txt', ...(json ? ['--json'] : [])]);
        if (o) expectFinite(o);
      }),
      { seed: 1371, numRuns: RUNS },
    );
  });

  test('evaluate with a mutated .npy embedding (bytes changed, NaN written into the data, cut, bytes appended)', () => {
    fc.assert(
      fc.property(byteMutation, (m) => {
        const o = runCase({ 'emb.npy': mutateBytes(GOOD.emb, m), 't.txt': GOOD.triplets }, ['evaluate', '--embedding', 'emb.npy', '--triplets', 't.txt', '--json']);
        if (o) expectFinite(o);
      }),
      { seed: 1372, numRuns: RUNS },
    );
  });

  test('rdm with a mutated pattern matrix: a written RDM is finite, square and symmetric', () => {
    fc.assert(
      fc.property(textMutation, fc.constantFrom('euclidean', 'correlation'), (m, measure) => {
        const o = runCase({ 'p.txt': mutateText(GOOD.patterns, m) }, ['rdm', '--patterns', 'p.txt', '--measure', measure, '--out', 'out/r.npy']);
        if (!o) return;
        const r = readNpy(join(o.dir, 'out', 'r.npy'));
        const [n, n2] = r.shape;
        expect(n).toBe(n2);
        const d = r.data as Float64Array;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          expect(Number.isFinite(d[i * n + j])).toBe(true);
          expect(d[i * n + j]).toBe(d[j * n + i]);
        }
      }),
      { seed: 1373, numRuns: RUNS },
    );
  });

  test('rsa with a mutated model RDM', () => {
    fc.assert(
      fc.property(fc.oneof(textMutation.map((m) => mutateText(GOOD.model, m, '\t')), textMutation.map((m) => mutateText(GOOD.model, m))), fc.boolean(), (model, json) => {
        const o = runCase({ 'model.tsv': model, 'brain.tsv': GOOD.brain }, ['rsa', '--model', 'model.tsv', '--brain', 'brain.tsv', 'brain.tsv', ...(json ? ['--json'] : [])]);
        if (o) expectFinite(o);
      }),
      { seed: 1374, numRuns: RUNS },
    );
  });

  test('rsa with a .npy brain stack of any leading shape (zero-sized axes included) or mutated bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(2), { maxLength: 2 }), fc.nat(4), fc.option(byteMutation, { freq: 2 }), (lead, n, m) => {
        const shape = [...lead, n, n];
        const data = Float64Array.from({ length: shape.reduce((p, x) => p * x, 1) }, (_, q) => {
          const i = Math.floor(q / n) % n, j = q % n;
          return i === j ? 0 : 1 + ((i + j) % 3);
        });
        const npy = serializeNpy({ dtype: 'f8', shape, data });
        const o = runCase({ 'model.tsv': GOOD.model, 'brain.npy': m === null ? npy : mutateBytes(npy, m) }, ['rsa', '--model', 'model.tsv', '--brain', 'brain.npy', '--json']);
        if (o) expectFinite(o);
      }),
      { seed: 1377, numRuns: RUNS },
    );
  });

  test('nifti-info with a mutated image (plain or gzipped; header bytes, cut, appended, gzip stream corrupted)', () => {
    fc.assert(
      fc.property(byteMutation, fc.constantFrom('mask.nii', 'bold.nii.gz'), fc.boolean(), (m, name, headerOnly) => {
        const good = name === 'mask.nii' ? GOOD.mask : GOOD.bold;
        // Aim half the byte changes at the 348-byte header of the plain image, where they matter most.
        const mm = headerOnly && m.kind === 'bytes' && name === 'mask.nii' ? { ...m, at: m.at.map(([at, v]) => [at % 348, v] as [number, number]) } : m;
        const o = runCase({ [name]: mutateBytes(good, mm) }, ['nifti-info', name, '--json']);
        if (o) expect(() => JSON.parse(o.stdout) as unknown).not.toThrow();
      }),
      { seed: 1375, numRuns: RUNS },
    );
  });

  test('annotate export of a mutated journal: a readable triplet file over the 9 objects, or one line', () => {
    fc.assert(
      fc.property(byteMutation, (m) => {
        const o = runCase({ 'j.sqlite': mutateBytes(journalBytes, m) }, ['annotate', 'export', '--journal', 'j.sqlite', '--out', 'out.txt']);
        if (!o) return;
        const t = readTripletText(join(o.dir, 'out.txt'), { nObjects: 9 });
        expect(t.count).toBeLessThanOrEqual(5);
      }),
      { seed: 1376, numRuns: RUNS },
    );
  });
});
