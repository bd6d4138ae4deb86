import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, createTriplets, InvalidArgumentError, ParseError, readNpy, type ProgressEvent, type Triplets } from '@conceptlab/core';
import { CheckpointMismatchError } from './checkpoint.js';
import { createCpuEngine } from './cpu-engine.js';
import type { SposeHyperParams } from './config.js';
import type { EngineState, StepLoss, TrainingEngine } from './engine.js';
import { fitSpose, type EpochRecord, type FitOptions, type FitResult } from './fit.js';

/** Random answered triplets over n objects (the answers do not matter for these tests). */
function randomTriplets(n: number, count: number, seed: number): Triplets {
  const rng = createRng(seed, 9);
  const data = new Int32Array(3 * count);
  for (let t = 0; t < count; t++) data.set(rng.sampleWithoutReplacement(n, 3), 3 * t);
  return createTriplets(data);
}

const N = 20;
const train = randomTriplets(N, 230, 1);
const validation = randomTriplets(N, 60, 2);
const base: FitOptions = { train, validation, hyper: { nObjects: N, dims: 6, lambda: 0.05, lr: 0.01 }, seed: 7, epochs: 6, batchSize: 20 };

let dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'spose-fit-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const sameState = (a: EngineState, b: EngineState) => {
  expect(b.step).toBe(a.step);
  expect(bytes(b.weights).equals(bytes(a.weights))).toBe(true);
  expect(bytes(b.m).equals(bytes(a.m))).toBe(true);
  expect(bytes(b.v).equals(bytes(a.v))).toBe(true);
};
const withoutSeconds = (rs: readonly EpochRecord[]) => rs.map(({ seconds: _s, ...r }) => r);

describe('fitSpose', () => {
  test('records, determinism, and the reference batching (last partial batch dropped)', async () => {
    const a = await fitSpose(base);
    expect(a.stopReason).toBe('completed');
    expect(a.records).toHaveLength(6);
    expect(a.state.step).toBe(6 * 11); // ⌊230 / 20⌋ = 11 steps per epoch
    expect(a.config.stepsPerEpoch).toBe(11);
    const r = a.records[5];
    expect(r.epoch).toBe(6);
    expect(r.step).toBe(66);
    expect(r.loss).toBeCloseTo(r.crossEntropy + r.positivity + r.l1, 12);
    expect(r.trainAccuracy).toBeGreaterThanOrEqual(0);
    expect(r.trainAccuracy).toBeLessThanOrEqual(1);
    expect(r.valAccuracy).not.toBeNull();
    expect(r.valCrossEntropy).toBeGreaterThan(0);
    expect(r.activeDims).toBe(a.records[5].activeDims);
    expect(r.activeDims).toBeLessThanOrEqual(6);
    expect(a.summary).toMatchObject({ status: 'completed', epochsDone: 6, steps: 66, resumedAfterEpoch: null });
    expect(a.weights).toBe(a.state.weights);

    const b = await fitSpose(base);
    sameState(a.state, b.state);
    expect(withoutSeconds(b.records)).toEqual(withoutSeconds(a.records));
    const c = await fitSpose({ ...base, seed: 8 });
    expect(bytes(c.weights).equals(bytes(a.weights))).toBe(false);
    // Both CPU kernels give the same bytes.
    const { createCpuEngine } = await import('./cpu-engine.js');
    const js = await fitSpose({ ...base, createEngine: (h, init) => createCpuEngine(h, init, { kernel: 'js' }) });
    sameState(a.state, js.state);
  });

  test('results.json and checkpoints in outDir', async () => {
    const dir = tempDir();
    const a = await fitSpose({ ...base, outDir: dir, checkpointEvery: 4 });
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.summary).toMatchObject({ status: 'completed', epochsDone: 6 });
    expect(results.epochs).toHaveLength(6);
    expect(results.config).toMatchObject({ seed: 7, batchSize: 20, epochs: 6, engine: 'cpu', trainCount: 230, hyper: { lambda: 0.05, dims: 6, nObjects: N } });
    expect(results.config.trainHash).toMatch(/^[0-9a-f]{64}$/);
    const cp = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8'));
    expect(cp).toMatchObject({ epoch: 6, step: 66, finished: 'completed' });
    const w = readNpy(join(dir, 'weights.npy'));
    expect(w.dtype).toBe('f4');
    expect(w.shape).toEqual([N, 6]);
    expect(bytes(w.data as Float32Array).equals(bytes(a.weights))).toBe(true);
    expect(readNpy(join(dir, 'adam_m.npy')).shape).toEqual([N, 6]);
    expect(readNpy(join(dir, 'adam_v.npy')).shape).toEqual([N, 6]);
  });

  test('resume: 3 epochs, then resume to 6, is bit-for-bit the uninterrupted run', async () => {
    const straight = await fitSpose(base);
    const dir = tempDir();
    const first = await fitSpose({ ...base, epochs: 3, outDir: dir, checkpointEvery: 1 });
    expect(first.records).toHaveLength(3);
    const resumed = await fitSpose({ ...base, epochs: 6, outDir: dir, resume: true });
    expect(resumed.summary.resumedAfterEpoch).toBe(3);
    sameState(straight.state, resumed.state);
    expect(withoutSeconds(resumed.records)).toEqual(withoutSeconds(straight.records));
    // A finished run resumes to itself without training.
    const again = await fitSpose({ ...base, epochs: 6, outDir: dir, resume: true });
    sameState(straight.state, again.state);
    expect(again.summary.resumedAfterEpoch).toBe(6);
  });

  test('resume removes the temp files a killed process left (.results.json.<pid>.<hex>.tmp), not those of a running one', async () => {
    const dir = tempDir();
    await fitSpose({ ...base, epochs: 3, outDir: dir, checkpointEvery: 1 });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // exited: no process has this id now (or soon reused; then it stays)
    const left = [`.results.json.${dead}.1a2b3c4d.tmp`, `.weights.npy.${dead}.00ff00ff.tmp`];
    const live = `.checkpoint.json.${process.ppid}.deadbeef.tmp`;
    for (const f of [...left, live]) writeFileSync(join(dir, f), 'half');
    await fitSpose({ ...base, epochs: 4, outDir: dir, resume: true });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([live]);
  });

  test('abort via the signal mid-run, then resume from the last checkpoint: same bytes', async () => {
    const straight = await fitSpose(base);
    const dir = tempDir();
    const ac = new AbortController();
    const seen: number[] = [];
    const onProgress = (e: ProgressEvent) => {
      if (e.detail?.epoch !== undefined) seen.push(Number(e.detail.epoch));
      if (e.detail?.epoch === 5) ac.abort();
    };
    await expect(fitSpose({ ...base, outDir: dir, checkpointEvery: 2, signal: ac.signal, onProgress, progressIntervalMs: 0 })).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    const cp = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8'));
    expect(cp.epoch).toBe(4);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).epochs).toHaveLength(5);
    const resumed = await fitSpose({ ...base, outDir: dir, resume: true });
    expect(resumed.summary.resumedAfterEpoch).toBe(4);
    sameState(straight.state, resumed.state);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).epochs).toHaveLength(6);
  });

  test('abort by a timer in the middle of an epoch, then resume: same bytes', async () => {
    const big: FitOptions = { train: randomTriplets(60, 30000, 3), hyper: { nObjects: 60, dims: 8 }, seed: 1, epochs: 12, batchSize: 10 };
    const t0 = performance.now();
    const straight = await fitSpose(big);
    const ms = performance.now() - t0;
    const dir = tempDir();
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), ms * 0.45); // about epoch 5 of 12
    let err: unknown;
    try {
      await fitSpose({ ...big, outDir: dir, checkpointEvery: 1, signal: ac.signal });
    } catch (e) {
      err = e;
    } finally {
      clearTimeout(timer);
    }
    expect((err as Error)?.name).toBe('AbortError');
    const resumed = await fitSpose({ ...big, outDir: dir, resume: true });
    expect(resumed.summary.resumedAfterEpoch).toBeGreaterThan(0);
    expect(resumed.summary.resumedAfterEpoch).toBeLessThan(12);
    sameState(straight.state, resumed.state);
  });

  test('a checkpoint from a different configuration is refused, naming both values', async () => {
    const dir = tempDir();
    await fitSpose({ ...base, epochs: 2, outDir: dir, checkpointEvery: 1 });
    const mismatch = async (over: Partial<FitOptions>) => {
      try {
        await fitSpose({ ...base, ...over, outDir: dir, resume: true });
      } catch (e) {
        return e as CheckpointMismatchError;
      }
      throw new Error('expected a CheckpointMismatchError');
    };
    const e = await mismatch({ hyper: { ...base.hyper, lambda: 0.06 } });
    expect(e).toBeInstanceOf(CheckpointMismatchError);
    expect(e._tag).toBe('CheckpointMismatchError');
    expect(e).toMatchObject({ field: 'lambda', checkpointValue: 0.05, currentValue: 0.06 });
    expect(e.message).toMatch(/lambda = 0\.05, but this run has lambda = 0\.06/);
    expect(await mismatch({ hyper: { ...base.hyper, dims: 5 } })).toMatchObject({ field: 'dims', checkpointValue: 6, currentValue: 5 });
    expect(await mismatch({ seed: 8 })).toMatchObject({ field: 'seed' });
    expect(await mismatch({ batchSize: 10 })).toMatchObject({ field: 'batchSize' });
    const other = createTriplets(train.data.slice());
    other.data[0] = (other.data[0] + 1) % N === other.data[1] || (other.data[0] + 1) % N === other.data[2] ? (other.data[0] + 2) % N : (other.data[0] + 1) % N;
    expect(await mismatch({ train: other })).toMatchObject({ field: 'trainHash' });
  });

  test('an existing checkpoint is kept unless resume or overwrite; a damaged one is reported', async () => {
    const dir = tempDir();
    await fitSpose({ ...base, epochs: 2, outDir: dir });
    await expect(fitSpose({ ...base, outDir: dir })).rejects.toThrow(InvalidArgumentError);
    const fresh = await fitSpose({ ...base, epochs: 1, outDir: dir, overwrite: true });
    expect(fresh.records).toHaveLength(1);
    // weights.npy rewritten behind checkpoint.json's back (as by a crash between the writes)
    const w = readFileSync(join(dir, 'weights.npy'));
    w[w.length - 1] ^= 1;
    writeFileSync(join(dir, 'weights.npy'), w);
    await expect(fitSpose({ ...base, outDir: dir, resume: true })).rejects.toThrow(ParseError);
    writeFileSync(join(dir, 'checkpoint.json'), '{ not json');
    await expect(fitSpose({ ...base, outDir: dir, resume: true })).rejects.toThrow(ParseError);
  });

  test.each([
    [{ train: createTriplets([[0, 1, 2], [3, 4, 25]]) }, /train row 1: expected object indices in \[0, 19\], got "25"/],
    [{ train: createTriplets([[0, 1, 2], [3, -1, 5]]), batchSize: 1 }, /train row 1/],
    [{ validation: createTriplets([[0, 1, 20]]) }, /validation row 0/],
    [{ train: createTriplets(new Int32Array(0)) }, /train: expected at least one triplet/],
    [{ batchSize: 231 }, /batchSize: expected an integer in \[1, 230\]/],
    [{ hyper: { nObjects: N, lambda: -0.1 } }, /lambda/],
    [{ epochs: 0 }, /epochs/],
    [{ seed: -1 }, /seed/],
    [{ resume: true }, /resume: expected an outDir/],
    [{ earlyStopping: { window: 1 } }, /earlyStopping.window/],
    [{ outDir: 'x', checkpointEvery: 0 }, /checkpointEvery/],
  ] as [Partial<FitOptions>, RegExp][])('rejects bad input %#', async (over, re) => {
    const p = fitSpose({ ...base, ...over });
    await expect(p).rejects.toThrow(InvalidArgumentError);
    await expect(p).rejects.toThrow(re);
  });
});

/** An engine whose step losses follow a script (to test the epoch loop without optimisation). */
function scriptedEngine(lossAt: (step: number) => number) {
  return (hyper: SposeHyperParams, init: Float32Array): TrainingEngine => {
    let step = 0;
    const weights = init.slice();
    return {
      name: 'scripted',
      hyper,
      step(batch: Int32Array): StepLoss {
        const total = lossAt(step++);
        return { crossEntropy: total, positivity: 0, l1: 0, total, correct: batch.length / 3 };
      },
      getState: () => ({ weights: weights.slice(), m: new Float32Array(weights.length), v: new Float32Array(weights.length), step }),
      setState: (s) => {
        weights.set(s.weights);
        step = s.step;
      },
      dispose: () => undefined,
    };
  };
}

describe('fitSpose with a learning-rate schedule', () => {
  test('the engine is given the cosine factor of every global step; results.json names the schedule', async () => {
    const seen: number[] = [];
    const recording = (hyper: SposeHyperParams, init: Float32Array): TrainingEngine => {
      const inner = scriptedEngine(() => 1)(hyper, init);
      return { ...inner, step: (batch: Int32Array, f?: number) => (seen.push(f ?? 1), inner.step(batch)) };
    };
    // 230 training triplets, batch 23 → 10 steps per epoch; 3 epochs, 1 of warm-up: T = 30, W = 10.
    const r = await fitSpose({ ...base, batchSize: 23, epochs: 3, createEngine: recording, lrSchedule: { kind: 'cosine', warmupEpochs: 1 } });
    expect(seen).toHaveLength(30);
    expect(seen.slice(0, 10)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(seen[10]).toBe(1);
    expect(seen[29]).toBeCloseTo(0, 15);
    // half-way through the decay (step 10 + 19/2): between steps 19 and 20, symmetric about ½
    expect(seen[19] + seen[20]).toBeCloseTo(1, 12);
    expect(r.config.lrSchedule).toBe('cosine over 3 epochs to 0·lr, linear warm-up 1 epoch');
    const constant = await fitSpose({ ...base, batchSize: 23, epochs: 1, createEngine: scriptedEngine(() => 1) });
    expect(constant.config.lrSchedule).toBe('constant');
  });

  test('a checkpoint of a scheduled run resumes only with the same schedule and epochs (the decay depends on them)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fit-sched-'));
    try {
      await fitSpose({ ...base, epochs: 2, outDir: dir, lrSchedule: { kind: 'cosine' } });
      await expect(fitSpose({ ...base, epochs: 3, outDir: dir, resume: true, lrSchedule: { kind: 'cosine' } })).rejects.toThrow(/lrSchedule/);
      await expect(fitSpose({ ...base, epochs: 2, outDir: dir, resume: true })).rejects.toThrow(/lrSchedule/);
      const again = await fitSpose({ ...base, epochs: 2, outDir: dir, resume: true, lrSchedule: { kind: 'cosine' } });
      expect(again.records).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fitSpose with a plugged-in engine: early stopping and divergence', () => {
  const stepsPerEpoch = 11;
  const run = (lossAt: (step: number) => number, over: Partial<FitOptions> = {}): Promise<FitResult> =>
    fitSpose({ ...base, epochs: 30, createEngine: scriptedEngine(lossAt), ...over });

  test('a rising loss stops at the first check (epoch window + 1)', async () => {
    const r = await run((s) => 1 + 0.01 * Math.floor(s / stepsPerEpoch), { earlyStopping: { window: 5 } });
    expect(r.stopReason).toBe('early-stopping');
    expect(r.records).toHaveLength(6);
    expect(r.records[5].earlyStopping!.slope).toBeCloseTo(0.01, 10);
    expect(r.records[4].earlyStopping).toBeUndefined();
    expect(r.config.engine).toBe('scripted');
    expect(r.summary.stopDetail).toBe("the reference's rule at epoch 6: the last 5 epoch losses' slope 0.0100 > 0");
  });

  test('a steadily falling loss trains all epochs; a plateau stops', async () => {
    const falling = await run((s) => 2 - 0.01 * Math.floor(s / stepsPerEpoch) + 1e-4 * Math.sin(s), { earlyStopping: { window: 5 } });
    expect(falling.stopReason).toBe('completed');
    expect(falling.records).toHaveLength(30);
    expect(falling.records[29].earlyStopping!.pValue).toBeLessThan(0.1);
    // falls until epoch 10, then noise around a constant
    const plateau = await run((s) => {
      const e = Math.floor(s / stepsPerEpoch);
      return e < 10 ? 2 - 0.1 * e : 1 + 0.001 * Math.sin(7 * e);
    }, { earlyStopping: { window: 5 } });
    expect(plateau.stopReason).toBe('early-stopping');
    expect(plateau.records.length).toBeGreaterThan(10);
    expect(plateau.records.length).toBeLessThan(30);
  });

  test("the plateau rule: stops when validation cross-entropy and dims hold, says why in results.json; needs validation; a resume with another rule is refused", async () => {
    const dir = tempDir();
    const plateau = { rule: 'plateau' as const, window: 3, minImprovement: 0.01, dimsTolerance: 1 };
    const r = await fitSpose({ ...base, epochs: 200, earlyStopping: plateau, outDir: dir });
    expect(r.stopReason).toBe('early-stopping');
    const last = r.records[r.records.length - 1];
    expect(r.records.length).toBeLessThan(200);
    // The stop is the rule's own verdict on the recorded series.
    expect(last.plateau!.improvement).toBeLessThan(0.01);
    expect(last.plateau!.dimsChange).toBeLessThanOrEqual(1);
    expect(r.records[r.records.length - 2].plateau?.improvement ?? Infinity).not.toBeNaN();
    expect(r.records[2].plateau).toBeUndefined();
    expect(r.records[3].plateau).toBeDefined();
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(json.config.earlyStopping).toEqual(plateau);
    expect(json.summary.status).toBe('early-stopping');
    expect(json.summary.stopDetail).toMatch(new RegExp(`^plateau at epoch ${last.epoch}: the best validation cross-entropy improved by -?[0-9.e-]+ \\(< 0\.01\\) over the last 3 epochs and the active dims changed by [01] \\(≤ 1; ${last.activeDims} dims\\)$`));
    // Resuming that folder with the reference's rule is another run.
    await expect(fitSpose({ ...base, epochs: 200, earlyStopping: { window: 5 }, outDir: dir, resume: true })).rejects.toThrow(CheckpointMismatchError);
    await expect(fitSpose({ ...base, validation: undefined, earlyStopping: plateau })).rejects.toThrow(/validation triplets with the plateau rule/);
    // The other statuses say why too.
    expect((await fitSpose({ ...base, epochs: 2 })).summary.stopDetail).toBe('completed all 2 epochs');
  });

  test('without earlyStopping every epoch runs; a NaN loss ends the run as diverged', async () => {
    expect((await run((s) => 1 + s)).records).toHaveLength(30);
    const d = await run((s) => (s > 30 ? NaN : 1));
    expect(d.stopReason).toBe('diverged');
    expect(d.records).toHaveLength(3);
  });

  test('the training-accuracy tie rule is recorded; a non-cpu engine records strict and refuses euclidean-distance', async () => {
    const r = await fitSpose({ ...base, epochs: 1 });
    expect(r.config.trainAccuracyTies).toBe('reference');
    expect(r.config.hyper.trainAccuracyTies).toBe('reference');
    const asTfjs = (h: SposeHyperParams, init: Float32Array): TrainingEngine => ({ ...createCpuEngine(h, init, { kernel: 'js' }), name: 'tfjs-cpu' });
    const t = await fitSpose({ ...base, epochs: 1, createEngine: asTfjs });
    expect(t.config.trainAccuracyTies).toBe('strict');
    await expect(fitSpose({ ...base, epochs: 1, hyper: { ...base.hyper, similarity: 'euclidean-distance' }, createEngine: asTfjs })).rejects.toThrow(/euclidean-distance" needs the cpu engine/);
    const d = await fitSpose({ ...base, epochs: 1, hyper: { ...base.hyper, similarity: 'euclidean-distance' } });
    expect(d.config.hyper.similarity).toBe('euclidean-distance');
  });

  test('progress events carry epoch, loss and validation accuracy', async () => {
    const events: ProgressEvent[] = [];
    await fitSpose({ ...base, epochs: 3, onProgress: (e) => events.push(e), progressIntervalMs: 0 });
    const updates = events.filter((e) => e.phase === 'update' && e.detail?.epoch !== undefined);
    expect(updates.map((e) => e.detail!.epoch)).toEqual([1, 2, 3]);
    expect(updates[2].detail).toMatchObject({ loss: expect.any(Number), valAccuracy: expect.any(Number), dims: expect.any(Number) });
    expect(events[0]).toMatchObject({ phase: 'start', task: 'fit seed 7', unit: 'triplets', total: 3 * 11 * 20 });
    expect(events[events.length - 1]).toMatchObject({ phase: 'end', done: 660 });
  });
});
