import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParseError, writeFileAtomic } from '@conceptlab/core';

/** Where a stage records that it finished: `<out>/stages/<name>.json`. */
export function stageMarker(outDir: string, name: string): string {
  return join(outDir, 'stages', `${name}.json`);
}

/** What a finished stage recorded. */
export interface StageRecord<T> {
  readonly stage: string;
  /** A hash of everything the stage's output depends on (its parameters and the stages before it). */
  readonly key: string;
  readonly finishedAt: string;
  readonly seconds: number;
  readonly result: T;
}

/** A key for a stage: a SHA-256 of its inputs as canonical JSON (object keys sorted). */
export function stageKey(...parts: unknown[]): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
        : v;
  return createHash('sha256').update(JSON.stringify(canonical(parts))).digest('hex').slice(0, 16);
}

/** How a stage went: run now, or skipped because its recorded output was complete. */
export interface StageOutcome<T> {
  readonly result: T;
  readonly skipped: boolean;
  readonly seconds: number;
}

/**
 * Run a pipeline stage once: when `<out>/stages/<name>.json` records the same key, the stage is complete
 * and its recorded result is returned without running it; otherwise `run` runs (it must itself resume
 * from whatever partial output it left, e.g. a journal or checkpoints) and the marker is written
 * atomically afterwards — a stage killed midway has no marker and runs again.
 */
export async function runStage<T>(outDir: string, name: string, key: string, run: () => Promise<T> | T): Promise<StageOutcome<T>> {
  const marker = stageMarker(outDir, name);
  if (existsSync(marker)) {
    let rec: StageRecord<T>;
    try {
      rec = JSON.parse(readFileSync(marker, 'utf8')) as StageRecord<T>;
    } catch (e) {
      throw new ParseError({ file: marker }, 'a stage record (JSON)', (e as Error).message);
    }
    if (rec.key === key) return { result: rec.result, skipped: true, seconds: rec.seconds };
  }
  const t0 = performance.now();
  const result = await run();
  const seconds = (performance.now() - t0) / 1000;
  mkdirSync(join(outDir, 'stages'), { recursive: true });
  const rec: StageRecord<T> = { stage: name, key, finishedAt: new Date().toISOString(), seconds, result };
  writeFileAtomic(marker, JSON.stringify(rec, null, 2) + '\n');
  return { result, skipped: false, seconds };
}
