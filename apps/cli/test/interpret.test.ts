import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirForTests, writeNpy } from '@conceptlab/core';
import { runCli, runJson, tempDir, writeText } from './run-cli.js';

/** A concept directory of n objects (things_concepts.tsv) and a 3-category table. */
function conceptDir(dir: string, n: number): string {
  const d = join(dir, 'concepts');
  mkdirSync(d, { recursive: true });
  const rows = Array.from({ length: n }, (_, i) => `thing${i}\tt${i}\ta thing number ${i}`);
  writeText(d, 'things_concepts.tsv', ['Word\tuniqueID\tDefinition (from WordNet, Google, or Wikipedia)', ...rows].join('\n') + '\n');
  const cats = Array.from({ length: n }, (_, i) => [0, 1, 2].map((c) => (i % 3 === c ? 1 : 0)).join('\t'));
  writeText(d, 'category27.tsv', ['red\tgreen\tblue', ...cats].join('\n') + '\n');
  return d;
}

/** n objects × 3 dims: object i loads on dim i mod 3 (so categories are perfectly classifiable). */
function embedding(dir: string, name: string, n: number, perm = [0, 1, 2]): string {
  const data = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) for (let d = 0; d < 3; d++) data[i * 3 + perm[d]] = (i % 3 === d ? 1 : 0.05) + 0.01 * ((i * 7 + d) % 5);
  const f = join(dir, name);
  writeNpy(f, { dtype: 'f8', shape: [n, 3], data });
  return f;
}

describe('conceptlab interpret', () => {
  const dir = tempDir();
  const n = 30;
  const concepts = conceptDir(dir, n);
  const emb = embedding(dir, 'emb.npy', n);
  const other = embedding(dir, 'other.npy', n, [2, 0, 1]);

  test('writes the report, figures and dims.json; --json summary; progress on stderr', () => {
    const out = join(dir, 'out');
    const labels = join(dir, 'labels');
    mkdirSync(labels);
    writeText(labels, 'rater1.txt', 'warm, red\ngreen\ncool\n');
    const r = runCli(['interpret', '--embedding', emb, '--concepts', concepts, '--compare', other, '--labels', labels, '--top', '4', '--seed', '3', '--permutations', '50', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { objects: number; dims: number; classification: { categories: number; accuracy: number; chance: number }; correspondence: { shared: number }; files: string[] };
    expect(s.objects).toBe(n);
    expect(s.dims).toBe(3);
    expect(s.classification.categories).toBe(3);
    expect(s.classification.accuracy).toBe(1);
    expect(s.classification.chance).toBeLessThan(0.7);
    expect(s.correspondence.shared).toBe(3);
    for (const f of s.files) expect(existsSync(join(out, f))).toBe(true);
    expect(r.stderr).toContain('"progress"');
    const dims = JSON.parse(readFileSync(join(out, 'dims.json'), 'utf8')) as { summaries: { top: { word: string }[] }[]; labels: { counts: { label: string }[] }[]; correspondence: { optimal: { b: number }[] } };
    expect(dims.summaries[0].top).toHaveLength(4);
    expect(dims.summaries[0].top[0].word).toMatch(/^thing\d+$/);
    expect(dims.labels[0].counts.map((c) => c.label)).toEqual(['red', 'warm']);
    // other's column perm[d] holds dim d: reference dim 0 → other 2, 1 → 0, 2 → 1
    expect(dims.correspondence.optimal.map((p) => p.b)).toEqual([2, 0, 1]);
  });

  test('human summary without --json', () => {
    const r = runCli(['interpret', '--embedding', emb, '--concepts', concepts, '--permutations', '10', '--map', 'umap', '--out', join(dir, 'out2')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3-category nearest-centroid accuracy 100.0%');
    expect(r.stdout).toContain('report.html');
  });

  test('an embedding with another number of objects is an error; a bad --top is a usage error', () => {
    const short = embedding(dir, 'short.npy', n - 3);
    const r = runCli(['interpret', '--embedding', short, '--concepts', concepts, '--out', join(dir, 'bad')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${short} has ${n - 3} objects`);
    expect(runCli(['interpret', '--embedding', emb, '--concepts', concepts, '--top', '0', '--out', join(dir, 'bad')]).code).toBe(2);
    const badLabels = join(dir, 'badlabels');
    mkdirSync(badLabels);
    const f = writeText(badLabels, 'r.txt', 'a\nb\nc\nd\n');
    const r2 = runCli(['interpret', '--embedding', emb, '--concepts', concepts, '--labels', badLabels, '--out', join(dir, 'bad')]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`${f}:4`);
  });

  const data = dataDirForTests(__dirname, 'interpret on the THINGS human embedding');
  (data ? test : test.skip)('THINGS: 18 categories, accuracy as numpy', () => {
    const s = runJson<{ classification: { categories: number; objects: number; accuracy: number } }>([
      'interpret', '--embedding', join(data!, 'things', 'human_embedding_vice42.npy'), '--concepts', join(data!, 'things'), '--permutations', '100', '--out', join(dir, 'things'),
    ]);
    expect(s.classification.categories).toBe(18);
    expect(s.classification.objects).toBe(1111);
    // packages/interpret-dims/reference/references.py (numpy)
    expect(s.classification.accuracy).toBeCloseTo(0.8496849684968497, 12);
  }, 120000);
});
