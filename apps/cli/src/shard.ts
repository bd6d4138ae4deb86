import { InvalidArgumentError, parseShard, type Shard } from '@conceptlab/core';

/** A `--shard` value resolved to k of n, with where it came from (the option, or the job's variables). */
export interface ResolvedShard extends Shard {
  /** E.g. "--shard 2/3" or "SLURM_ARRAY_TASK_ID=1, SLURM_ARRAY_TASK_MIN=0, SLURM_ARRAY_TASK_COUNT=3". */
  readonly from: string;
}

/** What `--shard` accepts (the usage error's "expected"). */
export const SHARD_USAGE = 'K/N with 1 ≤ K ≤ N (e.g. 2/8), auto (a SLURM job array) or auto/N (a SLURM job array or a Kubernetes Indexed Job of N)';

function envInt(env: NodeJS.ProcessEnv, name: string, why: string): number {
  const v = env[name];
  if (v === undefined) throw new InvalidArgumentError(name, `to be set (${why})`, 'unset');
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError(name, `a non-negative integer (${why})`, v);
  return Number(v);
}

/**
 * A `--shard` value: `K/N` as written (annotate's parser); `auto` reads a SLURM job array's task
 * (K = SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN + 1, N = SLURM_ARRAY_TASK_COUNT, or MAX − MIN + 1; the array
 * must be contiguous, e.g. --array=0-3); `auto/N` also reads a Kubernetes Indexed Job's JOB_COMPLETION_INDEX
 * (K = index + 1; the Job exposes no count, so N is written: the Job's `completions`). The variables are read
 * only for `auto`: a command never changes behaviour because they happen to be set.
 * @throws InvalidArgumentError naming the option, or the variable that is missing or bad.
 */
export function resolveShard(option: string, text: string, env: NodeJS.ProcessEnv): ResolvedShard {
  const auto = /^\s*auto\s*(?:\/\s*(.*?)\s*)?$/.exec(text);
  if (!auto) {
    try {
      return { ...parseShard(text), from: `${option} ${text.trim()}` };
    } catch (e) {
      if (e instanceof InvalidArgumentError) throw new InvalidArgumentError(option, SHARD_USAGE, text);
      throw e;
    }
  }
  let n: number | undefined;
  if (auto[1] !== undefined) {
    if (!/^\d+$/.test(auto[1]) || !Number.isSafeInteger(Number(auto[1])) || Number(auto[1]) < 1) throw new InvalidArgumentError(option, 'auto/N with N an integer ≥ 1 (the number of shards)', text);
    n = Number(auto[1]);
  }
  const slurm = env.SLURM_ARRAY_TASK_ID !== undefined, k8s = env.JOB_COMPLETION_INDEX !== undefined;
  if (slurm && k8s) throw new InvalidArgumentError(`${option} auto`, 'one of SLURM_ARRAY_TASK_ID (SLURM) and JOB_COMPLETION_INDEX (Kubernetes) set', 'both');
  if (slurm) {
    const why = `${option} auto in a SLURM job array`;
    const id = envInt(env, 'SLURM_ARRAY_TASK_ID', why);
    const min = envInt(env, 'SLURM_ARRAY_TASK_MIN', why);
    const step = env.SLURM_ARRAY_TASK_STEP === undefined ? 1 : envInt(env, 'SLURM_ARRAY_TASK_STEP', why);
    if (step !== 1) throw new InvalidArgumentError('SLURM_ARRAY_TASK_STEP', `1 (${why}: a contiguous array such as --array=0-3)`, env.SLURM_ARRAY_TASK_STEP);
    const max = env.SLURM_ARRAY_TASK_MAX === undefined ? undefined : envInt(env, 'SLURM_ARRAY_TASK_MAX', why);
    if (max !== undefined && max < min) throw new InvalidArgumentError('SLURM_ARRAY_TASK_MAX', `at least SLURM_ARRAY_TASK_MIN = ${min}`, env.SLURM_ARRAY_TASK_MAX);
    const count = env.SLURM_ARRAY_TASK_COUNT === undefined ? undefined : envInt(env, 'SLURM_ARRAY_TASK_COUNT', why);
    if (count !== undefined && max !== undefined && count !== max - min + 1) {
      throw new InvalidArgumentError('SLURM_ARRAY_TASK_COUNT', `SLURM_ARRAY_TASK_MAX − SLURM_ARRAY_TASK_MIN + 1 = ${max - min + 1} (${why}: a contiguous array such as --array=0-3)`, env.SLURM_ARRAY_TASK_COUNT);
    }
    const size = count ?? (max === undefined ? undefined : max - min + 1);
    if (size === undefined && n === undefined) throw new InvalidArgumentError('SLURM_ARRAY_TASK_COUNT', `to be set, or SLURM_ARRAY_TASK_MAX (${why})`, 'unset');
    if (size !== undefined && n !== undefined && size !== n) throw new InvalidArgumentError(option, `N = ${size}, the SLURM job array's size (SLURM_ARRAY_TASK_COUNT or MAX − MIN + 1)`, text);
    const total = n ?? size!;
    if (id < min || id - min >= total) throw new InvalidArgumentError('SLURM_ARRAY_TASK_ID', `an integer in [${min}, ${min + total - 1}] (SLURM_ARRAY_TASK_MIN = ${min}, ${total} tasks)`, env.SLURM_ARRAY_TASK_ID);
    const vars = ['SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_MIN', 'SLURM_ARRAY_TASK_MAX', 'SLURM_ARRAY_TASK_COUNT'].filter((v) => env[v] !== undefined);
    return { k: id - min + 1, n: total, from: vars.map((v) => `${v}=${env[v]!.trim()}`).join(', ') };
  }
  if (k8s) {
    if (n === undefined) throw new InvalidArgumentError(option, 'auto/N with JOB_COMPLETION_INDEX (a Kubernetes Indexed Job gives the index only: N is the Job\'s completions)', text);
    const index = envInt(env, 'JOB_COMPLETION_INDEX', `${option} auto/N in a Kubernetes Indexed Job`);
    if (index >= n) throw new InvalidArgumentError('JOB_COMPLETION_INDEX', `an integer in [0, ${n - 1}] (${option} ${text.trim()})`, env.JOB_COMPLETION_INDEX);
    return { k: index + 1, n, from: `JOB_COMPLETION_INDEX=${env.JOB_COMPLETION_INDEX!.trim()}, N=${n}` };
  }
  throw new InvalidArgumentError(`${option} ${text.trim()}`, 'SLURM_ARRAY_TASK_ID set (a SLURM job array), or JOB_COMPLETION_INDEX with auto/N (a Kubernetes Indexed Job)', 'neither set');
}
