/**
 * A `fetch` for the OpenAI SDK over node:http(s) with a keep-alive agent, for JSON requests (string bodies) and
 * GETs; anything else (multipart uploads, streams) goes to the global fetch. Node's undici `fetch` (WHATWG streams,
 * per-request AbortSignals and Headers) costs about twice node:http's CPU per request, which bounds annotation
 * throughput against fast local servers. The reply is read whole before the Response resolves (the client never
 * streams); aborting the signal destroys the request and rejects with an AbortError; a connection error rejects
 * with `TypeError('fetch failed', { cause })`, as fetch does. Idle keep-alive sockets do not keep the process alive
 * (node's Agent unrefs them).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface NodeHttpFetch {
  readonly fetch: typeof fetch;
  /** Close the idle keep-alive sockets. */
  close(): void;
}

const NO_BODY = new Set([101, 103, 204, 205, 304]);

function headerRecord(h: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (h instanceof Headers) h.forEach((v, k) => (out[k] = v));
  else if (Array.isArray(h)) for (const [k, v] of h) out[k.toLowerCase()] = v;
  else for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = String(v);
  return out;
}

function abortError(): DOMException {
  return new DOMException('This operation was aborted', 'AbortError');
}

export function createNodeHttpFetch(): NodeHttpFetch {
  const http = new HttpAgent({ keepAlive: true, timeout: 60_000 });
  const https = new HttpsAgent({ keepAlive: true, timeout: 60_000 });
  const f = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = init.body;
    if (input instanceof Request || (body !== undefined && body !== null && typeof body !== 'string')) return fetch(input, init);
    const url = input instanceof URL ? input : new URL(input);
    const tls = url.protocol === 'https:';
    if (!tls && url.protocol !== 'http:') return fetch(input, init);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise<Response>((resolve, reject) => {
      const headers = headerRecord(init.headers);
      const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : undefined;
      if (data) headers['content-length'] = String(data.length);
      const method = (init.method ?? 'GET').toUpperCase();
      const req = (tls ? httpsRequest : httpRequest)(url, { method, headers, agent: tls ? https : http });
      let done = false;
      const onAbort = (): void => {
        if (done) return;
        done = true;
        req.destroy();
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (): void => {
        done = true;
        signal?.removeEventListener('abort', onAbort);
      };
      req.on('error', (e) => {
        if (done) return;
        finish();
        reject(new TypeError('fetch failed', { cause: e }));
      });
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => {
          if (done) return;
          finish();
          reject(new TypeError('fetch failed', { cause: e }));
        });
        res.on('end', () => {
          if (done) return;
          finish();
          const h = new Headers();
          const raw = res.rawHeaders;
          for (let i = 0; i < raw.length; i += 2) h.append(raw[i], raw[i + 1]);
          const status = res.statusCode ?? 0;
          const payload = NO_BODY.has(status) || method === 'HEAD' ? null : Buffer.concat(chunks);
          resolve(new Response(payload, { status, statusText: res.statusMessage, headers: h }));
        });
      });
      req.end(data);
    });
  };
  return {
    fetch: f as typeof fetch,
    close() {
      http.destroy();
      https.destroy();
    },
  };
}
