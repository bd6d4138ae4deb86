import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChatClient, makeRedactor, readApiKey } from './client.js';

const SECRET = 'sk-proj-THIS-IS-THE-SECRET-KEY-0123456789abcdef';

/** A server that rejects every request, echoing the bearer token in its error message (as some proxies do). */
async function echoServer(status: number): Promise<{ url: string; close(): Promise<void> }> {
  const srv: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json', 'retry-after-ms': '1' });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${req.headers.authorization}`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1`,
    close: () => new Promise<void>((r) => srv.close(() => r())),
  };
}

describe('readApiKey / makeRedactor', () => {
  it('reads the named variable; errors name the variable, never a value', () => {
    expect(readApiKey('K', { K: ` ${SECRET} ` })).toBe(SECRET);
    expect(readApiKey(undefined, {})).toBe('no-key');
    expect(() => readApiKey('K', {})).toThrow(/K is not set/);
    let msg = '';
    try {
      readApiKey(SECRET, {});
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/NAME of an environment variable/);
    expect(msg).not.toContain(SECRET);
  });

  it('redacts the key and any bearer token', () => {
    const r = makeRedactor(SECRET);
    expect(r(`bad key ${SECRET}!`)).toBe('bad key [REDACTED]!');
    expect(r('Authorization: Bearer abc.def')).toBe('Authorization: Bearer [REDACTED]');
  });

  it('a failed request carries a redacted message', async () => {
    const echo = await echoServer(401);
    try {
      const c = createChatClient({ baseUrl: echo.url, apiKeyEnv: 'K', env: { K: SECRET } });
      const err = (await c.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).then(
        () => undefined,
        (e: unknown) => e,
      )) as Error & { failure: { kind: string; status: number } };
      expect(err.failure).toMatchObject({ kind: 'auth', status: 401 });
      expect(err.message).toContain('[REDACTED]');
      expect(err.message).not.toContain(SECRET);
    } finally {
      await echo.close();
    }
  });
});
