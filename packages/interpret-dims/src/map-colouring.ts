import { InvalidArgumentError } from '@conceptlab/core';

/** The concepts-table column the authors colour their t-SNE maps by (draw_figure3c_tsne_human_step2.py). */
export const WORDNET_CATEGORY_COLUMN = 'Top-down Category (WordNet)';

/** The 11 WordNet top-level categories of the authors' t-SNE maps, in their legend order; everything else is "other". */
export const PAPER_MAP_CATEGORIES: readonly string[] = ['animal', 'vehicle', 'clothing', 'plant', 'food', 'furniture', 'container', 'tool', 'body part', 'weapon', 'decoration'];

/** Which groups colour the 2-D map, and one group per object. */
export interface MapColouring {
  /** Where the groups come from, in words (kept in dims.json and shown in the report). */
  readonly source: string;
  /** The colouring categories (objects outside them are `other`). */
  readonly categories: readonly string[];
  /** One group per object (object order). */
  readonly groups: readonly string[];
}

/**
 * The authors' map colouring: an object is coloured by its `Top-down Category (WordNet)` value when that value
 * is exactly one of {@link PAPER_MAP_CATEGORIES}, else it is `other` (no trimming of case, no partial matches).
 *
 * @throws InvalidArgumentError when `nObjects` is given and differs from the column's length.
 */
export function wordnetMapColouring(column: readonly string[], nObjects?: number): MapColouring {
  if (nObjects !== undefined && column.length !== nObjects) throw new InvalidArgumentError(WORDNET_CATEGORY_COLUMN, `${nObjects} values (one per object)`, column.length);
  return {
    source: `paper: concepts-table column "${WORDNET_CATEGORY_COLUMN}", exact matches to the 11 WordNet categories, else "other"`,
    categories: PAPER_MAP_CATEGORIES,
    groups: column.map((v) => (PAPER_MAP_CATEGORIES.includes(v) ? v : 'other')),
  };
}
