/**
 * How error messages name a triplet row: `row N (line N)`, 1-based, so the number matches the line
 * of a one-row-per-line triplet file. (Arrays and `tripletAt` stay 0-based.)
 */
export function rowLabel(row: number): string {
  return `row ${row + 1} (line ${row + 1})`;
}
