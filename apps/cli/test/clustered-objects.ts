import { join } from 'node:path';
import { createMatrix, createRng, writeNpyMatrix, writeTripletText } from '@conceptlab/core';
import { sampleUniform } from '@conceptlab/triplet-sampler';
import { tempDir, writeText } from './run-cli.js';

/**
 * A concept folder of 12 objects in three clusters of four (fruit, tools, animals), a SPoSE embedding with one
 * dim per cluster, and `count` object sets to ask about: what annotate's fail-fast and timeout tests run against
 * a `conceptlab serve` of that embedding (`observer`).
 */
export function clusteredObjects(count: number, seed: number) {
  const dir = tempDir();
  const words = ['apple', 'pear', 'plum', 'cherry', 'hammer', 'saw', 'drill', 'wrench', 'dog', 'cat', 'horse', 'cow'];
  writeText(dir, 'things_concepts.tsv', 'Word\tuniqueID\tDefinition\n' + words.map((w) => `${w}\t${w}\tthe ${w} we all know`).join('\n') + '\n');
  const rng = createRng(4);
  const emb = createMatrix(12, 3);
  for (let i = 0; i < 12; i++) for (let d = 0; d < 3; d++) emb.data[i * 3 + d] = d === Math.floor(i / 4) ? 1 + rng.nextFloat() : 0.1 * rng.nextFloat();
  writeNpyMatrix(join(dir, 'emb.npy'), emb);
  const sets = join(dir, 'sets.txt');
  writeTripletText(sets, sampleUniform({ nObjects: 12, count, seed }));
  const observer = ['--observer', `sim:${join(dir, 'emb.npy')}`, '--argmax', '--concepts', dir];
  const annotateArgs = (url: string, journal: string, extra: string[] = []): string[] => [
    'annotate', '--base-url', url, '--model', 'sim', '--concepts', dir, '--triplets', sets, '--journal', journal, ...extra,
  ];
  return { dir, sets, observer, annotateArgs };
}
