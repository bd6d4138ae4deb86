import { ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';

/**
 * One category label per condition from a conditions × categories membership matrix (non-zero = member):
 * the category's column index when the condition belongs to exactly one category, else −1 (none or several),
 * the labels {@link categoricalRdm} takes (−1 leaves the condition's pairs out).
 *
 * @throws ShapeError when `membership.data` does not hold rows × cols entries.
 */
export function singleCategoryLabels(membership: Matrix<NumericArray>): Int32Array {
  const { rows, cols, data } = membership;
  if (data.length !== rows * cols) throw new ShapeError(`membership has ${data.length} entries, expected ${rows}×${cols}`);
  const labels = new Int32Array(rows).fill(-1);
  for (let i = 0; i < rows; i++) {
    let count = 0;
    for (let c = 0; c < cols; c++) {
      if (data[i * cols + c]) {
        count++;
        labels[i] = c;
      }
    }
    if (count !== 1) labels[i] = -1;
  }
  return labels;
}
