import { join } from 'node:path';
import { dataDirForTests, InvalidArgumentError, loadThingsDirectory, readNpyMatrix, type CategoryMatrix } from '@conceptlab/core';
import { classificationSet, nearestCentroidLoo, permutationChance } from './category-classification.js';

function cats(names: string[], rows: number[][]): CategoryMatrix {
  return { names, membership: { rows: rows.length, cols: names.length, data: Uint8Array.from(rows.flat()) } };
}

describe('classificationSet', () => {
  test('drops excluded categories, then multi-category objects, then small categories', () => {
    const c = cats(['a', 'b', 'x'], [
      [1, 0, 0], [1, 0, 0], [1, 0, 1], // object 2: in a and excluded x → counts as a only
      [1, 1, 0], // in two remaining categories → dropped
      [0, 1, 0], // b has one single object → b dropped (minSize 2)
      [0, 0, 1], [0, 0, 0],
    ]);
    const s = classificationSet(c, { rule: 'min-size', exclude: ['x'], minSize: 2 });
    expect(s.names).toEqual(['a']);
    expect(Array.from(s.objects)).toEqual([0, 1, 2]);
    expect(Array.from(s.labels)).toEqual([0, 0, 0]);
    expect(s.rule).toBe('min-size');
    expect(s.droppedSmall).toEqual([{ name: 'b', size: 1 }]);
    expect(() => classificationSet(c, { rule: 'min-size', exclude: ['nope'] })).toThrow(InvalidArgumentError);
    // the authors' rule is positional on the 27 THINGS categories: any other table is refused, not guessed
    expect(() => classificationSet(c)).toThrow(InvalidArgumentError);
  });
});

describe('nearestCentroidLoo', () => {
  test('hand-computed 1-D case', () => {
    // class 0: 0, 1, 5; class 1: 6, 7. LOO: object 5 → own centroid (0+1)/2 = 0.5 (dist 4.5), other 6.5 (dist 1.5) → wrong.
    // object 6 → own centroid 7 (dist 1), other centroid 2 (dist 4) → right. All others right.
    const x = { rows: 5, cols: 1, data: Float64Array.from([0, 1, 5, 6, 7]) };
    const r = nearestCentroidLoo(x, [0, 1, 2, 3, 4], [0, 0, 0, 1, 1], 2);
    expect(Array.from(r.predicted)).toEqual([0, 0, 1, 1, 1]);
    expect(r.accuracy).toBeCloseTo(4 / 5, 15);
    expect(r.perClass[0]).toBeCloseTo(2 / 3, 15);
    expect(() => nearestCentroidLoo(x, [0, 1, 2, 3, 4], [0, 0, 0, 0, 1], 2)).toThrow(InvalidArgumentError);
  });

  test('permutation chance is reproducible for a seed and near 1/K for separable data', () => {
    const n = 40, data = new Float64Array(n * 2), labels: number[] = [];
    for (let i = 0; i < n; i++) { const c = i % 4; labels.push(c); data[2 * i] = c * 10 + (i % 3) * 0.1; data[2 * i + 1] = -c; }
    const x = { rows: n, cols: 2, data };
    const objs = Array.from({ length: n }, (_, i) => i);
    const a = permutationChance(x, objs, labels, 4, { permutations: 200, seed: 3 });
    const b = permutationChance(x, objs, labels, 4, { permutations: 200, seed: 3 });
    expect(a).toEqual(b);
    expect(a.observed).toBe(1);
    expect(a.percentile).toBe(100);
    expect(a.p).toBeCloseTo(1 / 201, 15);
    expect(Math.abs(a.mean - 0.25)).toBeLessThan(0.1);
  });
});

const data = dataDirForTests(__dirname, 'the 18-category classification on the THINGS human embedding');
(data ? test : test.skip)('THINGS: 18 categories, 1,111 objects, accuracy equal to numpy; paper and min-size rules agree here', () => {
  const things = loadThingsDirectory(join(data!, 'things'));
  const x = readNpyMatrix(join(data!, 'things', 'human_embedding_vice42.npy'));
  const s = classificationSet(things.categories!);
  // reference/references.py (numpy, same protocol)
  expect(s.names).toEqual(['animal', 'body part', 'clothing', 'container', 'electronic device', 'food', 'furniture', 'home decor', 'medical equipment', 'musical instrument', 'office supply', 'part of car', 'plant', 'sports equipment', 'tool', 'toy', 'vehicle', 'weapon']);
  expect(s.objects.length).toBe(1111);
  const m = classificationSet(things.categories!, { rule: 'min-size' });
  expect([m.names, Array.from(m.objects)]).toEqual([s.names, Array.from(s.objects)]);
  const r = nearestCentroidLoo(x, s.objects, s.labels, s.names.length);
  expect(r.accuracy).toBeCloseTo(0.8496849684968497, 12);
  // conceptlab's re-run null (not the paper's chance)
  const chance = permutationChance(x, s.objects, s.labels, s.names.length, { permutations: 200, seed: 1 });
  // numpy: mean 0.03643 (SD 0.01027) over 1,000 permutations with its own RNG: agree within 4 SE of a 200-mean.
  expect(Math.abs(chance.mean - 0.036431143114311434)).toBeLessThan(4 * 0.0103 / Math.sqrt(200));
  expect(chance.percentile).toBe(100);
});
