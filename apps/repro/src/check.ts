/** One reproduced number next to its reference. */
export interface Check {
  /** What was reproduced, e.g. "human noise ceiling (%)". */
  readonly name: string;
  readonly value: number;
  /** The published or independently computed value. */
  readonly reference: number;
  /** Where the reference comes from (the paper, an independent numpy computation, the generating embedding…). */
  readonly source: string;
  /** How far `value` may be from `reference` (absolute), or a one-sided bound. */
  readonly tolerance: number;
  /** 'abs': |value − reference| ≤ tolerance; 'min': value ≥ reference − tolerance. */
  readonly kind: 'abs' | 'min';
  readonly pass: boolean;
  /**
   * True for checks of the SPoSE fits, which are expected to pass only at the `ci` and `full` scales (a smoke
   * run fits too little to meet them); every other check must pass at any scale.
   */
  readonly atScale: boolean;
}

/** A check that |value − reference| ≤ tolerance (NaN never passes). */
export function checkClose(name: string, value: number, reference: number, tolerance: number, source: string, atScale = false): Check {
  return { name, value, reference, source, tolerance, kind: 'abs', pass: Math.abs(value - reference) <= tolerance, atScale };
}

/** A check that value ≥ reference − tolerance (NaN never passes). */
export function checkAtLeast(name: string, value: number, reference: number, tolerance: number, source: string, atScale = false): Check {
  return { name, value, reference, source, tolerance, kind: 'min', pass: value >= reference - tolerance, atScale };
}

/** A check as one aligned line: `✔ name  value  (reference ± tolerance, source)`. */
export function formatCheck(c: Check): string {
  const num = (x: number) => (Math.abs(x) >= 100 || Number.isInteger(x) ? x.toFixed(2) : x.toPrecision(6));
  const bound = c.kind === 'abs' ? `${num(c.reference)} ± ${num(c.tolerance)}` : `≥ ${num(c.reference - c.tolerance)}`;
  return `${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${num(c.value)}  (reference ${bound}; ${c.source})`;
}
