// Aggregate SPoSE training throughput: one seed in this thread vs two seeds on two worker threads,
// at the reference's settings (n 1,854, D 100, batch 100, dense Adam every step), through the public
// fitSeeds API (so data sharing, worker start-up and per-epoch evaluation are included).
// Prints one JSON object. The PyTorch reference trains at about 6,500 triplets/s on this machine class.
import { availableParallelism } from 'node:os';
import { fitSeeds } from '@conceptlab/spose-embed';
import { sampleUniform } from '@conceptlab/triplet-sampler';

const REFERENCE = 6500;
const n = 1854;
const count = Number(process.env.BENCH_TRIPLETS ?? 400_000);
const epochs = Number(process.env.BENCH_EPOCHS ?? 3);
const train = sampleUniform({ nObjects: n, count, seed: 1 });
const common = { train, hyper: { nObjects: n, dims: 100, lambda: 0.008 }, epochs, batchSize: 100 };

async function measure(seeds, threads) {
  const t0 = performance.now();
  const runs = await fitSeeds({ ...common, seeds, threads });
  const seconds = (performance.now() - t0) / 1000;
  const triplets = runs.reduce((s, r) => s + r.fit.records.length * r.fit.config.stepsPerEpoch * r.fit.config.batchSize, 0);
  return { seeds: seeds.length, threads, seconds: +seconds.toFixed(3), tripletsPerSecond: Math.round(triplets / seconds), engine: runs[0].fit.config.engine };
}

const one = await measure([1], 1);
const two = await measure([1, 2], 2);
console.log(
  JSON.stringify({
    bench: 'spose-seeds',
    nObjects: n,
    dims: 100,
    batch: 100,
    trainTriplets: count,
    epochs,
    cores: availableParallelism(),
    oneSeed: { ...one, vsReference: +(one.tripletsPerSecond / REFERENCE).toFixed(1) },
    twoSeeds: { ...two, vsReference: +(two.tripletsPerSecond / REFERENCE).toFixed(1), speedupOverOneSeed: +(two.tripletsPerSecond / one.tripletsPerSecond).toFixed(2) },
    referenceTripletsPerSecond: REFERENCE,
    node: process.version,
  }),
);
