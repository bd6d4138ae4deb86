import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMatrix, createRng, dataDirForTests, writeNpyMatrix, writeTripletText } from '@conceptlab/core';
import { sampleUniform } from '@conceptlab/triplet-sampler';
import { runAsync, runCli, runJson, serve, tempDir, writeText } from './run-cli.js';

const SECRET = 'sk-test-NEVER-LOG-THIS-9f8e7d';

describe('conceptlab serve + annotate (real HTTP on 127.0.0.1, the openai SDK)', () => {
  const dir = tempDir();
  // 12 concepts in 3 clusters of 4.
  const words = ['apple', 'pear', 'plum', 'cherry', 'hammer', 'saw', 'drill', 'wrench', 'dog', 'cat', 'horse', 'cow'];
  const rows = words.map((w) => `${w}\t${w}\tthe ${w} we all know`);
  writeText(dir, 'things_concepts.tsv', 'Word\tuniqueID\tDefinition\n' + rows.join('\n') + '\n');
  const rng = createRng(4);
  const emb = createMatrix(12, 3);
  // A dominant dim per cluster plus small distinct weights elsewhere, so no two pairs tie.
  for (let i = 0; i < 12; i++) for (let d = 0; d < 3; d++) emb.data[i * 3 + d] = d === Math.floor(i / 4) ? 1 + rng.nextFloat() : 0.1 * rng.nextFloat();
  writeNpyMatrix(join(dir, 'emb.npy'), emb);
  writeTripletText(join(dir, 'sets.txt'), sampleUniform({ nObjects: 12, count: 150, seed: 1 }));
  let server: { url: string; child: ChildProcess };

  beforeAll(async () => {
    server = await serve(['--observer', `sim:${join(dir, 'emb.npy')}`, '--argmax', '--concepts', dir, '--api-key-env', 'SERVE_KEY'], { SERVE_KEY: SECRET });
  });
  afterAll(() => {
    server?.child.kill('SIGTERM');
  });

  test('annotate → export equals the same observer simulated offline; the key appears nowhere', async () => {
    const journal = join(dir, 'run.sqlite');
    const r = await runAsync(['annotate', '--base-url', server.url, '--model', 'sim', '--api-key-env', 'MY_KEY', '--concepts', dir, '--triplets', join(dir, 'sets.txt'), '--journal', journal, '--concurrency', '8', '--json'], { MY_KEY: SECRET });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ total: 150, answered: 150, unparsed: 0, failed: 0, pending: 0 });
    const exported = join(dir, 'answers.txt');
    const ex = await runAsync(['annotate', 'export', '--journal', journal, '--out', exported, '--json']);
    expect(ex.code).toBe(0);
    const offline = join(dir, 'offline.txt');
    runJson(['simulate', '--embedding', join(dir, 'emb.npy'), '--triplets', join(dir, 'sets.txt'), '--argmax', '--out', offline]);
    expect(runJson<{ agree: number; total: number }>(['agreement', exported, offline])).toMatchObject({ agree: 150, total: 150 });
    for (const f of [journal, exported]) expect(readFileSync(f).includes(SECRET)).toBe(false);
    expect(r.stdout + r.stderr + ex.stdout + ex.stderr).not.toContain(SECRET);
  });

  test('a wrong key is refused without printing either key', async () => {
    const r = await runAsync(['annotate', '--base-url', server.url, '--model', 'sim', '--api-key-env', 'MY_KEY', '--concepts', dir, '--triplets', join(dir, 'sets.txt'), '--journal', join(dir, 'bad.sqlite'), '--max-attempts', '1'], { MY_KEY: 'sk-wrong-key-abc123' });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout + r.stderr).not.toContain('sk-wrong-key-abc123');
    expect(readFileSync(join(dir, 'bad.sqlite')).includes('sk-wrong-key-abc123')).toBe(false);
  });

  test('annotate requires its options, and vision needs --images', () => {
    const r = runCli(['annotate', '--model', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--base-url: expected a value/);
    const v = runCli(['annotate', '--base-url', 'http://127.0.0.1:1/v1', '--model', 'm', '--concepts', dir, '--triplets', join(dir, 'sets.txt'), '--journal', join(dir, 'v.sqlite'), '--mode', 'vision']);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/--images/);
  });
});

const data = dataDirForTests(__dirname, 'annotating the 2,171 THINGS triplets through conceptlab serve');
(data ? describe : describe.skip)('on THINGS', () => {
  test('the human embedding served over HTTP agrees with people exactly as the offline observer does', async () => {
    const things = join(data!, 'things');
    const { url, child } = await serve(['--observer', `sim:${join(things, 'human_embedding_vice42.npy')}`, '--argmax', '--concepts', things]);
    try {
      const dir = tempDir();
      const humans = join(data!, 'llm-triplets', '2171trials_humans.txt');
      const r = await runAsync(['annotate', '--base-url', url, '--model', 'vice-argmax', '--concepts', things, '--triplets', humans, '--journal', join(dir, 'j.sqlite'), '--concurrency', '32', '--json']);
      expect(r.code).toBe(0);
      runJson(['annotate', 'export', '--journal', join(dir, 'j.sqlite'), '--out', join(dir, 'a.txt')]);
      // `conceptlab simulate --argmax` with the same embedding on the same sets agrees with people on 1433 of 2171.
      expect(runJson<{ agree: number; total: number }>(['agreement', join(dir, 'a.txt'), humans])).toMatchObject({ agree: 1433, total: 2171 });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
