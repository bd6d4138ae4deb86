import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy, readTripletText } from '@conceptlab/core';
import { runCli, runJson, tempDir, writeText } from './run-cli.js';

describe('conceptlab sample', () => {
  test('--help lists the options', () => {
    const r = runCli(['sample', '--help']);
    expect(r.code).toBe(0);
    for (const opt of ['--objects', '--count', '--seed', '--design', '--anchors', '--split', '--out', '--json']) expect(r.stdout).toContain(opt);
  });

  test('uniform: writes the requested count, reproducibly by seed', () => {
    const dir = tempDir();
    const a = join(dir, 'a.txt'), b = join(dir, 'b.txt'), c = join(dir, 'c.txt');
    const res = runJson<{ files: { path: string; role: string; count: number }[] }>(['sample', '--objects', '50', '--count', '500', '--seed', '3', '--out', a]);
    expect(res).toEqual({ design: 'uniform', objects: 50, count: 500, seed: 3, files: [{ path: a, role: 'all', count: 500 }] });
    runJson(['sample', '--objects', '50', '--count', '500', '--seed', '3', '--out', b]);
    runJson(['sample', '--objects', '50', '--count', '500', '--seed', '4', '--out', c]);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(readFileSync(a, 'utf8')).not.toBe(readFileSync(c, 'utf8'));
    const t = readTripletText(a, { nObjects: 50 });
    expect(t.count).toBe(500);
    const sets = new Set<string>();
    for (let i = 0; i < t.count; i++) sets.add(Array.from(t.data.subarray(3 * i, 3 * i + 3)).sort((x, y) => x - y).join());
    expect(sets.size).toBe(500);
  });

  test('--split writes train and validation files that partition the sample', () => {
    const dir = tempDir();
    const out = join(dir, 'trip.txt');
    const res = runJson<{ files: { path: string; count: number; role: string }[] }>(['sample', '--objects', '30', '--count', '1000', '--seed', '1', '--split', '0.9', '--out', out]);
    expect(res.files.map((f) => [f.role, f.count])).toEqual([
      ['train', 900],
      ['validation', 100],
    ]);
    expect(res.files[0].path).toBe(join(dir, 'trip.train.txt'));
    expect(readTripletText(join(dir, 'trip.train.txt')).count).toBe(900);
    expect(readTripletText(join(dir, 'trip.validation.txt')).count).toBe(100);
    expect(existsSync(out)).toBe(false);
  });

  test('anchor design: 2 anchors + 1 other per set; .npy output', () => {
    const dir = tempDir();
    const anchors = writeText(dir, 'anchors.txt', '0 1 2 3\n4\n5\n');
    const out = join(dir, 'anchor.npy');
    runJson(['sample', '--objects', '40', '--count', '200', '--seed', '2', '--design', 'anchor', '--anchors', anchors, '--out', out]);
    const a = readNpy(out);
    expect(a.shape).toEqual([200, 3]);
    for (let i = 0; i < 200; i++) {
      const row = Array.from(a.data.subarray(3 * i, 3 * i + 3) as Int32Array).map(Number);
      expect(row.filter((v) => v < 6)).toHaveLength(2);
    }
  });

  test('balanced design', () => {
    const dir = tempDir();
    const out = join(dir, 'bal.txt');
    runJson(['sample', '--objects', '10', '--count', '120', '--seed', '2', '--design', 'balanced', '--out', out]);
    const t = readTripletText(out);
    const pairs = new Map<string, number>();
    for (let i = 0; i < t.count; i++) {
      const [x, y, z] = Array.from(t.data.subarray(3 * i, 3 * i + 3)).sort((p, q) => p - q);
      for (const k of [`${x},${y}`, `${x},${z}`, `${y},${z}`]) pairs.set(k, (pairs.get(k) ?? 0) + 1);
    }
    expect(pairs.size).toBe(45); // every pair of 10 objects appears
    const counts = [...pairs.values()];
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(2);
  });

  test.each([
    [['--objects', '2', '--count', '5'], /--objects must be an integer in \[3/],
    [['--objects', '10', '--count', 'many'], /--count must be an integer/],
    [['--objects', '10', '--count', '5', '--split', '1.5'], /--split must be a fraction/],
  ])('usage errors exit 2: %j', (args, re) => {
    const dir = tempDir();
    const r = runCli(['sample', ...args, '--out', join(dir, 'x.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(existsSync(join(dir, 'x.txt'))).toBe(false);
  });

  test('a bad anchors file is a file:line error and nothing is written', () => {
    const dir = tempDir();
    const anchors = writeText(dir, 'anchors.txt', '0 1\n2 x\n');
    const out = join(dir, 'o.txt');
    const r = runCli(['sample', '--objects', '10', '--count', '5', '--design', 'anchor', '--anchors', anchors, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${anchors}:2: column 2: expected a 0-based object index, found "x"`);
    expect(existsSync(out)).toBe(false);
  });

  test('--design anchor needs --anchors', () => {
    const dir = tempDir();
    const r = runCli(['sample', '--objects', '10', '--count', '5', '--design', 'anchor', '--out', join(dir, 'o.txt'), '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error).toMatchObject({ tag: 'InvalidArgumentError', argument: '--anchors' });
  });
});
