// Benchmark: `annotate` throughput and client overhead against a local `conceptlab serve` engine.
// Uses the BUILT packages (run `npm run build` first). Prints ONE JSON object.
//
// The server runs in a child process (its own core; `conceptlab demo` runs it on a worker thread, see demo-annotate.bench.mjs), with a simulated argmax observer over a random
// embedding of the 1,854 THINGS concepts (../shared/data/things, or $CONCEPTLAB_DATA/things; synthetic
// concepts when absent). The client annotates BENCH_TRIPLETS random triplets at BENCH_CONCURRENCY into a
// fresh journal, with the paper's text prompt and free-text answers.
//
//   node annotate.bench.mjs                                  (from tools/bench)
//   BENCH_TRIPLETS=50000 BENCH_CONCURRENCY=128 node annotate.bench.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { machine } from './bench-utils.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const pkgDist = join(here, '../../packages/llm-annotator/dist');
const serverDist = join(here, '../../packages/sim-server/dist');
const coreDist = join(here, '../../packages/core/dist/index.js');
const count = Number(process.env.BENCH_TRIPLETS ?? 20000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const seed = Number(process.env.BENCH_SEED ?? 1);
const dataDir = process.env.CONCEPTLAB_DATA ?? join(here, '../../../shared/data');
const thingsDir = join(dataDir, 'things');

for (const [dist, name] of [[pkgDist, 'llm-annotator'], [serverDist, 'sim-server']]) {
  if (!existsSync(join(dist, 'index.js'))) {
    console.error(`${dist}/index.js is missing: build @conceptlab/${name} first`);
    process.exit(1);
  }
}

// Concepts and embedding: the same code in both processes (deterministic from the seed).
const setupSource = `
import { createRng, loadThingsDirectory, conceptPrompt } from ${JSON.stringify(pathToFileURL(coreDist).href)};
import { existsSync } from 'node:fs';
export function setup(thingsDir, seed) {
  let concepts;
  if (existsSync(thingsDir + '/things_concepts.tsv')) concepts = loadThingsDirectory(thingsDir);
  else {
    const rng = createRng(seed, 2);
    const syl = (k) => { let s = ''; for (let i = 0; i < k; i++) s += 'bdfgklmnprstvz'[rng.nextInt(14)] + 'aeiou'[rng.nextInt(5)]; return s; };
    const seen = new Set(); const list = [];
    while (list.length < 1854) {
      const word = syl(3); if (seen.has(word)) continue; seen.add(word);
      const definition = 'a ' + syl(2) + ' thing kept in ' + syl(3) + ' places';
      list.push({ index: list.length, id: word + '_' + list.length, word, definition, prompt: conceptPrompt(word, definition) });
    }
    concepts = { concepts: list, source: 'synthetic' };
  }
  const n = concepts.concepts.length, dims = 49;
  const rng = createRng(seed, 3);
  const data = new Float64Array(n * dims);
  for (let i = 0; i < data.length; i++) data[i] = Math.abs(rng.nextNormal());
  return { concepts, embedding: { rows: n, cols: dims, data } };
}`;
const setupUrl = `data:text/javascript,${encodeURIComponent(setupSource)}`;
const { setup } = await import(setupUrl);

const serverSource = `
const { setup } = await import(${JSON.stringify(setupUrl)});
const { startServer, simObserver } = await import(${JSON.stringify(pathToFileURL(join(serverDist, 'index.js')).href)});
const { concepts, embedding } = setup(${JSON.stringify(thingsDir)}, ${seed});
const server = await startServer({ concepts, observer: simObserver(embedding, { argmax: true }), port: 0 });
const t0 = process.cpuUsage();
console.log(JSON.stringify({ url: server.url }));
process.stdin.on('data', async () => {
  const cpu = process.cpuUsage(t0);
  console.log(JSON.stringify({ stats: server.stats(), cpuMs: (cpu.user + cpu.system) / 1000 }));
  await server.close();
  process.exit(0);
});`;

const child = spawn(process.execPath, ['--input-type=module', '-e', serverSource], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout });
const nextLine = () => new Promise((resolve, reject) => {
  lines.once('line', (l) => resolve(JSON.parse(l)));
  child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
const { url } = await nextLine();

const { annotate, resolvePrompt } = await import('@conceptlab/llm-annotator');
const { createRng } = await import('@conceptlab/core');
const { concepts } = setup(thingsDir, seed);
const n = concepts.concepts.length;
const rng = createRng(seed, 4);
const data = new Int32Array(count * 3);
for (let t = 0; t < count; t++) data.set(rng.sampleWithoutReplacement(n, 3), 3 * t);

const dir = mkdtempSync(join(tmpdir(), 'annotate-bench-'));
const journalFile = join(dir, 'bench.sqlite');
try {
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const s = await annotate({
    baseUrl: url,
    model: 'gpt-3.5-turbo',
    concepts,
    triplets: { count, data },
    journalFile,
    mode: 'text',
    prompt: resolvePrompt('du2024-text', 'text'),
    seed,
    concurrency,
  });
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  child.stdin.write('stats\n');
  const server = await nextLine();
  const bytes = (f) => (existsSync(f) ? statSync(f).size : 0);
  const journalBytes = bytes(journalFile) + bytes(`${journalFile}-wal`);
  const round = (x, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  console.log(JSON.stringify({
    bench: 'annotate',
    concepts: concepts.source === 'synthetic' ? 'synthetic-1854' : 'things-1854',
    triplets: count,
    concurrency,
    answered: s.answered,
    unparsed: s.unparsed,
    failed: s.failed,
    elapsedMs: round(s.elapsedMs, 1),
    answersPerSecond: round(s.rowsPerSecond, 1),
    targetAnswersPerSecond: 1000,
    clientOverheadMsPerRequest: round(s.clientOverheadMs, 4),
    parseMsPerReply: round(s.parseMs, 4),
    clientOverheadExcludingParseMs: round(s.clientOverheadMs - s.parseMs, 4),
    clientCpuMsPerRequest: round((cpu.user + cpu.system) / 1000 / s.run.httpRequests, 4),
    clientEventLoopUtilization: round(elu.utilization, 3),
    serverCpuMsPerRequest: round(server.cpuMs / s.run.httpRequests, 4),
    httpRequests: s.run.httpRequests,
    journalBytes,
    journalBytesPerRow: round(journalBytes / count, 1),
    // the machine is often shared: rates are comparable only at similar load (demo-annotate.bench.mjs runs this bench beside the demo's)
    ...machine(),
    node: process.version,
  }));
} finally {
  child.kill();
  rmSync(dir, { recursive: true, force: true });
}
