import { createRng, InvalidArgumentError, type Matrix, type ProgressEvent } from '@conceptlab/core';
import { answerByEmbedding, sampleUniform } from '@conceptlab/triplet-sampler';
import { createCpuEngine } from './cpu-engine.js';
import { fitSpose } from './fit.js';
import { LAMBDA_SELECTION_CRITERION, LambdaSelectionError, selectLambda, type SelectLambdaOptions } from './select-lambda.js';

/**
 * 30 objects on 3 planted dims (object o only on dim o % 3, weight 1.5–3), answered by the SPoSE observer: a tiny
 * training set (300 triplets) and 2,000 validation triplets.
 */
function planted() {
  const n = 30, K = 3;
  const rng = createRng(11, 3);
  const truth = new Float64Array(n * K);
  for (let o = 0; o < n; o++) truth[o * K + (o % K)] = 1.5 + 1.5 * rng.nextFloat();
  const generating: Matrix<Float64Array> = { rows: n, cols: K, data: truth };
  const answer = (count: number, seed: number) => answerByEmbedding(sampleUniform({ nObjects: n, count, seed, allowDuplicates: true }), generating, { seed: seed + 100 });
  return { n, train: answer(300, 1), validation: answer(2000, 2) };
}

const { n, train, validation } = planted();
const base: SelectLambdaOptions = { train, validation, candidates: [1, 1e-4, 0.04], hyper: { nObjects: n, dims: 20, lr: 0.01 }, seed: 0, epochs: 150, batchSize: 50 };

describe('selectLambda: λ by validation cross-entropy', () => {
  test('a planted sparse embedding: a much too large λ kills every dim and a much too small one overfits; both lose', async () => {
    const events: ProgressEvent[] = [];
    const s = await selectLambda({ ...base, onProgress: (e) => events.push(e), progressIntervalMs: 0 });
    expect(s.criterion).toBe(LAMBDA_SELECTION_CRITERION);
    expect(s.criterion).toBe('validation cross-entropy');
    expect(s.lambda).toBe(0.04);
    expect(s.chosenIndex).toBe(2);
    expect(s.seed).toBe(0);
    // Every candidate is recorded, in the order given.
    expect(s.candidates.map((c) => c.lambda)).toEqual([1, 1e-4, 0.04]);
    const [large, small, good] = s.candidates;
    for (const c of s.candidates) {
      expect(c.epochs).toBe(150);
      expect(c.stopReason).toBe('completed');
      expect(c.stopDetail).toBe('completed all 150 epochs');
      expect(c.seconds).toBeGreaterThan(0);
      expect(c.valAccuracy).toBeGreaterThanOrEqual(0);
      expect(c.valAccuracy).toBeLessThanOrEqual(1);
    }
    // λ = 1 (λ/n ≈ 0.033 per unit of weight): every dim pruned, every triplet at p = 1/3, cross-entropy ln 3.
    expect(large.activeDims).toBe(0);
    expect(Math.abs(large.valCrossEntropy - Math.log(3))).toBeLessThan(1e-4);
    // λ = 1e-4 on 300 triplets: all 20 dims stay, and the held-out cross-entropy is worse than chance's ln 3
    // (the weights grew to fit the training answers, noise included), though its accuracy is not at chance.
    expect(small.activeDims).toBe(20);
    expect(small.valCrossEntropy).toBeGreaterThan(Math.log(3));
    expect(small.valAccuracy).toBeGreaterThan(0.6);
    // λ = 0.04: a few dims (the generator has 3), by far the lowest cross-entropy.
    expect(good.activeDims).toBeGreaterThanOrEqual(3);
    expect(good.activeDims).toBeLessThan(10);
    expect(good.valCrossEntropy).toBeLessThan(0.7);
    expect(good.valAccuracy).toBeGreaterThan(large.valAccuracy);
    // The chosen fit is the run fitSpose gives with that λ (bit for bit), and the recorded numbers are its last epoch's.
    const direct = await fitSpose({ train, validation, hyper: { nObjects: n, dims: 20, lr: 0.01, lambda: 0.04 }, seed: 0, epochs: 150, batchSize: 50 });
    expect(Buffer.from(s.fit.weights.buffer).equals(Buffer.from(direct.weights.buffer))).toBe(true);
    expect(s.fit.config.hyper.lambda).toBe(0.04);
    expect(good.valCrossEntropy).toBe(direct.records.at(-1)!.valCrossEntropy);
    expect(good.valAccuracy).toBe(direct.records.at(-1)!.valAccuracy);
    expect(good.activeDims).toBe(direct.records.at(-1)!.activeDims);
    // Progress names each candidate.
    const tasks = [...new Set(events.map((e) => e.task))];
    expect(tasks).toEqual(['select λ 1 (1 of 3), seed 0', 'select λ 0.0001 (2 of 3), seed 0', 'select λ 0.04 (3 of 3), seed 0']);
  }, 60_000);

  test('an exact tie goes to the larger λ (the sparser model)', async () => {
    // At a vanishing learning rate no weight moves: every candidate ends at the same weights, so the same cross-entropy.
    const s = await selectLambda({ ...base, candidates: [0.002, 0.008, 0.004], hyper: { nObjects: n, dims: 5, lr: 1e-12 }, epochs: 2 });
    expect(new Set(s.candidates.map((c) => c.valCrossEntropy)).size).toBe(1);
    expect(s.lambda).toBe(0.008);
    expect(s.chosenIndex).toBe(1);
  });

  test('early stopping applies to every candidate (each stops when its rule says)', async () => {
    const s = await selectLambda({ ...base, candidates: [0.04, 1], earlyStopping: { rule: 'plateau', window: 5 } });
    for (const c of s.candidates) {
      expect(c.stopReason).toBe('early-stopping');
      expect(c.epochs).toBeLessThan(150);
      expect(c.stopDetail).toMatch(/^plateau at epoch \d+: /);
    }
    expect(s.lambda).toBe(0.04);
  }, 60_000);

  test('a diverged candidate is recorded but never chosen; when every one diverges, LambdaSelectionError', async () => {
    // An engine whose loss is not finite for λ 0.02 (as a real run whose λ or lr is far too large).
    const createEngine: SelectLambdaOptions['createEngine'] = (hyper, init) => {
      const engine = createCpuEngine(hyper, init);
      if (hyper.lambda !== 0.02) return engine;
      return { ...engine, name: engine.name, hyper: engine.hyper, step: (b) => ({ ...engine.step(b), total: NaN }), getState: () => engine.getState(), setState: (st) => engine.setState(st), dispose: () => engine.dispose() };
    };
    const s = await selectLambda({ ...base, candidates: [0.02, 0.04], createEngine, epochs: 3 });
    expect(s.candidates[0].stopReason).toBe('diverged');
    expect(s.candidates[0].valCrossEntropy).toBeNaN();
    expect(s.lambda).toBe(0.04);
    const all = (hyper: Parameters<NonNullable<SelectLambdaOptions['createEngine']>>[0], init: Float32Array) => createEngine({ ...hyper, lambda: 0.02 }, init);
    await expect(selectLambda({ ...base, candidates: [0.02, 0.04], createEngine: all, epochs: 3 })).rejects.toThrow(LambdaSelectionError);
    await expect(selectLambda({ ...base, candidates: [0.02, 0.04], createEngine: all, epochs: 3 })).rejects.toThrow(/^select λ: every candidate diverged \(0\.02, 0\.04\): nothing to choose/);
  });

  test('bad candidates, no validation or a λ in hyper: typed one-line errors before any fit', async () => {
    let engines = 0;
    const counting: SelectLambdaOptions['createEngine'] = (h, init) => {
      engines++;
      return createCpuEngine(h, init);
    };
    const refused = async (o: Partial<SelectLambdaOptions> & Record<string, unknown>, message: RegExp) => {
      const p = selectLambda({ ...base, createEngine: counting, ...o } as SelectLambdaOptions);
      await expect(p).rejects.toThrow(InvalidArgumentError);
      await expect(selectLambda({ ...base, createEngine: counting, ...o } as SelectLambdaOptions)).rejects.toThrow(message);
    };
    await refused({ candidates: [0.004] }, /^candidates: expected at least 2 λ values to choose from, got "only 0\.004"$/);
    await refused({ candidates: [] }, /^candidates: expected at least 2 λ values/);
    await refused({ candidates: 0.004 as unknown as number[] }, /^candidates: expected an array of λ values/);
    await refused({ candidates: [0.004, 0] }, /^candidates: expected finite λ values > 0, got 0$/);
    await refused({ candidates: [0.004, -0.002] }, /^candidates: expected finite λ values > 0, got -0\.002$/);
    await refused({ candidates: [0.004, NaN] }, /^candidates: expected finite λ values > 0, got NaN$/);
    await refused({ candidates: [0.004, Infinity] }, /^candidates: expected finite λ values > 0, got Infinity$/);
    await refused({ candidates: [0.004, '0.008' as unknown as number] }, /^candidates: expected finite λ values > 0/);
    await refused({ candidates: [0.004, 0.008, 0.004] }, /^candidates: expected distinct λ values \(0\.004 is given twice\)/);
    await refused({ validation: undefined }, /^validation: expected held-out Triplets/);
    await refused({ validation: { count: 0, data: new Int32Array(0) } }, /^validation: expected held-out Triplets \(at least one\): the candidates are scored on them, got "?none"?$/);
    await refused({ hyper: { nObjects: n, lambda: 0.004 } as SelectLambdaOptions['hyper'] }, /^hyper\.lambda: expected no λ \(the candidates are the λ values\), got 0\.004$/);
    // Options fitSpose checks are refused before its first step too.
    await refused({ epochs: 0 }, /^epochs: expected a positive integer/);
    expect(engines).toBe(0);
  });
});
