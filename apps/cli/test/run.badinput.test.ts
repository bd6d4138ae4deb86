/**
 * `run`/`demo` check every parameter and input file before writing anything or sending a request (issue 13):
 * a refused run leaves its folder as it was (no `conceptlab.config.json` to poison later runs) and a real
 * server, started here and counting requests, receives none.
 */
import { mkdirSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMatrix, loadThingsDirectory, writeNpyMatrix } from '@conceptlab/core';
import { startServer, wordVectorObserver, type RunningServer } from '@conceptlab/sim-server';
import { runAsync, tempDir, expectOneLineError } from './run-cli.js';

const BUILTIN = join(__dirname, '..', 'concepts', 'everyday150');
const dir = tempDir();
let server: RunningServer;
beforeAll(async () => {
  const concepts = loadThingsDirectory(BUILTIN);
  server = await startServer({ concepts, observer: wordVectorObserver(concepts.concepts), seed: 0 });
});
afterAll(() => server?.close());

const wrongRows = join(dir, 'human-149.npy');
writeNpyMatrix(wrongRows, createMatrix(149, 5));
const notNpy = join(dir, 'human.npy');
writeFileSync(notNpy, 'not an array\n');

const runArgs = (out: string, extra: string[]) => ['run', '--out', out, '--concepts', BUILTIN, '--base-url', server.url, '--model', 'word-vectors', ...extra];

const cases: [string, string[], RegExp][] = [
  ['--triplets beyond the distinct sets', ['--triplets', '1000000000000'], /--triplets \(design\.triplets\): expected an integer in \[1, 551,300\] \(the C\(150, 3\) distinct sets of 150 concepts\), got 1000000000000$/],
  ["--triplets 100 with the paper schedule's batch of 100 (90 training triplets)", ['--triplets', '100', '--schedule', 'paper'], /--batch \(fit\.batchSize\): expected at most the 90 training triplets of the design \(100 triplets, 10 held out for validation\)/],
  ['--schedule that names no schedule', ['--triplets', '1000', '--schedule', 'slow'], /--schedule: expected paper or fast, got "slow"/],
  ['the fast schedule (the default) with 1 epoch', ['--triplets', '1000', '--epochs', '1'], /--epochs: expected at least 2 with the fast schedule/],
  ['--full with --schedule fast', ['--triplets', '1000', '--full', '--schedule', 'fast'], /--full: expected the paper's schedule/],
  ['--validation leaving no validation triplet', ['--triplets', '200', '--validation', '0.001'], /--validation \(design\.validationFraction\): expected a share leaving at least one of the 200 triplets for validation/],
  ['--human that is not .npy', ['--triplets', '1000', '--human', notNpy], /human\.npy: expected a NumPy \.npy file/],
  ['--human with the wrong number of rows', ['--triplets', '1000', '--human', wrongRows], /human-149\.npy: expected one row per object \(150\), found "149 rows"|human-149\.npy: .*150/],
  ['--design file with an object out of range', ['--design', join(dir, 'design.txt')], /design\.txt:2/],
  ['--objects48 naming an unknown object', ['--triplets', '1000', '--objects48', join(dir, 'objects48.txt')], /objects48\.txt/],
  ['an API key variable that is not set', ['--triplets', '1000', '--api-key-env', 'CONCEPTLAB_TEST_UNSET_KEY'], /CONCEPTLAB_TEST_UNSET_KEY is not set/],
];
writeFileSync(join(dir, 'design.txt'), '0 1 2\n0 1 150\n');
writeFileSync(join(dir, 'objects48.txt'), 'no-such-object\n');

describe('conceptlab run refuses before writing or asking', () => {
  test.each(cases)('%s', async (_name, extra, pattern) => {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    const before = server.stats().requests;
    const t0 = performance.now();
    const r = await runAsync(runArgs(out, extra));
    expectOneLineError(r, performance.now() - t0, new RegExp(`^conceptlab: error: .*${pattern.source}`));
    expect(existsSync(out)).toBe(false);
    expect(server.stats().requests - before).toBe(0);
  });

  test('a folder with earlier files is left as it was (no conceptlab.config.json written)', async () => {
    const out = join(dir, 'existing');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine\n');
    const r = await runAsync(runArgs(out, ['--triplets', '1000000000000']));
    expect(r.code).not.toBe(0);
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });

  test('demo --triplets beyond the built-in set: refused, nothing written', async () => {
    const out = join(dir, 'demo');
    const t0 = performance.now();
    const r = await runAsync(['demo', '--out', out, '--triplets', '1000000', '--json']);
    expectOneLineError(r, performance.now() - t0, /"--triplets \(design\.triplets\): expected an integer in \[1, 551,300\]/);
    expect(existsSync(out)).toBe(false);
  });
});
