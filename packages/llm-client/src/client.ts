/**
 * A thin wrapper over the official `openai` SDK for chat completions against any OpenAI-compatible
 * server. The SDK's retries are off (`maxRetries: 0`): retry.ts owns retries. Every failure becomes a
 * {@link RequestFailedError} whose message has the API key removed.
 *
 * The API key is read from the environment variable the user names (never from an argument, never
 * written anywhere: journal, exports, progress events and error messages only see `[REDACTED]`).
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { InvalidArgumentError } from '@conceptlab/core';
import { RequestFailedError, kindOfStatus, parseRetryAfter, type RequestFailure } from './retry.js';
import { createNodeHttpFetch } from './node-http-fetch.js';

export type ChatRequestBody = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
export type ChatMessage = OpenAI.Chat.ChatCompletionMessage;

export interface ChatClientOptions {
  /** e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1 */
  readonly baseUrl: string;
  /** Name of the environment variable holding the API key; omitted: no key (local servers). */
  readonly apiKeyEnv?: string;
  /**
   * Per-request timeout (default {@link DEFAULT_REQUEST_TIMEOUT_MS}, 180 000 ms; at most
   * {@link MAX_REQUEST_TIMEOUT_MS}): the whole request, from sending it to the last byte of the reply, so a
   * server that accepts the connection and never answers, or sends the headers and then stalls the body,
   * fails the attempt as a `timeout` (retried, and counted by the circuit breaker).
   */
  readonly timeoutMs?: number;
  /** Environment to read the key from (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface ChatReply {
  readonly message: ChatMessage;
  readonly finishReason: string | null;
  readonly promptTokens: number | null;
  readonly completionTokens: number | null;
}

export interface ChatClient {
  /** The SDK client (files and batches use it too). */
  readonly openai: OpenAI;
  /** One chat completion; throws {@link RequestFailedError} (redacted) on any failure. */
  chat(body: ChatRequestBody, signal?: AbortSignal): Promise<ChatReply>;
  /** `text` with the API key (and any bearer token) replaced by `[REDACTED]`. */
  redact(text: string): string;
  /** A failure description of any thrown value, redacted. */
  describeError(e: unknown): RequestFailure;
}

/** The default per-request timeout: 180 000 ms (3 min). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 180000;
/** The longest per-request timeout accepted: 2^31 − 1 ms (about 24.8 days), the longest a timer can wait. */
export const MAX_REQUEST_TIMEOUT_MS = 2 ** 31 - 1;

/** Sent when no key variable is named (OpenAI-compatible local servers ignore it). */
const NO_KEY = 'no-key';

/** The API key from the named environment variable (the error names the variable, never a value). */
export function readApiKey(apiKeyEnv: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (apiKeyEnv === undefined) return NO_KEY;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv)) {
    throw new InvalidArgumentError('apiKeyEnv', 'the NAME of an environment variable holding the API key (not the key itself)');
  }
  const key = env[apiKeyEnv];
  if (key === undefined || key.trim() === '') {
    throw new InvalidArgumentError('apiKeyEnv', `an environment variable holding the API key; ${apiKeyEnv} is not set`);
  }
  return key.trim();
}

/** A redactor for one secret: removes it, and any `Bearer …` token, from text. */
export function makeRedactor(secret: string | undefined): (text: string) => string {
  const s = secret !== undefined && secret !== NO_KEY && secret.length >= 4 ? secret : undefined;
  return (text: string): string => {
    let t = text;
    if (s !== undefined && t.includes(s)) t = t.split(s).join('[REDACTED]');
    return t.replace(/(Bearer\s+)[^\s"',;]+/gi, '$1[REDACTED]');
  };
}

function oneLine(s: string, max = 500): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

export function createChatClient(options: ChatClientOptions): ChatClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !(timeoutMs <= MAX_REQUEST_TIMEOUT_MS)) {
    throw new InvalidArgumentError('timeoutMs', `a number of milliseconds > 0 and ≤ ${MAX_REQUEST_TIMEOUT_MS}`, options.timeoutMs);
  }
  const apiKey = readApiKey(options.apiKeyEnv, options.env);
  const redact = makeRedactor(apiKey);
  let openai: OpenAI;
  try {
    openai = new OpenAI({
      baseURL: options.baseUrl,
      apiKey,
      maxRetries: 0,
      timeout: timeoutMs,
      logLevel: 'off',
      // node:http(s) keep-alive transport for JSON requests (node-http-fetch.ts); the global fetch for anything else
      fetch: createNodeHttpFetch().fetch,
      // not a browser, but the SDK refuses to construct under jsdom-like globals without it
      dangerouslyAllowBrowser: true,
    });
  } catch (e) {
    throw new InvalidArgumentError('baseUrl', 'a usable API base URL', redact(e instanceof Error ? e.message : String(e)));
  }

  const describeError = (e: unknown): RequestFailure => {
    if (e instanceof RequestFailedError) return { ...e.failure, message: redact(e.failure.message) };
    if (e instanceof APIUserAbortError) return { kind: 'aborted', message: 'request aborted' };
    if (e instanceof APIConnectionTimeoutError) return { kind: 'timeout', message: redact(oneLine(`timeout: ${e.message}`)) };
    if (e instanceof APIConnectionError) {
      const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
      return { kind: 'connection', message: redact(oneLine(`connection error: ${e.message}${cause}`)) };
    }
    if (e instanceof APIError && typeof e.status === 'number') {
      const retryAfterMs = e.headers ? parseRetryAfter((n) => e.headers!.get(n)) : undefined;
      return {
        kind: kindOfStatus(e.status, e.code),
        status: e.status,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        message: redact(oneLine(`HTTP ${e.message}`)),
      };
    }
    if (e instanceof SyntaxError) return { kind: 'bad-response', status: 200, message: redact(oneLine(`unreadable response body: ${e.message}`)) };
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { kind: 'connection', message: redact(oneLine(msg)) };
  };

  return {
    openai,
    redact,
    describeError,
    async chat(body, signal) {
      // The SDK's own timeout ends when the response headers arrive; this deadline covers the body too.
      // The caller's signal aborts the same request (an abort, not a timeout).
      const request = new AbortController();
      let timedOut = false;
      const onAbort = (): void => request.abort(signal?.reason);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
      const deadline = setTimeout(() => {
        timedOut = true;
        request.abort();
      }, timeoutMs);
      let res: OpenAI.Chat.ChatCompletion;
      try {
        res = await openai.chat.completions.create(body, { signal: request.signal });
      } catch (e) {
        if (signal?.aborted) throw new RequestFailedError({ kind: 'aborted', message: 'request aborted' });
        if (timedOut || e instanceof APIConnectionTimeoutError) {
          throw new RequestFailedError({ kind: 'timeout', message: `timeout: no complete reply within ${timeoutMs / 1000} s` });
        }
        throw new RequestFailedError(describeError(e));
      } finally {
        clearTimeout(deadline);
        signal?.removeEventListener('abort', onAbort);
      }
      const choice = (res as Partial<OpenAI.Chat.ChatCompletion> | null)?.choices?.[0];
      if (!choice || typeof choice !== 'object' || !choice.message || typeof choice.message !== 'object') {
        throw new RequestFailedError({ kind: 'bad-response', status: 200, message: 'response without choices[0].message' });
      }
      const u = res.usage;
      return {
        message: choice.message,
        finishReason: choice.finish_reason ?? null,
        promptTokens: typeof u?.prompt_tokens === 'number' ? u.prompt_tokens : null,
        completionTokens: typeof u?.completion_tokens === 'number' ? u.completion_tokens : null,
      };
    },
  };
}
