/**
 * Worker-thread entry of {@link searchlightRsa}: holds one {@link SearchlightJob} (from `workerData`, the data
 * in shared memory) and scores the chunks of centres it is sent. Not part of the public API.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { evaluateSearchlights, type SearchlightJob } from './searchlight-kernel.js';

if (!parentPort) throw new Error('searchlight-worker.js must run in a worker thread');
const port = parentPort;
const job = workerData as SearchlightJob;

port.on('message', (msg: { type: 'chunk'; from: number; to: number }) => {
  if (msg.type !== 'chunk') return;
  try {
    const values = evaluateSearchlights(job, msg.from, msg.to);
    port.postMessage({ type: 'done', from: msg.from, values }, [values.buffer as ArrayBuffer]);
  } catch (err) {
    port.postMessage({ type: 'error', from: msg.from, message: (err as Error)?.message ?? String(err) });
  }
});
