import { join } from 'node:path';
import { dataDirForTests } from '@conceptlab/core';
import { runCli, runJson, tempDir, writeText } from './run-cli.js';

describe('conceptlab agreement', () => {
  const dir = tempDir();
  // Same sets, rows in different orders within a row; rows 1 and 3 agree.
  const a = writeText(dir, 'a.txt', '0 1 2\n3 4 5\n6 7 8\n9 10 11\n');
  const b = writeText(dir, 'b.txt', '1 0 2\n3 5 4\n7 6 8\n11 10 9\n');

  test('share of sets with the same odd one out', () => {
    expect(runJson(['agreement', a, b])).toEqual({ a, b, agree: 2, total: 4, fraction: 0.5, percent: 50 });
    const r = runCli(['agreement', a, b]);
    expect(r.stdout.trim()).toBe('agreement: 50.00% (2 of 4 sets)');
  });

  test('different sets on a row are an error naming the row', () => {
    const c = writeText(dir, 'c.txt', '0 1 2\n3 4 6\n6 7 8\n9 10 11\n');
    const r = runCli(['agreement', a, c]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/row 2/);
  });

  test('malformed rows are file:line errors', () => {
    const bad = writeText(dir, 'bad.txt', '0 1 2\n3 4\n');
    const r = runCli(['agreement', a, bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:2: expected 3 object indices`);
  });

  const data = dataDirForTests(__dirname, 'agreement of gpt-3.5-turbo with humans on 2,171 triplets');
  (data ? test : test.skip)('gpt-3.5-turbo vs humans on the 2,171 shared triplets', () => {
    const h = join(data!, 'llm-triplets', '2171trials_humans.txt');
    const g = join(data!, 'llm-triplets', '2171trials_gpt-3.5-turbo.txt');
    // Independent computation (numpy): 754 of 2171 rows have the same last column; sets equal row for row.
    const res = runJson<{ agree: number; total: number; percent: number }>(['agreement', h, g]);
    expect(res.agree).toBe(754);
    expect(res.total).toBe(2171);
    expect(res.percent).toBeCloseTo(34.73053892215569, 10);
  });
});

describe('conceptlab noise-ceiling', () => {
  const dir = tempDir();

  test('THINGS TSV, hand-computed', () => {
    // Set {1,2,3}: odd ones 1,1,2 → 2/3. Set {4,5,6}: 4,4,4,4 → 1. Set {7,8,9}: 7,8 → 1/2.
    const f = writeText(dir, 'nc.tsv', [
      '1\t2\t3\t1\t1', '3\t1\t2\t2\t2', '2\t1\t3\t1\t3',
      '4\t5\t6\t1\t1', '5\t4\t6\t2\t2', '6\t5\t4\t3\t3', '4\t6\t5\t1\t4',
      '7\t8\t9\t1\t1', '9\t8\t7\t2\t2',
    ].join('\n') + '\n');
    const res = runJson<{ percent: number; ci95: number; sets: number; answers: number; format: string }>(['noise-ceiling', f]);
    const shares = [2 / 3, 1, 1 / 2];
    const mean = shares.reduce((s, x) => s + x, 0) / 3;
    const sd = Math.sqrt(shares.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    expect(res.format).toBe('things-tsv');
    expect(res.sets).toBe(3);
    expect(res.answers).toBe(9);
    expect(res.percent).toBeCloseTo(100 * mean, 10);
    expect(res.ci95).toBeCloseTo((1.96 * sd * 100) / Math.sqrt(3), 10);
  });

  test('SPoSE format with repeats gives the same answer', () => {
    const f = writeText(dir, 'nc.txt', ['1 2 0', '2 0 1', '0 2 1'].join('\n') + '\n');
    // Odd ones: 0, 1, 1 → modal share 2/3, one set.
    const res = runJson<{ percent: number; sets: number; format: string }>(['noise-ceiling', f]);
    expect(res.format).toBe('spose');
    expect(res.sets).toBe(1);
    expect(res.percent).toBeCloseTo(200 / 3, 10);
  });

  test('a bad choice column is a file:line error', () => {
    const f = writeText(dir, 'bad.tsv', '1\t2\t3\t1\t1\n1\t2\t3\t0\t1\n');
    const r = runCli(['noise-ceiling', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${f}:2: column 4: expected a choice position in {1, 2, 3}, found 0`);
  });

  const data = dataDirForTests(__dirname, 'THINGS human noise ceiling');
  (data ? test : test.skip)('the THINGS human noise ceiling (published 67.22 ± 1.04)', () => {
    const f = join(data!, 'things', 'human_noise_ceiling_triplets.tsv');
    const res = runJson<{ percent: number; ci95: number; sets: number; answers: number }>(['noise-ceiling', f]);
    // Independent computation with numpy: mean modal share 67.22078131773478 %, CI 1.96·SD(ddof=1)/√1000 = 1.0391604911401617.
    expect(res.sets).toBe(1000);
    expect(res.answers).toBe(20000);
    expect(res.percent).toBeCloseTo(67.22078131773478, 9);
    expect(res.ci95).toBeCloseTo(1.0391604911401617, 9);
    expect(runCli(['noise-ceiling', f]).stdout).toContain('noise ceiling: 67.22% ± 1.04 (95% CI) over 1000 sets, 20000 answers');
  });
});
