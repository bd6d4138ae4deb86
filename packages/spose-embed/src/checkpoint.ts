/**
 * Checkpoints of a SPoSE fit (see fit.ts): the complete optimisation state at an epoch boundary, so a
 * resumed run continues bit-for-bit.
 *
 * Files in the run's directory, each written atomically, the JSON last:
 *   weights.npy, adam_m.npy, adam_v.npy   float32, shape (nObjects, dims)
 *   checkpoint.json                       config, fingerprint, epoch, Adam step, the data-order RNG state,
 *                                         the per-epoch records so far, and the sha256 of each array
 * A crash between the writes leaves arrays that do not match checkpoint.json's hashes; loading then fails
 * with a ParseError instead of silently mixing two epochs.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConceptlabError, ParseError, readFileText, readNpy, writeFileAtomic, writeNpy } from '@conceptlab/core';
import type { EngineState } from './engine.js';

export const CHECKPOINT_FILE = 'checkpoint.json';
export const CHECKPOINT_ARRAYS = { weights: 'weights.npy', m: 'adam_m.npy', v: 'adam_v.npy' } as const;
const FORMAT = 'conceptlab-spose-checkpoint';
const VERSION = 1;

/** A resumed run whose settings differ from the checkpoint's: names the setting and both values. */
export class CheckpointMismatchError extends ConceptlabError {
  readonly _tag = 'CheckpointMismatchError' as const;
  readonly file: string;
  readonly field: string;
  readonly checkpointValue: unknown;
  readonly currentValue: unknown;
  constructor(file: string, field: string, checkpointValue: unknown, currentValue: unknown) {
    super(
      `${file}: the checkpoint was made with ${field} = ${JSON.stringify(checkpointValue)}, but this run has ` +
        `${field} = ${JSON.stringify(currentValue)}; resume with the checkpoint's settings or use another directory`,
    );
    this.name = 'CheckpointMismatchError';
    this.file = file;
    this.field = field;
    this.checkpointValue = checkpointValue;
    this.currentValue = currentValue;
  }
}

/** sha256 (hex) of a typed array's bytes (host byte order: little-endian on every supported platform). */
export function hashBytes(a: ArrayBufferView): string {
  return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}

/** Plain JSON values only (the fingerprint fields). */
export type FingerprintFields = Readonly<Record<string, string | number | boolean | null>>;

/** sha256 of the canonical JSON of the fields (keys sorted). */
export function fingerprintOf(fields: FingerprintFields): string {
  const canonical = JSON.stringify(Object.keys(fields).sort().map((k) => [k, fields[k]]));
  return createHash('sha256').update(canonical).digest('hex');
}

export interface CheckpointData<Config, Rec> {
  readonly config: Config;
  readonly fingerprint: string;
  readonly fingerprintFields: FingerprintFields;
  /** Epochs completed. */
  readonly epoch: number;
  readonly state: EngineState;
  /** The data-order generator's state after `epoch` epochs. */
  readonly rngState: readonly number[];
  readonly records: readonly Rec[];
  /** Set when the run ended (e.g. "completed", "early-stopping"). */
  readonly finished: string | null;
}

/** Whether a process with this id is running (signal 0 probes without signalling; EPERM means it exists). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the temporary files `writeFileAtomic` leaves (`.<name>.<pid>.<hex>.tmp`) when its process or worker
 * is killed between writing and renaming (kill -9, a terminated worker): those of this process, which writes
 * nothing in `dir` before a run starts, and of processes no longer running. A run calls this before it writes
 * anything, so a resumed run leaves no `.results.json.*.tmp` behind. Returns the names removed.
 */
export function removeStaleTempFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && processAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

export function checkpointExists(dir: string): boolean {
  return existsSync(join(dir, CHECKPOINT_FILE));
}

/** Write the arrays, then checkpoint.json (each atomically). */
export function writeCheckpoint<Config, Rec>(dir: string, cp: CheckpointData<Config, Rec>, nObjects: number, dims: number): void {
  const arrays: Record<string, { file: string; sha256: string }> = {};
  for (const key of ['weights', 'm', 'v'] as const) {
    const data = key === 'weights' ? cp.state.weights : cp.state[key];
    const file = CHECKPOINT_ARRAYS[key];
    writeNpy(join(dir, file), { dtype: 'f4', shape: [nObjects, dims], data });
    arrays[key] = { file, sha256: hashBytes(data) };
  }
  const json = {
    format: FORMAT,
    version: VERSION,
    fingerprint: cp.fingerprint,
    fingerprintFields: cp.fingerprintFields,
    epoch: cp.epoch,
    step: cp.state.step,
    rngState: Array.from(cp.rngState),
    finished: cp.finished,
    arrays,
    config: cp.config,
    records: cp.records,
  };
  writeFileAtomic(join(dir, CHECKPOINT_FILE), JSON.stringify(json, null, 1) + '\n');
}

/**
 * Read a checkpoint, refusing one made with different settings: every field of `expected` must equal
 * the checkpoint's (CheckpointMismatchError naming the first that differs, with both values).
 * @throws FileError when a file cannot be read; ParseError for a malformed checkpoint or arrays that do
 *   not match checkpoint.json.
 */
export function readCheckpoint<Config, Rec>(dir: string, expected: FingerprintFields, nObjects: number, dims: number): CheckpointData<Config, Rec> {
  const file = join(dir, CHECKPOINT_FILE);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileText(file));
  } catch (e) {
    if (e instanceof ConceptlabError) throw e;
    throw new ParseError({ file }, 'a JSON checkpoint', (e as Error).message);
  }
  if (json === null || typeof json !== 'object' || json.format !== FORMAT) throw new ParseError({ file }, `a "${FORMAT}" file`, String(json?.format));
  if (json.version !== VERSION) throw new ParseError({ file }, `version ${VERSION}`, String(json.version));
  const fields = json.fingerprintFields as Record<string, unknown> | undefined;
  if (!fields || typeof fields !== 'object') throw new ParseError({ file }, 'fingerprintFields');
  for (const key of Object.keys(expected)) {
    if (fields[key] !== expected[key]) throw new CheckpointMismatchError(file, key, fields[key], expected[key]);
  }
  // A field only some runs carry (a warm start's hash, a learning-rate schedule), present in the checkpoint only.
  for (const key of Object.keys(fields)) {
    if (!(key in expected)) throw new CheckpointMismatchError(file, key, fields[key], '(none)');
  }
  if (json.fingerprint !== fingerprintOf(expected)) throw new CheckpointMismatchError(file, 'fingerprint', json.fingerprint, fingerprintOf(expected));
  const epoch = json.epoch, step = json.step, rngState = json.rngState;
  if (!Number.isSafeInteger(epoch) || (epoch as number) < 0) throw new ParseError({ file }, 'a non-negative integer epoch', String(epoch));
  if (!Number.isSafeInteger(step) || (step as number) < 0) throw new ParseError({ file }, 'a non-negative integer step', String(step));
  if (!Array.isArray(rngState) || rngState.length !== 4 || !rngState.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)) {
    throw new ParseError({ file }, 'rngState: 4 unsigned 32-bit integers', JSON.stringify(rngState));
  }
  if (!Array.isArray(json.records) || json.records.length !== epoch) throw new ParseError({ file }, `${epoch} epoch records`, String((json.records as unknown[] | undefined)?.length));
  const arrays = json.arrays as Record<string, { file: string; sha256: string }> | undefined;
  const load = (key: 'weights' | 'm' | 'v'): Float32Array => {
    const meta = arrays?.[key];
    const npyFile = join(dir, CHECKPOINT_ARRAYS[key]);
    if (!meta || meta.file !== CHECKPOINT_ARRAYS[key]) throw new ParseError({ file }, `arrays.${key} naming ${CHECKPOINT_ARRAYS[key]}`);
    const a = readNpy(npyFile);
    if (a.dtype !== 'f4' || a.shape.length !== 2 || a.shape[0] !== nObjects || a.shape[1] !== dims) {
      throw new ParseError({ file: npyFile }, `a float32 array of shape (${nObjects}, ${dims})`, `${a.dtype} (${a.shape.join(', ')})`);
    }
    const data = a.data as Float32Array;
    if (hashBytes(data) !== meta.sha256) {
      throw new ParseError({ file: npyFile }, `the array ${CHECKPOINT_FILE} describes (sha256 ${meta.sha256.slice(0, 12)}…); the checkpoint write was interrupted`, 'different bytes');
    }
    return data;
  };
  const state: EngineState = { weights: load('weights'), m: load('m'), v: load('v'), step: step as number };
  return {
    config: json.config as Config,
    fingerprint: json.fingerprint as string,
    fingerprintFields: fields as FingerprintFields,
    epoch: epoch as number,
    state,
    rngState: rngState as number[],
    records: json.records as Rec[],
    finished: typeof json.finished === 'string' ? json.finished : null,
  };
}
