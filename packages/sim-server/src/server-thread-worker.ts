/**
 * The worker side of {@link startServerThread}: builds the observer from its spec, starts the server counting
 * in the shared cells, reports where it listens, and closes it when told to (then the thread ends).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseObserverSpec } from './observer-spec.js';
import { launchServer } from './server.js';
import type { FromServerThread, ServerThreadData } from './server-thread.js';

const port = parentPort!;
const post = (m: FromServerThread): void => port.postMessage(m);
const { options, cells } = workerData as ServerThreadData;

function describe(e: unknown): FromServerThread {
  const fields: Record<string, unknown> = {};
  if (e && typeof e === 'object') {
    for (const [k, v] of Object.entries(e)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[k] = v;
    if (e instanceof Error) fields.name = e.name;
  }
  return { type: 'error', message: e instanceof Error ? e.message : String(e), fields };
}

try {
  const observer = parseObserverSpec(options.observer, options.concepts, options.observerOptions);
  const server = await launchServer({ ...options, observer }, cells);
  port.on('message', (m: unknown) => {
    if (m !== 'close') return;
    server.close().then(
      () => {
        post({ type: 'closed' });
        port.close();
      },
      (e: unknown) => {
        post(describe(e));
        port.close();
      },
    );
  });
  post({ type: 'listening', url: server.url, port: server.port });
} catch (e) {
  post(describe(e));
  port.close();
}
