// Benchmark: `conceptlab demo`'s annotation — the built-in 150 concepts, the word-vectors observer, the demo's
// request settings (default prompt, temperature 0.01, concurrency 32) — with the local server in this process
// (the demo until issue 14) and on a worker thread (startServerThread, the demo since), alternated in one run,
// beside the annotator's own bench (annotate.bench.mjs: server in a child process) run as a child of this one.
// Uses the BUILT packages (run `npm run build` first). Prints ONE JSON object.
//
//   node demo-annotate.bench.mjs                            (from tools/bench)
//   BENCH_TRIPLETS=20000 BENCH_REPEATS=3 BENCH_ANNOTATOR=0 node demo-annotate.bench.mjs
//
// Each placement's journal must hold the same answers (same rows, choices and replies): `sameAnswers`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadThingsDirectory } from '@conceptlab/core';
import { annotate, DEFAULT_PROMPT, openJournalReadOnly, resolvePrompt } from '@conceptlab/llm-annotator';
import { startServer, startServerThread, wordVectorObserver } from '@conceptlab/sim-server';
import { sampleUniform } from '@conceptlab/triplet-sampler';
import { machine, median } from './bench-utils.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const count = Number(process.env.BENCH_TRIPLETS ?? 20000);
const repeats = Number(process.env.BENCH_REPEATS ?? 2);
const withAnnotator = process.env.BENCH_ANNOTATOR !== '0';
const concepts = loadThingsDirectory(join(here, '../../apps/cli/concepts/everyday150'));
const triplets = sampleUniform({ nObjects: concepts.concepts.length, count, seed: 0 });
const round = (x, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const dir = mkdtempSync(join(tmpdir(), 'demo-annotate-bench-'));

const placements = {
  'in-process': () => startServer({ concepts, observer: wordVectorObserver(concepts.concepts), seed: 0, modelName: 'word-vectors' }),
  thread: () => startServerThread({ concepts, observer: 'word-vectors', seed: 0, modelName: 'word-vectors' }),
};

/** One demo-like annotation of every triplet into a fresh journal; its rate, CPU and answers. */
async function once(placement, k) {
  const server = await placements[placement]();
  const journalFile = join(dir, `${placement}-${k}.sqlite`);
  try {
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const load0 = machine().loadAverage1m;
    const s = await annotate({
      baseUrl: server.url,
      endpointName: 'conceptlab demo (bench)',
      model: 'word-vectors',
      concepts,
      triplets,
      journalFile,
      mode: 'text',
      prompt: resolvePrompt(DEFAULT_PROMPT.text, 'text'),
      temperature: 0.01,
      concurrency: 32,
      maxAttempts: 6,
      seed: 0,
    });
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    if (s.answered !== count) throw new Error(`${placement}: ${s.answered} of ${count} answered`);
    const j = openJournalReadOnly(journalFile);
    const answers = [...j.items()].map((r) => `${r.row}:${r.status}:${r.choicePosition}:${r.rawReply}`).join('\n');
    j.close();
    return {
      answersPerSecond: s.rowsPerSecond,
      // process CPU: with the thread it includes the server's thread
      processCpuMsPerAnswer: (cpu.user + cpu.system) / 1000 / count,
      clientEventLoopUtilization: elu.utilization,
      loadAverage1m: [load0, machine().loadAverage1m],
      answers,
    };
  } finally {
    await server.close();
    rmSync(journalFile, { force: true });
    rmSync(`${journalFile}-wal`, { force: true });
    rmSync(`${journalFile}-shm`, { force: true });
  }
}

try {
  const runs = { 'in-process': [], thread: [] };
  for (let k = 0; k < repeats; k++) for (const p of k % 2 === 0 ? ['in-process', 'thread'] : ['thread', 'in-process']) runs[p].push(await once(p, k));
  const all = [...runs['in-process'], ...runs.thread];
  const sameAnswers = all.every((r) => r.answers === all[0].answers);
  const summary = (rs) => ({
    answersPerSecond: round(median(rs.map((r) => r.answersPerSecond)), 1),
    runs: rs.map((r) => round(r.answersPerSecond, 1)),
    processCpuMsPerAnswer: round(median(rs.map((r) => r.processCpuMsPerAnswer)), 4),
    clientEventLoopUtilization: round(median(rs.map((r) => r.clientEventLoopUtilization)), 3),
    loadAverage1m: rs.map((r) => r.loadAverage1m),
  });
  const inProcess = summary(runs['in-process']);
  const thread = summary(runs.thread);
  let annotator = null;
  if (withAnnotator) {
    // The annotator's own bench at the same size, now (its server in a child process, 1,854 concepts, concurrency 64).
    const r = spawnSync(process.execPath, [join(here, 'annotate.bench.mjs')], { env: { ...process.env, BENCH_TRIPLETS: String(count) }, encoding: 'utf8' });
    annotator = r.status === 0 ? JSON.parse(r.stdout.trim().split('\n').pop()) : { error: r.stderr.trim().split('\n').pop() };
  }
  console.log(JSON.stringify({
    bench: 'demo-annotate',
    concepts: 'everyday150',
    observer: 'word-vectors',
    triplets: count,
    concurrency: 32,
    repeats,
    inProcess,
    thread,
    threadOverInProcess: round(thread.answersPerSecond / inProcess.answersPerSecond, 2),
    sameAnswers,
    ...(annotator ? {
      annotatorBench: annotator.answersPerSecond === undefined ? annotator : { answersPerSecond: annotator.answersPerSecond, concurrency: annotator.concurrency, clientCpuMsPerRequest: annotator.clientCpuMsPerRequest, serverCpuMsPerRequest: annotator.serverCpuMsPerRequest },
      threadOverAnnotatorBench: annotator.answersPerSecond ? round(thread.answersPerSecond / annotator.answersPerSecond, 2) : null,
    } : {}),
    ...machine(),
    node: process.version,
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
