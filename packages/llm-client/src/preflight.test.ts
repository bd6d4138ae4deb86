import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { InvalidArgumentError } from '@conceptlab/core';
import { EndpointUnreachableError, checkEndpoint, parseBaseUrl } from './preflight.js';
import { closedPort } from '../../../test-support/closed-port.js';

describe('parseBaseUrl', () => {
  it('accepts http and https; refuses other schemes and non-URLs in one line, without credentials', () => {
    expect(parseBaseUrl('http://127.0.0.1:8080/v1').port).toBe('8080');
    expect(parseBaseUrl('https://api.openai.com/v1').protocol).toBe('https:');
    for (const bad of ['ftp://example.com/v1', 'file:///tmp/x', '127.0.0.1:8080/v1', 'not a url']) {
      expect(() => parseBaseUrl(bad)).toThrow(InvalidArgumentError);
      expect(() => parseBaseUrl(bad)).toThrow(/baseUrl: expected an http:\/\/ or https:\/\/ URL/);
    }
    expect(() => parseBaseUrl('ftp://user:s3cret@example.com/v1')).toThrow(/^(?!.*s3cret).*$/);
  });
});

describe('checkEndpoint (real sockets on 127.0.0.1)', () => {
  it('resolves for a listening server without sending an HTTP request', async () => {
    const s = createTcpServer();
    let bytes = 0;
    s.on('connection', (c) => c.on('data', (d: Buffer) => (bytes += d.length)));
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    try {
      const port = (s.address() as AddressInfo).port;
      const r = await checkEndpoint(`http://user:pw@127.0.0.1:${port}/v1?key=x`);
      expect(r).toMatchObject({ baseUrl: `http://127.0.0.1:${port}/v1`, host: '127.0.0.1', port });
      await new Promise((r) => setTimeout(r, 20));
      expect(bytes).toBe(0);
    } finally {
      await new Promise<void>((r) => s.close(() => r()));
    }
  });

  it('refuses a closed port at once with ECONNREFUSED', async () => {
    const port = await closedPort();
    const t0 = performance.now();
    const e = await checkEndpoint(`http://127.0.0.1:${port}/v1`).catch((x: unknown) => x);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(e).toBeInstanceOf(EndpointUnreachableError);
    expect(e).toMatchObject({ _tag: 'EndpointUnreachableError', code: 'ECONNREFUSED', baseUrl: `http://127.0.0.1:${port}/v1` });
    expect((e as Error).message).toBe(`cannot reach http://127.0.0.1:${port}/v1: ECONNREFUSED (connection refused: nothing listens on that port)`);
  });

  it('refuses a host that does not resolve with the resolver error', async () => {
    const e = await checkEndpoint('http://no-such-host.invalid/v1', { timeoutMs: 4000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EndpointUnreachableError);
    expect((e as EndpointUnreachableError).code).toMatch(/^(ENOTFOUND|EAI_AGAIN|ETIMEDOUT)$/);
  });

  it('times out on a server that never completes the TLS handshake, and stops when aborted', async () => {
    const s = createTcpServer(() => undefined); // accepts, says nothing
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    try {
      await expect(checkEndpoint(`https://127.0.0.1:${port}/v1`, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
      const ac = new AbortController();
      const p = checkEndpoint(`https://127.0.0.1:${port}/v1`, { timeoutMs: 60000, signal: ac.signal });
      ac.abort(new Error('interrupted'));
      await expect(p).rejects.toThrow('interrupted');
      await expect(checkEndpoint('ftp://x/v1')).rejects.toThrow(InvalidArgumentError);
    } finally {
      s.close();
    }
  });
});
