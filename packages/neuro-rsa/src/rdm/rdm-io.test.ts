import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, ParseError, readNpy, ShapeError } from '@conceptlab/core';
import { rdmFromVector } from './rdm.js';
import { readRdmFile, readRdmStack, writeRdmFile } from './rdm-io.js';

const dir = mkdtempSync(join(tmpdir(), 'rdm-io-'));
const a = rdmFromVector([1, 2.5, 1 / 3, NaN, 5, 6]);
const b = rdmFromVector([0.1, 0.2, 0.3, 0.4, 0.5, 1e-300]);
const same = (x: Float64Array, y: Float64Array) => expect(Array.from(x)).toEqual(Array.from(y));

test('.npy round trip: one RDM, a stack, two leading axes with [i,j] names', () => {
  const one = join(dir, 'one.npy');
  writeRdmFile(one, a);
  expect(readNpy(one).shape).toEqual([4, 4]);
  const r1 = readRdmFile(one);
  expect(r1.map((x) => x.name)).toEqual(['one']);
  same(r1[0]!.rdm.vector, a.vector);

  const grid = join(dir, 'grid.npy');
  writeRdmFile(grid, [a, b, b, a], { shape: [2, 2] });
  expect(readNpy(grid).shape).toEqual([2, 2, 4, 4]);
  const st = readRdmStack(grid);
  expect(st.shape).toEqual([2, 2]);
  expect(st.rdms.map((x) => x.name)).toEqual(['grid[0,0]', 'grid[0,1]', 'grid[1,0]', 'grid[1,1]']);
  same(st.rdms[1]!.rdm.vector, b.vector);
  same(st.rdms[3]!.rdm.vector, a.vector);
});

test('TSV round trip with a condition-name header, exact values and NaN', () => {
  const f = join(dir, 'two.tsv');
  writeRdmFile(f, [a, b], { conditions: ['face', 'body part', 'house', 'tool'] });
  const st = readRdmStack(f);
  expect(st.conditions).toEqual(['face', 'body part', 'house', 'tool']);
  expect(st.shape).toEqual([2]);
  expect(st.rdms.map((x) => x.name)).toEqual(['two[0]', 'two[1]']);
  same(st.rdms[0]!.rdm.vector, a.vector);
  same(st.rdms[1]!.rdm.vector, b.vector);
});

test('whitespace text without a header is one RDM', () => {
  const f = writeText('plain.txt', '# comment\n0 1 2\n1 0 3\n\n2 3 0\n');
  const r = readRdmFile(f);
  expect(r[0]!.name).toBe('plain');
  same(r[0]!.rdm.vector, Float64Array.from([1, 2, 3]));
  expect(readRdmStack(f).conditions).toBeUndefined();
});

function writeText(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

function parseError(f: string): ParseError {
  try {
    readRdmFile(f);
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

test('typed errors with file and line', () => {
  const bad = parseError(writeText('asym.tsv', 'a\tb\n0\t1\n2\t0\n'));
  expect(bad.file).toContain('asym.tsv');
  expect(bad.line).toBe(2);
  expect(bad.message).toContain('symmetric RDM with a zero diagonal');
  const word = parseError(writeText('word.tsv', '0\t1\n1\tx\n'));
  expect([word.line, word.column]).toEqual([2, 2]);
  const rows = parseError(writeText('rows.tsv', '0\t1\n1\t0\n0\t1\n'));
  expect(rows.message).toContain('a multiple of 2 rows');
  const names = parseError(writeText('names.tsv', 'a\tb\tc\n0\t1\n1\t0\n'));
  expect(names.line).toBe(1);
  // second RDM of a stack broken: the line is where that RDM starts
  const second = parseError(writeText('second.tsv', '0 1\n1 0\n0 1\n2 0\n'));
  expect(second.line).toBe(3);
  expect(second.message).toContain('RDM [1]');
  const npyBad = join(dir, 'vec.npy');
  writeRdmFile(npyBad, a);
  writeFileSync(npyBad.replace('vec', 'flat'), Buffer.from(''));
  expect(() => readRdmFile(npyBad.replace('vec', 'flat'))).toThrow(ParseError);
});

test('write rejects bad arguments', () => {
  expect(() => writeRdmFile(join(dir, 'x.npy'), [])).toThrow(InvalidArgumentError);
  expect(() => writeRdmFile(join(dir, 'x.npy'), [a, b], { shape: [3] })).toThrow(InvalidArgumentError);
  expect(() => writeRdmFile(join(dir, 'x.npy'), [a, rdmFromVector([1, 2, 3])])).toThrow(ShapeError);
  expect(() => writeRdmFile(join(dir, 'x.tsv'), a, { conditions: ['a', 'b'] })).toThrow(InvalidArgumentError);
  expect(() => writeRdmFile(join(dir, 'x.tsv'), a, { conditions: ['1a', 'b', 'c', 'd'] })).toThrow(InvalidArgumentError);
});
