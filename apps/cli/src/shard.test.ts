import { resolveShard } from './shard.js';

const slurm = (id: number, min: number, max: number, extra: NodeJS.ProcessEnv = {}) => ({
  SLURM_ARRAY_TASK_ID: String(id),
  SLURM_ARRAY_TASK_MIN: String(min),
  SLURM_ARRAY_TASK_MAX: String(max),
  SLURM_ARRAY_TASK_COUNT: String(max - min + 1),
  ...extra,
});

describe('resolveShard (fit --shard)', () => {
  test('K/N as written; the variables are not read', () => {
    expect(resolveShard('--shard', '2/3', slurm(0, 0, 3))).toEqual({ k: 2, n: 3, from: '--shard 2/3' });
    expect(resolveShard('--shard', ' 1 / 1 ', {})).toMatchObject({ k: 1, n: 1 });
  });

  test('bad K/N: one usage error naming the option', () => {
    for (const bad of ['0/3', '4/3', '1/0', 'x', '1/', '/3', '-1/3', '1.5/3', '', 'auto/0', 'auto/x', 'auto/', 'auto/-2']) {
      expect(() => resolveShard('--shard', bad, {})).toThrow(expect.objectContaining({ _tag: 'InvalidArgumentError', argument: '--shard' }));
    }
    expect(() => resolveShard('--shard', '4/3', {})).toThrow(/^--shard: expected K\/N with 1 ≤ K ≤ N \(e\.g\. 2\/8\), auto .*, got "4\/3"$/);
  });

  test('auto in a SLURM job array: K = ID − MIN + 1, N = COUNT (or MAX − MIN + 1)', () => {
    expect(resolveShard('--shard', 'auto', slurm(0, 0, 2))).toEqual({
      k: 1,
      n: 3,
      from: 'SLURM_ARRAY_TASK_ID=0, SLURM_ARRAY_TASK_MIN=0, SLURM_ARRAY_TASK_MAX=2, SLURM_ARRAY_TASK_COUNT=3',
    });
    expect(resolveShard('--shard', 'auto', slurm(4, 1, 4))).toMatchObject({ k: 4, n: 4 });
    expect(resolveShard('--shard', 'auto', { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3' })).toMatchObject({ k: 2, n: 3 });
    expect(resolveShard('--shard', 'auto', { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '5' })).toMatchObject({ k: 2, n: 5 });
    expect(resolveShard('--shard', 'auto/3', slurm(2, 0, 2))).toMatchObject({ k: 3, n: 3 });
    expect(resolveShard('--shard', 'auto/3', { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '0' })).toMatchObject({ k: 2, n: 3 });
  });

  test('auto/N in a Kubernetes Indexed Job: K = JOB_COMPLETION_INDEX + 1', () => {
    expect(resolveShard('--shard', 'auto/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ k: 4, n: 4, from: 'JOB_COMPLETION_INDEX=3, N=4' });
    expect(resolveShard('--shard', 'auto / 2', { JOB_COMPLETION_INDEX: '0' })).toMatchObject({ k: 1, n: 2 });
  });

  test('missing or bad variables: one line naming the variable', () => {
    const cases: [string, NodeJS.ProcessEnv, string][] = [
      ['auto', {}, '--shard auto'],
      ['auto/3', {}, '--shard auto/3'],
      ['auto', { JOB_COMPLETION_INDEX: '1' }, '--shard'],
      ['auto/2', { JOB_COMPLETION_INDEX: '2' }, 'JOB_COMPLETION_INDEX'],
      ['auto/2', { JOB_COMPLETION_INDEX: 'x' }, 'JOB_COMPLETION_INDEX'],
      ['auto', { SLURM_ARRAY_TASK_ID: '1' }, 'SLURM_ARRAY_TASK_MIN'],
      ['auto', { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '0' }, 'SLURM_ARRAY_TASK_COUNT'],
      ['auto', { SLURM_ARRAY_TASK_ID: 'one', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '2' }, 'SLURM_ARRAY_TASK_ID'],
      ['auto', slurm(5, 0, 3), 'SLURM_ARRAY_TASK_ID'],
      ['auto', slurm(0, 1, 3), 'SLURM_ARRAY_TASK_ID'],
      ['auto', slurm(0, 0, 6, { SLURM_ARRAY_TASK_STEP: '2' }), 'SLURM_ARRAY_TASK_STEP'],
      ['auto', slurm(0, 0, 6, { SLURM_ARRAY_TASK_COUNT: '4' }), 'SLURM_ARRAY_TASK_COUNT'],
      ['auto', slurm(0, 3, 1, { SLURM_ARRAY_TASK_COUNT: '1' }), 'SLURM_ARRAY_TASK_MAX'],
      ['auto/2', slurm(0, 0, 2), '--shard'],
      ['auto/2', { ...slurm(0, 0, 1), JOB_COMPLETION_INDEX: '0' }, '--shard auto'],
    ];
    for (const [text, env, argument] of cases) {
      let err: unknown;
      try {
        resolveShard('--shard', text, env);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ _tag: 'InvalidArgumentError', argument });
      expect((err as Error).message).not.toContain('\n');
    }
  });
});
