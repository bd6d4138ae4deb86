/**
 * `conceptlab annotate` fails fast and stops on time (issue 13), with real processes: the built CLI against
 * `conceptlab serve` on 127.0.0.1. A closed port is refused at once and no journal is written; a server
 * failing every request ends the run at the breaker's limit; SIGTERM during requests, a rate-limit wait and
 * a breaker pause ends the process within 2 s, and the journal then resumes to the answers of the same
 * observer simulated offline.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runAsync, runJson, runThenTerm, serve, serveOn, stopServer } from './run-cli.js';
import { clusteredObjects } from './clustered-objects.js';
import { closedPort } from '../../../test-support/closed-port.js';

const { dir, sets, observer, annotateArgs } = clusteredObjects(60, 2);

/** The journal's answers exported, compared with the observer simulated offline: every row agrees. */
function expectComplete(journal: string): void {
  const out = `${journal}.txt`;
  runJson(['annotate', 'export', '--journal', journal, '--out', out]);
  const offline = join(dir, 'offline.txt');
  if (!existsSync(offline)) runJson(['simulate', '--embedding', join(dir, 'emb.npy'), '--triplets', sets, '--argmax', '--out', offline]);
  expect(runJson<{ agree: number; total: number }>(['agreement', out, offline])).toMatchObject({ agree: 60, total: 60 });
}

const lastLine = (s: string): string => s.trim().split('\n').pop() ?? '';

describe('annotate fails fast (preflight)', () => {
  test('a closed port: non-zero exit in < 5 s with the reason, no journal written', async () => {
    const port = await closedPort();
    const journal = join(dir, 'closed.sqlite');
    const t0 = performance.now();
    const r = await runAsync(annotateArgs(`http://127.0.0.1:${port}/v1`, journal, ['--max-attempts', '1']));
    const ms = performance.now() - t0;
    expect(r.code).toBe(1);
    expect(ms).toBeLessThan(5000);
    expect(r.stderr.trim()).toBe(`conceptlab: error: cannot reach http://127.0.0.1:${port}/v1: ECONNREFUSED (connection refused: nothing listens on that port)`);
    expect(existsSync(journal)).toBe(false);
  });

  test('ftp:// and an unresolvable host are refused at once in one line', async () => {
    const ftp = await runAsync(annotateArgs('ftp://127.0.0.1/v1', join(dir, 'ftp.sqlite')));
    expect(ftp.code).toBe(1);
    expect(ftp.stderr.trim()).toBe('conceptlab: error: baseUrl: expected an http:// or https:// URL, got "ftp://127.0.0.1/v1"');
    const dns = await runAsync(annotateArgs('http://no-such-host.invalid/v1', join(dir, 'dns.sqlite')));
    expect(dns.code).toBe(1);
    expect(dns.stderr.trim()).toMatch(/^conceptlab: error: cannot reach http:\/\/no-such-host\.invalid\/v1: (ENOTFOUND|EAI_AGAIN|ETIMEDOUT) /);
    expect(existsSync(join(dir, 'ftp.sqlite')) || existsSync(join(dir, 'dns.sqlite'))).toBe(false);
  });
});

describe('annotate stops on time', () => {
  test('against serve --error-rate 1 with --max-attempts 2 it stops at the breaker limit; rows stay to do', async () => {
    const failing = await serve([...observer, '--error-rate', '1', '--retry-after', '0.01']);
    try {
      const journal = join(dir, 'breaker.sqlite');
      const t0 = performance.now();
      const r = await runAsync(annotateArgs(failing.url, journal, ['--max-attempts', '2', '--max-consecutive-failures', '3', '--concurrency', '1']));
      expect(performance.now() - t0).toBeLessThan(10000);
      expect(r.code).toBe(1);
      expect(lastLine(r.stderr)).toMatch(
        /^conceptlab: error: .*breaker\.sqlite: stopped after 3 consecutive failed requests \(the last: HTTP 500 [^\n]*\); 60 row\(s\) left to ask — continue the run \(--resume\) once the endpoint answers$/,
      );
      const s = runJson<{ answered: number; failed: number; pending: number; total: number }>(['annotate', 'summary', '--journal', journal]);
      expect(s).toMatchObject({ answered: 0, total: 60 });
      expect(s.failed + s.pending).toBe(60);
      // the default limit (10) with the default concurrency
      const d = await runAsync(annotateArgs(failing.url, join(dir, 'breaker10.sqlite'), ['--max-attempts', '2']));
      expect(d.code).toBe(1);
      expect(lastLine(d.stderr)).toMatch(/stopped after 10 consecutive failed requests/);
    } finally {
      failing.child.kill('SIGTERM');
    }
  }, 60000);

  test('SIGTERM during requests and during a rate-limit wait: exit < 2 s, then --resume completes with the same answers', async () => {
    const slow = await serve([...observer, '--latency', '400']);
    try {
      const journal = join(dir, 'term.sqlite');
      // during in-flight requests (400 ms each, 8 at a time)
      const a = await runThenTerm(annotateArgs(slow.url, journal), { afterOutputMs: 300 });
      expect(a.exitMs).toBeLessThan(2000);
      expect(a.code).toBe(1);
      expect(lastLine(a.stderr)).toMatch(/interrupted.*--resume/);
      // during a rate-limit wait (1 request per second) and requests
      const b = await runThenTerm(annotateArgs(slow.url, journal, ['--resume', '--rpm', '60']), { afterOutputMs: 1000 });
      expect(b.exitMs).toBeLessThan(2000);
      expect(b.code).toBe(1);
      const r = await runAsync(annotateArgs(slow.url, journal, ['--resume', '--concurrency', '16', '--json']));
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ answered: 60, pending: 0, failed: 0 });
      expectComplete(journal);
    } finally {
      slow.child.kill('SIGTERM');
    }
  }, 60000);

  test('SIGTERM during a circuit-breaker pause and during a back-off: exit < 2 s; resumed against the repaired server it completes', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/v1`;
    const journal = join(dir, 'pause.sqlite');
    let server = await serveOn(port, [...observer, '--error-rate', '1', '--retry-after', '0.01']);
    try {
      // 8 consecutive failures pause every request for 5 s (the breaker's first pause)
      const a = await runThenTerm(annotateArgs(url, journal, ['--max-consecutive-failures', '1000']), { ready: (s) => /state=paused/.test(s) });
      expect(a.exitMs).toBeLessThan(2000);
      expect(a.code).toBe(1);
      // a back-off: --retry-after 30 makes every 429 ask for a 30 s wait
      await stopServer(server);
      server = await serveOn(port, [...observer, '--error-rate', '1', '--retry-after', '30', '--seed', '1']);
      const b = await runThenTerm(annotateArgs(url, journal, ['--resume', '--max-consecutive-failures', '1000', '--concurrency', '1']), { afterMs: 3000 }); // prints nothing while it backs off (30 s); 3 s is past a slow start
      expect(b.exitMs).toBeLessThan(2000);
      expect(b.code).toBe(1);
      await stopServer(server);
      server = await serveOn(port, observer);
      const r = await runAsync(annotateArgs(url, journal, ['--resume', '--json']));
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ answered: 60, pending: 0, failed: 0 });
      expectComplete(journal);
    } finally {
      await stopServer(server);
    }
  }, 60000);
});
