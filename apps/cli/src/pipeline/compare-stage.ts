import { InvalidArgumentError, ParseError, readNpyMatrix, type ConceptSet, type Matrix } from '@conceptlab/core';
import {
  categoryRsa,
  compareRdms,
  rdmFromSimilarity,
  rdmFromSquareMatrix,
  singleCategoryLabels,
  type CategoryComparison,
  type Rdm,
} from '@conceptlab/neuro-rsa';
import { predictedSimilarity } from '@conceptlab/spose-embed';

/** RSA of the model's similarity with the category model (the science lives in @conceptlab/neuro-rsa's `categoryRsa`). */
export type { CategoryComparison };

/** RSA of the model's similarity with a human reference. */
export interface HumanComparison {
  readonly file: string;
  /** What the file held: an embedding (its SPoSE-predicted similarity is used), a similarity matrix, or an RDM. */
  readonly kind: 'embedding' | 'similarity' | 'rdm';
  /** Pearson r between the two RDMs' upper triangles (the paper's RSA with human similarity). */
  readonly pearson: number;
  readonly spearman: number;
}

/** The model's similarity S (objects × objects) against the concept set's categories (objects with exactly one category). */
export function compareWithCategories(s: Matrix<Float64Array>, concepts: ConceptSet): CategoryComparison {
  return categoryRsa(s, singleCategoryLabels(concepts.categories!.membership));
}

/**
 * The model's similarity against a human reference in `file` (.npy): objects × dims (an embedding: its
 * SPoSE-predicted similarity is used), or objects × objects with a unit diagonal (a similarity matrix) or
 * a zero diagonal (an RDM), told apart by neuro-rsa's `squareMatrixKind` (the whole diagonal; neither is an error).
 */
export function compareWithHuman(s: Matrix<Float64Array>, file: string, nObjects: number): HumanComparison {
  const { rdm: human, kind } = readHumanReference(file, nObjects);
  const model = rdmFromSimilarity(s);
  if (human.n !== model.n) throw new InvalidArgumentError('--human', `a reference over ${model.n} objects`, human.n);
  return { file, kind, pearson: compareRdms(model, human, 'corr'), spearman: compareRdms(model, human, 'spearman') };
}

/**
 * Read and check a human reference (.npy) over `nObjects` objects: its RDM and what the file held. `run`
 * calls it before anything is written or asked, so a bad `--human` file fails at once.
 * @throws ParseError (wrong rows, a square matrix that is neither a similarity matrix nor an RDM) and the reader's errors.
 */
export function readHumanReference(file: string, nObjects: number): { rdm: Rdm; kind: HumanComparison['kind'] } {
  const m = readNpyMatrix(file);
  if (m.rows !== nObjects) throw new ParseError({ file }, `one row per object (${nObjects})`, `${m.rows} rows`);
  if (m.cols !== m.rows) return { kind: 'embedding', rdm: rdmFromSimilarity(predictedSimilarity(m)) };
  try {
    return rdmFromSquareMatrix(m, 'auto');
  } catch (e) {
    throw new ParseError({ file }, 'a symmetric similarity matrix (unit diagonal) or RDM (zero diagonal)', (e as Error).message);
  }
}
