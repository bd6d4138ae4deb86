import type { ServerResponse } from 'node:http';

type Json = Record<string, unknown>;

/** Content longer than this is sent in several deltas (split after whitespace), as a model streams tokens. */
const DELTA_CHARS = 24;

function pieces(s: string): string[] {
  if (s === '') return [];
  const out: string[] = [];
  let cur = '';
  for (const part of s.split(/(?<=\s)/)) {
    if (cur.length > 0 && cur.length + part.length > DELTA_CHARS) {
      out.push(cur);
      cur = '';
    }
    cur += part;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/**
 * The `chat.completion.chunk` objects that stream a finished `chat.completion`, as OpenAI sends them: per
 * choice, a first delta with the role (and empty content), then the content in pieces — or the tool call (id,
 * type, name and empty arguments first, then the arguments) — then an empty delta with the finish reason.
 * With `includeUsage`, every chunk has `usage: null` and a last chunk with no choices carries the usage.
 */
export function completionChunks(completion: Json, includeUsage: boolean): Json[] {
  const head = { id: completion.id, object: 'chat.completion.chunk', created: completion.created, model: completion.model, system_fingerprint: completion.system_fingerprint };
  const chunk = (index: number, delta: Json, finish: unknown = null): Json => ({
    ...head,
    choices: [{ index, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const out: Json[] = [];
  for (const choice of completion.choices as Json[]) {
    const index = choice.index as number;
    const message = choice.message as Json;
    const calls = message.tool_calls as Json[] | undefined;
    if (calls && calls.length > 0) {
      out.push(chunk(index, { role: 'assistant', content: null, refusal: null }));
      calls.forEach((call, i) => {
        const fn = call.function as Json;
        out.push(chunk(index, { tool_calls: [{ index: i, id: call.id, type: 'function', function: { name: fn.name, arguments: '' } }] }));
        for (const p of pieces(fn.arguments as string)) out.push(chunk(index, { tool_calls: [{ index: i, function: { arguments: p } }] }));
      });
    } else {
      out.push(chunk(index, { role: 'assistant', content: '', refusal: null }));
      for (const p of pieces((message.content as string | null) ?? '')) out.push(chunk(index, { content: p }));
    }
    out.push(chunk(index, {}, choice.finish_reason));
  }
  if (includeUsage) out.push({ ...head, choices: [], usage: completion.usage });
  return out;
}

/** Send a finished `chat.completion` as server-sent events (`data: <chunk>` lines, then `data: [DONE]`). */
export function sendCompletionStream(res: ServerResponse, completion: Json, includeUsage: boolean, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers });
  for (const c of completionChunks(completion, includeUsage)) res.write(`data: ${JSON.stringify(c)}\n\n`);
  res.end('data: [DONE]\n\n');
}
