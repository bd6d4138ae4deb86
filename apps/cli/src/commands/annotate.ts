import type { Command } from 'commander';
import { InvalidArgumentError, loadThingsDirectory, parseShard } from '@conceptlab/core';
import {
  annotate,
  annotateBatch,
  exportJournal,
  mergeJournals,
  resolvePrompt,
  summarizeJournal,
  defaultPrompt,
  DEFAULT_MAX_CONSECUTIVE_FAILURES,
  NothingAnsweredError,
  type AnnotateOptions,
  type AnnotateSummary,
  type JournalStanding,
} from '@conceptlab/llm-annotator';
import { DEFAULT_REQUEST_TIMEOUT_MS, parsePrice, type AnswerFormat, type AnnotationMode, type ImageLayout } from '@conceptlab/llm-client';
import { whileInterruptible } from '../interrupt.js';
import { readAnsweredFile, readTripletsFile } from '../io.js';
import { floatOption, intOption, MAX_REQUEST_TIMEOUT_S, oneOf, requestTimeoutOption } from '../options.js';
import { printResult, progressRenderer, type Io } from '../output.js';

interface AnnotateCliOptions {
  baseUrl: string;
  model: string;
  apiKeyEnv?: string;
  concepts: string;
  triplets: string;
  journal: string;
  mode: string;
  images?: string;
  imageLayout: string;
  saveImages?: string;
  prompt?: string;
  answerFormat: string;
  temperature: number;
  maxTokens?: number;
  seed: number;
  concurrency: number;
  rpm?: number;
  tpm?: number;
  maxAttempts: number;
  maxConsecutiveFailures: number;
  requestTimeout: number;
  reask: number;
  shard?: string;
  batch?: boolean;
  pollInterval: number;
  resume?: boolean;
  cache: boolean;
  price?: string;
  json?: boolean;
}


export function registerAnnotate(program: Command, io: Io): void {
  const cmd = program
    .command('annotate')
    .enablePositionalOptions()
    .description('collect odd-one-out judgments from an OpenAI-compatible LLM or MLLM, journalled in SQLite (resumable; identical requests served from the journal)')
    .option('--base-url <url>', 'OpenAI-compatible API base URL (OpenAI, Gemini, vLLM, Ollama, llama.cpp, conceptlab serve)')
    .option('--model <name>', 'model name')
    .option('--api-key-env <name>', 'environment variable holding the API key, never printed or stored (default: OPENAI_API_KEY when it is set, else no key, as local servers need none)')
    .option('--concepts <dir>', 'concept directory (things_concepts.tsv)')
    .option('--triplets <file>', 'the object sets to ask about, in order (SPoSE "i j k" text or .npy)')
    .option('--journal <file>', 'the SQLite journal of the run')
    .option('--mode <mode>', 'text | vision', 'text')
    .option('--images <dir>', 'vision: concept images <id>.jpg|png|webp')
    .option('--image-layout <layout>', 'vision: composite (the paper\'s 2620×820 image) | separate', 'composite')
    .option('--prompt <preset|file>', 'du2024-text | du2024-vision | vision-separate | a template file with {A} {B} {C} (default: the paper\'s prompt for the mode; vision-separate, our wording, for --image-layout separate)')
    .option('--save-images <dir>', 'vision: write the image(s) each row asked is shown, named by row index (<row>.png, or <row>-<position>.png when separate), to audit them')
    .option('--answer-format <format>', 'free (the paper) | json-schema | tool', 'free')
    .option('--temperature <t>', 'sampling temperature (the paper: 0.01)', floatOption('--temperature', (x) => x >= 0, 'a number ≥ 0'), 0.01)
    .option('--max-tokens <n>', 'reply token limit (default 1024 text, 2048 vision)', intOption('--max-tokens', 1, 1_000_000))
    .option('--seed <s>', 'seed of the per-triplet presentation order', intOption('--seed', 0), 0)
    .option('--concurrency <c>', 'requests in flight', intOption('--concurrency', 1, 4096), 8)
    .option('--rpm <r>', 'requests-per-minute budget', intOption('--rpm', 1))
    .option('--tpm <t>', 'tokens-per-minute budget', intOption('--tpm', 1))
    .option('--max-attempts <n>', 'HTTP attempts per question (retries with backoff honour Retry-After)', intOption('--max-attempts', 1, 100), 6)
    .option(
      '--max-consecutive-failures <n>',
      'end the run (rows stay pending for --resume) after n consecutive failed requests that say the endpoint is down: connection errors, timeouts, 5xx, unusable replies (429s are waited out, not counted)',
      intOption('--max-consecutive-failures', 1, 1_000_000),
      DEFAULT_MAX_CONSECUTIVE_FAILURES,
    )
    .option(
      '--request-timeout <seconds>',
      `give up a request (a failed attempt: retried, and counted by --max-consecutive-failures) when its reply is not complete after this many seconds, e.g. a server that accepts the connection and never answers (at most ${MAX_REQUEST_TIMEOUT_S})`,
      requestTimeoutOption('--request-timeout'),
      DEFAULT_REQUEST_TIMEOUT_MS / 1000,
    )
    .option('--reask <n>', 'ask again up to n times after an unreadable reply (all replies are kept)', intOption('--reask', 0, 100), 0)
    .option('--shard <k/n>', 'only rows with row % n = k − 1 (split a job across machines; join with `annotate merge`)')
    .option('--batch', 'use the OpenAI Batch API (upload JSONL, create, poll, ingest) — the cheap way to do millions')
    .option('--poll-interval <ms>', 'batch: milliseconds between status polls (at most 2147483647, the longest timer)', intOption('--poll-interval', 1, 2 ** 31 - 1), 30000)
    .option('--resume', 'continue an existing journal (only pending and failed rows are asked)')
    .option('--no-cache', 'ask again even when an identical request is already in the journal (for repeated-measures designs)')
    .option('--price <in,out>', 'USD per 1M prompt,completion tokens for the cost estimate')
    .option('--json', 'print the summary as JSON')
    .action(async (o: AnnotateCliOptions) => {
      for (const [flag, v] of [['--base-url', o.baseUrl], ['--model', o.model], ['--concepts', o.concepts], ['--triplets', o.triplets], ['--journal', o.journal]] as const) {
        if (!v) throw new InvalidArgumentError(flag, 'a value (required to annotate)');
      }
      const mode = oneOf<AnnotationMode>('--mode', o.mode, ['text', 'vision']);
      const answerFormat = oneOf<AnswerFormat>('--answer-format', o.answerFormat, ['free', 'json-schema', 'tool']);
      const imageLayout = oneOf<ImageLayout>('--image-layout', o.imageLayout, ['composite', 'separate']);
      if (mode === 'vision' && !o.images) throw new InvalidArgumentError('--images', 'a directory of concept images in vision mode');
      const concepts = loadThingsDirectory(o.concepts);
      const triplets = readTripletsFile(o.triplets, concepts.concepts.length);
      const options: Omit<AnnotateOptions, 'signal'> = {
        baseUrl: o.baseUrl,
        model: o.model,
        apiKeyEnv: o.apiKeyEnv ?? (process.env.OPENAI_API_KEY ? 'OPENAI_API_KEY' : undefined),
        concepts,
        triplets,
        journalFile: o.journal,
        mode,
        imagesDir: o.images,
        imageLayout,
        ...(o.saveImages !== undefined ? { saveImagesDir: o.saveImages } : {}),
        prompt: resolvePrompt(o.prompt ?? defaultPrompt(mode, imageLayout), mode),
        answerFormat,
        temperature: o.temperature,
        maxTokens: o.maxTokens,
        seed: o.seed,
        concurrency: o.concurrency,
        rpm: o.rpm,
        tpm: o.tpm,
        maxAttempts: o.maxAttempts,
        maxConsecutiveFailures: o.maxConsecutiveFailures,
        timeoutMs: o.requestTimeout * 1000,
        reask: o.reask,
        shard: o.shard ? parseShard(o.shard) : undefined,
        resume: Boolean(o.resume),
        cache: o.cache,
        price: o.price ? parsePrice(o.price) : undefined,
        onProgress: progressRenderer(io, Boolean(o.json)),
      };
      // Ctrl-C / SIGTERM stop cleanly at any moment (a request, a back-off or rate-limit wait, a breaker
      // pause, the preflight): in-flight rows stay pending, the journal is flushed; `--resume` continues.
      const summary = await whileInterruptible<JournalStanding & { aborted: boolean }>(
        (sig) => `annotate: interrupted by ${sig}; rows not yet answered stay pending — continue with --resume`,
        (signal) => (o.batch ? annotateBatch({ ...options, signal, pollIntervalMs: o.pollInterval }) : annotate({ ...options, signal })),
      );
      printResult(io, Boolean(o.json), summary, () => {
        const s = summary;
        return `${o.journal}: ${s.answered} answered, ${s.unparsed} unparsed, ${s.failed} failed, ${s.pending} pending of ${s.total}`;
      });
      if (summary.aborted) {
        throw new InvalidArgumentError('annotate', 'to finish; it was interrupted (continue with --resume)');
      }
      // The rule: a call that asked ≥ 1 row and got no answer (every reply unparsed, or every request
      // failed) is a failure, not "0 answered" with exit 0.
      const direct = 'run' in summary ? (summary as AnnotateSummary) : undefined;
      if (direct && direct.todo > 0 && direct.run.answered === 0 && direct.run.unparsed + direct.run.failed > 0) {
        throw new NothingAnsweredError(o.journal, direct.run.unparsed + direct.run.failed, direct.run.unparsed, direct.run.failed);
      }
    });

  cmd
    .command('export')
    .description('write a journal\'s answers: SPoSE triplets (odd one out last), or CSV/JSONL with the raw replies')
    .requiredOption('--journal <file>', 'the journal')
    .requiredOption('--out <file>', 'output file (a directory with --split)')
    .option('--format <format>', 'spose | csv | jsonl', 'spose')
    .option('--split <rows>', 'SPoSE: the first ROWS input rows to train.txt, the rest to validation.txt (as the input lists)', intOption('--split', 1))
    .option('--allow-incomplete', 'SPoSE: export although rows are pending or failed (they are left out)')
    .option('--json', 'print the result as JSON')
    .action((o: { journal: string; out: string; format: string; split?: number; allowIncomplete?: boolean; json?: boolean }) => {
      const format = oneOf('--format', o.format, ['spose', 'csv', 'jsonl'] as const);
      const split = o.split === undefined ? undefined : [{ name: 'train.txt', rows: o.split }, { name: 'validation.txt', rows: Number.MAX_SAFE_INTEGER }];
      const r = exportJournal(o.journal, { out: o.out, format, split, allowIncomplete: Boolean(o.allowIncomplete) });
      printResult(io, Boolean(o.json), r, () => r.files.map((f) => `wrote ${f.rows} rows to ${f.file}`).join('\n'));
    });

  cmd
    .command('merge')
    .description('join the journals of shards (--shard k/n) into one')
    .argument('<journals...>', 'shard journals')
    .requiredOption('--out <file>', 'the merged journal (must not exist)')
    .option('--json', 'print the result as JSON')
    .action((journals: string[], o: { out: string; json?: boolean }) => {
      const r = mergeJournals(journals, o.out);
      printResult(io, Boolean(o.json), r, () => `merged ${journals.length} journals into ${o.out}`);
    });

  cmd
    .command('summary')
    .description('parse rate, retries, tokens and cost, position bias, and agreement with another observer')
    .requiredOption('--journal <file>', 'the journal')
    .option('--compare <file>', 'another observer\'s answers to the same input list (SPoSE text, row-aligned)')
    .option('--price <in,out>', 'USD per 1M prompt,completion tokens')
    .option('--json', 'print the result as JSON')
    .action((o: { journal: string; compare?: string; price?: string; json?: boolean }) => {
      const compareWith = o.compare ? readAnsweredFile(o.compare).triplets : undefined;
      const s = summarizeJournal(o.journal, { compareWith, price: o.price ? parsePrice(o.price) : undefined });
      printResult(io, Boolean(o.json), s, () =>
        [
          `${s.file}: ${s.answered} answered, ${s.unparsed} unparsed, ${s.failed} failed, ${s.pending} pending of ${s.total} (parse rate ${(100 * s.parseRate).toFixed(2)}%)`,
          `retries ${s.retries}, tokens ${s.promptTokens} in / ${s.completionTokens} out` + (s.costUsd !== undefined ? `, ≈ $${s.costUsd.toFixed(2)}` : ''),
          s.agreement ? `agreement with ${o.compare}: ${(100 * s.agreement.fraction).toFixed(2)}% (${s.agreement.agree} of ${s.agreement.total})` : '',
        ].filter(Boolean).join('\n'),
      );
    });
}
