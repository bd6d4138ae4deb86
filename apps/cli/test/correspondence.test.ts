import { join } from 'node:path';
import type { AuthorsPort } from '../../../packages/interpret-dims/test/authors-port-fixture.js';
import { readFileSync } from 'node:fs';
import { runCli, runJson, tempDir, writeText } from './run-cli.js';

// The numpy port of the authors' draw_figure5d / draw_figure5e scripts (packages/interpret-dims/reference/authors_port.py;
// its output, with MATLAB's 1-based indices).
const PORT = JSON.parse(readFileSync(join(__dirname, '../../../packages/interpret-dims/reference/authors_port.json'), 'utf8')) as AuthorsPort;
const text = (m: number[][]) => m.map((r) => r.map((v) => v.toPrecision(17)).join(' ')).join('\n') + '\n';

interface Out {
  correspondence: { method: string; paper: { si: number[]; matches: { a: number; b: number; position: number; value: number }[] }; shared: { method: string; counts: { shared: number } } };
  threeWay?: { method: string; counts: Record<string, number> };
}

describe('conceptlab correspondence', () => {
  const dir = tempDir();

  test("three embeddings: the authors' reorder, matches and three-way counts, as the numpy port", () => {
    const { A, B, C, result } = PORT.threeWay;
    const [a, b, c] = [['A.txt', A], ['B.txt', B], ['C.txt', C]].map(([f, m]) => writeText(dir, f as string, text(m as number[][])));
    const r = runJson<Out>(['correspondence', '--reference', a!, '--model', b!, '--third', c!, '--json']);
    expect(r.correspondence.method).toBe('paper');
    expect(r.correspondence.shared.method).toBe('paper');
    expect(r.threeWay!.counts).toEqual(result.counts);
  });

  for (const [name, kase] of Object.entries(PORT.correspondence)) {
    test(`two embeddings (${name}): si, matches ≥ 0.4 and shared count equal the port`, () => {
      const ref = writeText(dir, `${name}-ref.txt`, text(kase.reference));
      const model = writeText(dir, `${name}-model.txt`, text(kase.model));
      const r = runJson<Out>(['correspondence', '--reference', ref, '--model', model, '--json']);
      expect(r.correspondence.paper.si.map((s) => s + 1)).toEqual(kase.paper.si.slice(0, r.correspondence.paper.si.length));
      expect(r.correspondence.paper.matches.map((m) => [m.a + 1, m.position + 1, m.b + 1])).toEqual(kase.paper.matches.map((m) => [m.a, m.position, m.b]));
      r.correspondence.paper.matches.forEach((m, k) => expect(Math.abs(m.value - kase.paper.matches[k]!.value)).toBeLessThanOrEqual(1e-9));
      expect(r.correspondence.shared.counts.shared).toBe(kase.shared.counts['11']);
      const human = runCli(['correspondence', '--reference', ref, '--model', model]);
      expect(human.stdout).toMatch(/correspondence \(method paper/);
      expect(human.stdout).toMatch(/shared vs unique at 0\.2 \(method paper\)/);
    });
  }

  test('embeddings of different objects are refused in one line naming both files', () => {
    const a = writeText(dir, 'a3.txt', '1 2\n3 4\n5 6\n');
    const b = writeText(dir, 'b2.txt', '1 2\n3 4\n');
    const r = runCli(['correspondence', '--reference', a, '--model', b]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('b2.txt');
    expect(r.stderr).toContain('a3.txt');
  });
});
