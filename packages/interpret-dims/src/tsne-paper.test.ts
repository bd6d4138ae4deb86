import { InvalidArgumentError } from '@conceptlab/core';
import { expectClose } from '../../../test-support/expect-close.js';
import { authorsPort, matrixOf } from '../test/authors-port-fixture.js';
import { euclideanDistances } from '../test/fixtures.js';
import { d2p, tsnePaper } from './tsne-paper.js';

const t = authorsPort.tsne;
const X = matrixOf(t.X);
const Dm = euclideanDistances(X);
let max = 0;
for (const v of Dm.data) max = Math.max(max, v);
const Dn = { rows: Dm.rows, cols: Dm.cols, data: Dm.data.map((v) => v / max) };

describe('the authors\' t-SNE (authors-procedures item 10)', () => {
  test('hand-computed d2p: 3 points at squared distances 0 apart give uniform rows; 1e-10 is added to the sum', () => {
    // d = 0 everywhere: P = exp(0) = 1 for both others, H = ln(2 + 1e-10) − 0 ≈ ln 2 = ln u for u = 2 → no tries
    const P = d2p({ rows: 3, cols: 3, data: new Float64Array(9) }, 2);
    expectClose(P, [0, 1 / (2 + 1e-10), 1 / (2 + 1e-10), 1 / (2 + 1e-10), 0, 1 / (2 + 1e-10), 1 / (2 + 1e-10), 1 / (2 + 1e-10), 0], { abs: 1e-16 });
    expect(() => d2p({ rows: 2, cols: 2, data: new Float64Array(4) }, 1)).toThrow(InvalidArgumentError);
  });

  test('d2p rows equal the numpy port (distances/max as squared distances, perplexities 5 and 30)', () => {
    const n = Dn.rows;
    expectClose(d2p(Dn, 5).subarray(0, n), t.d2p5Row0, { abs: 1e-12 });
    expectClose(d2p(Dn, 30).subarray(7 * n, 8 * n), t.d2p30Row7, { abs: 1e-12 });
  });

  test('from a given start: one iteration equals the numpy port of tsne_p to 1e-12; 300 (across the momentum switch at 250) to 1e-5 relative', () => {
    expectClose(tsnePaper(Dm, { init: matrixOf(t.Y0), iterations: 1 }).coordinates.data, t.Y1.flat(), { abs: 1e-12 });
    const r = tsnePaper(Dm, { init: matrixOf(t.Y0), iterations: t.iterations });
    expect(r.method).toMatch(/^t-SNE, paper/);
    // rounding differences (1e-14 after one step) grow through the gain switches (a sign test per coordinate) to
    // ~1e-6 relative after 300 steps; a different algorithm would differ by the map's own scale (tens of units)
    expectClose(r.coordinates.data, t.Y.flat(), { rel: 1e-5 });
    expect(Array.from(tsnePaper(Dm, { init: matrixOf(t.Y0), iterations: 20 }).coordinates.data)).toEqual(Array.from(tsnePaper(Dm, { init: matrixOf(t.Y0), iterations: 20 }).coordinates.data));
  });
});
