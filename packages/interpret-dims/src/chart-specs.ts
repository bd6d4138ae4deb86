import type { Matrix, NumericArray } from '@conceptlab/core';
import type { RosePetal } from './rose.js';

/** Vega-Lite v6 specs of the report's figures (plain JSON objects, rendered by {@link renderVegaLiteSvgs}). */
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const FONT = { font: 'Helvetica, Arial, sans-serif' };

/** Bar chart of the share of objects using each dimension. */
export function usageSpec(usage: readonly { dim: number; usageShare: number; label?: string }[]): object {
  return {
    $schema: SCHEMA,
    config: { ...FONT },
    title: 'Share of objects using each dimension',
    width: Math.max(300, usage.length * 9),
    height: 160,
    data: { values: usage.map((u) => ({ dim: u.dim + 1, share: u.usageShare, label: u.label ?? '' })) },
    mark: { type: 'bar', color: '#4c78a8' },
    encoding: {
      x: { field: 'dim', type: 'ordinal', title: 'dimension', axis: { labelAngle: 0, labelOverlap: true } },
      y: { field: 'share', type: 'quantitative', title: 'share of objects', axis: { format: '%' } },
    },
  };
}

/**
 * Block-averaged heatmap of a square matrix in the given object order, at most `bins` × `bins` cells
 * (a 1,854 × 1,854 matrix would be 3.4M SVG elements).
 */
export function heatmapSpec(m: Matrix<NumericArray>, order: readonly number[], title: string, bins = 90): object {
  const n = order.length;
  const b = Math.min(bins, n);
  const edge = (k: number): number => Math.round((k * n) / b);
  const values: { r: number; c: number; v: number }[] = [];
  for (let r = 0; r < b; r++) {
    for (let c = 0; c < b; c++) {
      let s = 0, cnt = 0;
      for (let i = edge(r); i < edge(r + 1); i++) for (let j = edge(c); j < edge(c + 1); j++) {
        if (order[i] === order[j]) continue; // the diagonal (1 by definition) would dominate small blocks
        s += m.data[order[i] * m.cols + order[j]];
        cnt++;
      }
      values.push({ r, c, v: cnt ? s / cnt : NaN });
    }
  }
  const size = Math.min(480, Math.max(240, b * 5));
  return {
    $schema: SCHEMA,
    config: { ...FONT, view: { stroke: null } },
    title,
    width: size,
    height: size,
    data: { values: values.filter((x) => Number.isFinite(x.v)) },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'c', type: 'ordinal', axis: null },
      y: { field: 'r', type: 'ordinal', axis: null },
      color: { field: 'v', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'similarity' },
    },
  };
}

/**
 * Scatter plot of a 2-D map coloured by category. With `order` (the colouring categories, e.g. the paper's 11),
 * the legend follows it; "other" and "none" are drawn light grey.
 */
export function mapSpec(points: readonly { x: number; y: number; name: string; group: string }[], title: string, order?: readonly string[]): object {
  const present = new Set(points.map((p) => p.group));
  const groups = (order ? [...order, 'other', 'none'] : [...present].sort()).filter((g, i, a) => present.has(g) && a.indexOf(g) === i);
  const palette = ['#e15759', '#59a14f', '#f28e2b', '#4e79a7', '#9c755f', '#b07aa1', '#ff9da7', '#edc948', '#76b7b2', '#8cd17d', '#499894', '#86bcb6', '#d37295', '#fabfd2', '#b6992d', '#f1ce63', '#a0cbe8', '#ffbe7d', '#bab0ac', '#d4a6c8'];
  let k = 0;
  const range = groups.map((g) => (g === 'other' || g === 'none' ? '#d0d0d0' : palette[k++ % palette.length]));
  return {
    $schema: SCHEMA,
    config: { ...FONT },
    title,
    width: 520,
    height: 520,
    data: { values: points },
    mark: { type: 'circle', size: 14, opacity: 0.75 },
    encoding: {
      x: { field: 'x', type: 'quantitative', axis: null, scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', axis: null, scale: { zero: false } },
      color: { field: 'group', type: 'nominal', scale: { domain: groups, range }, title: 'category' },
      order: { condition: { test: "datum.group === 'other' || datum.group === 'none'", value: 0 }, value: 1 },
      tooltip: [{ field: 'name' }, { field: 'group' }],
    },
  };
}

/** Per-category accuracy bars with the chance level as a rule. */
export function categoryAccuracySpec(names: readonly string[], perClass: readonly number[], chance: number, accuracy: number): object {
  return {
    $schema: SCHEMA,
    config: { ...FONT },
    title: `Leave-one-out nearest-centroid accuracy per category (overall ${(accuracy * 100).toFixed(1)}%, chance ${(chance * 100).toFixed(1)}%)`,
    width: 420,
    height: Math.max(160, names.length * 16),
    layer: [
      { data: { values: names.map((n, i) => ({ category: n, accuracy: perClass[i] })) }, mark: { type: 'bar', color: '#59a14f' }, encoding: { y: { field: 'category', type: 'nominal', sort: '-x', title: null }, x: { field: 'accuracy', type: 'quantitative', axis: { format: '%' }, scale: { domain: [0, 1] } } } },
      { data: { values: [{ chance }] }, mark: { type: 'rule', color: '#e15759', strokeDash: [4, 3] }, encoding: { x: { field: 'chance', type: 'quantitative' } } },
    ],
  };
}

/** Heatmap of a dimension-correspondence matrix (rows: reference dims, columns: other dims). */
export function correspondenceSpec(corr: readonly (readonly number[])[], rowTitle: string, colTitle: string, title: string): object {
  const values: { a: number; b: number; r: number }[] = [];
  corr.forEach((row, i) => row.forEach((r, j) => { if (Number.isFinite(r)) values.push({ a: i + 1, b: j + 1, r }); }));
  const cell = Math.max(4, Math.min(14, Math.floor(520 / Math.max(corr.length, corr[0]?.length ?? 1))));
  return {
    $schema: SCHEMA,
    config: { ...FONT, view: { stroke: null } },
    title,
    width: cell * (corr[0]?.length ?? 1),
    height: cell * corr.length,
    data: { values },
    mark: 'rect',
    encoding: {
      x: { field: 'b', type: 'ordinal', title: colTitle, axis: { labelOverlap: true, labelAngle: 0 } },
      y: { field: 'a', type: 'ordinal', title: rowTitle, axis: { labelOverlap: true } },
      color: { field: 'r', type: 'quantitative', scale: { scheme: 'redblue', domain: [-1, 1], reverse: true }, title: 'r' },
    },
  };
}

/** Rose (polar bar) plots, one facet per object. */
export function roseSpec(petals: readonly RosePetal[]): object {
  return {
    $schema: SCHEMA,
    config: { ...FONT, view: { stroke: null } },
    title: 'Dimension profiles (rose plots)',
    data: { values: petals.map((p) => ({ name: p.name, dim: p.dim + 1, weight: p.weight, theta0: p.theta0, theta1: p.theta1 })) },
    facet: { field: 'name', type: 'nominal', title: null },
    columns: 3,
    spec: {
      width: 200,
      height: 200,
      mark: { type: 'arc', stroke: '#fff', strokeWidth: 0.5 },
      encoding: {
        theta: { field: 'theta0', type: 'quantitative', scale: null, stack: null },
        theta2: { field: 'theta1' },
        radius: { field: 'weight', type: 'quantitative', scale: { type: 'sqrt', zero: true, rangeMin: 0 }, stack: null },
        tooltip: [{ field: 'name' }, { field: 'dim' }, { field: 'weight', format: '.3f' }],
        color: { field: 'dim', type: 'ordinal', legend: null, scale: { scheme: 'rainbow' } },
      },
    },
  };
}
