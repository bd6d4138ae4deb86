import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runJson, tempDir, writeText } from './run-cli.js';

// The numpy port of the authors' r48 script (packages/spose-embed/reference/r48_reference.py) gives the fixture.
const REF = JSON.parse(readFileSync(join(__dirname, '../../../packages/spose-embed/reference/r48_reference.json'), 'utf8')) as {
  nObjects: number; dims: number; embedding: number[]; objects48: number[]; answered: number[][];
  bootstrap: number; seed: number; r48: number; ciLow: number; ciHigh: number; curve: number[];
};

describe('conceptlab sample-r48 / r48 / consistency / dims-needed', () => {
  const dir = tempDir();
  const rows = (m: number[][]) => m.map((r) => r.join(' ')).join('\n') + '\n';
  const emb = writeText(dir, 'emb.txt', rows(Array.from({ length: REF.nObjects }, (_, i) => REF.embedding.slice(i * REF.dims, (i + 1) * REF.dims))));
  const objs = writeText(dir, 'objects48.txt', REF.objects48.join('\n') + '\n');
  const answers = writeText(dir, 'answers.txt', rows(REF.answered));

  test("r48 end to end equals the numpy port of the authors' script (r, Fisher-z CI, curve)", () => {
    const res = runJson<{ r48: number; ci: { low: number; high: number; method: string }; method: { scale: string }; curve: { dims: number; r: number }[] }>(
      ['r48', '--objects48', objs, '--answers', answers, '--embedding', emb, '--seed', String(REF.seed), '--curve'],
    );
    expect(Math.abs(res.r48 - REF.r48)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(res.ci.low - REF.ciLow)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(res.ci.high - REF.ciHigh)).toBeLessThanOrEqual(1e-9);
    expect([res.ci.method, res.method.scale]).toEqual(['paper', 'paper']);
    res.curve.forEach((p, d) => expect(Math.abs(p.r - REF.curve[d])).toBeLessThanOrEqual(1e-12));
    expect(runCli(['r48', '--objects48', objs, '--answers', answers, '--embedding', emb]).stdout).toMatch(/^r48 = 0\.5041 \(95% CI/);
  });

  test('sample-r48 writes the design; consistency with the same answers as model and human gives r_mh = 1, ρ = 1/r_hh', () => {
    const design = join(dir, 'design.txt');
    const s = runJson<{ count: number; method: string }>(['sample-r48', '--objects48', objs, '--objects', String(REF.nObjects), '--count', '2000', '--seed', '1', '--out', design]);
    expect([s.count, s.method]).toEqual([2000, 'paper']);
    const lines = readFileSync(design, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2000);
    for (const l of lines.slice(0, 50)) {
      const [a, b, c] = l.split(' ').map(Number);
      expect(REF.objects48).toContain(a);
      expect(REF.objects48).toContain(b);
      expect(REF.objects48).not.toContain(c);
    }
    const c = runJson<{ rho: number; rModelHuman: number; rModelModel: number; rHumanHuman: number; method: { ci: string } }>(
      ['consistency', '--model', answers, '--human', answers, '--objects48', objs, '--objects', String(REF.nObjects), '--bootstrap', '100'],
    );
    // The same answers as model and human: r_mh = 1, r_mm = r_hh → ρ = 1/r_hh.
    expect(c.rModelHuman).toBeCloseTo(1, 12);
    expect(c.rho).toBeCloseTo(1 / c.rHumanHuman, 12);
    expect(c.method.ci).toBe('paper');
  });

  test('dims-needed: paper by default, per-object named', () => {
    const paper = runJson<{ method: string; dims: number; curve: unknown[] }>(['dims-needed', emb, '--triplets', answers, '--no-similarity']);
    expect([paper.method, paper.dims, paper.curve.length]).toEqual(['paper', REF.dims, REF.dims]);
    expect(runJson<{ method: string }>(['dims-needed', emb, '--triplets', answers, '--method', 'per-object']).method).toBe('per-object');
  });

  test('bad input is a one-line file:line error; --help names the methods', () => {
    const bad = writeText(dir, 'bad48.txt', '1\n2\nzebra\n');
    const r = runCli(['r48', '--objects48', bad, '--answers', answers, '--embedding', emb]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`conceptlab: error: ${bad}:3: column 1: expected a 0-based object index (names need --concepts DIR), found "zebra"`);
    const dup = writeText(dir, 'dup48.txt', '1 2 3\n2\n');
    expect(runCli(['r48', '--objects48', dup, '--answers', answers, '--embedding', emb]).stderr).toMatch(/dup48\.txt:2: column 1: expected distinct objects/);
    expect(runCli(['r48', '--help']).stdout).toMatch(/--ci <method>[\s\S]*paper/);
    expect(runCli(['dims-needed', '--help']).stdout).toMatch(/per-object/);
    expect(runCli(['r48', '--objects48', objs, '--answers', answers, '--embedding', emb, '--ci', 'x']).code).toBe(1);
  });
});
