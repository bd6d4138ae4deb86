import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { createTriplets, dataDirForTests, loadThingsDirectory, readNpyMatrix } from '@conceptlab/core';
import { answerByEmbedding } from '@conceptlab/triplet-sampler';
import { parseObserverSpec } from './observer-spec.js';
import { startServer, type RunningServer } from './server.js';

/**
 * A client written the paper's way (Du et al.'s collection scripts): raw HTTP POSTs, no SDK; one user message
 * with the paper's prompt; object descriptions "{Word} ({Definition})" made from the THINGS table as the authors'
 * description file has them, i.e. with the double quotes the definitions carry in the TSV (66 of 1,854); the
 * reply parsed by the first word of each description. Answers must equal `conceptlab simulate --argmax` on the
 * same embedding (answerByEmbedding with argmax, as apps/cli's simulate calls it).
 */
const data = dataDirForTests(__dirname, "the paper-style client's THINGS concepts, human embedding and 2,171 triplets");

/** The paper's text prompt (methods.md: A, B, C replaced by the three object texts in list order). */
const paperPrompt = (a: string, b: string, c: string): string =>
  `Given a triplet of objects {'${a}', '${b}', '${c}'}, which one in the triplet is the odd-one-out? Please give the answer first and then explain in detail.`;

/** POST a JSON body with node:http; the status and the parsed JSON reply. */
function post(url: string, body: unknown, agent: Agent): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': data.length, authorization: 'Bearer sk-paper' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

/**
 * The first-words parser: the description whose first word occurs earliest in the reply (whole word, any case)
 * is the answer; none found, or two descriptions sharing that first word, is unparsed (-1).
 */
function parseFirstWords(reply: string, descriptions: readonly string[]): number {
  const text = reply.toLowerCase();
  const firstWords = descriptions.map((d) => d.split(/\s+/)[0].toLowerCase().replace(/[^\p{L}\p{N}-]/gu, ''));
  const at = firstWords.map((w) => {
    const m = new RegExp(`(?<![\\p{L}\\p{N}])${w}(?![\\p{L}\\p{N}])`, 'u').exec(text);
    return m ? m.index : Infinity;
  });
  const best = Math.min(...at);
  if (best === Infinity || at.filter((p) => p === best).length > 1) return -1;
  return at.indexOf(best);
}

/**
 * The authors' own rule, as their collection scripts apply it (our description, not their code): lower-case the
 * reply, keep its first paragraph (up to the first blank line), and of that the first 100 characters; the answer
 * is the first of A, B, C whose description's first space-separated token (not lower-cased) occurs in it as a
 * plain substring. None found is unparsed (-1; their script would silently reuse the previous triplet's answer).
 */
function parseAuthorsRule(reply: string, descriptions: readonly string[]): number {
  const head = reply.toLowerCase().split('\n\n')[0].slice(0, 100);
  return descriptions.findIndex((d) => head.includes(d.split(' ')[0]));
}

(data ? describe : describe.skip)('a paper-style client (raw HTTP, the paper prompt, quoted THINGS definitions) against serve', () => {
  let server: RunningServer;
  const thingsDir = join(data ?? '', 'things');
  const embeddingFile = join(thingsDir, 'human_embedding_vice42.npy');
  beforeAll(async () => {
    const concepts = loadThingsDirectory(thingsDir);
    // What `conceptlab serve --observer sim:human_embedding_vice42.npy --argmax` builds.
    server = await startServer({ concepts, observer: parseObserverSpec(`sim:${embeddingFile}`, concepts, { argmax: true }), apiKey: 'sk-paper' });
  });
  afterAll(() => server?.close());

  test("all 2,171 triplets: every request answered, every reply parsed (first-words and the authors' rule), answers equal simulate --argmax", async () => {
    const things = loadThingsDirectory(thingsDir).concepts;
    // The descriptions as the TSV holds them: quotes kept (e.g. mandolin ("a stringed instrument …")).
    const lines = readFileSync(join(thingsDir, 'things_concepts.tsv'), 'utf8').split(/\r?\n/).filter((l) => l !== '');
    const col = lines[0].split('\t').findIndex((h) => h.replace(/"/g, '').startsWith('Definition'));
    const descriptions = lines.slice(1).map((l, i) => `${things[i].word} (${l.split('\t')[col]})`);
    expect(descriptions[things.findIndex((t) => t.id === 'mandolin')]).toBe('mandolin ("a stringed instrument related to the lute, usually played with a plectrum")');

    const rows = readFileSync(join(data!, 'llm-triplets', '2171trials_humans.txt'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .map((l) => l.trim().split(/\s+/).map(Number));
    expect(rows.length).toBe(2171);
    const expected = answerByEmbedding(createTriplets(rows), readNpyMatrix(embeddingFile), { seed: 0, argmax: true });

    const quoted = rows.filter((r) => r.some((i) => descriptions[i].includes('"'))).length;
    expect(quoted).toBeGreaterThan(150); // the requests a quote-sensitive server refused

    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const statuses = new Map<number, number>();
    let parsed = 0, agree = 0, authorsAgree = 0;
    const disagreements: string[] = [];
    try {
      const next = { i: 0 };
      const worker = async (): Promise<void> => {
        for (let t = next.i++; t < rows.length; t = next.i++) {
          const ds = rows[t].map((i) => descriptions[i]);
          const r = await post(`${server.url}/chat/completions`, {
            model: 'gpt-3.5-turbo',
            messages: [{ role: 'user', content: paperPrompt(ds[0], ds[1], ds[2]) }],
            temperature: 0.01,
            max_tokens: 1024,
          }, agent);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          if (r.status !== 200) {
            disagreements.push(`triplet ${t}: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
            continue;
          }
          const reply = ((r.json.choices as Array<{ message: { content: string } }>)[0]).message.content;
          const pos = parseFirstWords(reply, ds);
          if (pos < 0) {
            disagreements.push(`triplet ${t}: unparsed reply ${JSON.stringify(reply)}`);
            continue;
          }
          parsed++;
          if (rows[t][pos] === expected.data[3 * t + 2]) agree++;
          else disagreements.push(`triplet ${t}: server chose ${rows[t][pos]}, simulate --argmax ${expected.data[3 * t + 2]}`);
          const authors = parseAuthorsRule(reply, ds);
          if (authors >= 0 && rows[t][authors] === expected.data[3 * t + 2]) authorsAgree++;
          else disagreements.push(`triplet ${t}: the authors' rule read ${authors < 0 ? 'nothing' : rows[t][authors]} in ${JSON.stringify(reply)}`);
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
    } finally {
      agent.destroy();
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(Object.fromEntries(statuses)).toEqual({ 200: 2171 });
    expect(parsed).toBe(2171);
    expect(agree).toBe(2171);
    expect(authorsAgree).toBe(2171);
    expect(server.stats()).toMatchObject({ answered: 2171, rejected: 0 });
  }, 60_000);
});
