/**
 * Worker-thread entry of {@link fitSeeds}: receives seed jobs, fits them one at a time, and posts
 * progress events and results back. Not part of the public API.
 */
import { parentPort } from 'node:worker_threads';
import { runSeed, type SeedJob } from './run-seed.js';

if (!parentPort) throw new Error('fit-worker.js must run in a worker thread');
const port = parentPort;

port.on('message', (msg: { type: 'run'; job: SeedJob }) => {
  if (msg.type !== 'run') return;
  const { job } = msg;
  runSeed(job, (event) => port.postMessage({ type: 'progress', seed: job.seed, event }))
    .then((result) => port.postMessage({ type: 'done', seed: job.seed, result }))
    .catch((err: unknown) => {
      const e = err as Error & Record<string, unknown>;
      const fields: Record<string, unknown> = {};
      for (const k of ['_tag', 'file', 'line', 'column', 'expected', 'found', 'argument']) if (e?.[k] !== undefined) fields[k] = e[k];
      port.postMessage({ type: 'error', seed: job.seed, error: { name: e?.name, message: e?.message ?? String(err), stack: e?.stack, fields } });
    });
});
