import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeNpy } from '@conceptlab/core';
import { writeNifti } from '@conceptlab/neuro-rsa';
import { printInternalError } from '../src/internal-error.js';
import { BIN, snapshot, tempDir, writeText } from './run-cli.js';

/**
 * Issue 13, "one rule for every command": each bad input below ends with exit ≠ 0, exactly one line on stderr
 * (no stack trace), no file created or changed in the case's folder, within 5 s. One table: argv (from the
 * case's folder and its setup files) and a fragment of the expected message.
 */

/** Setup shared by the cases (written into each case's own folder). */
function fixtures(dir: string) {
  const f = (name: string, text: string) => writeText(dir, name, text);
  const folder = join(dir, 'a-folder.nii.gz');
  mkdirSync(folder);
  // 4 conditions × 3 channels; one with NaN, one with Inf, one with a constant row (undefined correlation distance).
  const patterns = f('patterns.txt', '1 2 3\n4 5 7\n2 9 1\n0 1 4\n');
  const nanPatterns = f('nan.txt', '1 2 3\n4 NaN 6\n2 9 1\n0 1 4\n');
  const infPatterns = f('inf.txt', '1 2 3\n4 5 6\n2 9 Inf\n0 1 4\n');
  const constPatterns = f('const.txt', '1 2 3\n4 4 4\n2 9 1\n0 1 4\n');
  // 9 objects × 3 dims; 40 answered triplets over them; an empty file; one object as context.
  const emb = join(dir, 'emb.npy');
  writeNpy(emb, { dtype: 'f8', shape: [9, 3], data: Float64Array.from({ length: 27 }, (_, q) => ((q * 7) % 5) / 4 + (q % 3 === Math.floor(q / 3) % 3 ? 1 : 0.1)) });
  const triplets = f('triplets.txt', Array.from({ length: 40 }, (_, t) => `${t % 9} ${(t + 1 + (t % 4)) % 9} ${(t + 6) % 9}`).join('\n') + '\n');
  const empty = f('empty.txt', '');
  const once = f('once.txt', '0 1 2\n3 4 5\n');
  const oneObject = f('one-object.txt', '4\n');
  const anchors = f('anchors.txt', '0 1\n');
  // Degenerate embeddings: no columns, every weight zero, two objects; six of the 9 objects as the r48 design.
  const noDims = join(dir, 'no-dims.npy');
  writeNpy(noDims, { dtype: 'f8', shape: [9, 0], data: new Float64Array(0) });
  const zeros = join(dir, 'zeros.npy');
  writeNpy(zeros, { dtype: 'f8', shape: [9, 3], data: new Float64Array(27) });
  const twoObjects = join(dir, 'two-objects.npy');
  writeNpy(twoObjects, { dtype: 'f8', shape: [2, 3], data: Float64Array.of(1, 2, 3, 3, 1, 2) });
  const objects48 = f('objects48.txt', '0 1 2 3 4 5\n');
  // One condition's pattern; responses of 10 conditions and no voxels.
  const onePattern = f('one-pattern.txt', '1 2 3\n');
  const noVoxels = join(dir, 'no-voxels.npy');
  writeNpy(noVoxels, { dtype: 'f8', shape: [10, 0], data: new Float64Array(0) });
  // RDMs over 4 conditions (model and brain), as TSV.
  const rdm = (g: (i: number, j: number) => number) => Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => (i === j ? 0 : g(i, j))).join('\t')).join('\n') + '\n';
  const model = f('model.tsv', rdm((i, j) => Math.abs(i - j)));
  const brain = f('brain.tsv', rdm((i, j) => (i + j) % 3 + 1));
  const twoConditions = f('two-conditions.tsv', '0\t1\n1\t0\n');
  // A 5×4×3 grid, 4 conditions; a full mask; the conditions' model RDM above.
  const grid = { shape: [5, 4, 3] as [number, number, number], affine: Float64Array.from([2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]) };
  const bold = join(dir, 'bold.nii.gz');
  writeNifti(bold, { grid, frames: 4, data: Float32Array.from({ length: 240 }, (_, q) => Math.sin(q * 1.3)) });
  const mask = join(dir, 'mask.nii');
  writeNifti(mask, { grid, frames: 1, data: new Float32Array(60).fill(1) });
  // encode: 10 conditions × 3 features, 10 × 50 responses.
  const features = join(dir, 'features.npy');
  writeNpy(features, { dtype: 'f8', shape: [10, 3], data: Float64Array.from({ length: 30 }, (_, q) => Math.cos(q)) });
  const responses = join(dir, 'responses.npy');
  writeNpy(responses, { dtype: 'f8', shape: [10, 50], data: Float64Array.from({ length: 500 }, (_, q) => Math.sin(q * 0.7)) });
  // interpret: a concept directory of the 9 objects with 3 categories.
  const concepts = join(dir, 'concepts');
  mkdirSync(concepts);
  writeText(concepts, 'things_concepts.tsv', ['Word\tuniqueID\tDefinition (from WordNet, Google, or Wikipedia)', ...Array.from({ length: 9 }, (_, i) => `thing${i}\tt${i}\ta thing number ${i}`)].join('\n') + '\n');
  writeText(concepts, 'category27.tsv', ['red\tgreen\tblue', ...Array.from({ length: 9 }, (_, i) => [0, 1, 2].map((c) => (i % 3 === c ? 1 : 0)).join('\t'))].join('\n') + '\n');
  // reproduce: a data folder without rsa92/.
  const data = join(dir, 'data');
  mkdirSync(join(data, 'things'), { recursive: true });
  mkdirSync(join(data, 'llm-triplets'));
  return { folder, patterns, nanPatterns, infPatterns, constPatterns, emb, triplets, empty, once, oneObject, anchors, noDims, zeros, twoObjects, objects48, onePattern, noVoxels, twoConditions, model, brain, bold, mask, features, responses, concepts, data, out: join(dir, 'out') };
}

type Fx = ReturnType<typeof fixtures>;

/**
 * An embedding of 50,000 objects × 1 dim (text, 100 kB), written once outside the cases' folders: its n × n
 * similarity exceeds one typed array (n² > 2^31 − 1) on any machine.
 */
let manyObjectsFile: string | undefined;
function manyObjects(): string {
  manyObjectsFile ??= writeText(tempDir(), 'many-objects.txt', '1\n'.repeat(50_000));
  return manyObjectsFile;
}

/** name, argv, message fragment, and whether the command ran (and printed its progress lines) before failing. */
const CASES: [string, (x: Fx) => string[], string, 'after progress'?][] = [
  // A directory given as a NIfTI path: a FileError naming it, not a raw EISDIR.
  ['nifti-info: a directory', (x) => ['nifti-info', x.folder], 'a-folder.nii.gz: cannot read: is a directory, expected a .nii/.nii.gz file'],
  ['roi: a directory as --bold', (x) => ['roi', '--bold', x.folder, '--mask', x.mask, '--out', join(x.out, 'p.npy')], 'is a directory, expected a .nii/.nii.gz file'],
  ['searchlight: a directory as --bold', (x) => ['searchlight', '--bold', x.folder, '--mask', x.mask, '--model', x.model, '--out', x.out], 'is a directory, expected a .nii/.nii.gz file'],
  ['searchlight: a directory as --mask', (x) => ['searchlight', '--bold', x.bold, '--mask', x.folder, '--model', x.model, '--out', x.out], 'is a directory, expected a .nii/.nii.gz file'],
  ['encode: a directory as --mask', (x) => ['encode', '--embedding', x.features, '--patterns', x.responses, '--mask', x.folder, '--out', x.out], 'is a directory, expected a .nii/.nii.gz file'],
  // reproduce: every data file checked up front.
  ['reproduce: --data without rsa92/', (x) => ['reproduce', '--data', x.data, '--out', x.out, '--scale', 'test'], 'missing things/things_concepts.tsv'],
  // Size options bounded before any work, the bound in the message.
  ['sample --count 1e12 --allow-duplicates', (x) => ['sample', '--objects', '100', '--count', '1000000000000', '--allow-duplicates', '--out', join(x.out, 't.npy')], '--count: expected at most'],
  ['sample --count 7e8 --allow-duplicates (text)', (x) => ['sample', '--objects', '100', '--count', '700000000', '--allow-duplicates', '--out', join(x.out, 't.txt')], '--count: expected at most'],
  ['fit --dims 1e12', (x) => ['fit', '--train', x.triplets, '--batch', '10', '--dims', '1000000000000', '--out', x.out], '--dims: expected at most'],
  ['fit --objects 1e12', (x) => ['fit', '--train', x.triplets, '--batch', '10', '--objects', '1000000000000', '--out', x.out], '--objects: expected at most'],
  ['fit --batch larger than the data (checked before the output folder is made)', (x) => ['fit', '--train', x.triplets, '--batch', '1000', '--out', x.out], '--batch: expected at most 40 (the number of training triplets'],
  ['fit --threads 1e9', (x) => ['fit', '--train', x.triplets, '--threads', '1000000000', '--out', x.out], '--threads: expected at most'],
  ['rsa --bootstrap 1e12', (x) => ['rsa', '--model', x.model, '--brain', x.brain, x.brain, '--bootstrap', '1000000000000'], '--bootstrap: expected at most'],
  ['searchlight --radius 1e9', (x) => ['searchlight', '--bold', x.bold, '--mask', x.mask, '--model', x.model, '--radius', '1000000000', '--out', x.out], '--radius: expected at most 8 (the diagonal'],
  ['searchlight --cube 1000001', (x) => ['searchlight', '--bold', x.bold, '--mask', x.mask, '--model', x.model, '--cube', '1000001', '--out', x.out], '--cube: expected at most 9'],
  ['encode --alphas logspace:-3:3:1e9', (x) => ['encode', '--embedding', x.features, '--patterns', x.responses, '--alphas', 'logspace:-3:3:1000000000', '--out', x.out], '--alphas: expected at most'],
  ['interpret --permutations 1e12', (x) => ['interpret', '--embedding', x.emb, '--concepts', x.concepts, '--permutations', '1000000000000', '--out', x.out], '--permutations: expected at most'],
  ['evaluate --chance-draws 1e15', (x) => ['evaluate', '--embedding', x.emb, '--triplets', x.triplets, '--chance', '--chance-draws', '1000000000000000'], '--chance-draws: expected at most'],
  // Empty inputs and undefined results are errors, never NaN with exit 0.
  ['evaluate: no triplets', (x) => ['evaluate', '--embedding', x.emb, '--triplets', x.empty], 'empty.txt: expected at least one answered triplet, found none'],
  ['agreement: no triplets', (x) => ['agreement', x.empty, x.empty], 'empty.txt: expected at least one answered triplet, found none'],
  ['noise-ceiling: no triplets', (x) => ['noise-ceiling', x.empty], 'empty.txt: expected at least one answered triplet, found none'],
  ['noise-ceiling: no set answered twice', (x) => ['noise-ceiling', x.once], 'expected at least one set answered more than once'],
  ['similarity --context of one object', (x) => ['similarity', '--embedding', x.emb, '--context', x.oneObject, '--out', join(x.out, 's.npy')], '--context: expected at least 3 distinct objects'],
  ['rdm: NaN in the patterns', (x) => ['rdm', '--patterns', x.nanPatterns, '--measure', 'euclidean', '--out', join(x.out, 'r.npy')], 'nan.txt: expected finite values, found NaN at condition row 1, column 1'],
  ['rdm: Inf in the patterns', (x) => ['rdm', '--patterns', x.infPatterns, '--measure', 'correlation', '--out', join(x.out, 'r.npy')], 'inf.txt: expected finite values, found Infinity at condition row 2, column 2'],
  ['rdm: a constant pattern under correlation', (x) => ['rdm', '--patterns', x.constPatterns, '--measure', 'correlation', '--out', join(x.out, 'r.npy')], 'found NaN between conditions 0 and 1'],
  ['fit --lambda 1e300 diverges', (x) => ['fit', '--train', x.triplets, '--lambda', '1e300', '--epochs', '2', '--batch', '10', '--out', x.out], 'fit: seed 0 diverged', 'after progress'],
  // The remaining commands' sizes, bounded before any work (issue 13).
  ['sample --objects 1e12', (x) => ['sample', '--objects', '1000000000000', '--count', '5', '--out', join(x.out, 't.txt')], '--objects: expected at most 208063 (the most objects whose sets have exact codes'],
  ['sample-r48 --count 1e12', (x) => ['sample-r48', '--objects48', x.objects48, '--objects', '9', '--count', '1000000000000', '--out', join(x.out, 't.npy')], '--count: expected at most'],
  ['sample-r48 --count 1e8 (text)', (x) => ['sample-r48', '--objects48', x.objects48, '--objects', '9', '--count', '100000000', '--out', join(x.out, 't.txt')], 'characters one string may hold; write .npy for more'],
  ['sample-r48 --objects 1e12', (x) => ['sample-r48', '--objects48', x.objects48, '--objects', '1000000000000', '--out', join(x.out, 't.txt')], '--objects: expected at most 208063'],
  ['r48 --bootstrap 1e12', (x) => ['r48', '--objects48', x.objects48, '--answers', x.triplets, '--embedding', x.emb, '--bootstrap', '1000000000000'], '--bootstrap: expected at most'],
  ['consistency --bootstrap 1e12', (x) => ['consistency', '--model', x.triplets, '--human', x.triplets, '--objects48', x.objects48, '--objects', '9', '--bootstrap', '1000000000000'], '--bootstrap: expected at most'],
  ['consistency --objects 1e12', (x) => ['consistency', '--model', x.triplets, '--human', x.triplets, '--objects48', x.objects48, '--objects', '1000000000000'], '--objects: expected at most'],
  ['merge --permutations 1e12', (x) => ['merge', x.emb, x.emb, '--permutations', '1000000000000', '--out', join(x.out, 'm.npy')], '--permutations: expected at most'],
  ['merge --bootstraps 1e12', (x) => ['merge', x.emb, x.emb, '--bootstraps', '1000000000000', '--out', join(x.out, 'm.npy')], '--bootstraps: expected at most'],
  ['merge --top beyond the dims pooled', (x) => ['merge', x.emb, x.emb, '--top', '1000000000', '--out', join(x.out, 'm.npy')], '--top: expected at most 6 (the 6 dims pooled from 2 run(s))'],
  ['merge --include 1-1e12', (x) => ['merge', x.emb, x.emb, '--include', '1-1000000000000', '--out', join(x.out, 'm.npy')], '--include: expected positions in 1-6'],
  ['merge --references 1-1e12', (x) => ['merge', x.emb, x.emb, '--references', '1-1000000000000', '--out', join(x.out, 'm.npy')], '--references: expected positions in 1-2 (the runs given)'],
  ['fit --epochs 1e12', (x) => ['fit', '--train', x.triplets, '--batch', '10', '--epochs', '1000000000000', '--out', x.out], '--epochs: expected at most'],
  ['serve --latency 1e12', (x) => ['serve', '--observer', 'word-vectors', '--concepts', x.concepts, '--latency', '1000000000000'], '--latency: expected at most 2147483647 (the longest delay a Node timer holds'],
  ['serve --latency MAX below MIN', (x) => ['serve', '--observer', 'word-vectors', '--concepts', x.concepts, '--latency', '500-100'], '--latency: expected a range MIN-MAX with MIN ≤ MAX'],
  ['run --seeds 1e12 (before the seed list is made)', (x) => ['run', '--concepts', x.concepts, '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--triplets', '50', '--seeds', '1000000000000', '--out', x.out], '--seeds: expected at most'],
  ['run --seeds whose embeddings exceed memory', (x) => ['run', '--concepts', x.concepts, '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--triplets', '50', '--batch', '10', '--dims', '100000', '--seeds', '1000', '--out', x.out], '--seeds (fit.seeds): expected at most'],
  ['run --dims beyond memory', (x) => ['run', '--concepts', x.concepts, '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--triplets', '50', '--batch', '10', '--dims', '100000000', '--out', x.out], '--dims (fit.dims): expected at most'],
  ['demo --seeds 1e9', (x) => ['demo', '--seeds', '1000000000', '--out', x.out], '--seeds: expected at most'],
  ['demo --epochs 1e12', (x) => ['demo', '--epochs', '1000000000000', '--out', x.out], '--epochs: expected at most'],
  // The remaining commands' empty and degenerate inputs: errors naming the file, never NaN or an empty result.
  ['simulate: no sets', (x) => ['simulate', '--embedding', x.emb, '--triplets', x.empty, '--out', join(x.out, 'a.txt')], 'empty.txt: expected at least one object set to answer, found none'],
  ['simulate: an embedding with no dims', (x) => ['simulate', '--embedding', x.noDims, '--triplets', x.triplets, '--out', join(x.out, 'a.txt')], 'no-dims.npy: expected an embedding with at least one row and one column, found shape 9×0'],
  ['r48: no answers', (x) => ['r48', '--objects48', x.objects48, '--answers', x.empty, '--embedding', x.emb], 'empty.txt: expected at least one answered triplet, found none'],
  ['consistency: no answers', (x) => ['consistency', '--model', x.triplets, '--human', x.empty, '--objects48', x.objects48, '--objects', '9'], 'empty.txt: expected at least 2 answered triplets (one per split half), found none'],
  ['dims-needed: no triplets', (x) => ['dims-needed', x.emb, '--triplets', x.empty, '--method', 'per-object'], 'empty.txt: expected at least one answered triplet, found none'],
  ['dims-needed: every weight zero', (x) => ['dims-needed', x.zeros, '--triplets', x.triplets], 'zeros.npy: expected an embedding with at least one non-zero weight, found every weight 0'],
  ['correspondence: an all-zero dim in --third', (x) => ['correspondence', '--reference', x.emb, '--model', x.emb, '--third', x.zeros], 'zeros.npy dimension 0 (0-based): expected a dimension that varies over objects'],
  ['correspondence: two objects', (x) => ['correspondence', '--reference', x.twoObjects, '--model', x.twoObjects], 'two-objects.npy: expected at least 3 objects for a correlation, got 2'],
  ['merge: an all-zero dim', (x) => ['merge', x.emb, x.zeros, '--out', join(x.out, 'm.npy')], 'zeros.npy: expected dims that vary over objects (a constant one has no Pearson r), found dimension 0 (0-based) constant at 0'],
  ['merge: runs over different objects', (x) => ['merge', x.emb, x.twoObjects, '--out', join(x.out, 'm.npy')], 'two-objects.npy: 2 objects, but'],
  ['similarity: two objects and no --context', (x) => ['similarity', '--embedding', x.twoObjects, '--out', join(x.out, 's.npy')], 'two-objects.npy: expected at least 3 objects (S averages each pair over third objects'],
  ['similarity --objects of one object', (x) => ['similarity', '--embedding', x.emb, '--objects', x.oneObject, '--out', join(x.out, 's.npy')], 'one-object.txt: expected at least 2 distinct objects (one object has no pair to compare), found 1'],
  ['similarity of 50,000 objects (an n × n matrix)', () => ['similarity', '--embedding', manyObjects(), '--out', join(tempDir(), 's.npy')], '--embedding: expected at most'],
  ['dims-needed of 50,000 objects (an n × n similarity per level)', (x) => ['dims-needed', manyObjects(), '--triplets', x.triplets], 'many-objects.txt (objects): expected at most'],
  ['rsa: RDMs over 2 conditions (one pair)', (x) => ['rsa', '--model', x.twoConditions, '--brain', x.twoConditions], 'two-conditions.tsv: expected RDMs over at least 3 conditions (2 pairs to correlate), found 2 conditions'],
  ['sample --count beyond the distinct sets', (x) => ['sample', '--objects', '9', '--count', '100', '--out', join(x.out, 't.txt')], '--count: expected at most 84 (the C(9, 3) distinct sets of 9 objects; --allow-duplicates for more), got 100'],
  ['sample --split leaving an empty part', (x) => ['sample', '--objects', '9', '--count', '2', '--split', '0.99', '--out', join(x.out, 't.txt')], '--split: expected a fraction leaving at least one of the 2 triplets in each part (train 2, validation 0)'],
  ['merge: a folder with no runs', (x) => ['merge', x.folder, '--out', join(x.out, 'm.npy')], 'a-folder.nii.gz: cannot read: no embedding.npy here nor in seed-*/ run folders'],
  ['rdm: one condition', (x) => ['rdm', '--patterns', x.onePattern, '--measure', 'euclidean', '--out', join(x.out, 'r.npy')], 'one-pattern.txt: expected at least 2 conditions (rows) and 1 channel (column), found shape 1×3'],
  ['encode: responses with no voxels', (x) => ['encode', '--embedding', x.features, '--patterns', x.noVoxels, '--out', x.out], 'no-voxels.npy: expected at least one voxel (column), found shape 10×0'],
  // Laxity: what would be silently ignored or misread is refused.
  ['fit --seeds 1,,2', (x) => ['fit', '--train', x.triplets, '--seeds', '1,,2', '--out', x.out], '--seeds: expected a comma-separated list of non-negative integers, no empty items'],
  ['fit --seeds 1,1', (x) => ['fit', '--train', x.triplets, '--seeds', '1,1', '--out', x.out], '--seeds: expected each seed once'],
  ['fit --resume --overwrite', (x) => ['fit', '--train', x.triplets, '--resume', '--overwrite', '--out', x.out], 'either --resume (continue the runs) or --overwrite (start afresh), not both'],
  ['sample --anchors with the uniform design', (x) => ['sample', '--objects', '9', '--count', '5', '--anchors', x.anchors, '--out', join(x.out, 't.txt')], '--anchors: expected --design anchor (the uniform design takes no anchors)'],
  ['sample --allow-duplicates with the balanced design', (x) => ['sample', '--objects', '9', '--count', '5', '--design', 'balanced', '--allow-duplicates', '--out', join(x.out, 't.txt')], '--allow-duplicates: expected --design uniform'],
  // annotate's sizes: bounded before the journal or a request (a poll interval beyond Node's longest timer fired at once).
  ['annotate --poll-interval beyond the longest timer', (x) => ['annotate', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--concepts', x.concepts, '--triplets', x.triplets, '--journal', join(x.out, 'j.sqlite'), '--batch', '--poll-interval', '4294967296'], '--poll-interval must be an integer in [1, 2147483647]'],
  ['annotate --max-attempts 1e6', (x) => ['annotate', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--concepts', x.concepts, '--triplets', x.triplets, '--journal', join(x.out, 'j.sqlite'), '--max-attempts', '1000000'], '--max-attempts must be an integer in [1, 100]'],
  ['annotate --reask 1e6', (x) => ['annotate', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--concepts', x.concepts, '--triplets', x.triplets, '--journal', join(x.out, 'j.sqlite'), '--reask', '1000000'], '--reask must be an integer in [0, 100]'],
  // Usage errors are one line too.
  ['a usage error (not an integer)', (x) => ['sample', '--objects', '9', '--count', 'many', '--out', join(x.out, 't.txt')], '--count must be an integer, got "many" (run with --help for usage)'],
];

describe('bad input: exit ≠ 0, one line on stderr, nothing written, under 5 s', () => {
  // A rest parameter: jest reads a callback with more parameters than a row has columns as taking done().
  test.each(CASES)('%s', (...[, argv, fragment, progress]) => {
    const dir = tempDir();
    const x = fixtures(dir);
    const before = snapshot(dir);
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [BIN, ...argv(x)], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', CONCEPTLAB_DEBUG: '' }, timeout: 20_000 });
    const seconds = (performance.now() - t0) / 1000;
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    let lines = r.stderr.split('\n').filter((l) => l !== '');
    // A fit that diverged has run: its progress lines come first, then the one error line.
    if (progress) lines = lines.filter((l) => !/^fit seed \d+: /.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(fragment);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe('');
    expect(snapshot(dir)).toEqual(before);
    expect(seconds).toBeLessThan(5);
  });

  test('with --json an error is one JSON line naming its tag', () => {
    const dir = tempDir();
    const x = fixtures(dir);
    const r = spawnSync(process.execPath, [BIN, 'evaluate', '--embedding', x.emb, '--triplets', x.empty, '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ error: { tag: 'ParseError', file: x.empty } });
  });
});

describe('a value the data do not define is labelled "undefined" (null with a reason in --json), never NaN', () => {
  const run = (argv: string[]) => spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });

  test('dims-needed --method per-object: a summary over no object', () => {
    const x = fixtures(tempDir());
    const argv = ['dims-needed', x.emb, '--triplets', x.triplets, '--method', 'per-object'];
    const text = run(argv);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('accuracy median undefined (no object has triplets and a full accuracy above chance)');
    expect(text.stdout).not.toMatch(/NaN/);
    const json = JSON.parse(run([...argv, '--json']).stdout) as { summary: { accuracy: { median: number | null; undefined?: string } }[] };
    expect(json.summary[0]!.accuracy).toMatchObject({ median: null, mean: null, objects: 0, undefined: 'no object has triplets and a full accuracy above chance' });
  });

  test('noise-ceiling: one set answered more than once has no CI (no spread over sets)', () => {
    const rep = writeText(tempDir(), 'one-repeated-set.txt', '0 1 2\n0 2 1\n');
    const text = run(['noise-ceiling', rep]);
    expect(text.status).toBe(0);
    expect(text.stdout).toBe('noise ceiling: 50.00% ± undefined (95% CI; 1 set answered more than once: no spread over sets) over 1 sets, 2 answers\n');
    expect(JSON.parse(run(['noise-ceiling', rep, '--json']).stdout)).toMatchObject({ percent: 50, ci95: null, ci95Undefined: '1 set answered more than once: no spread over sets' });
  });

  test("rsa --method kendall with a constant model RDM (tau-b undefined, as scipy's)", () => {
    const dir = tempDir();
    const x = fixtures(dir);
    const constant = writeText(dir, 'constant.tsv', Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => (i === j ? 0 : 1)).join('\t')).join('\n') + '\n');
    const argv = ['rsa', '--model', constant, '--brain', x.brain, '--method', 'kendall'];
    const text = run(argv);
    expect(text.status).toBe(0);
    expect(text.stdout).toBe('constant: mean kendall undefined over 1 brain RDMs (kendall undefined for 1 of them, e.g. a constant RDM)\n');
    const json = JSON.parse(run([...argv, '--json']).stdout) as { values: (number | null)[][]; undefined: string };
    expect(json.values).toEqual([[null]]);
    expect(json.undefined).toMatch(/kendall is not defined/);
  });
});

describe('an unexpected error (a bug) is one line with "please report", exit 70', () => {
  const capture = () => {
    const err: string[] = [];
    return { err, io: { stdout: () => undefined, stderr: (s: string) => void err.push(s), stderrIsTty: false } };
  };
  const bug = new TypeError("Cannot read properties of undefined (reading 'rows')\n  second line");

  test('human: the command named, the message on one line, no stack', () => {
    const { err, io } = capture();
    const saved = process.env.CONCEPTLAB_DEBUG;
    delete process.env.CONCEPTLAB_DEBUG;
    try {
      expect(printInternalError(io, false, 'fit', bug)).toBe(70);
    } finally {
      if (saved !== undefined) process.env.CONCEPTLAB_DEBUG = saved;
    }
    expect(err.join('')).toBe(
      "conceptlab fit: internal error: Cannot read properties of undefined (reading 'rows') second line — please report this at https://github.com/conceptlab/conceptlab/issues\n",
    );
  });

  test('--json: one { error: { tag: "InternalError", message, report, command } } line; CONCEPTLAB_DEBUG=1 adds the stack', () => {
    const { err, io } = capture();
    const saved = process.env.CONCEPTLAB_DEBUG;
    process.env.CONCEPTLAB_DEBUG = '1';
    try {
      expect(printInternalError(io, true, 'rdm', bug)).toBe(70);
      const human = capture();
      printInternalError(human.io, false, 'rdm', bug);
      expect(human.err.join('')).toMatch(/please report this at .*\nTypeError: Cannot read properties/);
    } finally {
      if (saved === undefined) delete process.env.CONCEPTLAB_DEBUG;
      else process.env.CONCEPTLAB_DEBUG = saved;
    }
    expect(err).toHaveLength(1);
    expect(JSON.parse(err[0]!)).toMatchObject({ error: { tag: 'InternalError', command: 'rdm', report: 'https://github.com/conceptlab/conceptlab/issues', stack: expect.stringContaining('TypeError') } });
  });

  test('the built binary: an unknown command is a one-line usage error (exit 2)', () => {
    const r = spawnSync(process.execPath, [BIN, 'no-such-command'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  });
});
