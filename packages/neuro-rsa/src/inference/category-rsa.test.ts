import { InvalidArgumentError } from '@conceptlab/core';
import { categoryRsa } from './category-rsa.js';
import { compareRdms } from './compare.js';
import { categoricalRdm } from '../rdm/categorical-rdm.js';
import { singleCategoryLabels } from '../rdm/category-labels.js';
import { rdmFromSimilarity } from '../rdm/rdm.js';

// 5 objects; membership: 0 → cat 0, 1 → cat 0, 2 → cat 1, 3 → cats 0 and 1 (left out), 4 → none (left out)
const membership = { rows: 5, cols: 2, data: Uint8Array.from([1, 0, 1, 0, 0, 1, 1, 1, 0, 0]) };
const s = {
  rows: 5,
  cols: 5,
  data: Float64Array.from([
    1, 0.9, 0.2, 0.5, 0.1,
    0.9, 1, 0.3, 0.4, 0.2,
    0.2, 0.3, 1, 0.6, 0.7,
    0.5, 0.4, 0.6, 1, 0.3,
    0.1, 0.2, 0.7, 0.3, 1,
  ]),
};

test('singleCategoryLabels: the one category, else −1', () => {
  expect(Array.from(singleCategoryLabels(membership))).toEqual([0, 0, 1, -1, -1]);
});

test('categoryRsa: comparators against the categorical RDM and the within/between means over labelled pairs', () => {
  const labels = singleCategoryLabels(membership);
  const r = categoryRsa(s, labels);
  const model = rdmFromSimilarity(s);
  expect(r.spearman).toBe(compareRdms(model, categoricalRdm(labels), 'spearman'));
  expect(r.tauA).toBe(compareRdms(model, categoricalRdm(labels), 'tau-a'));
  // labelled pairs: (0,1) within 0.9; (0,2) 0.2 and (1,2) 0.3 between
  expect(r.meanWithin).toBeCloseTo(0.9, 15);
  expect(r.meanBetween).toBeCloseTo(0.25, 15);
  expect(r.objects).toBe(3);
  expect(r.categories).toBe(2);
  // by hand: RDM over labelled pairs [0.1, 0.8, 0.7] vs categories [0, 1, 1] → tau-a = (2 concordant − 0) / 3
  expect(r.tauA).toBeCloseTo(2 / 3, 15);
  expect(() => categoryRsa(s, [0, 1])).toThrow(InvalidArgumentError);
});
