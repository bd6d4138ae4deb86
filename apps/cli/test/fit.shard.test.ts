import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTripletText } from '@conceptlab/core';
import { answerByEmbedding, sampleUniform } from '@conceptlab/triplet-sampler';
import { BIN, tempDir } from './run-cli.js';
import { plantedEmbedding } from './planted-embedding.js';

// `fit --shard K/N` on separate processes (as on N machines), merged: the same embedding as one run.

/** The CLI as a process with exactly these job variables (none inherited from a real job array). */
function cli(args: string[], jobEnv: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  for (const k of Object.keys(env)) if (k.startsWith('SLURM_') || k === 'JOB_COMPLETION_INDEX') delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...env, ...jobEnv } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function json<T = Record<string, unknown>>(args: string[], jobEnv: NodeJS.ProcessEnv = {}): T {
  const r = cli([...args, '--json'], jobEnv);
  if (r.code !== 0) throw new Error(`conceptlab ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

const slurm = (id: number) => ({ SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '2', SLURM_ARRAY_TASK_COUNT: '3' });

interface FitJson {
  runs: { seed: number }[];
  shard?: { k: number; n: number; from: string; seeds: number[]; ran: number[] };
}
interface MergeJson {
  runs: number;
  runOrder: { by: string; seeds: number[]; missing?: number[] }[];
  dims: { file: string }[];
  out: string;
  dimsFile: string;
  [k: string]: unknown;
}

/** A merge summary without the paths (which name the folders merged). */
function withoutPaths(m: MergeJson) {
  const { out: _o, dimsFile: _d, runOrder: _r, dims, ...rest } = m;
  return { ...rest, dims: dims.map(({ file: _f, ...d }) => d) };
}

describe('conceptlab fit --shard: seeds across machines', () => {
  const dir = tempDir();
  // 12 objects, each mostly on one of 3 dims; 600 answered triplets.
  const n = 12;
  const train = join(dir, 'train.txt');
  writeTripletText(train, answerByEmbedding(sampleUniform({ nObjects: n, count: 600, seed: 1, allowDuplicates: true }), plantedEmbedding(n, 3, 4), { seed: 2 }));
  const fitArgs = (out: string) => ['fit', '--train', train, '--dims', '6', '--lambda', '0.005', '--epochs', '4', '--batch', '50', '--threads', '1', '--seeds', '0,1,2,3', '--out', out];
  const mergeArgs = (runs: string[], out: string) => ['merge', ...runs, '--top', '4', '--permutations', '200', '--bootstraps', '50', '--out', out];
  const one = join(dir, 'one');
  const shards = [1, 2, 3].map((k) => join(dir, `shard-${k}`));
  const shared = join(dir, 'shared');
  let oneMerge: MergeJson;

  beforeAll(() => {
    // The job variables set, but no --shard: every seed runs (the variables are read only for --shard auto).
    const full = json<FitJson>(fitArgs(one), slurm(1));
    expect(full.runs.map((r) => r.seed)).toEqual([0, 1, 2, 3]);
    expect(full.shard).toBeUndefined();
    oneMerge = json<MergeJson>(mergeArgs([one], join(dir, 'one.npy')));
    // Something to get wrong: dims from every seed, some pruned as redundant, some not kept.
    expect(new Set(oneMerge.dims.map((x) => x.file)).size).toBeGreaterThan(1);
    expect(oneMerge).toMatchObject({ runs: 4, kept: 4 });
    expect(oneMerge.afterPruning as number).toBeGreaterThan(4);
    expect(oneMerge.pooled as number).toBeGreaterThan(oneMerge.afterPruning as number);
  });

  test('shards K/N as separate processes run their seeds; merged, byte-identical to one run', () => {
    const ran = shards.map((out, i) => json<FitJson>([...fitArgs(out), '--shard', `${i + 1}/3`]));
    expect(ran.map((r) => r.runs.map((x) => x.seed))).toEqual([[0, 3], [1], [2]]);
    expect(ran[0].shard).toEqual({ k: 1, n: 3, from: '--shard 1/3', seeds: [0, 1, 2, 3], ran: [0, 3] });
    expect(readdirSync(shards[1]).sort()).toEqual(['seed-1', 'seeds.json', 'shard-2-of-3.json']);
    for (const [k, seeds] of [[1, [0, 3]], [2, [1]], [3, [2]]] as const) {
      for (const s of seeds) expect(readFileSync(join(shards[k - 1], `seed-${s}`, 'embedding.npy')).equals(readFileSync(join(one, `seed-${s}`, 'embedding.npy')))).toBe(true);
    }
    // Given in any order, the shards pool in the order of the full seed list, as the one run.
    const merged = json<MergeJson>(mergeArgs([shards[2], shards[0], shards[1]], join(dir, 'shards.npy')));
    expect(readFileSync(join(dir, 'shards.npy')).equals(readFileSync(join(dir, 'one.npy')))).toBe(true);
    expect(withoutPaths(merged)).toEqual(withoutPaths(oneMerge));
    expect(merged.runOrder).toEqual([expect.objectContaining({ by: 'shards (the order of their full seed list)', seeds: [0, 1, 2, 3], missing: [] })]);
    expect(merged.dims.map((x) => x.file.slice(dir.length))).toEqual(oneMerge.dims.map((x) => x.file.slice(dir.length).replace(/one\/seed-(\d)/, (_, s) => `shard-${({ 0: 1, 1: 2, 2: 3, 3: 1 } as Record<string, number>)[s]}/seed-${s}`)));
  });

  test('--shard auto (SLURM job array) and auto/N (Kubernetes Indexed Job) into one shared folder: the same merge', () => {
    const a = json<FitJson>([...fitArgs(shared), '--shard', '1/3']);
    const b = cli([...fitArgs(shared), '--shard', 'auto'], slurm(1));
    const c = json<FitJson>([...fitArgs(shared), '--shard', 'auto/3'], { JOB_COMPLETION_INDEX: '2' });
    expect([a, c].map((r) => r.runs.map((x) => x.seed))).toEqual([[0, 3], [2]]);
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/^seed 1: 4 epochs/);
    expect(b.stdout).toContain("shard 2/3 (SLURM_ARRAY_TASK_ID=1, SLURM_ARRAY_TASK_MIN=0, SLURM_ARRAY_TASK_MAX=2, SLURM_ARRAY_TASK_COUNT=3) of seeds 0,1,2,3: ran 1; merge all 3 shards' --out folders");
    expect(c.shard?.from).toBe('JOB_COMPLETION_INDEX=2, N=3');
    const merged = json<MergeJson>(mergeArgs([shared], join(dir, 'shared.npy')));
    expect(readFileSync(join(dir, 'shared.npy')).equals(readFileSync(join(dir, 'one.npy')))).toBe(true);
    expect(withoutPaths(merged)).toEqual(withoutPaths(oneMerge));
  });

  test('a missing shard or a shard given twice is refused naming the seeds; --allow-partial merges the rest', () => {
    const missing = cli(mergeArgs([shards[0], shards[2]], join(dir, 'never.npy')));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^conceptlab: error: merge: the shards of seeds 0, 1, 2, 3 \(.*\) miss seed\(s\) 1 \(shard 2\/3\): give every shard's folder, or --allow-partial to merge without them\n$/);
    expect(existsSync(join(dir, 'never.npy'))).toBe(false);
    const missingJson = cli([...mergeArgs([shards[1]], join(dir, 'never.npy')), '--json']);
    expect(JSON.parse(missingJson.stderr).error).toMatchObject({ tag: 'ShardCoverageError', message: expect.stringContaining('miss seed(s) 0, 2, 3 (shard 1/3, 3/3)') });
    const twice = cli(mergeArgs([shards[0], shards[1], shards[2], shards[1]], join(dir, 'never.npy')));
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(new RegExp(`^conceptlab: error: merge: .* hold seed\\(s\\) 1 more than once \\(seed 1 in ${shards[1]} and ${shards[1]}\\): give each shard's folder once\\n$`));
    const overlap = cli(mergeArgs([shared, ...shards], join(dir, 'never.npy')));
    expect(overlap.stderr).toMatch(/hold seed\(s\) 0, 1, 2, 3 more than once/);
    const partial = cli([...mergeArgs([shards[0], shards[2]], join(dir, 'partial.npy')), '--allow-partial']);
    expect(partial.code).toBe(0);
    expect(partial.stdout).toMatch(/^merged 3 runs: 18 dims pooled/);
    expect(partial.stdout).toContain(
      `note: 2 shard(s) (1/3 in ${shards[0]}; 3/3 in ${shards[2]}): runs pooled in the order of their full seed list 0,1,2,3; missing seed(s) 1 left out (--allow-partial)`,
    );
    expect(JSON.parse(readFileSync(join(dir, 'partial.dims.json'), 'utf8')).runOrder[0]).toMatchObject({ seeds: [0, 2, 3], missing: [1] });
    // A run in a shard folder that no shard record names (a run from another fit) is not pooled silently.
    const mixed = join(dir, 'mixed');
    cpSync(shards[1], mixed, { recursive: true });
    cpSync(join(mixed, 'seed-1'), join(mixed, 'seed-9'), { recursive: true });
    const stray = cli(mergeArgs([shards[0], mixed, shards[2]], join(dir, 'never.npy')));
    expect(stray.stderr).toBe(`conceptlab: error: ${mixed}: run(s) in no shard record of this folder (shard-2-of-3.json): seed-9; give them as run folders (${join(mixed, 'seed-9')}) or move them out\n`);
    expect(existsSync(join(dir, 'never.npy'))).toBe(false);
  });

  test('bad --shard values and job variables: one-line errors, nothing written', () => {
    // (Every variable's case is in src/shard.test.ts; here, that the command says them in one line.)
    const cases: [string, NodeJS.ProcessEnv, RegExp][] = [
      ['0/3', {}, /^--shard: expected K\/N with 1 ≤ K ≤ N \(e\.g\. 2\/8\), auto \(a SLURM job array\) or auto\/N .*, got "0\/3"$/],
      ['5/5', {}, /^--shard: expected at most 4 \(N ≤ the 4 seeds of --seeds/],
      ['auto', {}, /^--shard auto: expected SLURM_ARRAY_TASK_ID set \(a SLURM job array\), or JOB_COMPLETION_INDEX with auto\/N/],
      ['auto/3', { JOB_COMPLETION_INDEX: '3' }, /^JOB_COMPLETION_INDEX: expected an integer in \[0, 2\]/],
    ];
    const out = join(dir, 'bad');
    for (const [shard, env, message] of cases) {
      const r = cli([...fitArgs(out), '--shard', shard], env);
      expect(r.code).toBe(1);
      const line = r.stderr.replace(/^conceptlab: error: /, '');
      expect(line.trimEnd()).toMatch(message);
      expect(r.stderr.trimEnd()).not.toContain('\n');
    }
    expect(existsSync(out)).toBe(false);
  });

  test('a shard whose runs diverge keeps its record, not its runs: the merge names its seeds missing', () => {
    const failed = join(dir, 'failed');
    const r = cli([...fitArgs(failed), '--lambda', '1e300', '--shard', '1/3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^conceptlab: error: fit: seed 0 diverged .*; seed 3 diverged .*no embedding written for them/m);
    expect(readdirSync(failed).sort()).toEqual(['seeds.json', 'shard-1-of-3.json']);
    const merged = cli(mergeArgs([failed, shards[1], shards[2]], join(dir, 'never.npy')));
    expect(merged.stderr).toMatch(/miss seed\(s\) 0, 3 \(shard 1\/3\)/);
  });
});
