// Shared pieces of the benchmarks: a seeded generator, timing, and the machine facts every JSON line carries.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, readNpy, writeNpy } from '@conceptlab/core';

/** mulberry32: a tiny seeded generator, so a bench needs nothing beyond the built packages. */
export function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The RSA comparison benches' inputs: two related RDM vectors over `conditions` conditions with continuous
 * dissimilarities (as correlation distances), plus a few exact ties (every 101st pair of b is 1). Seeded (mulberry32(2)).
 */
export function relatedRdmVectors(conditions) {
  const rand = mulberry32(2);
  const pairs = (conditions * (conditions - 1)) / 2;
  const a = new Float64Array(pairs);
  const b = new Float64Array(pairs);
  for (let k = 0; k < pairs; k++) {
    a[k] = rand() * 2;
    b[k] = k % 101 === 0 ? 1 : a[k] * 0.5 + rand();
  }
  return { a, b };
}

// The median of timings is core's (np.median: the mean of the two middle values for an even count).
import { median } from '@conceptlab/core/stats';
export { median };
export const round3 = (x) => Math.round(x * 1000) / 1000;

/** Run `fn` `repeats` times (awaiting it); the seconds of each run, their median, and the last result. */
export async function timeRuns(repeats, fn) {
  const runs = [];
  let last;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    last = await fn();
    runs.push((performance.now() - t0) / 1000);
  }
  return { runs: runs.map(round3), seconds: round3(median(runs)), last };
}

/**
 * The in-run anchor of an RSA bench: writes `inputs` ({ name: { dtype, shape, data } }) as .npy files into a
 * temporary folder, runs `python3 reference/rsa_anchor.py task folder repeats warmup` (numpy/scipy doing
 * rsatoolbox's computation; `$PYTHON` overrides the interpreter) and returns its JSON (with `vector`, the
 * RDM it wrote, for the RDM tasks), or `{ anchor: null, reason }` when Python, numpy or scipy is missing or
 * the script fails — never a made-up time.
 */
export function runAnchor(task, inputs, repeats, warmup = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'rsa-anchor-'));
  try {
    for (const [name, arr] of Object.entries(inputs)) writeNpy(join(dir, `${name}.npy`), arr);
    const script = join(dirname(fileURLToPath(import.meta.url)), 'reference', 'rsa_anchor.py');
    const python = process.env.PYTHON ?? 'python3';
    const res = spawnSync(python, [script, task, dir, String(repeats), String(warmup)], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    if (res.error) return { anchor: null, reason: `${python} could not run: ${res.error.message}` };
    if (res.status !== 0) {
      const last = res.stderr.trim().split('\n').pop() ?? '';
      return { anchor: null, reason: `${python} rsa_anchor.py exited ${res.status}: ${last}` };
    }
    const anchor = JSON.parse(res.stdout);
    if (anchor.file) anchor.vector = readNpy(join(dir, anchor.file)).data;
    return { anchor };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Whether our numbers are the anchor's: the largest |ours − anchor| / |anchor| over the values (NaN must
 * match NaN), and `agree` when it is at most `rel` (default 1e-9).
 */
export function agreement(ours, anchor, rel = 1e-9) {
  if (ours.length !== anchor.length) return { agree: false, maxRelDiff: null };
  let worst = 0;
  for (let k = 0; k < ours.length; k++) {
    const a = ours[k];
    const b = anchor[k];
    if (Number.isNaN(a) || Number.isNaN(b) || a === null || b === null) {
      if (!(Number.isNaN(a) || a === null) || !(Number.isNaN(b) || b === null)) return { agree: false, maxRelDiff: null };
      continue;
    }
    const d = a === b ? 0 : Math.abs(a - b) / Math.abs(b);
    if (d > worst) worst = d;
  }
  return { agree: worst <= rel, maxRelDiff: Number(worst.toPrecision(3)) };
}

/** The anchor's time over ours (how many times faster we are), to 2 significant decimals. */
export const ratioOf = (anchorSeconds, seconds) => Math.round((anchorSeconds / seconds) * 100) / 100;

/** Load and cores, so noisy numbers can be read in context. */
export function machine() {
  return { loadAverage1m: Math.round(loadavg()[0] * 100) / 100, cpus: availableParallelism() };
}

/** A pool of `count` batches of B triplets of 3 distinct objects of nObjects (cycled through by the SPoSE step benches). */
export function tripletBatches(nObjects, B, count, seed) {
  const rng = createRng(seed, 1);
  return Array.from({ length: count }, () => {
    const b = new Int32Array(3 * B);
    for (let t = 0; t < B; t++) b.set(rng.sampleWithoutReplacement(nObjects, 3), 3 * t);
    return b;
  });
}

/**
 * The PyTorch reference's SPoSE training step timed in this run (reference/spose_torch_step.py: ViCCo-Group/SPoSE's
 * loop with its torch calls), or `{ skipped }` where python3 has no torch. `threads` 0 leaves torch's default.
 */
export function torchSposeAnchor({ device, batches, seconds, threads = 0, objects = 1854, dims = 100 }) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'reference', 'spose_torch_step.py');
  const args = [script, '--device', device, '--batches', batches.join(','), '--seconds', String(seconds), '--objects', String(objects), '--dims', String(dims), '--threads', String(threads)];
  const r = spawnSync('python3', args, { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return { skipped: `python3 reference/spose_torch_step.py --device ${device} failed (status ${r.status}): ${(r.stderr || String(r.error ?? '')).trim().split('\n').slice(-1)[0]}` };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/**
 * A SPoSE engine's synchronous steps over a pool of batches: `warmup` steps, then steps until `seconds` have passed
 * (at least `minSteps`). Returns the timed steps, their milliseconds and the last step's loss.
 */
export function timeEngineSteps(engine, batches, { seconds, warmup, minSteps }) {
  let s = 0;
  for (let i = 0; i < warmup; i++) engine.step(batches[s++ % batches.length]);
  let steps = 0, last, ms = 0;
  const t0 = performance.now();
  while (steps < minSteps || ms < seconds * 1000) {
    last = engine.step(batches[s++ % batches.length]);
    steps++;
    ms = performance.now() - t0;
  }
  return { steps, ms, last };
}
