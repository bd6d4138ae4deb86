import OpenAI from 'openai';
import { conceptPrompt, InvalidArgumentError, matrixFromRows, type Concept, type ConceptSet } from '@conceptlab/core';
import { FaultInjector, MALFORMED_CONTENT } from './faults.js';
import { simObserver } from './observer.js';
import { startServer } from './server.js';

const concepts: Concept[] = ['cat', 'dog', 'hammer', 'saw'].map((word, index) => ({ index, id: word, word, definition: `a ${word}`, prompt: conceptPrompt(word, `a ${word}`) }));
const conceptSet: ConceptSet = { concepts, source: 'test' };
const observer = simObserver(matrixFromRows([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]]), { argmax: true });
const prompt = (a: number, b: number, c: number): string =>
  `Given a triplet of objects {'${concepts[a].prompt}', '${concepts[b].prompt}', '${concepts[c].prompt}'}, which one in the triplet is the odd-one-out?`;
const expected = `The odd one out is '${concepts[2].word}'.`;

/** |count − n·p| < 4 binomial SDs. */
function withinBinomial(count: number, n: number, p: number): void {
  expect(Math.abs(count - n * p)).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)));
}

describe('fault injection', () => {
  test('rates over 400 requests within binomial tolerance; 429s carry retry-after; stats agree', async () => {
    const server = await startServer({
      concepts: conceptSet,
      observer,
      faults: { errorRate: 0.3, malformedRate: 0.2, emptyRate: 0.1, retryAfterSeconds: 0, seed: 5 },
    });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
    try {
      const n = 400;
      const counts = { ok: 0, rateLimited: 0, serverError: 0, malformed: 0, empty: 0 };
      for (let i = 0; i < n; i += 20) {
        await Promise.all(
          Array.from({ length: 20 }, async () => {
            try {
              const r = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: prompt(0, 1, 2) }] });
              const content = r.choices[0].message.content;
              expect(r.choices[0].finish_reason).toBe('stop');
              if (content === MALFORMED_CONTENT) counts.malformed++;
              else if (content === '') counts.empty++;
              else {
                expect(content!.startsWith(expected)).toBe(true);
                counts.ok++;
              }
            } catch (e) {
              if (e instanceof OpenAI.RateLimitError) {
                expect(e.headers.get('retry-after')).toBe('0');
                expect(e.headers.get('retry-after-ms')).toBe('0');
                expect(e.code).toBe('rate_limit_exceeded');
                counts.rateLimited++;
              } else if (e instanceof OpenAI.InternalServerError) {
                expect(e.status).toBe(500);
                counts.serverError++;
              } else throw e;
            }
          }),
        );
      }
      withinBinomial(counts.rateLimited, n, 0.15);
      withinBinomial(counts.serverError, n, 0.15);
      withinBinomial(counts.malformed, n, 0.2);
      withinBinomial(counts.empty, n, 0.1);
      withinBinomial(counts.ok, n, 0.4);
      expect(server.stats()).toEqual({
        requests: n,
        answered: counts.ok,
        rejected: 0,
        faults: { rateLimited: counts.rateLimited, serverError: counts.serverError, malformed: counts.malformed, empty: counts.empty },
      });
    } finally {
      await server.close();
    }
  });

  test('faults do not depend on the request: retries of the same request succeed (SDK retries, retry-after 0)', async () => {
    const server = await startServer({ concepts: conceptSet, observer, faults: { errorRate: 0.5, retryAfterSeconds: 0, seed: 1 } });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 10 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: prompt(2, 0, 1) }] })),
      );
      for (const r of answers) expect(r.choices[0].message.content).toBe(`The odd one out is '${concepts[2].word}'. It has the least in common with the other objects.`);
      const s = server.stats();
      expect(s.faults.rateLimited + s.faults.serverError).toBeGreaterThan(0);
      expect(s.answered).toBe(20);
    } finally {
      await server.close();
    }
  });

  test('structured formats: malformed and empty content replace the structured answer', async () => {
    const server = await startServer({ concepts: conceptSet, observer, faults: { malformedRate: 1 } });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
    try {
      const r = await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: prompt(0, 1, 2) }],
        tools: [{ type: 'function', function: { name: 'report_odd_one_out', parameters: {} } }],
        tool_choice: 'required',
      });
      expect(r.choices[0].message).toMatchObject({ content: MALFORMED_CONTENT });
      expect(r.choices[0].message.tool_calls).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  test('latency: a fixed delay or a uniform range before each answer', async () => {
    const server = await startServer({ concepts: conceptSet, observer, faults: { latencyMs: [40, 60] } });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
    try {
      const t0 = performance.now();
      await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: prompt(0, 1, 2) }] });
      expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
    } finally {
      await server.close();
    }
  });

  test('FaultInjector: one seeded stream per server, in arrival order; bad options refused', () => {
    const a = new FaultInjector({ errorRate: 0.5, latencyMs: [0, 10] }, 3);
    const b = new FaultInjector({ errorRate: 0.5, latencyMs: [0, 10] }, 3);
    const da = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(da);
    expect(new Set(da.map((d) => d.kind))).toEqual(new Set(['none', 'rateLimited', 'serverError']));
    for (const d of da) expect(d.latencyMs).toBeGreaterThanOrEqual(0);
    expect(new FaultInjector({}).active).toBe(false);
    expect(() => new FaultInjector({ errorRate: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => new FaultInjector({ errorRate: 0.6, malformedRate: 0.6 })).toThrow(/≤ 1/);
    expect(() => new FaultInjector({ latencyMs: [10, 5] })).toThrow(/min ≤ max/);
    expect(() => new FaultInjector({ retryAfterSeconds: -1 })).toThrow(InvalidArgumentError);
  });
});
