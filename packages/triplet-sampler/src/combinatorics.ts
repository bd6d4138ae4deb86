/** C(n, 2), exact for n < 2^26. */
export function choose2(n: number): number {
  return n < 2 ? 0 : (n * (n - 1)) / 2;
}

/** C(n, 3), exact for the n that set codes allow (n ≤ {@link MAX_OBJECTS}). */
export function choose3(n: number): number {
  return n < 3 ? 0 : (n * (n - 1) * (n - 2)) / 6;
}

/**
 * The largest object count for which a sorted set's code a·n² + b·n + c stays below 2^53 (so it is
 * an exact double): 208,063.
 */
export const MAX_OBJECTS = 208063;
