import { join } from 'node:path';
import { dataDirForTests, InvalidArgumentError, readNpyMatrix, type Matrix } from '@conceptlab/core';
import { expectClose } from '../../../../test-support/expect-close.js';
import { authorsPort, matrixOf, type PortThreeWay } from '../../test/authors-port-fixture.js';
import { sharedUniqueBestFree, sharedUniquePaper } from './shared-unique.js';
import { sharedUniqueThreeWay, type ThreeWaySharedUnique } from './shared-unique-three-way.js';

const cols = (...c: number[][]): Matrix<Float64Array> => matrixOf(c[0].map((_, i) => c.map((v) => v[i])));
const a0 = [1, 2, 3, 4], a1 = [1, 3, 2, 4], a2 = [4, 3, 2, 1];

function expectThreeWay(r: ThreeWaySharedUnique, ref: PortThreeWay): void {
  expect(r.counts).toEqual(ref.counts);
  expect(r.rows).toBe(ref.rows);
  expect(r.ab.map((m) => [m.row + 1, m.position + 1])).toEqual(ref.ab.map((m) => [m.a, m.position]));
  expect(r.ac.map((m) => [m.row + 1, m.position + 1])).toEqual(ref.ac.map((m) => [m.a, m.position]));
  expect(r.bc.map((m) => [m.row + 1, m.position + 1])).toEqual(ref.bc.map((m) => [m.b, m.position]));
  expectClose([...r.ab, ...r.ac, ...r.bc].map((m) => m.value), [...ref.ab, ...ref.ac, ...ref.bc].map((m) => m.value), { abs: 1e-9 });
  expect(r.remainingB.map((v) => v + 1)).toEqual(ref.remainingB);
  expect(r.remainingC.map((v) => v + 1)).toEqual(ref.remainingC);
}

describe('shared vs unique dims (authors-procedures item 2)', () => {
  test('hand-computed two-way: first free position, used as a dim number (quirk) vs best-free on raw r', () => {
    // reference [a0, a1], model [a1, a1, a0]: Cadapt = [[1, 0], [0, 1]] over positions holding model dims 2 and 0
    const ref = cols(a0, a1), model = cols(a1, a1, a0);
    const p = sharedUniquePaper(ref, model);
    expect(p.method).toBe('paper');
    expect(p.pairs.map((x) => [x.a, x.b, x.bAtPosition])).toEqual([[0, 0, 2], [1, 1, 0]]);
    expect(p.uniqueB).toEqual([2]); // position numbers 0 and 1 were removed from the list, so "dim 2" stays free
    expect(p.counts).toEqual({ shared: 2, uniqueA: 0, uniqueB: 1 });
    // raw r: row 0 = [0.8, 0.8, 1] → dim 2; row 1 = [1, 1, 0.8] → dim 0 (first of the tie)
    const b = sharedUniqueBestFree(ref, model);
    expect(b.method).toBe('best-free');
    expect(b.pairs.map((x) => [x.a, x.b])).toEqual([[0, 2], [1, 0]]);
    expect(b.uniqueB).toEqual([1]);
    expectClose(b.pairs.map((x) => x.value), [1, 1], { abs: 1e-12 });
  });

  test('hand-computed: the first passing position wins, not the best', () => {
    // reference [a0, a1, a2], model [a2, a0]: Cadapt = [[1, −1.8], [0, −0.8], [0, 1.8]]; threshold −1 lets row 1 take position 1 first
    const p = sharedUniquePaper(cols(a0, a1, a2), cols(a2, a0), { threshold: -1 });
    expect(p.pairs.map((x) => [x.a, x.position])).toEqual([[0, 0], [1, 1]]);
    expect(p.uniqueA).toEqual([2]); // its best (1.8 at position 1) was already taken
    expect(() => sharedUniquePaper(cols(a0), cols(a1), { threshold: NaN })).toThrow(InvalidArgumentError);
  });

  test.each(Object.keys(authorsPort.correspondence))('two-way equals the numpy port: %s', (name) => {
    const c = authorsPort.correspondence[name];
    const p = sharedUniquePaper(matrixOf(c.reference), matrixOf(c.model));
    expect(p.pairs.map((x) => [x.a + 1, x.position! + 1])).toEqual(c.shared.pairs.map((x) => [x.a, x.position]));
    expectClose(p.pairs.map((x) => x.value), c.shared.pairs.map((x) => x.value), { abs: 1e-9 });
    expect(p.uniqueB.map((v) => v + 1)).toEqual(c.shared.remainingB);
    expect([p.counts.shared, p.counts.uniqueA, p.counts.uniqueB]).toEqual([c.shared.counts['11'], c.shared.counts['10'], c.shared.counts['01']]);
  });

  test('hand-computed three-way: A = [a0, a1], B = [a1, a0], C = [a0, x] with x = [2, 1, 1, 2] (r = 0 with a0, a1)', () => {
    // AB: C = [[0.8, 1], [1, 0.8]], ii = [1, 0], si = [1, 0] → Cadapt = [[1, 0], [0, 1]]: A0–B position 0, A1–B position 1.
    // AC: C = [[1, 0], [0.8, 0]], ii = [0, dup] (column 1 ties at 0 → row 0, taken), si = [0, 1];
    //     Cadapt = [[1, 0 − 0.8], [0.8 − 0.8, 0]] = [[1, −0.8], [0, 0]]: A0–C position 0, A1 finds none.
    const x = [2, 1, 1, 2];
    const r = sharedUniqueThreeWay(cols(a0, a1), cols(a1, a0), cols(a0, x));
    expect(r.ab.map((m) => [m.row, m.position])).toEqual([[0, 0], [1, 1]]);
    expect(r.ac.map((m) => [m.row, m.position])).toEqual([[0, 0]]);
    expectClose([...r.ab, ...r.ac].map((m) => m.value), [1, 1, 1], { abs: 1e-12 });
    expect(r.bc).toEqual([]); // no B dim left
    expect(r.remainingC).toEqual([1]);
    // rows: A0 = 111, A1 = 110, B rows and C0 blanked, C1 = 001
    expect(r.counts).toEqual({ '111': 1, '110': 1, '101': 0, '011': 0, '100': 0, '010': 0, '001': 1 });
    expect(r.rows).toBe(3);
  });

  test('three-way equals the numpy port (equal and unequal dims)', () => {
    for (const c of [authorsPort.threeWay, authorsPort.threeWayUnequal]) {
      expectThreeWay(sharedUniqueThreeWay(matrixOf(c.A), matrixOf(c.B), matrixOf(c.C)), c.result);
    }
    const u = sharedUniqueThreeWay(matrixOf(authorsPort.threeWayUnequal.A), matrixOf(authorsPort.threeWayUnequal.B), matrixOf(authorsPort.threeWayUnequal.C));
    expect(u.unequalDimsRule).toMatch(/first min/);
  });
});

const data = dataDirForTests(__dirname, 'the authors\' shared vs unique dims on VICE42-derived embeddings');
(data ? test : test.skip)('THINGS VICE42 vs derived models: two-way and three-way equal to the numpy port', () => {
  const port = authorsPort.thingsCorrespondence!;
  const H = readNpyMatrix(join(data!, 'things', 'human_embedding_vice42.npy'));
  const derive = (p: number[], q: number[]): Matrix<Float64Array> => {
    const out = new Float64Array(H.rows * p.length);
    for (let i = 0; i < H.rows; i++) for (let j = 0; j < p.length; j++) out[i * p.length + j] = H.data[i * H.cols + p[j]] + 0.5 * H.data[i * H.cols + q[j]];
    return { rows: H.rows, cols: p.length, data: out };
  };
  const M1 = derive(port.p, port.q), M2 = derive(port.p2, port.q2);
  const two = sharedUniquePaper(H, M1);
  expect(two.pairs.map((x) => [x.a + 1, x.position! + 1])).toEqual(port.sharedM1.pairs.map((x) => [x.a, x.position]));
  expect([two.counts.shared, two.counts.uniqueA, two.counts.uniqueB]).toEqual([port.sharedM1.counts['11'], port.sharedM1.counts['10'], port.sharedM1.counts['01']]);
  expectThreeWay(sharedUniqueThreeWay(H, M1, M2), port.threeWay);
});
