import { resolve } from 'node:path';
import OpenAI from 'openai';
import { InvalidArgumentError } from '@conceptlab/core';
import { startServerThread } from './server-thread.js';
import { conceptSet, paperPrompt, user } from '../test/clusters-fixture.js';

// The thread loads the built worker (jest runs the TypeScript sources, which a worker thread cannot load).
const WORKER = resolve(__dirname, '..', 'dist', 'server-thread-worker.js');

describe('startServerThread', () => {
  it('serves from a worker thread; stats() reads its counters; close() ends it and is idempotent', async () => {
    const server = await startServerThread({ concepts: conceptSet, observer: 'word-vectors', workerUrl: WORKER });
    try {
      const client = new OpenAI({ baseURL: server.url, apiKey: 'x', maxRetries: 0 });
      const r = await client.chat.completions.create({ model: 'm', messages: user(paperPrompt(0, 1, 3)) });
      expect(r.choices[0].message.content).toMatch(/^The odd one out is 'hammer'\./);
      await expect(client.chat.completions.create({ model: 'm', messages: user('which is odd: a, b or c?') })).rejects.toMatchObject({ status: 400 });
      expect(server.stats()).toEqual({ requests: 2, answered: 1, rejected: 1, faults: { rateLimited: 0, serverError: 0, malformed: 0, empty: 0 } });
    } finally {
      await server.close();
    }
    await server.close();
    await expect(fetch(`${server.url}/models`)).rejects.toThrow();
  });

  it('an error in the thread is the same typed error here (observer spec, port)', async () => {
    const spec = startServerThread({ concepts: conceptSet, observer: 'nonsense', workerUrl: WORKER });
    await expect(spec).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(spec).rejects.toMatchObject({ _tag: 'InvalidArgumentError', argument: 'observer', message: expect.stringContaining("'word-vectors'") });
    await expect(startServerThread({ concepts: conceptSet, observer: 'word-vectors', port: -1, workerUrl: WORKER })).rejects.toMatchObject({
      _tag: 'InvalidArgumentError',
      argument: 'port',
    });
  });
});
