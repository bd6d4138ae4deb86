import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { dataDirForTests, writeNpy } from '@conceptlab/core';
import { runAsync, runCli, runJson, tempDir, writeText } from './run-cli.js';

/**
 * A real OpenAI-compatible chat endpoint on 127.0.0.1 for LLM labels: reads the first listed object
 * ("1. thingK") of the prompt and answers {"label": "thingK things", "type": "semantic"} — except for objects
 * with K mod 3 = 2 (the top objects of dimension 3 in the fixture below), which get an unreadable reply.
 */
async function labelServer(): Promise<{ url: string; requests: { auth: string | undefined; prompt: string }[]; close(): Promise<void> }> {
  const requests: { auth: string | undefined; prompt: string }[] = [];
  const srv: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (d: Buffer) => (data += d.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(data) as { model: string; messages: { content: string }[] };
      const prompt = body.messages[0].content;
      requests.push({ auth: req.headers.authorization, prompt });
      const word = /^1\. (\S+)/m.exec(prompt)?.[1] ?? '';
      const k = Number(word.replace(/^thing/, ''));
      const content = k % 3 === 2 ? 'Those are all nice things.' : JSON.stringify({ label: `${word} things`, type: 'semantic' });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'c', object: 'chat.completion', created: 0, model: body.model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
        usage: { prompt_tokens: 40, completion_tokens: 10, total_tokens: 50 },
      }));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1`, requests, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

/** A concept directory of n objects (things_concepts.tsv) and a 3-category table. */
function conceptDir(dir: string, n: number): string {
  const d = join(dir, 'concepts');
  mkdirSync(d, { recursive: true });
  const rows = Array.from({ length: n }, (_, i) => `thing${i}\tt${i}\ta thing number ${i}`);
  writeText(d, 'things_concepts.tsv', ['Word\tuniqueID\tDefinition (from WordNet, Google, or Wikipedia)', ...rows].join('\n') + '\n');
  const cats = Array.from({ length: n }, (_, i) => [0, 1, 2].map((c) => (i % 3 === c ? 1 : 0)).join('\t'));
  writeText(d, 'category27.tsv', ['red\tgreen\tblue', ...cats].join('\n') + '\n');
  return d;
}

/** n objects × 3 dims: object i loads on dim i mod 3 (so categories are perfectly classifiable). */
function embedding(dir: string, name: string, n: number, perm = [0, 1, 2]): string {
  const data = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) for (let d = 0; d < 3; d++) data[i * 3 + perm[d]] = (i % 3 === d ? 1 : 0.05) + 0.01 * ((i * 7 + d) % 5);
  const f = join(dir, name);
  writeNpy(f, { dtype: 'f8', shape: [n, 3], data });
  return f;
}

describe('conceptlab interpret', () => {
  const dir = tempDir();
  const n = 30;
  const concepts = conceptDir(dir, n);
  const emb = embedding(dir, 'emb.npy', n);
  const other = embedding(dir, 'other.npy', n, [2, 0, 1]);

  test('writes the report, figures and dims.json; --json summary; progress on stderr', () => {
    const out = join(dir, 'out');
    const labels = join(dir, 'labels');
    mkdirSync(labels);
    writeText(labels, 'rater1.txt', 'warm, red\ngreen\ncool\n');
    const r = runCli(['interpret', '--embedding', emb, '--concepts', concepts, '--compare', other, '--labels', labels, '--top', '4', '--seed', '3', '--permutations', '50', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { objects: number; dims: number; classification: { rule: string; categories: number; accuracy: number; chance: { method: string; mean: number }; chanceRerun: { method: string } }; correspondence: { method: string; reference: string; matches: number; shared: { method: string; shared: number } }; map: { colouredBy: string }; files: string[] };
    expect(s.objects).toBe(n);
    expect(s.dims).toBe(3);
    expect(s.classification.categories).toBe(3);
    expect(s.classification.accuracy).toBe(1);
    expect(s.classification.rule).toBe('min-size'); // not the 27 THINGS categories
    expect(s.classification.chance.method).toBe('paper: shuffle labels against fixed predictions');
    // predictions = labels, 10 per class: exact expectation Σ n_c m_c / N² = 3·100/900 = 1/3
    expect(Math.abs(s.classification.chance.mean - 1 / 3)).toBeLessThan(0.06);
    expect(s.classification.chanceRerun.method).toMatch(/^conceptlab: re-run/);
    expect(s.correspondence).toMatchObject({ method: 'paper', reference: other, matches: 3, shared: { method: 'paper', shared: 3 } });
    expect(s.map.colouredBy).toMatch(/first category/);
    for (const f of s.files) expect(existsSync(join(out, f))).toBe(true);
    expect(r.stderr).toContain('"progress"');
    const dims = JSON.parse(readFileSync(join(out, 'dims.json'), 'utf8')) as { summaries: { top: { word: string }[] }[]; labels: { counts: { label: string }[] }[]; correspondence: { paper: { si: number[]; matches: { a: number; b: number }[] } } };
    expect(dims.summaries[0].top).toHaveLength(4);
    expect(dims.summaries[0].top[0].word).toMatch(/^thing\d+$/);
    expect(dims.labels[0].counts.map((c) => c.label)).toEqual(['red', 'warm']);
    // --compare is the reference (rows). Its column perm[d] holds pattern d = --embedding's dim d, perm = [2, 0, 1]:
    // reference dim 0 ↔ embedding dim 1, 1 ↔ 2, 2 ↔ 0; the reorder si = [1, 2, 0]
    expect(dims.correspondence.paper.si).toEqual([1, 2, 0]);
    expect(dims.correspondence.paper.matches.map((p) => [p.a, p.b])).toEqual([[0, 1], [1, 2], [2, 0]]);
  });

  test('--correspondence hungarian --shared best-free, and a three-way comparison with --compare-with', () => {
    const third = embedding(dir, 'third.npy', n, [1, 2, 0]);
    const s = runJson<{ correspondence: { method: string; optimalMeanR: number; shared: { method: string; shared: number } }; threeWay: { method: string; counts: Record<string, number> } }>([
      'interpret', '--embedding', emb, '--concepts', concepts, '--compare', other, '--compare-with', third, '--correspondence', 'hungarian', '--shared', 'best-free',
      '--permutations', '10', '--out', join(dir, 'out3'),
    ]);
    expect(s.correspondence.method).toBe('hungarian');
    expect(s.correspondence.optimalMeanR).toBeCloseTo(1, 12);
    expect(s.correspondence.shared).toMatchObject({ method: 'best-free', shared: 3 });
    expect(s.threeWay.method).toBe('paper');
    expect(s.threeWay.counts).toEqual({ '111': 3, '110': 0, '101': 0, '011': 0, '100': 0, '010': 0, '001': 0 });
    const dims = JSON.parse(readFileSync(join(dir, 'out3', 'dims.json'), 'utf8')) as { correspondence: { optimal: { a: number; b: number }[]; paper: null } };
    expect(dims.correspondence.paper).toBeNull();
    expect(dims.correspondence.optimal.map((p) => p.b)).toEqual([1, 2, 0]);
    const r = runCli(['interpret', '--embedding', emb, '--concepts', concepts, '--compare-with', third, '--out', join(dir, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--compare-with needs --compare');
    const r2 = runCli(['interpret', '--embedding', emb, '--concepts', concepts, '--compare', other, '--correspondence', 'best', '--out', join(dir, 'bad')]);
    expect(r2.code).not.toBe(0);
    expect(r2.stderr).toContain('--correspondence');
  });

  test('a "Top-down Category (WordNet)" column colours the map by the 11 WordNet categories (exact matches, else other)', () => {
    const d = join(dir, 'wordnet');
    mkdirSync(d, { recursive: true });
    const kinds = ['animal', 'tool', 'gadget', 'Animal'];
    const rows = Array.from({ length: n }, (_, i) => `thing${i}	t${i}	${kinds[i % 4]}	a thing number ${i}`);
    writeText(d, 'things_concepts.tsv', ['Word	uniqueID	Top-down Category (WordNet)	Definition (from WordNet, Google, or Wikipedia)', ...rows].join('\n') + '\n');
    const out = join(dir, 'out-wordnet');
    const r = runCli(['interpret', '--embedding', emb, '--concepts', d, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('colours: paper: concepts-table column "Top-down Category (WordNet)"');
    const dims = JSON.parse(readFileSync(join(out, 'dims.json'), 'utf8')) as { map: { colouredBy: string; colourCategories: string[] } };
    expect(dims.map.colourCategories).toEqual(['animal', 'vehicle', 'clothing', 'plant', 'food', 'furniture', 'container', 'tool', 'body part', 'weapon', 'decoration']);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    // objects 0, 4, … are animals, 1, 5, … tools; "gadget" and "Animal" are other
    expect((html.match(/<title>thing\d+ — animal<\/title>/g) ?? []).length).toBe(Math.ceil(n / 4));
    expect((html.match(/<title>thing\d+ — other<\/title>/g) ?? []).length).toBe(Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 >= 2).length);
  });

  test('human summary without --json', () => {
    const r = runCli(['interpret', '--embedding', emb, '--concepts', concepts, '--permutations', '10', '--map', 'umap', '--out', join(dir, 'out2')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3-category nearest-centroid accuracy 100.0%');
    expect(r.stdout).toContain('report.html');
  });

  test('an embedding with another number of objects is an error; a bad --top is a usage error', () => {
    const short = embedding(dir, 'short.npy', n - 3);
    const r = runCli(['interpret', '--embedding', short, '--concepts', concepts, '--out', join(dir, 'bad')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${short} has ${n - 3} objects`);
    expect(runCli(['interpret', '--embedding', emb, '--concepts', concepts, '--top', '0', '--out', join(dir, 'bad')]).code).toBe(2);
    const badLabels = join(dir, 'badlabels');
    mkdirSync(badLabels);
    const f = writeText(badLabels, 'r.txt', 'a\nb\nc\nd\n');
    const r2 = runCli(['interpret', '--embedding', emb, '--concepts', concepts, '--labels', badLabels, '--out', join(dir, 'bad')]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`${f}:4`);
  });

  test('LLM labels through a real HTTP endpoint: every dimension labelled or a recorded failure, cached in labels.jsonl, key never written', async () => {
    const SECRET = 'sk-label-test-SECRET-9f8e7d6c5b4a3210';
    const server = await labelServer();
    try {
      const out = join(dir, 'labelled');
      const args = ['interpret', '--embedding', emb, '--concepts', concepts, '--permutations', '10', '--out', out,
        '--label-base-url', server.url, '--label-model', 'label-model-1', '--label-api-key-env', 'LABEL_TEST_KEY', '--json'];
      const env = { LABEL_TEST_KEY: SECRET, OPENAI_API_KEY: '' };
      const r1 = await runAsync(args, env);
      expect(r1.stderr).not.toContain('error');
      expect(r1.code).toBe(0);
      // dims 1 and 2: one request each; dim 3: unreadable, asked once more, then recorded as a failure
      expect(server.requests).toHaveLength(4);
      expect(server.requests.every((q) => q.auth === `Bearer ${SECRET}`)).toBe(true);
      expect(server.requests.filter((q) => q.prompt.includes('Reply with JSON only'))).toHaveLength(1);
      expect(server.requests[0].prompt).toMatch(/^1\. thing\d+ — a thing number \d+$/m);
      const s1 = JSON.parse(r1.stdout) as { llmLabels: { labelled: number; failed: number; cached: number }; files: string[] };
      expect(s1.llmLabels).toMatchObject({ labelled: 2, failed: 1, cached: 0 });
      expect(s1.files).toContain('labels.jsonl');
      expect(r1.stderr).toContain('"task":"llm labels"');
      type Dims = { summaries: { top: { word: string }[] }[]; llmLabels: { dim: number; label: string | null; type: string | null; error?: string; asks: number }[] };
      const dims = JSON.parse(readFileSync(join(out, 'dims.json'), 'utf8')) as Dims;
      expect(dims.llmLabels).toHaveLength(3);
      for (const d of [0, 1]) expect(dims.llmLabels[d]).toMatchObject({ dim: d, label: `${dims.summaries[d].top[0].word} things`, type: 'semantic', asks: 1 });
      expect(dims.llmLabels[2]).toMatchObject({ dim: 2, label: null, type: null, asks: 2, error: 'unreadable reply after a re-ask: no JSON object in the reply' });
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html).toContain(`<span class="llm-label">${dims.summaries[0].top[0].word} things</span> <span class="badge semantic">semantic</span>`);

      const r2 = await runAsync(args, env);
      expect(r2.code).toBe(0);
      expect(server.requests).toHaveLength(4); // every reply, the unreadable ones too, came from labels.jsonl
      expect((JSON.parse(r2.stdout) as { llmLabels: { cached: number; labelled: number } }).llmLabels).toMatchObject({ labelled: 2, cached: 3 });
      expect((JSON.parse(readFileSync(join(out, 'dims.json'), 'utf8')) as Dims).llmLabels).toEqual(dims.llmLabels.map((l) => ({ ...l, cached: true })));

      const stored = readdirSync(out).filter((f) => f.startsWith('labels.jsonl')).map((f) => readFileSync(join(out, f)).toString('latin1')).join('');
      expect(stored).toContain('things'); // the replies are there …
      for (const text of [stored, r1.stdout, r1.stderr, r2.stdout, r2.stderr, readFileSync(join(out, 'dims.json'), 'utf8'), html]) expect(text).not.toContain(SECRET); // … the key is not
    } finally {
      await server.close();
    }
  });

  test('--label-model without --label-base-url is a usage error', () => {
    const r = runCli(['interpret', '--embedding', emb, '--concepts', concepts, '--label-model', 'm', '--out', join(dir, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--label-base-url and --label-model go together');
  });

  const data = dataDirForTests(__dirname, 'interpret on the THINGS human embedding');
  (data ? test : test.skip)('THINGS: 18 categories, accuracy as numpy', () => {
    const s = runJson<{ classification: { rule: string; categories: number; objects: number; accuracy: number; chance: { method: string; mean: number; lower: number; upper: number } }; map: { colouredBy: string } }>([
      'interpret', '--embedding', join(data!, 'things', 'human_embedding_vice42.npy'), '--concepts', join(data!, 'things'), '--permutations', '100', '--out', join(dir, 'things'),
    ]);
    expect(s.classification.categories).toBe(18);
    expect(s.classification.objects).toBe(1111);
    // packages/interpret-dims/reference/references.py (numpy)
    expect(s.classification.accuracy).toBeCloseTo(0.8496849684968497, 12);
    expect(s.classification.rule).toBe('paper');
    // the authors' chance: numpy port (reference/authors_port.py of interpret-dims) 10.17% (SD 0.87 per shuffle);
    // a mean of 100 shuffles lies within 4·0.87/√100 of the exact expectation 10.18%
    expect(s.classification.chance.method).toBe('paper: shuffle labels against fixed predictions');
    expect(Math.abs(100 * s.classification.chance.mean - 10.181387175621252)).toBeLessThan(4 * 0.87 / Math.sqrt(100));
    expect(s.map.colouredBy).toContain('Top-down Category (WordNet)');
  }, 120000);
});
