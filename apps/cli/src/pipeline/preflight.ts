import { InvalidArgumentError } from '@conceptlab/core';
import { readApiKey } from '@conceptlab/llm-client';

/**
 * Before a long annotation: can the endpoint be reached at all? One `GET <baseUrl>/models` (every
 * OpenAI-compatible server we know answers it; a 404 is accepted, servers without it still work). A refused
 * connection, an unknown host or a timeout is an error that says what to check; a 401/403 says which key
 * was (not) sent. The key is read from the environment and never appears in the message.
 */
export async function preflight(baseUrl: string, apiKeyEnv: string | undefined, timeoutMs = 15000): Promise<void> {
  const key = readApiKey(apiKeyEnv);
  const url = `${baseUrl.replace(/\/+$/, '')}/models`;
  let status: number;
  try {
    const res = await fetch(url, {
      headers: apiKeyEnv ? { authorization: `Bearer ${key}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
    await res.body?.cancel();
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e as Error).message;
    throw new InvalidArgumentError(
      '--base-url',
      `a reachable OpenAI-compatible endpoint (GET ${url} failed: ${why}). Is the server running, and does the URL end in /v1? ` +
        'For an offline run start one with `conceptlab serve --observer word-vectors --concepts DIR --port 8765`',
      baseUrl,
    );
  }
  if (status === 401 || status === 403) {
    throw new InvalidArgumentError(
      apiKeyEnv ? '--api-key-env' : '--base-url',
      apiKeyEnv
        ? `a key the endpoint accepts (it answered ${status} to the key in $${apiKeyEnv})`
        : `an endpoint that needs no key, or a key: it answered ${status}; export the key and pass --api-key-env NAME (OPENAI_API_KEY is used when set)`,
      baseUrl,
    );
  }
}
