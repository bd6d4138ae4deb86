/**
 * `annotate merge`: join the journals of a sharded run (or of partial runs over the same list) into one.
 *
 * - The journals' configurations must be equal except for `shard` (else JournalConfigMismatchError
 *   naming the key and the journal).
 * - Rows are united. A row may be asked (answered, unparsed, failed, or with HTTP attempts) in one
 *   journal only: two journals that asked the same rows — two complete runs of one list, the same shard
 *   twice — are refused (JournalOverlapError naming both files), since merging them would count attempts
 *   and retries twice; two final states that differ are reported as a JournalConflictError (naming the
 *   row and both journals). A row pending in one journal takes the other's state.
 * - Every HTTP attempt and every re-asked reply is kept; Batch API ids are carried over, so a batch a
 *   shard started can still be collected into the merged journal.
 * The merged journal is built in a temporary file and renamed into place; an existing output is refused.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InvalidArgumentError, shardRowCount } from '@conceptlab/core';
import { JournalConfigMismatchError, JournalConflictError, JournalExistsError, JournalOverlapError } from './errors.js';
import {
  configDifference,
  initJournalDatabase,
  openJournalDatabase,
  openJournalReadOnly,
  type JournalConfig,
  type JournalCounts,
} from './journal/index.js';

export interface MergeResult extends JournalCounts {
  readonly file: string;
  readonly inputs: readonly string[];
  /** Rows present in more than one input (pending in all but at most one: overlapping asks are refused). */
  readonly duplicateRows: number;
}

const RANK = (t: string): string => `CASE ${t}.status WHEN 'pending' THEN 0 WHEN 'failed' THEN 1 ELSE 2 END`;

/**
 * Merge `inputs` into a new journal `out`.
 * @throws InvalidArgumentError (no inputs, an input twice); JournalExistsError (out exists);
 *   JournalConfigMismatchError; JournalConflictError; JournalOverlapError (rows asked in two inputs);
 *   JournalFormatError (an input is not a journal).
 */
export function mergeJournals(inputs: readonly string[], out: string): MergeResult {
  if (inputs.length === 0) throw new InvalidArgumentError('inputs', 'at least one journal');
  const abs = inputs.map((f) => resolve(f));
  if (new Set(abs).size !== abs.length) throw new InvalidArgumentError('inputs', 'distinct journal files', inputs.join(', '));
  if (abs.includes(resolve(out))) throw new InvalidArgumentError('out', 'a new file (not one of the inputs)', out);
  if (existsSync(out)) throw new JournalExistsError(out);

  const configs: JournalConfig[] = [];
  const batchLists: unknown[][] = [];
  for (const f of inputs) {
    const j = openJournalReadOnly(f);
    try {
      configs.push(j.config);
      const b = j.getMeta('batches');
      batchLists.push(b ? (JSON.parse(b) as unknown[]) : []);
    } finally {
      j.close();
    }
  }
  const first = configs[0];
  for (let i = 1; i < configs.length; i++) {
    const d = configDifference(first as unknown as Record<string, unknown>, configs[i] as unknown as Record<string, unknown>, ['shard']);
    if (d) throw new JournalConfigMismatchError(inputs[0], d.key, d.stored, d.requested, `${inputs[i]} has`);
  }
  const sameShard = configs.every((c) => JSON.stringify(c.shard) === JSON.stringify(first.shard));
  const config: JournalConfig = { ...first, shard: sameShard ? first.shard : null };

  const dir = dirname(resolve(out));
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(out)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const db = openJournalDatabase(tmp);
  let duplicateRows = 0;
  let ok = false;
  try {
    db.transaction(() => initJournalDatabase(db, config))();
    inputs.forEach((file, i) => {
      db.prepare('ATTACH DATABASE ? AS src').run(abs[i]);
      try {
        db.transaction(() => {
          const conflict = db
            .prepare(
              `SELECT i.row, o.status, o.choice_position, i.status, i.choice_position FROM src.items i JOIN main.items o ON o.row = i.row
                WHERE o.status IN ('answered', 'unparsed') AND i.status IN ('answered', 'unparsed')
                  AND (o.status != i.status OR o.choice_position IS NOT i.choice_position) LIMIT 1`,
            )
            .raw()
            .get() as [number, string, number | null, string, number | null] | undefined;
          if (conflict) {
            const [row, s0, c0, s1, c1] = conflict;
            const earlier = inputs.slice(0, i).find((f) => {
              const j = openJournalReadOnly(f);
              try {
                const it = j.item(row);
                return it !== undefined && it.status === s0 && it.choicePosition === c0;
              } finally {
                j.close();
              }
            });
            const what = (s: string, c: number | null): string => (s === 'answered' ? `answered position ${c}` : s);
            throw new JournalConflictError(row, [earlier ?? inputs[0], file], `${what(s0, c0)} vs ${what(s1, c1)}`);
          }
          const asked = (t: string): string => `(${t}.status != 'pending' OR ${t}.attempts > 0)`;
          const overlap = db
            .prepare(`SELECT count(*), min(i.row) FROM src.items i JOIN main.items o ON o.row = i.row WHERE ${asked('i')} AND ${asked('o')}`)
            .raw()
            .get() as [number, number | null];
          if (overlap[0] > 0) {
            const row = overlap[1]!;
            const earlier = inputs.slice(0, i).find((f) => {
              const j = openJournalReadOnly(f);
              try {
                const it = j.item(row);
                return it !== undefined && (it.status !== 'pending' || it.attempts > 0);
              } finally {
                j.close();
              }
            });
            throw new JournalOverlapError([earlier ?? inputs[0], file], overlap[0], row);
          }
          duplicateRows += db.prepare('SELECT count(*) FROM src.items i JOIN main.items o ON o.row = i.row').pluck().get() as number;
          db.prepare(
            `INSERT OR REPLACE INTO main.items SELECT i.* FROM src.items i LEFT JOIN main.items o ON o.row = i.row
              WHERE o.row IS NULL OR ${RANK('i')} > ${RANK('o')}`,
          ).run();
          db.prepare(
            `INSERT INTO main.attempts (row, attempt, ask, status_code, error, latency_ms, time)
             SELECT row, attempt, ask, status_code, error, latency_ms, time FROM src.attempts ORDER BY id`,
          ).run();
          db.prepare('INSERT OR IGNORE INTO main.reasks SELECT * FROM src.reasks').run();
        })();
      } finally {
        db.prepare('DETACH DATABASE src').run();
      }
    });
    const batches = batchLists.flat();
    const setMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    if (batches.length > 0) setMeta.run('batches', JSON.stringify(batches));
    setMeta.run('merged_from', JSON.stringify(inputs.map((f, i) => ({ file: f, shard: configs[i].shard }))));
    ok = true;
  } finally {
    db.close();
    if (!ok) for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  }
  renameSync(tmp, out);
  const j = openJournalReadOnly(out);
  try {
    const counts = j.counts();
    return { file: out, inputs: [...inputs], duplicateRows, ...counts, total: shardRowCount(config.tripletsCount, config.shard) };
  } finally {
    j.close();
  }
}
