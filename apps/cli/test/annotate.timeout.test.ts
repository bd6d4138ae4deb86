/**
 * `conceptlab annotate --request-timeout` (issue 13), with real processes: against a server on 127.0.0.1 that
 * accepts every request and never answers, or sends the headers and then stalls the body, each request fails
 * as a timeout after the given seconds and the circuit breaker ends the run in one line naming the timeout;
 * the rows stay to do, and `--resume` against `conceptlab serve` on the same port completes them with the
 * answers of the same observer simulated offline.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expectOneLineError, runAsync, runCli, runJson, serveOn, stopServer } from './run-cli.js';
import { clusteredObjects } from './clustered-objects.js';
import { stalledServer } from '../../../test-support/stalled-server.js';

const { dir, sets, observer, annotateArgs } = clusteredObjects(30, 3);
const lastLine = (s: string): string => s.trim().split('\n').pop() ?? '';

describe('annotate --request-timeout', () => {
  test.each([
    ['never answers', 'silent'],
    ['sends the headers, then stalls the body', 'headers'],
  ] as const)('a server that %s: the breaker ends the run on timeouts in < 10 s; --resume against a good server completes', async (_what, mode) => {
    const stalled = await stalledServer(mode);
    const journal = join(dir, `${mode}.sqlite`);
    let good: ChildProcess | undefined;
    try {
      const t0 = performance.now();
      const r = await runAsync(annotateArgs(stalled.url, journal, ['--request-timeout', '1', '--max-attempts', '1', '--max-consecutive-failures', '3']));
      const ms = performance.now() - t0;
      expect(r.code).toBe(1);
      expect(ms).toBeLessThan(10000);
      expect(r.stderr).not.toMatch(/^ {4}at /m);
      expect(lastLine(r.stderr)).toMatch(
        new RegExp(`^conceptlab: error: .*${mode}\\.sqlite: stopped after 3 consecutive failed requests \\(the last: timeout: no complete reply within 1 s\\); 30 row\\(s\\) left to ask — continue the run \\(--resume\\) once the endpoint answers$`),
      );
      expect(stalled.requests()).toBeGreaterThanOrEqual(3);
      const s = runJson<{ answered: number; failed: number; pending: number; total: number }>(['annotate', 'summary', '--journal', journal]);
      expect(s).toMatchObject({ answered: 0, total: 30 });
      expect(s.failed + s.pending).toBe(30);
      // the same address now answers: --resume asks the rows left and completes them
      await stalled.close();
      good = await serveOn(stalled.port, observer);
      const done = await runAsync(annotateArgs(stalled.url, journal, ['--resume', '--request-timeout', '1', '--json']));
      expect(done.code).toBe(0);
      expect(JSON.parse(done.stdout)).toMatchObject({ answered: 30, pending: 0, failed: 0 });
      const out = `${journal}.txt`;
      runJson(['annotate', 'export', '--journal', journal, '--out', out]);
      const offline = join(dir, `${mode}-offline.txt`);
      runJson(['simulate', '--embedding', join(dir, 'emb.npy'), '--triplets', sets, '--argmax', '--out', offline]);
      expect(runJson<{ agree: number; total: number }>(['agreement', out, offline])).toMatchObject({ agree: 30, total: 30 });
    } finally {
      await stalled.close();
      if (good) await stopServer(good);
    }
  }, 60000);

  test.each(['0', '-1', 'abc', '3601', 'Infinity'])('--request-timeout %s: a usage error in one line, no journal', (v) => {
    const journal = join(dir, 'never.sqlite');
    const t0 = performance.now();
    const r = runCli(annotateArgs('http://127.0.0.1:9/v1', journal, ['--request-timeout', v]));
    expectOneLineError(r, performance.now() - t0, /^error: option '--request-timeout <seconds>' argument '.*' is invalid\. --request-timeout must be a number of seconds > 0 and ≤ 3600, got "/);
    expect(r.code).toBe(2);
    expect(existsSync(journal)).toBe(false);
  });

  test('--help names the default (180 s) and the bound', () => {
    const h = runCli(['annotate', '--help']).stdout.replace(/\s+/g, ' ');
    expect(h).toMatch(/--request-timeout <seconds> give up a request .* \(at most 3600\) \(default: 180\)/);
  });
});
