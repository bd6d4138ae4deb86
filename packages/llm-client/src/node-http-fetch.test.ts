import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeHttpFetch } from './node-http-fetch.js';

/** A real server on 127.0.0.1 answering with `handler`; its URL and a close. */
async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('createNodeHttpFetch (the keep-alive node:http transport the OpenAI SDK is given)', () => {
  const t = createNodeHttpFetch();
  afterAll(() => t.close());

  it('sends a JSON POST with its headers and body and reads the status, headers and body as fetch would', async () => {
    const s = await serve((req, body, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-echo-method': req.method ?? '', 'x-echo-auth': String(req.headers.authorization) });
      res.end(JSON.stringify({ got: body ? JSON.parse(body) : null, length: req.headers['content-length'] }));
    });
    try {
      const body = JSON.stringify({ é: 'ünïcode', n: 1 });
      const r = await t.fetch(`${s.url}/v1/chat/completions`, { method: 'POST', headers: { Authorization: 'Bearer k', 'Content-Type': 'application/json' }, body });
      expect(r.status).toBe(201);
      expect(r.headers.get('x-echo-method')).toBe('POST');
      expect(r.headers.get('x-echo-auth')).toBe('Bearer k');
      expect(await r.json()).toEqual({ got: { é: 'ünïcode', n: 1 }, length: String(Buffer.byteLength(body)) });
      // the same keep-alive connection serves the next request
      const again = await t.fetch(new URL(`${s.url}/v1/models`));
      expect(again.status).toBe(201);
    } finally {
      await s.close();
    }
  });

  it('a 204 has no body; an error status is a Response, not a rejection', async () => {
    const s = await serve((req, _b, res) => {
      res.writeHead(req.url === '/none' ? 204 : 500);
      res.end(req.url === '/none' ? undefined : 'boom');
    });
    try {
      expect((await t.fetch(`${s.url}/none`)).body).toBeNull();
      const r = await t.fetch(`${s.url}/x`, { method: 'POST', body: '{}' });
      expect(r.status).toBe(500);
      expect(await r.text()).toBe('boom');
    } finally {
      await s.close();
    }
  });

  it('a refused connection rejects as fetch does (TypeError "fetch failed" with the cause)', async () => {
    const s = await serve(() => undefined);
    const url = s.url;
    await s.close();
    const e = (await t.fetch(`${url}/x`, { method: 'POST', body: '{}' }).catch((x: unknown) => x)) as TypeError & { cause: { code: string } };
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('fetch failed');
    expect(e.cause.code).toBe('ECONNREFUSED');
  });

  it('aborting the signal rejects with an AbortError at once and drops the connection; an aborted signal sends nothing', async () => {
    let requests = 0;
    const s = await serve(() => {
      requests++; // never answers
    });
    try {
      const ac = new AbortController();
      const p = t.fetch(`${s.url}/slow`, { method: 'POST', body: '{}', signal: ac.signal });
      await new Promise((r) => setTimeout(r, 100));
      const t0 = Date.now();
      ac.abort();
      const e = (await p.catch((x: unknown) => x)) as DOMException;
      expect(e.name).toBe('AbortError');
      expect(Date.now() - t0).toBeLessThan(1000);
      const before = requests;
      const pre = new AbortController();
      pre.abort();
      await expect(t.fetch(`${s.url}/x`, { signal: pre.signal })).rejects.toMatchObject({ name: 'AbortError' });
      await new Promise((r) => setTimeout(r, 50));
      expect(requests).toBe(before);
    } finally {
      await s.close();
    }
  });

  it('a connection the server drops mid-reply rejects (never a half body)', async () => {
    const s = await serve((_req, _b, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    try {
      const e = await t.fetch(`${s.url}/x`, { method: 'POST', body: '{}' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(TypeError);
    } finally {
      await s.close();
    }
  });

  it('a body that is not a string goes to the global fetch unchanged', async () => {
    const s = await serve((_req, body, res) => {
      res.writeHead(200);
      res.end(`len ${body.length}`);
    });
    try {
      const r = await t.fetch(`${s.url}/upload`, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
      expect(await r.text()).toBe('len 3');
    } finally {
      await s.close();
    }
  });
});
