import type { ProgressEvent } from '../progress.js';

/** A duration for people: `42s`, `3m05s`, `2h07m` (rounded to the second). */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * One progress line for a {@link ProgressEvent}: `task: 1,200/4,700 triplets (25.5%) 3,400/s ETA 1s` — counts
 * (with the total and percent when known), the rate, the ETA (or `in <elapsed>` at the end), then each detail
 * as `key=value` (numbers to 4 significant digits).
 */
export function formatProgress(e: ProgressEvent): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  let s = `${e.task}: ${n(e.done)}`;
  if (e.total !== undefined) s += `/${n(e.total)}`;
  s += ` ${e.unit}`;
  if (e.total) s += ` (${((100 * e.done) / e.total).toFixed(1)}%)`;
  if (e.rate > 0) s += ` ${n(e.rate)}/s`;
  if (e.phase === 'end') s += ` in ${formatDuration(e.elapsedMs)}`;
  else if (e.etaMs !== undefined) s += ` ETA ${formatDuration(e.etaMs)}`;
  if (e.detail) for (const [k, v] of Object.entries(e.detail)) s += ` ${k}=${typeof v === 'number' ? +v.toPrecision(4) : v}`;
  return s;
}
