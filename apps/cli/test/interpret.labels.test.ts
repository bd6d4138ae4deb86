/**
 * `conceptlab interpret` with LLM labels stops on time (issue 13), with real processes: SIGTERM or Ctrl-C
 * while labels are being requested from a server that stalls ends the process within 2 s with one line
 * (exit 1), nothing written but the labels answered (whole lines of labels.jsonl); a rerun reuses them, asks
 * only for the rest, and gives the same labels as a run never interrupted.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { writeNpy } from '@conceptlab/core';
import { runAsync, runThenTerm, tempDir, writeText } from './run-cli.js';

const DIMS = 6;

/**
 * An OpenAI-compatible label endpoint on 127.0.0.1: answers {"label": "thingK things", "type": "semantic"}
 * for the first listed object thingK of the prompt — while `stalling`, only when K mod 6 < 3 (the top objects
 * of dims 1–3 below); the other requests are accepted and never answered.
 */
async function labelServer() {
  const state = { stalling: true, answered: 0, stalled: 0 };
  const held: ServerResponse[] = [];
  const srv = createServer((req, res) => {
    let data = '';
    req.on('data', (d: Buffer) => (data += d.toString()));
    req.on('end', () => {
      const body = JSON.parse(data) as { model: string; messages: { content: string }[] };
      const word = /^1\. (\S+)/m.exec(body.messages[0].content)?.[1] ?? '';
      if (state.stalling && Number(word.replace(/^thing/, '')) % DIMS >= 3) {
        state.stalled++;
        held.push(res);
        return;
      }
      state.answered++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'c', object: 'chat.completion', created: 0, model: body.model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify({ label: `${word} things`, type: 'semantic' }) } }],
        usage: { prompt_tokens: 40, completion_tokens: 10, total_tokens: 50 },
      }));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1`,
    state,
    close: () =>
      new Promise<void>((r) => {
        srv.close(() => r());
        srv.closeAllConnections();
      }),
  };
}

const dir = tempDir();
const n = 36;
const concepts = join(dir, 'concepts');
mkdirSync(concepts);
writeText(concepts, 'things_concepts.tsv', ['Word\tuniqueID\tDefinition', ...Array.from({ length: n }, (_, i) => `thing${i}\tt${i}\ta thing number ${i}`)].join('\n') + '\n');
// n objects × 6 dims: object i loads on dim i mod 6
const emb = join(dir, 'emb.npy');
const data = new Float64Array(n * DIMS);
for (let i = 0; i < n; i++) for (let d = 0; d < DIMS; d++) data[i * DIMS + d] = (i % DIMS === d ? 1 : 0.05) + 0.01 * ((i * 7 + d) % 5);
writeNpy(emb, { dtype: 'f8', shape: [n, DIMS], data });

const args = (url: string, out: string, json = true): string[] => [
  'interpret', '--embedding', emb, '--concepts', concepts, '--permutations', '10', '--out', out, '--label-base-url', url, '--label-model', 'm', ...(json ? ['--json'] : []),
];
type Labels = { dim: number; label: string | null; type: string | null; cached: boolean }[];
const labelsOf = (out: string): Labels => (JSON.parse(readFileSync(join(out, 'dims.json'), 'utf8')) as { llmLabels: Labels }).llmLabels;

/** labels.jsonl: whole JSON lines only (a header and one record per reply); the replies it holds. */
function cacheLines(out: string): unknown[] {
  const text = readFileSync(join(out, 'labels.jsonl'), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
}

describe('interpret: LLM labels stop on time', () => {
  test('SIGTERM and SIGINT while labels are requested: exit 1 in < 2 s, only labels.jsonl written; the rerun reuses it and labels as an uninterrupted run', async () => {
    const server = await labelServer();
    try {
      const out = join(dir, 'interrupted');
      // dims 1–3 answered (in labels.jsonl), dims 4–6 in flight and stalled: interrupt then
      const cached = (): number => (existsSync(join(out, 'labels.jsonl')) ? readFileSync(join(out, 'labels.jsonl'), 'utf8').split('\n').length - 2 : 0);
      const ready = (): boolean => server.state.stalled >= 3 && cached() >= 3;
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        const a = await runThenTerm(args(server.url, out, false), { ready, signal, afterMs: 30000 }); // afterMs: a bound, should ready never hold
        expect(a.exitMs).toBeLessThan(2000);
        expect(a.code).toBe(1);
        expect(a.stderr).not.toMatch(/^ {4}at /m);
        const errors = a.stderr.split('\n').filter((l) => l.length > 0 && !l.startsWith('llm labels'));
        expect(errors).toEqual([`conceptlab: error: interpret: interrupted by ${signal} while requesting LLM labels; those answered are kept in ${join(out, 'labels.jsonl')} — run again to continue`]);
        expect(readdirSync(out)).toEqual(['labels.jsonl']);
        expect(cacheLines(out)).toHaveLength(1 + 3); // the header and the three replies, nothing half-written
        server.state.answered = server.state.stalled = 0;
      }
      // the rerun asks only for the three labels not yet answered
      server.state.stalling = false;
      const r = await runAsync(args(server.url, out));
      expect(r.code).toBe(0);
      expect(server.state.answered).toBe(3);
      expect((JSON.parse(r.stdout) as { llmLabels: unknown }).llmLabels).toMatchObject({ labelled: 6, failed: 0, cached: 3 });
      expect(cacheLines(out)).toHaveLength(1 + 6);
      // … with the labels of a run never interrupted
      const fresh = join(dir, 'fresh');
      const u = await runAsync(args(server.url, fresh));
      expect(u.code).toBe(0);
      const strip = (l: Labels) => l.map(({ cached: _, ...rest }) => rest);
      expect(strip(labelsOf(out))).toEqual(strip(labelsOf(fresh)));
      expect(labelsOf(out).map((l) => l.label)).toEqual(labelsOf(fresh).map((l) => l.label));
      expect(labelsOf(out).every((l) => l.label !== null)).toBe(true);
      expect(existsSync(join(out, 'report.html'))).toBe(true);
    } finally {
      await server.close();
    }
  }, 90000);
});
