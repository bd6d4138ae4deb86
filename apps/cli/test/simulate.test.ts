import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTripletText, writeNpyMatrix, createMatrix, tripletsToRows } from '@conceptlab/core';
import { runCli, runJson, tempDir, writeText } from './run-cli.js';

// Objects 0-2 form one cluster, 3-5 another: in a set of two from one cluster and one from the
// other, the odd one out is the lone object.
const EMB = createMatrix(6, 2, Float64Array.from([3, 0, 3, 0.1, 2.9, 0, 0, 3, 0.1, 3, 0, 2.9]));

describe('conceptlab simulate', () => {
  const dir = tempDir();
  const emb = join(dir, 'emb.npy');
  writeNpyMatrix(emb, EMB);
  const sets = writeText(dir, 'sets.txt', '0 1 3\n4 0 5\n2 3 1\n5 4 2\n');

  test('argmax answers the obvious odd one out (last)', () => {
    const out = join(dir, 'argmax.txt');
    const res = runJson(['simulate', '--embedding', emb, '--triplets', sets, '--argmax', '--out', out]);
    expect(res).toMatchObject({ observer: 'spose-argmax', objects: 6, dims: 2, triplets: 4 });
    expect(tripletsToRows(readTripletText(out)).map((r) => r[2])).toEqual([3, 0, 3, 2]);
  });

  test('cosine observer on features', () => {
    const out = join(dir, 'cos.txt');
    const res = runJson(['simulate', '--features', emb, '--triplets', sets, '--out', out]);
    expect(res).toMatchObject({ observer: 'cosine-argmax' });
    expect(tripletsToRows(readTripletText(out)).map((r) => r[2])).toEqual([3, 0, 3, 2]);
  });

  test('softmax sampling is reproducible by seed', () => {
    const a = join(dir, 's1.txt'), b = join(dir, 's2.txt');
    runJson(['simulate', '--embedding', emb, '--triplets', sets, '--seed', '5', '--temperature', '2', '--out', a]);
    runJson(['simulate', '--embedding', emb, '--triplets', sets, '--seed', '5', '--temperature', '2', '--out', b]);
    expect(tripletsToRows(readTripletText(a))).toEqual(tripletsToRows(readTripletText(b)));
  });

  test.each([
    ['wrong column count', '0 1 2\n0 1\n', ':2: expected 3 object indices (i j k), found 2 values'],
    ['index out of range', '0 1 2\n0 1 6\n', ':2: column 3: expected an object index in [0, 5], found 6'],
    ['the same object twice', '0 1 2\n4 1 4\n', ':2: expected three distinct objects, found 4 1 4'],
    ['non-numeric text', '0 1 2\n0 one 2\n', ':2: column 2: expected an integer, found "one"'],
  ])('malformed triplets (%s): file:line error, exit 1, nothing written', (_what, text, message) => {
    const bad = writeText(dir, 'bad.txt', text);
    const out = join(dir, 'never.txt');
    const r = runCli(['simulate', '--embedding', emb, '--triplets', bad, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`conceptlab: error: ${bad}${message}`);
    expect(existsSync(out)).toBe(false);
  });

  test('a truncated .npy is rejected with the file named', () => {
    const trunc = join(dir, 'trunc.npy');
    const bytes = readFileSync(emb);
    writeFileSync(trunc, bytes.subarray(0, bytes.length - 8));
    const r = runCli(['simulate', '--embedding', trunc, '--triplets', sets, '--out', join(dir, 'never2.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(trunc);
    expect(r.stderr).toMatch(/data bytes/);
    expect(existsSync(join(dir, 'never2.txt'))).toBe(false);
  });

  test('exactly one of --embedding / --features', () => {
    const r = runCli(['simulate', '--triplets', sets, '--out', join(dir, 'x.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/exactly one of --embedding or --features/);
  });
});
