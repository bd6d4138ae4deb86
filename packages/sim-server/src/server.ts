import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError, ShapeError, type ConceptSet } from '@conceptlab/core';
import { ApiError, badRequest } from './api-error.js';
import { BatchStore, FILE_PURPOSES, FileStore, type LineResult } from './batches.js';
import { completeChat, type ChatEngine, type ChatOutcome, type ContentFault } from './chat.js';
import { ConceptMatcher } from './concept-matcher.js';
import { FaultInjector, type FaultDecision, type FaultOptions } from './faults.js';
import { parseJsonBody, readBody, sendBytes, sendError, sendJson } from './http.js';
import { ImageMatcher } from './image-matcher.js';
import { multipartBoundary, parseMultipart } from './multipart.js';
import { sendCompletionStream } from './stream.js';
import type { Observer } from '@conceptlab/triplet-sampler';

export interface ServeOptions {
  /** The concepts the server recognises (by prompt text, and by image with `imagesDir`). */
  readonly concepts: ConceptSet;
  /** Who answers: called with concept indices (Concept.index) in presentation order. */
  readonly observer: Observer;
  /** Only 127.0.0.1: the server is for local use and never listens on other interfaces. */
  readonly host?: '127.0.0.1';
  /** TCP port; 0 (default) picks a free one (see {@link RunningServer.port}). */
  readonly port?: number;
  /** Directory of concept images `DIR/<id>.{jpg,jpeg,png,webp}`, one per concept; needed for vision requests. */
  readonly imagesDir?: string;
  /**
   * Where the fingerprints of the concept images are cached between starts (default
   * `os.tmpdir()/conceptlab-image-fingerprints`; false: none). Fingerprinting costs ≈20 ms per image on one core.
   */
  readonly imageCacheDir?: string | false;
  readonly faults?: FaultOptions;
  /** Seed of the request rngs (and of the fault stream unless `faults.seed`). Default 0. */
  readonly seed?: number;
  /** The model id `GET /v1/models` lists (default `conceptlab-serve`); requests may name any model, and `GET /v1/models/{id}` answers for any id. */
  readonly modelName?: string;
  /** When set, every request must send `Authorization: Bearer <apiKey>` (else 401). */
  readonly apiKey?: string;
}

export interface ServerStats {
  /** HTTP requests received (all endpoints). */
  readonly requests: number;
  /** Chat completions answered with an observer's answer (direct requests and batch lines). */
  readonly answered: number;
  /** Requests and batch lines refused with a 4xx status (bad request, unknown objects, 401, 404, …), injected faults excluded. */
  readonly rejected: number;
  /** Injected faults, by kind. */
  readonly faults: { readonly rateLimited: number; readonly serverError: number; readonly malformed: number; readonly empty: number };
}

export interface RunningServer {
  /** The base URL for an OpenAI client: `http://127.0.0.1:PORT/v1`. */
  readonly url: string;
  readonly port: number;
  /** Stop listening, drop open connections and stop batch processing. Idempotent. */
  close(): Promise<void>;
  stats(): ServerStats;
}

export const DEFAULT_MODEL_NAME = 'conceptlab-serve';
const HOST = '127.0.0.1';

/** The counters of {@link ServerStats}, in this order, as cells of a Float64Array (shared with a thread's owner). */
const STAT_NAMES = ['requests', 'answered', 'rejected', 'rateLimited', 'serverError', 'malformed', 'empty'] as const;
/** @internal The number of cells {@link launchServer} counts in. */
export const STAT_CELLS = STAT_NAMES.length;

/** @internal The {@link ServerStats} of counter cells written by {@link launchServer} (possibly in another thread). */
export function statsOfCells(c: Float64Array): ServerStats {
  return { requests: c[0], answered: c[1], rejected: c[2], faults: { rateLimited: c[3], serverError: c[4], malformed: c[5], empty: c[6] } };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Start `conceptlab serve`'s engine: a local OpenAI-compatible HTTP server on 127.0.0.1 whose answers
 * come from a simulated observer. Endpoints: `GET /v1/models[/{id}]`, `POST /v1/chat/completions`
 * (also `stream: true`, as server-sent `chat.completion.chunk`s), the Files API (`POST/GET /v1/files`, `GET/DELETE /v1/files/{id}`,
 * `GET /v1/files/{id}/content`) and the Batch API (`POST/GET /v1/batches`, `GET /v1/batches/{id}`,
 * `POST /v1/batches/{id}/cancel`). Errors have OpenAI's shape `{ error: { message, type, param, code } }`.
 *
 * @throws InvalidArgumentError for a bad host, port or concept set; ShapeError when the observer does not
 *   cover every concept index; FileError when `imagesDir` lacks an image of some concept.
 */
export function startServer(options: ServeOptions): Promise<RunningServer> {
  return launchServer(options, new Float64Array(STAT_CELLS));
}

/**
 * @internal {@link startServer}, counting its {@link ServerStats} in `cells` ({@link STAT_CELLS} of them): a
 * thread that runs the server (server-thread.ts) shares them with its owner on a SharedArrayBuffer.
 */
export async function launchServer(options: ServeOptions, cells: Float64Array): Promise<RunningServer> {
  if (options.host !== undefined && options.host !== HOST) {
    throw new InvalidArgumentError('host', `'${HOST}' (the server only listens locally)`, options.host);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('port', 'an integer in [0, 65535]', port);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError('seed', 'a non-negative safe integer', seed);
  const modelName = options.modelName ?? DEFAULT_MODEL_NAME;
  const concepts = options.concepts?.concepts;
  if (!Array.isArray(concepts) || concepts.length < 3) throw new InvalidArgumentError('concepts', 'a ConceptSet of at least 3 concepts', concepts?.length);
  const prompts = new Map<number, string>();
  const words = new Map<number, string>();
  for (const c of concepts) {
    if (prompts.has(c.index)) throw new InvalidArgumentError('concepts', 'distinct concept indices', `index ${c.index} twice`);
    prompts.set(c.index, c.prompt);
    words.set(c.index, c.word);
  }
  const observer = options.observer;
  const maxIndex = Math.max(...prompts.keys());
  if (!observer || typeof observer.choose !== 'function') throw new InvalidArgumentError('observer', 'an Observer', observer);
  if (maxIndex >= observer.objects) {
    throw new ShapeError(`observer ${observer.name} answers for ${observer.objects} objects, but the concept set has index ${maxIndex}`);
  }
  const apiKey = options.apiKey === undefined || options.apiKey === '' ? undefined : Buffer.from(options.apiKey);
  const matcher = new ConceptMatcher(concepts);
  const images = options.imagesDir !== undefined ? await ImageMatcher.create(concepts, options.imagesDir, { cacheDir: options.imageCacheDir }) : undefined;
  const faults = new FaultInjector(options.faults, seed);
  const NO_FAULT: FaultDecision = { kind: 'none', latencyMs: 0 };

  const tag = randomBytes(4).toString('hex');
  let counter = 0;
  const engine: ChatEngine = {
    matcher,
    images,
    promptOf: (i) => prompts.get(i)!,
    wordOf: (i) => words.get(i)!,
    observer,
    seed,
    newId: (prefix) => `${prefix}${tag}${(++counter).toString(36).padStart(6, '0')}`,
  };

  // One writer (this thread); the owner of a server thread reads the same cells.
  const count = (name: (typeof STAT_NAMES)[number]): void => {
    cells[STAT_NAMES.indexOf(name)]++;
  };

  const injectedError = (kind: 'rateLimited' | 'serverError'): ApiError => {
    count(kind);
    if (kind === 'rateLimited') {
      const s = faults.retryAfterSeconds;
      return new ApiError(429, 'Rate limit reached for requests (injected by conceptlab serve). Please retry after the retry-after interval.', {
        type: 'requests',
        code: 'rate_limit_exceeded',
        headers: { 'retry-after': String(s), 'retry-after-ms': String(Math.round(s * 1000)) },
      });
    }
    return new ApiError(500, 'The server had an error while processing your request (injected by conceptlab serve).', { type: 'server_error' });
  };

  /** One chat body through the observer, with a content fault; counts the answer. */
  const answer = async (body: unknown, kind: FaultDecision['kind'], allowStream = false): Promise<ChatOutcome> => {
    const fault: ContentFault = kind === 'malformed' || kind === 'empty' ? kind : 'none';
    const outcome = await completeChat(engine, body, fault, allowStream);
    count(fault === 'none' ? 'answered' : fault);
    return outcome;
  };

  const answerLine = async (body: unknown): Promise<LineResult> => {
    const d = faults.active ? faults.next() : NO_FAULT;
    if (d.kind === 'rateLimited' || d.kind === 'serverError') {
      const e = injectedError(d.kind);
      return { status: 500, body: new ApiError(500, e.message, { type: 'server_error' }).body() };
    }
    try {
      return { status: 200, body: (await answer(body, d.kind)).body };
    } catch (e) {
      if (e instanceof ApiError && e.status < 500) count('rejected');
      throw e;
    }
  };

  const files = new FileStore();
  const batches = new BatchStore(files, answerLine);

  const authorized = (req: IncomingMessage): ApiError | undefined => {
    if (!apiKey) return undefined;
    const h = req.headers.authorization;
    if (!h) return new ApiError(401, "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.", { code: 'invalid_api_key' });
    const m = /^Bearer\s+(.+)$/i.exec(h.trim());
    const got = m ? Buffer.from(m[1]) : Buffer.alloc(0);
    if (got.length !== apiKey.length || !timingSafeEqual(got, apiKey)) {
      return new ApiError(401, 'Incorrect API key provided.', { code: 'invalid_api_key' });
    }
    return undefined;
  };

  const chatCompletions = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const d = faults.active ? faults.next() : NO_FAULT;
    if (d.latencyMs > 0) await sleep(d.latencyMs);
    if (d.kind === 'rateLimited' || d.kind === 'serverError') return sendError(res, injectedError(d.kind));
    const body = parseJsonBody(raw);
    const outcome = await answer(body, d.kind, true);
    // Says which format answered (e.g. free text when several tools were offered with tool_choice 'auto').
    const headers = { 'x-conceptlab-answer-format': outcome.format };
    const b = body as { stream?: unknown; stream_options?: { include_usage?: unknown } };
    if (b.stream === true) return sendCompletionStream(res, outcome.body, b.stream_options?.include_usage === true, headers);
    sendJson(res, 200, outcome.body, headers);
  };

  const uploadFile = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const boundary = multipartBoundary(req.headers['content-type']);
    const raw = await readBody(req);
    if (!boundary) throw badRequest('expected a multipart/form-data body with a boundary');
    const parts = parseMultipart(raw, boundary);
    const purpose = parts.find((p) => p.name === 'purpose' && p.filename === undefined)?.data.toString('utf8').trim();
    const file = parts.find((p) => p.name === 'file');
    if (!purpose) throw badRequest("purpose: required ('batch')", 'purpose', 'missing_required_parameter');
    if (!FILE_PURPOSES.has(purpose)) throw badRequest(`purpose: expected one of ${[...FILE_PURPOSES].join(', ')}, got ${JSON.stringify(purpose)}`, 'purpose');
    if (!file || file.filename === undefined) throw badRequest('file: required (a file part)', 'file', 'missing_required_parameter');
    sendJson(res, 200, files.add(file.filename, purpose, file.data));
  };

  const list = <T extends { id: string }>(data: T[]): Record<string, unknown> => ({
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
    has_more: false,
  });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    const seg = path.split('/').filter((s) => s !== '');
    const invalid = (): ApiError => new ApiError(404, `Invalid URL (${method} ${path})`, { code: null });
    if (seg[0] !== 'v1') throw invalid();
    const denied = authorized(req);
    if (denied) throw denied;
    const [, a, b, c] = seg;
    const n = seg.length;
    if (a === 'chat' && b === 'completions' && n === 3 && method === 'POST') return chatCompletions(req, res);
    if (a === 'models' && method === 'GET') {
      const model = (id: string): Record<string, unknown> => ({ id, object: 'model', created: 0, owned_by: 'conceptlab' });
      if (n === 2) return sendJson(res, 200, { object: 'list', data: [model(modelName)] });
      // Chat accepts any model name, so every id is a model (answered by the same observer).
      if (n === 3) return sendJson(res, 200, model(decodeURIComponent(b)));
    }
    if (a === 'files') {
      if (n === 2 && method === 'POST') return uploadFile(req, res);
      if (n === 2 && method === 'GET') return sendJson(res, 200, list(files.list()));
      if (n === 3 && method === 'GET') return sendJson(res, 200, files.get(b).meta);
      if (n === 3 && method === 'DELETE') return sendJson(res, 200, files.delete(b));
      if (n === 4 && c === 'content' && method === 'GET') return sendBytes(res, 200, files.get(b).data, 'application/octet-stream');
    }
    if (a === 'batches') {
      if (n === 2 && method === 'POST') return sendJson(res, 200, batches.create(parseJsonBody(await readBody(req))));
      if (n === 2 && method === 'GET') return sendJson(res, 200, list(batches.list()));
      if (n === 3 && method === 'GET') return sendJson(res, 200, batches.get(b));
      if (n === 4 && c === 'cancel' && method === 'POST') return sendJson(res, 200, batches.cancel(b));
    }
    throw invalid();
  };

  const server = createServer((req, res) => {
    count('requests');
    res.setHeader('x-request-id', engine.newId('req_'));
    route(req, res).catch((e: unknown) => {
      const err = e instanceof ApiError ? e : new ApiError(500, `internal error in conceptlab serve: ${e instanceof Error ? e.message : String(e)}`);
      if (err.status < 500) count('rejected');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (!req.complete) req.resume();
      sendError(res, err);
    });
  });
  // Requests carry whole images and batch files; keep connections reusable by clients that pool them.
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => reject(new InvalidArgumentError('port', `a free port on ${HOST} (${e.code ?? e.message})`, port));
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${actual}/v1`,
    port: actual,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        batches.close();
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
    stats: () => statsOfCells(cells),
  };
}

