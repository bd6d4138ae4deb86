import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 that accepts every request and never finishes it: `silent` reads the
 * request and never answers; `headers` sends `200` with JSON headers and the first bytes of a body, then
 * stalls. For the request-timeout tests of llm-client and the CLI. `port` 0 (default): any free port.
 */
export async function stalledServer(mode: 'silent' | 'headers', port = 0): Promise<{ url: string; port: number; requests(): number; close(): Promise<void> }> {
  let requests = 0;
  const srv: Server = createServer((req, res) => {
    requests++;
    req.resume();
    if (mode === 'headers') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id": "chatcmpl-stalled", "choices": [');
    }
  });
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
  const p = (srv.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${p}/v1`,
    port: p,
    requests: () => requests,
    close: () =>
      new Promise<void>((r) => {
        srv.close(() => r());
        srv.closeAllConnections();
      }),
  };
}
