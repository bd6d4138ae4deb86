import { InvalidArgumentError, ParseError, readNpyMatrix, type ConceptSet, type Matrix } from '@conceptlab/core';
import { categoricalRdm, compareRdms, rdmFromMatrix, rdmFromSimilarity, type Rdm } from '@conceptlab/neuro-rsa';
import { predictedSimilarity } from '@conceptlab/spose-embed';

/** RSA of the model's similarity with the category model (same category = similar). */
export interface CategoryComparison {
  /** Spearman's rho between the model RDM (1 − S) and the categorical RDM, over pairs of objects that both have exactly one category. */
  readonly spearman: number;
  /** Kendall's tau-a, the comparator recommended for categorical models (Nili et al. 2014). */
  readonly tauA: number;
  /** Objects with exactly one category (the others are left out). */
  readonly objects: number;
  readonly categories: number;
  /** Mean predicted similarity of pairs within a category and across categories. */
  readonly meanWithin: number;
  readonly meanBetween: number;
}

/** RSA of the model's similarity with a human reference. */
export interface HumanComparison {
  readonly file: string;
  /** What the file held: an embedding (its SPoSE-predicted similarity is used), a similarity matrix, or an RDM. */
  readonly kind: 'embedding' | 'similarity' | 'rdm';
  /** Pearson r between the two RDMs' upper triangles (the paper's RSA with human similarity). */
  readonly pearson: number;
  readonly spearman: number;
}

/** One category label per object: its category when it has exactly one, else −1. */
export function singleCategoryLabels(concepts: ConceptSet): Int32Array {
  const cats = concepts.categories!;
  const { rows, cols, data } = cats.membership;
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

/** The model's similarity S (objects × objects) against the concept set's categories. */
export function compareWithCategories(s: Matrix<Float64Array>, concepts: ConceptSet): CategoryComparison {
  const labels = singleCategoryLabels(concepts);
  const model = rdmFromSimilarity(s);
  const cat = categoricalRdm(labels);
  let within = 0, nWithin = 0, between = 0, nBetween = 0;
  for (let k = 0; k < cat.vector.length; k++) {
    const c = cat.vector[k]!;
    if (Number.isNaN(c)) continue;
    const sim = 1 - model.vector[k]!;
    if (c === 0) {
      within += sim;
      nWithin++;
    } else {
      between += sim;
      nBetween++;
    }
  }
  return {
    spearman: compareRdms(model, cat, 'spearman'),
    tauA: compareRdms(model, cat, 'tau-a'),
    objects: labels.reduce((m, l) => m + (l >= 0 ? 1 : 0), 0),
    categories: new Set(Array.from(labels).filter((l) => l >= 0)).size,
    meanWithin: within / nWithin,
    meanBetween: between / nBetween,
  };
}

/**
 * The model's similarity against a human reference in `file` (.npy): objects × dims (an embedding: its
 * SPoSE-predicted similarity is used), or objects × objects with a unit diagonal (a similarity matrix) or
 * a zero diagonal (an RDM).
 */
export function compareWithHuman(s: Matrix<Float64Array>, file: string, nObjects: number): HumanComparison {
  const m = readNpyMatrix(file);
  if (m.rows !== nObjects) throw new ParseError({ file }, `one row per object (${nObjects})`, `${m.rows} rows`);
  let human: Rdm;
  let kind: HumanComparison['kind'];
  if (m.cols !== m.rows) {
    kind = 'embedding';
    human = rdmFromSimilarity(predictedSimilarity(m));
  } else {
    const diag = m.data[0]!;
    kind = Math.abs(diag - 1) < 1e-9 ? 'similarity' : 'rdm';
    try {
      human = kind === 'similarity' ? rdmFromSimilarity(m) : rdmFromMatrix(m);
    } catch (e) {
      throw new ParseError({ file }, 'a symmetric similarity matrix (unit diagonal) or RDM (zero diagonal)', (e as Error).message);
    }
  }
  const model = rdmFromSimilarity(s);
  if (human.n !== model.n) throw new InvalidArgumentError('--human', `a reference over ${model.n} objects`, human.n);
  return { file, kind, pearson: compareRdms(model, human, 'corr'), spearman: compareRdms(model, human, 'spearman') };
}
