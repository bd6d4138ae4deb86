import { keyEchoServer as echoServer } from '../../../test-support/key-echo-server.js';
import { createChatClient, makeRedactor, readApiKey } from './client.js';

const SECRET = 'sk-proj-THIS-IS-THE-SECRET-KEY-0123456789abcdef';

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
