import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileError, ParseError } from '@conceptlab/core';
import { parseRaterFile, readRaterLabels } from './rater-labels.js';
import { roseData } from './rose.js';
import { fakeConcepts } from '../test/fixtures.js';

describe('rater labels', () => {
  test('counts labels per dimension over rater files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raters-'));
    writeFileSync(join(dir, 'r1.txt'), 'Animal, fur\nmetal\n\n');
    writeFileSync(join(dir, 'r2.txt'), 'animal , pets,\nMetal, tool\nred\n');
    writeFileSync(join(dir, '.hidden'), 'x\ny\nz\nw\n');
    const r = readRaterLabels(dir, 3);
    expect(r.raters).toEqual(['r1.txt', 'r2.txt']);
    expect(r.dims[0].counts).toEqual([{ label: 'animal', count: 2 }, { label: 'fur', count: 1 }, { label: 'pets', count: 1 }]);
    expect(r.dims[1].counts).toEqual([{ label: 'metal', count: 2 }, { label: 'tool', count: 1 }]);
    expect(r.dims[2]).toEqual({ dim: 2, raters: 1, counts: [{ label: 'red', count: 1 }] });
  });

  test('too many lines is a ParseError with file and line; an empty directory is a FileError', () => {
    expect(() => parseRaterFile('a\nb\nc\n', 'r.txt', 2)).toThrow(ParseError);
    try { parseRaterFile('a\nb\nc\n', 'r.txt', 2); } catch (e) { expect((e as ParseError).line).toBe(3); expect((e as ParseError).file).toBe('r.txt'); }
    expect(() => readRaterLabels(mkdtempSync(join(tmpdir(), 'empty-')), 2)).toThrow(FileError);
  });
});

describe('roseData', () => {
  test('equal slices per dimension, petal = weight', () => {
    const x = { rows: 2, cols: 4, data: Float64Array.from([1, 0, 2, 0, 0, 3, 0, 1]) };
    const p = roseData(x, fakeConcepts(2), [1]);
    expect(p).toHaveLength(4);
    expect(p.map((q) => q.weight)).toEqual([0, 3, 0, 1]);
    expect(p[1].theta0).toBeCloseTo(Math.PI / 2, 15);
    expect(p[3].theta1).toBeCloseTo(2 * Math.PI, 15);
    expect(p[0].name).toBe('w1');
  });
});
