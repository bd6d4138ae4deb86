import type { Command } from 'commander';
import { InvalidArgumentError, loadThingsDirectory } from '@conceptlab/core';
import { parseObserverSpec, startServer } from '@conceptlab/sim-server';
import { checkAtMost, floatOption, intOption } from '../options.js';
import type { Io } from '../output.js';

interface ServeCliOptions {
  observer: string;
  concepts: string;
  images?: string;
  port: number;
  temperature: number;
  argmax?: boolean;
  seed: number;
  latency?: string;
  errorRate: number;
  malformedRate: number;
  emptyRate: number;
  retryAfter: number;
  apiKeyEnv?: string;
  json?: boolean;
}

/** The longest delay one Node timer holds (2^31 − 1 ms, about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function parseLatency(text: string | undefined): number | [number, number] | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError('--latency', 'milliseconds, or a range MIN-MAX', text);
  const lo = Number(m[1]), hi = m[2] === undefined ? lo : Number(m[2]);
  if (hi < lo) throw new InvalidArgumentError('--latency', 'a range MIN-MAX with MIN ≤ MAX', text);
  checkAtMost('--latency', hi, MAX_TIMER_MS, 'the longest delay a Node timer holds, in milliseconds; a longer one would fire at once');
  return m[2] === undefined ? lo : [lo, hi];
}

const rate = (name: string) => floatOption(name, (x) => x >= 0 && x <= 1, 'a share in [0, 1]');

export function registerServe(program: Command, io: Io): void {
  program
    .command('serve')
    .description('a local OpenAI-compatible server on 127.0.0.1 answered by a simulated observer (for offline runs, tests and power analysis)')
    .requiredOption('--observer <spec>', 'sim:FILE.npy (the SPoSE choice rule on an embedding) | word-vectors (GloVe-like word vectors, cosine)')
    .requiredOption('--concepts <dir>', 'concept directory (things_concepts.tsv): the objects the server recognises in prompts')
    .option('--images <dir>', 'concept images <id>.jpg|png|webp, to recognise objects in vision requests')
    .option('--port <p>', 'TCP port (0 = any free port)', intOption('--port', 0, 65535), 8765)
    .option('--temperature <T>', 'sim observer only: softmax temperature', floatOption('--temperature', (x) => x > 0, 'a positive number'), 1)
    .option('--argmax', 'sim observer only: choose the most similar pair deterministically')
    .option('--seed <s>', 'seed of the answers and faults', intOption('--seed', 0), 0)
    .option('--latency <ms>', 'injected latency per answer: MS or MIN-MAX')
    .option('--error-rate <r>', 'share of requests answered 429 or 500', rate('--error-rate'), 0)
    .option('--malformed-rate <r>', 'share answered with unreadable text', rate('--malformed-rate'), 0)
    .option('--empty-rate <r>', 'share answered with empty content', rate('--empty-rate'), 0)
    .option('--retry-after <s>', 'retry-after seconds of injected 429s', floatOption('--retry-after', (x) => x >= 0, 'a number ≥ 0'), 1)
    .option('--api-key-env <name>', 'require this environment variable\'s value as the bearer key')
    .option('--json', 'print the address as JSON')
    .action(async (o: ServeCliOptions) => {
      const latencyMs = parseLatency(o.latency);
      const concepts = loadThingsDirectory(o.concepts);
      const observer = parseObserverSpec(o.observer, concepts, { temperature: o.temperature, argmax: Boolean(o.argmax) });
      let apiKey: string | undefined;
      if (o.apiKeyEnv) {
        apiKey = process.env[o.apiKeyEnv];
        if (!apiKey) throw new InvalidArgumentError('--api-key-env', `the name of a set environment variable (${o.apiKeyEnv} is empty)`);
      }
      const server = await startServer({
        concepts,
        observer,
        port: o.port,
        imagesDir: o.images,
        seed: o.seed,
        apiKey,
        faults: {
          latencyMs,
          errorRate: o.errorRate,
          malformedRate: o.malformedRate,
          emptyRate: o.emptyRate,
          retryAfterSeconds: o.retryAfter,
        },
      });
      const info = { url: server.url, port: server.port, observer: o.observer, concepts: concepts.concepts.length };
      io.stdout(o.json ? JSON.stringify(info) + '\n' : `conceptlab serve: ${o.observer} over ${info.concepts} concepts at ${server.url} (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      const s = server.stats();
      io.stderr(`conceptlab serve: stopped after ${s.requests} requests (${s.answered} answered, ${s.rejected} rejected)\n`);
    });
}
