import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { classificationSet, nearestCentroidLoo } from './category-classification.js';
import { interpret } from './interpret.js';
import { wordnetMapColouring } from './map-colouring.js';
import { clusteredFixture } from '../test/fixtures.js';

describe('interpret', () => {
  const fx = clusteredFixture();
  test('writes report.html, figures and dims.json whose numbers match the analyses', async () => {
    const out = mkdtempSync(join(tmpdir(), 'interpret-'));
    const perm = [2, 0, 4, 1, 3];
    const D = fx.embedding.cols;
    const other = new Float64Array(fx.embedding.data.length);
    for (let i = 0; i < fx.embedding.rows; i++) for (let j = 0; j < D; j++) other[i * D + j] = fx.embedding.data[i * D + perm[j]];
    const events: string[] = [];
    const r = await interpret({
      embedding: fx.embedding, concepts: fx.concepts, categories: fx.categories, outDir: out, seed: 4, permutations: 50, tsneIterations: 100,
      compare: { name: 'permuted', embedding: { rows: fx.embedding.rows, cols: D, data: other } },
      compareWith: { name: 'permuted again', embedding: { rows: fx.embedding.rows, cols: D, data: other } },
      mapColouring: wordnetMapColouring(fx.concepts.map((_, i) => ['animal', 'tool', 'Animal', 'body part'][i % 4])),
      facts: [{ title: 'Run <parameters>', rows: [['model', 'gpt-<4>'], ['epochs', '500']] }],
      onProgress: (e) => { if (e.phase === 'end') events.push(e.task); },
    });
    for (const f of r.files) expect(existsSync(join(out, f))).toBe(true);
    expect(r.files).toEqual(expect.arrayContaining(['report.html', 'dims.json', 'figures/map.svg', 'figures/map.png', 'figures/similarity.svg', 'figures/correspondence.svg', 'figures/categories.png']));
    const json = JSON.parse(readFileSync(join(out, 'dims.json'), 'utf8'));
    expect(json.summaries).toHaveLength(D);
    expect(json.summaries[0].top[0].word).toMatch(/^object \d+ <g0>$/);
    // classification equals a direct call (no paper categories here: all categories)
    const set = classificationSet(fx.categories, { rule: 'min-size', exclude: [], minSize: 2 });
    expect(json.classification.rule).toBe('min-size');
    expect(json.classification.accuracy).toBe(nearestCentroidLoo(fx.embedding, set.objects, set.labels, 4).accuracy);
    expect(json.classification.chance.method).toBe('paper: shuffle labels against fixed predictions');
    expect(json.classification.chance.permutations).toBe(50);
    expect(json.classification.chanceRerun.method).toMatch(/^conceptlab: re-run/);
    // the compared embedding is the reference (rows): its column j is this embedding's dim perm[j], so the reorder
    // si puts this embedding's dim perm[k] at position k
    expect(json.correspondence.reference).toBe('permuted');
    expect(json.correspondence.method).toBe('paper');
    expect(json.correspondence.paper.si).toEqual(perm);
    expect(json.correspondence.paper.matches.map((p: { a: number; b: number }) => [p.a, p.b])).toEqual(perm.map((b, a) => [a, b]));
    expect(json.correspondence.shared.method).toBe('paper');
    // three-way with C = the reference again: every dim shared by all three
    expect(json.threeWay.counts).toEqual({ '111': D, '110': 0, '101': 0, '011': 0, '100': 0, '010': 0, '001': 0 });
    // map colours: exact matches only ('Animal' is "other")
    expect(json.map.colouredBy).toContain('Top-down Category (WordNet)');
    expect(json.map.colourCategories).toHaveLength(11);
    expect(json.map.coordinates).toHaveLength(fx.embedding.rows);
    expect(json.map.method).toMatch(/^t-SNE, paper/);
    expect(events).toEqual(expect.arrayContaining(['summaries', 'classification', 'map (t-SNE)', 'figures']));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect((html.match(/<article class="card"/g) ?? []).length).toBe(D);
    expect((html.match(/<circle class="pt"/g) ?? []).length).toBe(fx.embedding.rows);
    expect(html).toContain('&lt;g0&gt;'); // names are escaped
    expect((html.match(/<circle class="pt"[^>]*><title>[^<]* — other<\/title>/g) ?? []).length).toBe(fx.embedding.rows / 4);
    // extra facts come first, escaped, and are kept in dims.json
    expect(html.indexOf('<h2>Run &lt;parameters&gt;</h2>')).toBeGreaterThan(0);
    expect(html.indexOf('<h2>Run &lt;parameters&gt;</h2>')).toBeLessThan(html.indexOf('id="summary"'));
    expect(html).toContain('<tr><th>model</th><td>gpt-&lt;4&gt;</td></tr>');
    expect(json.facts).toEqual([{ title: 'Run <parameters>', rows: [['model', 'gpt-<4>'], ['epochs', '500']] }]);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
  });

  test('concepts may be a ConceptSet (as annotate and startServer take them); png: false writes SVG figures only', async () => {
    const out = mkdtempSync(join(tmpdir(), 'interpret-set-'));
    const r = await interpret({ embedding: fx.embedding, concepts: { source: 'fixture', concepts: fx.concepts }, outDir: out, seed: 4, permutations: 10, tsneIterations: 50, png: false });
    expect(r.files).toEqual(expect.arrayContaining(['report.html', 'dims.json', 'figures/map.svg', 'figures/usage.svg']));
    expect(r.files.filter((f) => f.endsWith('.png'))).toEqual([]);
    expect(existsSync(join(out, 'figures', 'map.png'))).toBe(false);
    expect(r.summaries[0].top[0].word).toBe(fx.concepts[r.summaries[0].top[0].index].word);
    await expect(interpret({ embedding: fx.embedding, concepts: { source: 'x' } as never, outDir: out, png: false })).rejects.toThrow(InvalidArgumentError);
    await expect(interpret({ embedding: fx.embedding, concepts: { source: 'x' } as never, outDir: out, png: false })).rejects.toThrow(/concepts: expected a Concept\[\] or a ConceptSet/);
  });

  test('mismatched inputs are ShapeErrors', async () => {
    await expect(interpret({ embedding: fx.embedding, concepts: fx.concepts.slice(1), outDir: tmpdir() })).rejects.toThrow(ShapeError);
    await expect(interpret({ embedding: fx.embedding, concepts: fx.concepts, similarity: { rows: 2, cols: 2, data: new Float64Array(4) }, outDir: tmpdir() })).rejects.toThrow(ShapeError);
  });
});
