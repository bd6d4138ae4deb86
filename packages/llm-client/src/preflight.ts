/**
 * The preflight of a run: before the first request (and before anything is written), check that the API
 * base URL is an http(s) URL and that its server can be reached, so a typo'd port, a stopped server or an
 * unresolvable host is refused at once with the reason instead of failing row after row.
 *
 * "Reachable" means: the host name resolves and a TCP connection to its port opens within `timeoutMs`
 * (for `https:` also the TLS handshake, so a certificate problem is named here too). No HTTP request is
 * sent and no API key leaves the process: whether the server accepts the key, the model and the requests
 * is for the requests themselves to find out (a 401/404 there stops the run as {@link AnnotateFatalError}).
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { ConceptlabError, InvalidArgumentError } from '@conceptlab/core';
import { abortError } from './clock.js';

/** The endpoint of a run cannot be reached (nothing listens, the host does not resolve, no answer in time). */
export class EndpointUnreachableError extends ConceptlabError {
  readonly _tag = 'EndpointUnreachableError' as const;
  /** The base URL, without credentials, query or fragment. */
  readonly baseUrl: string;
  /** The system error code (ECONNREFUSED, ENOTFOUND, EAI_AGAIN, ETIMEDOUT, a TLS code …). */
  readonly code: string;
  constructor(baseUrl: string, code: string, reason: string) {
    super(`cannot reach ${baseUrl}: ${code}${reason ? ` (${reason})` : ''}`);
    this.name = 'EndpointUnreachableError';
    this.baseUrl = baseUrl;
    this.code = code;
  }
}

export interface CheckEndpointOptions {
  /** How long to wait for the connection (default 5000 ms). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** What the preflight found: the address it connected to and how long it took. */
export interface EndpointCheck {
  readonly baseUrl: string;
  readonly host: string;
  readonly port: number;
  readonly ms: number;
}

/** `url` without credentials, query and fragment (safe to print). */
function displayUrl(u: URL): string {
  const c = new URL(u.href);
  c.username = '';
  c.password = '';
  c.search = '';
  c.hash = '';
  return c.href.replace(/\/$/, '');
}

/**
 * Parse an API base URL, accepting only `http:` and `https:`.
 * @throws InvalidArgumentError (one line, without credentials) otherwise.
 */
export function parseBaseUrl(baseUrl: string): URL {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new InvalidArgumentError('baseUrl', 'an http:// or https:// URL', typeof baseUrl === 'string' ? baseUrl.replace(/\/\/[^/@]*@/, '//') : baseUrl);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new InvalidArgumentError('baseUrl', 'an http:// or https:// URL', displayUrl(u));
  }
  if (u.hostname === '') throw new InvalidArgumentError('baseUrl', 'a URL with a host', displayUrl(u));
  return u;
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens on that port',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS unavailable)',
  ETIMEDOUT: 'no answer in time',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'the connection was reset',
};

/**
 * Check that `baseUrl` is an http(s) URL whose server accepts connections (see the module comment).
 *
 * @throws InvalidArgumentError for a URL that is not http(s); EndpointUnreachableError with the reason when
 *   the host does not resolve, the connection is refused or does not open within `timeoutMs`; the signal's
 *   reason when aborted.
 */
export async function checkEndpoint(baseUrl: string, options: CheckEndpointOptions = {}): Promise<EndpointCheck> {
  const u = parseBaseUrl(baseUrl);
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new InvalidArgumentError('timeoutMs', 'a positive number of milliseconds', timeoutMs);
  const signal = options.signal;
  if (signal?.aborted) throw abortError(signal);
  const secure = u.protocol === 'https:';
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1'); // IPv6 literals without brackets
  const port = u.port !== '' ? Number(u.port) : secure ? 443 : 80;
  const shown = displayUrl(u);
  const t0 = performance.now();
  return new Promise<EndpointCheck>((resolve, reject) => {
    let socket: Socket;
    let settled = false;
    const finish = (err: Error | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve({ baseUrl: shown, host, port, ms: performance.now() - t0 });
    };
    const onAbort = (): void => finish(abortError(signal!));
    const timer = setTimeout(() => finish(new EndpointUnreachableError(shown, 'ETIMEDOUT', `no connection within ${timeoutMs} ms`)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket = secure
      ? tlsConnect({ host, port, servername: /^[\d.]+$|:/.test(host) ? undefined : host }, () => finish(undefined))
      : netConnect({ host, port }, () => finish(undefined));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      const code = typeof e.code === 'string' ? e.code : e.name;
      finish(new EndpointUnreachableError(shown, code, REASONS[code] ?? e.message.replace(/\s+/g, ' ')));
    });
  });
}
