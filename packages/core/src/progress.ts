/**
 * Progress of a long job. Libraries emit these; the CLI renders them (a line with counts, rate and ETA,
 * or JSON lines). Libraries never print.
 */
export interface ProgressEvent {
  /** What is running, e.g. "sample", "annotate", "fit seed 3". */
  readonly task: string;
  readonly phase: 'start' | 'update' | 'end';
  /** Units done so far. */
  readonly done: number;
  /** Units in all, when known. */
  readonly total?: number;
  /** What a unit is ("triplets", "requests", "epochs"). */
  readonly unit: string;
  readonly elapsedMs: number;
  /** Units per second since the start. */
  readonly rate: number;
  /** Estimated milliseconds left, when total is known and the rate is positive. */
  readonly etaMs?: number;
  /** Extra numbers worth showing (tokens, cost, loss …). */
  readonly detail?: Readonly<Record<string, number | string>>;
}

export type ProgressListener = (event: ProgressEvent) => void;

export interface ProgressReporter {
  /** Set the count of units done (not an increment), with optional details. */
  update(done: number, detail?: Record<string, number | string>): void;
  /** Emit the final event. */
  end(detail?: Record<string, number | string>): void;
}

export interface ProgressOptions {
  readonly total?: number;
  readonly unit?: string;
  /** Minimum milliseconds between update events (default 250). The start and end always emit. */
  readonly minIntervalMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** A reporter for one task; `listener` may be undefined, in which case nothing is emitted. */
export function createProgress(task: string, listener: ProgressListener | undefined, options: ProgressOptions = {}): ProgressReporter {
  const now = options.now ?? (() => performance.now());
  const unit = options.unit ?? 'items';
  const total = options.total;
  const minInterval = options.minIntervalMs ?? 250;
  const t0 = now();
  let last = -Infinity;
  let lastDone = 0;
  let ended = false;

  const emit = (phase: ProgressEvent['phase'], done: number, detail?: Record<string, number | string>): void => {
    if (!listener) return;
    const elapsedMs = now() - t0;
    const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
    const etaMs = total !== undefined && rate > 0 ? (Math.max(0, total - done) * 1000) / rate : undefined;
    listener({ task, phase, done, total, unit, elapsedMs, rate, etaMs, detail });
  };

  emit('start', 0);
  return {
    update(done, detail) {
      lastDone = done;
      const t = now();
      if (t - last < minInterval) return;
      last = t;
      emit('update', done, detail);
    },
    end(detail) {
      if (ended) return;
      ended = true;
      emit('end', total ?? lastDone, detail);
    },
  };
}
