import { completionChunks } from './stream.js';

const head = { id: 'chatcmpl-1', object: 'chat.completion', created: 5, model: 'm', system_fingerprint: 'fp' };
const usage = { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 };

describe('completionChunks', () => {
  test('content: role delta, content pieces that join to the content, an empty delta with the finish reason', () => {
    const content = "The odd one out is 'hammer (a hand tool with a heavy rigid head)'. It has the least in common with the other objects.";
    const chunks = completionChunks({ ...head, choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop' }], usage }, false);
    const deltas = chunks.map((c) => (c.choices as Array<{ delta: Record<string, unknown> }>)[0].delta);
    expect(deltas[0]).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(deltas.slice(1, -1).map((d) => d.content).join('')).toBe(content);
    expect(deltas.length).toBeGreaterThan(3);
    expect(chunks[chunks.length - 1]).toEqual({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 5, model: 'm', system_fingerprint: 'fp', choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] });
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
  });

  test('tool call: id, type and name with empty arguments, then the arguments; usage chunk last with include_usage', () => {
    const call = { id: 'call_1', type: 'function', function: { name: 'pick', arguments: '{"item":"saw (hand tool having a toothed blade for cutting)"}' } };
    const chunks = completionChunks({ ...head, choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, tool_calls: [call] }, finish_reason: 'tool_calls' }], usage }, true);
    const choice = (c: Record<string, unknown>): { delta: Record<string, unknown>; finish_reason: unknown } => (c.choices as Array<{ delta: Record<string, unknown>; finish_reason: unknown }>)[0];
    expect(choice(chunks[0]).delta).toEqual({ role: 'assistant', content: null, refusal: null });
    expect(choice(chunks[1]).delta).toEqual({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'pick', arguments: '' } }] });
    const args = chunks.slice(2, -2).map((c) => (choice(c).delta.tool_calls as Array<{ function: { arguments: string } }>)[0].function.arguments).join('');
    expect(args).toBe(call.function.arguments);
    expect(choice(chunks[chunks.length - 2]).finish_reason).toBe('tool_calls');
    expect(chunks[chunks.length - 1]).toEqual({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 5, model: 'm', system_fingerprint: 'fp', choices: [], usage });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  test('empty content: the role delta and the finish reason only', () => {
    const chunks = completionChunks({ ...head, choices: [{ index: 0, message: { role: 'assistant', content: '', refusal: null }, finish_reason: 'stop' }], usage }, false);
    expect(chunks).toHaveLength(2);
  });
});
