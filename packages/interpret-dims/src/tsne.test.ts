import { InvalidArgumentError } from '@conceptlab/core';
import { conditionalAffinities, jointAffinities, tsne, tsneGradient } from './tsne.js';
import { euclideanDistances, smallEmbedding } from '../test/fixtures.js';

const D = euclideanDistances(smallEmbedding());
const n = 20;

describe('t-SNE affinities and gradient', () => {
  test('conditional affinities equal a numpy bisection (perplexity 5, row 0) and have the target entropy', () => {
    // reference/references.py: condP5_row0
    const want = [0.0, 1.4921537017857693e-10, 1.1585134001317686e-6, 2.2979385821430742e-7, 0.24112026282933052, 0.0992378258873145, 5.148301638688753e-11, 2.916819679724625e-6, 7.272841681246737e-7, 0.23007154460282797, 0.006676755745027874, 7.988510765582466e-11, 1.98033782953585e-6, 2.542230736728555e-5, 0.21136571522114406, 8.929425949872946e-5, 5.136230548148447e-10, 5.015983020499744e-7, 0.001212967530290082, 0.21019269647575467];
    const P = conditionalAffinities(D, 5, 1e-10);
    want.forEach((w, j) => expect(P[j]).toBeCloseTo(w, 9));
    let H = 0;
    for (let j = 1; j < n; j++) if (P[j] > 0) H -= P[j] * Math.log(P[j]);
    expect(H).toBeCloseTo(Math.log(5), 8);
  });

  test('the gradient and KL equal numpy at a fixed map (multiscale 5 and 15)', () => {
    const P = jointAffinities(D, [5, 15], 1e-10);
    const sum = P.reduce((s, v) => s + v, 0);
    expect(sum).toBeCloseTo(1, 12);
    const Y = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) { Y[2 * i] = Math.cos(i * 0.9); Y[2 * i + 1] = Math.sin(i * 0.4); }
    const { grad, kl } = tsneGradient(P, Y, n);
    // reference/references.py: grad_first3, kl
    const want = [[0.01115998274177258, 0.001415733349398712], [0.013227107287555405, -0.007165368819103314], [-0.03557315684622545, 0.017124452237268342]];
    for (let i = 0; i < 3; i++) for (let c = 0; c < 2; c++) expect(grad[2 * i + c]).toBeCloseTo(want[i][c], 10);
    expect(kl).toBeCloseTo(0.8081147486993039, 10);
  });

  test('a perplexity ≥ n is an error', () => {
    expect(() => conditionalAffinities(D, 30)).toThrow(InvalidArgumentError);
  });
});

describe('tsne', () => {
  test('deterministic, separates two clusters, lowers KL', () => {
    // two well-separated groups of 15
    const m = 30, data = new Float64Array(m * 3);
    for (let i = 0; i < m; i++) { const g = i < 15 ? 0 : 5; data[3 * i] = g + Math.sin(i); data[3 * i + 1] = Math.cos(2 * i); data[3 * i + 2] = g; }
    const d = euclideanDistances({ rows: m, cols: 3, data });
    const a = tsne(d, { perplexities: [5, 10], iterations: 500, learningRate: 10 });
    const b = tsne(d, { perplexities: [5, 10], iterations: 500, learningRate: 10 });
    expect(Array.from(a.coordinates.data)).toEqual(Array.from(b.coordinates.data));
    const c = a.coordinates.data;
    const centroid = (lo: number): [number, number] => {
      let x = 0, y = 0;
      for (let i = lo; i < lo + 15; i++) { x += c[2 * i]; y += c[2 * i + 1]; }
      return [x / 15, y / 15];
    };
    const [c0, c1] = [centroid(0), centroid(15)];
    const between = Math.hypot(c0[0] - c1[0], c0[1] - c1[1]);
    let within = 0;
    for (let i = 0; i < m; i++) { const cc = i < 15 ? c0 : c1; within += Math.hypot(c[2 * i] - cc[0], c[2 * i + 1] - cc[1]) / m; }
    expect(between).toBeGreaterThan(2 * within);
    const short = tsne(d, { perplexities: [5, 10], iterations: 10, learningRate: 10 });
    expect(a.kl!).toBeLessThan(short.kl!);
  });
});
