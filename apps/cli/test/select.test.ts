import { existsSync, mkdirSync, readFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy, readTripletText, tripletsToRows, writeNpy, writeNpyMatrix, writeTripletText } from '@conceptlab/core';
import { answerByEmbedding, sampleUniform } from '@conceptlab/triplet-sampler';
import { plantedEmbedding } from './planted-embedding.js';
import { expectOneLineError, runCli, runJson, snapshot, tempDir, writeText } from './run-cli.js';

interface SelectJson {
  rule: string;
  selection: string | null;
  count: number;
  objects: number;
  seed: number;
  temperature: number | null;
  poolSize: number;
  maxPerObject: number | null;
  overCap: number;
  meanScore: number | null;
  poolMeanScore: number | null;
  scoreUnit: string | null;
  asked: { files: string[]; triplets: number; distinctSets: number };
  ensemble: { from: Record<string, unknown>; size: number; dims: number[]; files: string[] } | null;
  out: string;
}

/** A row as its sorted set, "a b c". */
const key = (r: readonly number[]) => [...r].sort((a, b) => a - b).join(' ');
/** Every set of n objects, as keys. */
function allSets(n: number): string[] {
  const out: string[] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) for (let c = b + 1; c < n; c++) out.push(`${a} ${b} ${c}`);
  return out;
}
function readRows(file: string): number[][] {
  return tripletsToRows(readTripletText(file));
}

describe('conceptlab select', () => {
  const dir = tempDir();
  // 6 objects: 20 sets. 15 of them asked (10 in a text file, 5 in an .npy); 5 are left.
  const n6 = 6;
  const askedAll = sampleUniform({ nObjects: n6, count: 15, seed: 3 });
  const askedText = join(dir, 'asked.txt');
  const askedNpy = join(dir, 'asked.npy');
  writeTripletText(askedText, { count: 10, data: askedAll.data.slice(0, 30) });
  // An int32 (count × 3) array, as `conceptlab sample --out X.npy` writes it.
  writeNpy(askedNpy, { dtype: 'i4', shape: [5, 3], data: askedAll.data.slice(30) });
  const left = allSets(n6).filter((s) => !tripletsToRows(askedAll).map(key).includes(s));
  const emb6 = join(dir, 'emb6.npy');
  writeNpyMatrix(emb6, plantedEmbedding(n6, 2, 1));
  const emb6b = join(dir, 'emb6b.npy');
  writeNpyMatrix(emb6b, plantedEmbedding(n6, 2, 2));

  test.each([
    ['uniform', []],
    ['coverage', []],
    ['uncertainty', ['--embedding', emb6]],
    ['information-gain', ['--embedding', `${emb6},${emb6b}`]],
  ])('%s never repeats an asked set: with 5 of 20 sets left, a batch of 5 is exactly them', (rule, extra) => {
    const out = join(dir, `left-${rule}.txt`);
    const r = runJson<SelectJson>(['select', '--rule', rule, '--count', '5', '--objects', '6', '--asked', `${askedText},${askedNpy}`, ...extra, '--out', out]);
    expect(r.asked).toEqual({ files: [askedText, askedNpy], triplets: 15, distinctSets: 15 });
    expect(readRows(out).map(key).sort()).toEqual([...left].sort());
    // Smaller batches: only sets that were not asked, each once.
    const part = join(dir, `part-${rule}.txt`);
    runJson(['select', '--rule', rule, '--count', '3', '--objects', '6', '--asked', `${askedText},${askedNpy}`, ...extra, '--seed', '4', '--out', part]);
    const keys = readRows(part).map(key);
    expect(new Set(keys).size).toBe(3);
    for (const k of keys) expect(left).toContain(k);
  });

  // 30 objects on 5 planted dims; B differs from A only in object 7's row.
  const n = 30;
  const a = plantedEmbedding(n, 5, 11);
  const bData = a.data.slice();
  bData.fill(0, 7 * 5, 8 * 5);
  bData[7 * 5 + 3] = 2; // object 7 on dim 3 in B (dims 2 and 3 in A)
  const embA = join(dir, 'a.npy'), embB = join(dir, 'b.txt');
  writeNpyMatrix(embA, a);
  writeText(dir, 'b.txt', Array.from({ length: n }, (_, i) => Array.from(bData.subarray(5 * i, 5 * i + 5)).join(' ')).join('\n') + '\n');

  test('information-gain with two embeddings that disagree only about object 7 picks sets with object 7', () => {
    const out = join(dir, 'ig.txt');
    // The whole space as the pool (C(30, 3) = 4,060) and no cap on object 7: every set without it scores 0.
    const r = runJson<SelectJson>(['select', '--rule', 'information-gain', '--count', '20', '--embedding', `${embA},${embB}`, '--pool', '4060', '--max-per-object', '20', '--out', out]);
    expect(r).toMatchObject({ rule: 'information-gain', selection: 'top', count: 20, objects: 30, poolSize: 4060, maxPerObject: 20, overCap: 0, temperature: 1, scoreUnit: 'nats' });
    expect(r.ensemble).toEqual({ from: { embedding: [embA, embB] }, size: 2, dims: [5, 5], files: [embA, embB] });
    const rows = readRows(out);
    expect(rows).toHaveLength(20);
    for (const row of rows) expect(row).toContain(7);
    expect(r.meanScore!).toBeGreaterThan(0);
    // Most of the pool holds no object 7 (score 0): the pool's mean is far below the batch's.
    expect(r.poolMeanScore!).toBeLessThan(r.meanScore! / 5);
    // The same ensemble with the default cap spreads the batch: object 7 in at most ⌈2·3·20/30⌉ = 4 sets.
    const capped = runJson<SelectJson>(['select', '--rule', 'information-gain', '--count', '20', '--embedding', `${embA},${embB}`, '--pool', '4060', '--out', join(dir, 'ig-capped.txt')]);
    expect(capped.maxPerObject).toBe(4);
    expect(readRows(join(dir, 'ig-capped.txt')).filter((row) => row.includes(7))).toHaveLength(4);
  });

  test('reproducible for a seed; another seed gives another batch', () => {
    for (const [rule, extra] of [
      ['coverage', ['--objects', '30']],
      ['uncertainty', ['--embedding', embA, '--selection', 'stochastic']],
      ['information-gain', ['--embedding', `${embA},${embB}`, '--selection', 'stochastic', '--temperature', '2']],
    ] as const) {
      const f = (s: string, name: string) => {
        const out = join(dir, `${rule}-${name}.npy`);
        runJson(['select', '--rule', rule, '--count', '40', ...extra, '--seed', s, '--out', out]);
        return readFileSync(out);
      };
      const one = f('5', 'one'), two = f('5', 'two'), other = f('6', 'other');
      expect(Buffer.compare(one, two)).toBe(0);
      expect(Buffer.compare(one, other)).not.toBe(0);
      // .npy out: int32 n × 3, as `sample` writes.
      const npy = readNpy(join(dir, `${rule}-one.npy`));
      expect(npy).toMatchObject({ dtype: 'i4', shape: [40, 3] });
    }
  });

  test('--fit DIR reads the seed folders of a real `conceptlab fit` run, in seed order', () => {
    const train = join(dir, 'train.txt');
    writeTripletText(train, answerByEmbedding(sampleUniform({ nObjects: n, count: 2000, seed: 1 }), a, { seed: 2 }));
    const fitDir = join(dir, 'fit');
    const fit = runJson<{ runs: { seed: number; dims: number }[] }>(['fit', '--train', train, '--objects', '30', '--dims', '8', '--lambda', '0.004', '--lr', '0.01', '--epochs', '10', '--batch', '100', '--seeds', '3,1', '--threads', '1', '--out', fitDir]);
    const out = join(dir, 'from-fit.txt');
    const r = runJson<SelectJson>(['select', '--rule', 'information-gain', '--count', '50', '--fit', fitDir, '--asked', train, '--out', out]);
    const files = [join(fitDir, 'seed-1', 'embedding.npy'), join(fitDir, 'seed-3', 'embedding.npy')];
    expect(r.ensemble).toEqual({ from: { fit: fitDir }, size: 2, dims: [1, 3].map((s) => fit.runs.find((x) => x.seed === s)!.dims), files });
    expect(r).toMatchObject({ objects: 30, count: 50, poolSize: 500, asked: { files: [train], triplets: 2000 } });
    const asked = new Set(readRows(train).map(key));
    const keys = readRows(out).map(key);
    expect(new Set(keys).size).toBe(50);
    for (const k of keys) expect(asked.has(k)).toBe(false);
    // The human line: count, rule, mean score vs the pool's, over-cap rows, → out.
    const human = runCli(['select', '--rule', 'uncertainty', '--count', '50', '--fit', fitDir, '--asked', train, '--out', join(dir, 'from-fit2.txt')]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^selected 50 new sets of 30 objects by uncertainty \\(top, 2 members\\): mean score \\d\\.\\d{4} nats vs \\d\\.\\d{4} in the pool of 500, 0 over the per-object cap of 10; ${r.asked.distinctSets.toLocaleString('en-US')} asked before → ${out.replace('from-fit', 'from-fit2').replace(/[.]/g, '\\.')}\\n$`));
    // A seed folder without its embedding (an unfinished run) is an error, not a smaller ensemble.
    const partial = join(dir, 'partial');
    mkdirSync(join(partial, 'seed-0'), { recursive: true });
    mkdirSync(join(partial, 'seed-2'), { recursive: true });
    copyFileSync(files[0], join(partial, 'seed-0', 'embedding.npy'));
    const bad = runCli(['select', '--rule', 'uncertainty', '--count', '5', '--fit', partial, '--out', join(dir, 'never-partial.txt')]);
    expectOneLineError(bad, 0, new RegExp(`^conceptlab: error: ${join(partial, 'seed-2', 'embedding.npy')}: cannot read: no such file \\(an unfinished or failed run`));
    expect(existsSync(join(dir, 'never-partial.txt'))).toBe(false);
  });

  test('--json: the batch summary without the arrays', () => {
    const out = join(dir, 'json.txt');
    const r = runJson<SelectJson>(['select', '--rule', 'uncertainty', '--count', '10', '--embedding', embA, '--asked', askedText, '--seed', '2', '--out', out]);
    expect(Object.keys(r).sort()).toEqual(['asked', 'count', 'ensemble', 'maxPerObject', 'meanScore', 'objects', 'out', 'overCap', 'poolMeanScore', 'poolSize', 'rule', 'scoreUnit', 'seed', 'selection', 'temperature'].sort());
    expect(r).toMatchObject({ rule: 'uncertainty', selection: 'top', count: 10, objects: 30, seed: 2, temperature: 1, poolSize: 100, maxPerObject: 2, out, asked: { files: [askedText], triplets: 10, distinctSets: 10 } });
    expect(r.ensemble).toMatchObject({ size: 1, dims: [5] });
    const cov = runJson<SelectJson>(['select', '--rule', 'coverage', '--count', '10', '--objects', '30', '--out', join(dir, 'json-cov.txt')]);
    expect(cov).toMatchObject({ rule: 'coverage', selection: null, temperature: null, maxPerObject: null, meanScore: null, poolMeanScore: null, scoreUnit: null, ensemble: null, poolSize: 100, asked: { files: [], triplets: 0, distinctSets: 0 } });
  });

  describe('bad input: a one-line error, nothing written', () => {
    const badDir = tempDir();
    const outOfRange = writeText(badDir, 'asked-bad.txt', '0 1 2\n0 1 6\n');
    // A fit folder with one finished seed.
    const oneSeed = join(dir, 'one-seed');
    mkdirSync(join(oneSeed, 'seed-0'), { recursive: true });
    copyFileSync(emb6, join(oneSeed, 'seed-0', 'embedding.npy'));
    const refused = (args: string[], pattern: RegExp) => {
      const before = snapshot(badDir);
      const t0 = performance.now();
      const r = runCli(['select', ...args, '--out', join(badDir, 'never.txt')]);
      expectOneLineError(r, performance.now() - t0, pattern);
      expect(r.code).toBe(1);
      expect(snapshot(badDir)).toEqual(before);
    };
    test.each([
      ['an unknown rule', ['--rule', 'random', '--count', '2', '--objects', '6'], /--rule: expected uniform \| coverage \| uncertainty \| information-gain, got "random"/],
      ['information-gain with one embedding', ['--rule', 'information-gain', '--count', '2', '--embedding', emb6], /--embedding: expected at least 2 embeddings for --rule information-gain .*, got "1 \(/],
      ['information-gain with a one-seed fit', ['--rule', 'information-gain', '--count', '2', '--fit', oneSeed], /--fit: expected at least 2 embeddings for --rule information-gain/],
      ['embedding rows ≠ --objects', ['--rule', 'uncertainty', '--count', '2', '--objects', '7', '--embedding', emb6], new RegExp(`${emb6.replace(/[.]/g, '\\.')}: expected 7 rows, one per object \\(--objects 7\\), found 6 rows`)],
      ['ensemble members with different rows', ['--rule', 'information-gain', '--count', '2', '--embedding', `${emb6},${embA}`], new RegExp(`${embA.replace(/[.]/g, '\\.')}: expected 6 rows, one per object, as ${emb6.replace(/[.]/g, '\\.')}, found 30 rows`)],
      ['an asked index out of range', ['--rule', 'coverage', '--count', '2', '--objects', '6', '--asked', outOfRange], new RegExp(`${outOfRange.replace(/[.]/g, '\\.')}:2: column 3: expected an object index in \\[0, 5\\], found 6`)],
      ['a count above the sets left', ['--rule', 'uniform', '--count', '6', '--objects', '6', '--asked', `${askedText},${askedNpy}`], /--count: expected at most 5 \(the 5 sets of 6 objects not asked yet; --asked holds 15 distinct sets\), got 6/],
      ['a pool above the sets left', ['--rule', 'coverage', '--count', '2', '--objects', '6', '--pool', '6', '--asked', `${askedText},${askedNpy}`], /--pool: expected at most 5 /],
      ['a pool below the count', ['--rule', 'uncertainty', '--count', '4', '--pool', '3', '--embedding', emb6], /--pool: expected at least --count \(4\)/],
      ['a model for a rule without one', ['--rule', 'coverage', '--count', '2', '--objects', '6', '--embedding', emb6], /--embedding: expected no --embedding with --rule coverage \(the rule uses no fitted model\)/],
      ['--fit for uniform', ['--rule', 'uniform', '--count', '2', '--objects', '6', '--fit', dir], /--fit: expected no --fit with --rule uniform \(the rule uses no fitted model\)/],
      ['a model rule without a model', ['--rule', 'uncertainty', '--count', '2', '--objects', '6'], /--embedding\/--fit: expected the fitted embeddings --rule uncertainty scores with/],
      ['both --embedding and --fit', ['--rule', 'uncertainty', '--count', '2', '--embedding', emb6, '--fit', dir], /--embedding\/--fit: expected either --embedding or --fit, not both/],
      ['uniform without --objects', ['--rule', 'uniform', '--count', '2'], /--objects: expected the number of objects with --rule uniform/],
      ['--selection for coverage', ['--rule', 'coverage', '--count', '2', '--objects', '6', '--selection', 'top'], /--selection: expected no --selection with --rule coverage/],
      ['an unknown selection', ['--rule', 'uncertainty', '--count', '2', '--embedding', emb6, '--selection', 'best'], /--selection: expected top \| stochastic, got "best"/],
      ['a missing embedding file', ['--rule', 'uncertainty', '--count', '2', '--embedding', join(badDir, 'nope.npy')], /nope\.npy/],
      ['an empty list item', ['--rule', 'coverage', '--count', '2', '--objects', '6', '--asked', `${askedText},`], /--asked: expected a comma-separated list of files, no empty items/],
      ['a fit folder without runs', ['--rule', 'uncertainty', '--count', '2', '--fit', badDir], /no seed-\*\/ run folders/],
    ])('%s', (_what, args, pattern) => refused(args as string[], pattern));

    test('--out naming an --asked file is refused (it would replace the record of the sets asked)', () => {
      const askedCopy = join(badDir, 'asked-copy.txt');
      copyFileSync(askedText, askedCopy);
      const before = snapshot(badDir);
      const r = runCli(['select', '--rule', 'uniform', '--count', '2', '--objects', '6', '--asked', askedCopy, '--out', askedCopy]);
      expectOneLineError(r, 0, /--out: expected a file other than the --asked files/);
      expect(snapshot(badDir)).toEqual(before);
    });

    test('usage errors: a bad --count or --temperature', () => {
      const r = runCli(['select', '--rule', 'uniform', '--count', '0', '--objects', '6', '--out', join(badDir, 'never.txt')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--count must be an integer in \[1, ∞\], got 0/);
      const t = runCli(['select', '--rule', 'uncertainty', '--count', '2', '--embedding', emb6, '--temperature', '0', '--out', join(badDir, 'never.txt')]);
      expect(t.code).toBe(2);
      expect(existsSync(join(badDir, 'never.txt'))).toBe(false);
    });
  });
});
