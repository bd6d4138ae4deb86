/**
 * `conceptlab run --design adaptive` (issue 15) end to end against a real OpenAI-compatible server: sim-server's
 * `startServer` in this process (word-vectors observer on the built-in concepts, so the answers carry signal; a
 * few ms of latency so a round takes long enough to be killed midway), counting the requests it receives.
 * An uninterrupted run is checked file by file; a second run is killed (SIGKILL) while round 2 is annotating and
 * run again: it finishes, skips what was done, asks no question twice and ends with the same design and numbers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadThingsDirectory } from '@conceptlab/core';
import { summarizeJournal } from '@conceptlab/llm-annotator';
import { startServer, wordVectorObserver, type RunningServer } from '@conceptlab/sim-server';
import { sampleUniform } from '@conceptlab/triplet-sampler';
import { expectOneLineError, runAsync, runThenTerm, tempDir } from './run-cli.js';

const BUILTIN = join(__dirname, '..', 'concepts', 'everyday150');
const dir = tempDir();
let server: RunningServer;
beforeAll(async () => {
  const concepts = loadThingsDirectory(BUILTIN);
  server = await startServer({ concepts, observer: wordVectorObserver(concepts.concepts), seed: 0, faults: { latencyMs: 5 } });
});
afterAll(() => server?.close());

const BUDGET = 3000, ROUNDS = 3, VALIDATION = 300, PER_ROUND = 900;
const args = (out: string) => [
  'run', '--concepts', BUILTIN, '--base-url', server.url, '--model', 'word-vectors',
  '--design', 'adaptive', '--budget', String(BUDGET), '--rounds', String(ROUNDS), '--ensemble', '2',
  '--dims', '10', '--epochs', '20', '--batch', '100', '--seeds', '2', '--concurrency', '2', '--out', out,
];

interface Round {
  round: number;
  asked: number;
  askedSoFar: number;
  fit: { trainedOn: number; members: { seed: number; dims: number }[]; warmStart: boolean; heldOutAccuracy: number } | null;
  selection: { rule: string; meanScore: number | null; poolMeanScore: number | null; overCap: number } | null;
  annotation: { answered: number; total: number; promptTokens: number; completionTokens: number };
}
interface Result {
  design: { objects: number; train: number; validation: number; method: string; heldOut: string; budget: number; rounds: Round[]; annotation: { answered: number; promptTokens: number } };
  annotation: { answered: number; total: number };
  heldOut: { accuracy: number; count: number };
  fit: { seed: number; dims: number; valAccuracy: number }[];
  merged: { dims: number };
  stages: Record<string, { skipped: boolean }>;
  report: { dims: string };
}

/** The rows of a SPoSE text file of object sets, each as its sorted set. */
const sets = (f: string) => readFileSync(f, 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number).sort((a, b) => a - b).join(' '));
const rows = (f: string) => readFileSync(f, 'utf8').trim().split('\n');
const roundDir = (out: string, k: number) => join(out, 'rounds', `round-${k}`);

const whole = join(dir, 'whole');
let first: Result;

describe('conceptlab run --design adaptive against a real server', () => {
  test('every round is kept; no set is asked twice; the validation set is uniform and disjoint; results.json has each round', async () => {
    const before = server.stats();
    const r = await runAsync([...args(whole), '--json']);
    expect(r.code).toBe(0);
    first = JSON.parse(r.stdout) as Result;
    // one question per set: the budget exactly (and one GET /models preflight per round)
    expect(server.stats().answered - before.answered).toBe(BUDGET);
    expect(server.stats().requests - before.requests).toBe(BUDGET + ROUNDS);

    // every round's triplets, answers and fit are kept
    for (const f of ['design.txt', 'answers.txt', 'validation.txt']) expect(existsSync(join(roundDir(whole, 0), f))).toBe(true);
    for (let k = 1; k < ROUNDS; k++) {
      for (const f of ['design.txt', 'select.json', 'annotations.sqlite', 'answers.txt', 'fit/seed-0/embedding.npy', 'fit/seed-1/embedding.npy', 'fit/seed-0/checkpoint.json']) {
        expect(existsSync(join(roundDir(whole, k), f))).toBe(true);
      }
      expect(rows(join(roundDir(whole, k), 'design.txt'))).toHaveLength(PER_ROUND);
      expect(rows(join(roundDir(whole, k), 'answers.txt'))).toHaveLength(PER_ROUND);
    }
    for (const s of ['sample', 'round-0', 'round-1', 'round-2', 'annotate', 'fit', 'evaluate', 'report']) expect(first.stages[s]).toEqual({ seconds: expect.any(Number), skipped: false });

    // no set asked twice: the rounds and the validation set, all distinct, the budget in all
    const validation = sets(join(whole, 'rounds', 'validation-design.txt'));
    const all = [...validation, ...Array.from({ length: ROUNDS }, (_, k) => sets(join(roundDir(whole, k), 'design.txt'))).flat()];
    expect(all).toHaveLength(BUDGET);
    expect(new Set(all).size).toBe(BUDGET);
    // the validation set (and round 0) is one uniform draw of distinct sets: exactly sampleUniform's rows, never chosen by the model
    const uniform = sampleUniform({ nObjects: 150, count: PER_ROUND + VALIDATION, seed: 0 });
    const asText = (t: { data: Int32Array }, from: number, to: number) => Array.from({ length: to - from }, (_, i) => Array.from(t.data.subarray(3 * (from + i), 3 * (from + i) + 3)).join(' '));
    expect(rows(join(whole, 'rounds', 'validation-design.txt'))).toEqual(asText(uniform, PER_ROUND, PER_ROUND + VALIDATION));
    expect(rows(join(roundDir(whole, 0), 'design.txt'))).toEqual(asText(uniform, 0, PER_ROUND));
    // the run's usual files: design.txt every set (training rows in round order, then validation), train.txt every round's answers
    expect(rows(join(whole, 'design.txt'))).toEqual([...Array.from({ length: ROUNDS }, (_, k) => rows(join(roundDir(whole, k), 'design.txt'))).flat(), ...rows(join(whole, 'rounds', 'validation-design.txt'))]);
    expect(rows(join(whole, 'answers', 'train.txt'))).toEqual(Array.from({ length: ROUNDS }, (_, k) => rows(join(roundDir(whole, k), 'answers.txt'))).flat());
    expect(rows(join(whole, 'answers', 'validation.txt'))).toEqual(rows(join(roundDir(whole, 0), 'validation.txt')));

    // results.json: the design named, the held-out set said, each round with its fit, selection and tokens
    const d = first.design;
    expect(d).toMatchObject({ objects: 150, train: BUDGET - VALIDATION, validation: VALIDATION, budget: BUDGET, method: 'adaptive (ours): information-gain, 3 rounds, ensemble 2' });
    expect(d.heldOut).toMatch(/^the uniform validation set/);
    expect(d.rounds.map((q) => [q.round, q.asked, q.askedSoFar])).toEqual([[0, PER_ROUND, PER_ROUND + VALIDATION], [1, PER_ROUND, 2 * PER_ROUND + VALIDATION], [2, PER_ROUND, BUDGET]]);
    expect(d.rounds[0]).toMatchObject({ fit: null, selection: null, annotation: { answered: PER_ROUND + VALIDATION, total: PER_ROUND + VALIDATION } });
    for (const q of d.rounds.slice(1)) {
      expect(q.fit!.trainedOn).toBe(q.round * PER_ROUND);
      expect(q.fit!.members.map((m) => m.seed)).toEqual([0, 1]);
      expect(q.fit!.warmStart).toBe(q.round > 1);
      // the answers carry signal: well above chance (1/3) on the held-out uniform set
      expect(q.fit!.heldOutAccuracy).toBeGreaterThan(0.42);
      expect(q.selection).toMatchObject({ rule: 'information-gain', overCap: 0 });
      // the rule chose more informative sets than the pool it chose from
      expect(q.selection!.meanScore!).toBeGreaterThan(q.selection!.poolMeanScore!);
      expect(q.annotation).toMatchObject({ answered: PER_ROUND, total: PER_ROUND });
    }
    for (const q of d.rounds) expect(q.annotation.promptTokens).toBeGreaterThan(0);
    expect(d.annotation.promptTokens).toBe(d.rounds.reduce((s, q) => s + q.annotation.promptTokens, 0));
    expect(first.annotation).toMatchObject({ answered: BUDGET, total: BUDGET });
    expect(first.heldOut.count).toBe(VALIDATION);
    expect(first.heldOut.accuracy).toBeGreaterThan(0.45);
    // the report names the design and the held-out set
    const facts = (JSON.parse(readFileSync(first.report.dims, 'utf8')) as { facts: { rows: [string, string][] }[] }).facts;
    expect(facts[0]!.rows.find(([k]) => k === 'design')?.[1]).toMatch(/^adaptive \(ours\): information-gain, 3 rounds, ensemble 2; every held-out number above is on the uniform validation set/);
    expect(facts[1]!.rows).toEqual(expect.arrayContaining([['design.adaptive.budget', '3000'], ['design.adaptive.rule', 'information-gain']]));
  }, 180_000);

  test('killed while round 2 is annotating: the same command finishes, skips rounds 0 and 1, asks no answered row again, and ends as the uninterrupted run', async () => {
    const out = join(dir, 'killed');
    const killed = await runThenTerm([...args(out), '--json'], {
      signal: 'SIGKILL',
      ready: (stderr) => {
        let round2 = false;
        for (const l of stderr.split('\n')) {
          if (l.startsWith('{"stage":"round-2","status":"start"')) round2 = true;
          else if (round2 && l.startsWith('{"progress"') && l.endsWith('}')) {
            const e = (JSON.parse(l) as { progress: { task: string; done: number } }).progress;
            if (e.task === 'annotate' && e.done >= 50) return true;
          }
        }
        return false;
      },
    });
    expect(killed.code).toBeNull();
    expect(existsSync(join(out, 'stages', 'round-1.json'))).toBe(true);
    expect(existsSync(join(out, 'stages', 'round-2.json'))).toBe(false);
    const journal = summarizeJournal(join(roundDir(out, 2), 'annotations.sqlite'));
    expect(journal.total).toBe(PER_ROUND);
    expect(journal.answered).toBeGreaterThan(0);
    expect(journal.answered).toBeLessThan(PER_ROUND);

    // A request the killed process had sent may still be answered by the server (5 ms latency) after the kill:
    // count from when the server's counters have settled, so that answer is not taken for a repeated row.
    const before = await settledAnswered();
    const r = await runAsync([...args(out), '--json']);
    expect(r.code).toBe(0);
    // only round 2's unanswered rows were asked
    expect(server.stats().answered - before).toBe(PER_ROUND - journal.answered);
    const again = JSON.parse(r.stdout) as Result;
    for (const s of ['sample', 'round-0', 'round-1']) {
      expect(again.stages[s]!.skipped).toBe(true);
      expect(r.stderr).toContain(`{"stage":"${s}","status":"skipped"`);
    }
    expect(again.stages['round-2']!.skipped).toBe(false);
    expect(summarizeJournal(join(roundDir(out, 2), 'annotations.sqlite'))).toMatchObject({ answered: PER_ROUND, pending: 0 });

    // the same design files and the same numbers as the uninterrupted run
    for (const f of ['design.txt', 'answers/train.txt', 'answers/validation.txt', 'rounds/validation-design.txt', ...Array.from({ length: ROUNDS }, (_, k) => `rounds/round-${k}/design.txt`)]) {
      expect([f, readFileSync(join(out, f), 'utf8')]).toEqual([f, readFileSync(join(whole, f), 'utf8')]);
    }
    const deterministic = (x: Result) => ({
      rounds: x.design.rounds.map(({ annotation: _a, ...q }) => q),
      heldOut: x.heldOut,
      fit: x.fit,
      merged: x.merged,
      annotation: x.annotation,
    });
    expect(deterministic(again)).toEqual(deterministic(first));

    // the human headline: one line on the design
    const text = await runAsync(['run', '--out', out]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^design: adaptive \(ours\): information-gain, 3 rounds, ensemble 2 — 3000 triplets asked \(2700 training in rounds of 900 \+ 900 \+ 900, 300 uniform validation\); held out: the uniform validation set, never chosen by the model; member 0's held-out accuracy by round: \d+\.\d% after 900, \d+\.\d% after 1800$/m);
  }, 240_000);
});

describe('conceptlab run --design adaptive refuses bad flags before writing or asking', () => {
  const base = (out: string) => ['run', '--concepts', BUILTIN, '--base-url', server.url, '--model', 'word-vectors', '--out', out];
  const cases: [string, string[], RegExp][] = [
    ['--budget without --design adaptive', ['--triplets', '1000', '--budget', '1000'], /--budget: expected goes with --design adaptive/],
    ['--rounds with a design file', ['--design', join(dir, 'no-such-design.txt'), '--rounds', '3'], /--rounds: expected goes with --design adaptive/],
    ['--triplets with --design adaptive', ['--design', 'adaptive', '--budget', '3000', '--rounds', '3', '--triplets', '100'], /--triplets: expected not with --design adaptive/],
    ['--design adaptive without --budget', ['--design', 'adaptive', '--rounds', '3'], /--budget: expected the answered triplets to pay for in total/],
    ['a budget too small for the validation set and the rounds', ['--design', 'adaptive', '--budget', '12', '--rounds', '20'], /--budget \(design\.adaptive\.budget\): expected at least the 1 validation triplets \+ 1 triplet in each of the 20 rounds \(21\)/],
    ['a budget beyond the distinct sets', ['--design', 'adaptive', '--budget', '1000000', '--rounds', '3'], /--budget \(design\.adaptive\.budget\): expected an integer in \[1, 551,300\]/],
    ['information-gain with one fit', ['--design', 'adaptive', '--budget', '3000', '--rounds', '3', '--ensemble', '1'], /--ensemble \(design\.adaptive\.ensemble\): expected at least 2 fits per round with --rule information-gain/],
    ['an unknown rule', ['--design', 'adaptive', '--budget', '3000', '--rounds', '3', '--rule', 'greedy'], /--rule: expected uniform, coverage, uncertainty, information-gain, got "greedy"/],
    ['--initial leaving a round empty', ['--design', 'adaptive', '--budget', '3000', '--rounds', '3', '--initial', '2699'], /--initial \(design\.adaptive\.initial\): expected at most 2698/],
    ['a batch larger than round 0', ['--design', 'adaptive', '--budget', '3000', '--rounds', '3', '--batch', '1000'], /--batch \(design\.adaptive\.roundBatchSize\): expected at most the 900 training triplets of round 0/],
  ];
  test.each(cases)('%s', async (_name, extra, pattern) => {
    const out = join(dir, `bad-${Math.random().toString(36).slice(2)}`);
    const before = server.stats().requests;
    const t0 = performance.now();
    const r = await runAsync([...base(out), ...extra]);
    expectOneLineError(r, performance.now() - t0, new RegExp(`^conceptlab: error: .*${pattern.source}`));
    expect(existsSync(out)).toBe(false);
    expect(server.stats().requests - before).toBe(0);
  });
});

/** The server's answered count once its counters have not moved for 250 ms (50× its latency). */
async function settledAnswered(): Promise<number> {
  let last = JSON.stringify(server.stats());
  for (let quiet = 0; quiet < 250; quiet += 25) {
    await new Promise((r) => setTimeout(r, 25));
    const now = JSON.stringify(server.stats());
    if (now !== last) {
      last = now;
      quiet = -25;
    }
  }
  return server.stats().answered;
}
