import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, loadThingsDirectory, parseCategoryTsv, readConceptColumn, readFileText, ShapeError } from '@conceptlab/core';
import { interpret, labelDimensions, readRaterLabels, summarizeDimensions, WORDNET_CATEGORY_COLUMN, wordnetMapColouring, type LlmLabelResult } from '@conceptlab/interpret-dims';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '@conceptlab/llm-client';
import { whileInterruptible } from '../interrupt.js';
import { readEmbeddingFile, readMatrixFile } from '../io.js';
import { checkMemory, checkWork, intOption, MAX_REQUEST_TIMEOUT_S, requestTimeoutOption } from '../options.js';
import { printResult, progressRenderer, type Io } from '../output.js';

interface InterpretCliOptions {
  embedding: string;
  concepts: string;
  categories?: string;
  images?: string;
  labels?: string;
  compare?: string;
  compareWith?: string;
  correspondence: string;
  shared: string;
  similarity?: string;
  top: number;
  seed: number;
  permutations: number;
  map: string;
  tsne: string;
  out: string;
  labelBaseUrl?: string;
  labelModel?: string;
  labelApiKeyEnv?: string;
  labelRequestTimeout?: number;
  json?: boolean;
}

export function registerInterpret(program: Command, io: Io): void {
  program
    .command('interpret')
    .description('interpret every dimension of an embedding: top objects, labels, categories, 2-D map, correspondence → report.html, figures/, dims.json')
    .requiredOption('--embedding <file>', 'objects × dims embedding (.npy or text)')
    .requiredOption('--concepts <dir>', 'concept directory with things_concepts.tsv (and category27.tsv, used unless --categories is given)')
    .option('--categories <file>', 'category membership table (header of names, then one 0/1 row per object)')
    .option('--images <dir>', 'object images named <uniqueID>.jpg|.jpeg|.png|.webp, for a mosaic per dimension')
    .option('--labels <dir>', 'human rater labels: one file per rater, a comma-separated label list per dimension line')
    .option('--compare <file>', 'the REFERENCE embedding of the same objects (e.g. human): dimension correspondence with its dims as rows and --embedding\'s dims as columns')
    .option('--compare-with <file>', 'a third embedding (e.g. an MLLM; needs --compare): the paper\'s three-way shared vs unique dims, A = --compare, B = --embedding, C = this')
    .option('--correspondence <method>', 'paper (the authors\' reorder + adapted matrix, ≥ 0.4, at most 2 per row) | hungarian (optimal one-to-one matching)', 'paper')
    .option('--shared <method>', 'shared vs unique dims at 0.2: paper (first free position on the adapted matrix) | best-free (best free dim on raw r)', 'paper')
    .option('--similarity <file>', 'a precomputed objects × objects similarity matrix (default: SPoSE predicted similarity)')
    .option('--top <k>', 'top objects per dimension', intOption('--top', 1), 6)
    .option('--seed <s>', 'seed of the chance-level shuffles and UMAP', intOption('--seed', 0), 0)
    .option('--permutations <n>', 'label shuffles for the classification chance levels: the paper\'s (true labels shuffled against fixed predictions, reported as chance) and the re-run-the-classifier null', intOption('--permutations', 1), 1000)
    .option('--map <kind>', 'tsne | umap', 'tsne')
    .option('--tsne <method>', 'paper (the authors\' tsne_p: no early exaggeration, lr 500, 1000 iterations, d2p on distances/max) | standard (early exaggeration 12, auto learning rate, 750 steps)', 'paper')
    .requiredOption('--out <dir>', 'output directory')
    .option('--label-base-url <url>', 'OpenAI-compatible API base URL for LLM dimension labels (with --label-model; cached in <out>/labels.jsonl)')
    .option('--label-model <name>', 'model that labels each dimension (label + visual/semantic/mixed type) from its top objects')
    .option('--label-api-key-env <name>', 'environment variable holding the API key for --label-base-url, never printed or stored (default: OPENAI_API_KEY when it is set, else no key)')
    .option(
      '--label-request-timeout <seconds>',
      `LLM labels: give up a request (retried) when its reply is not complete after this many seconds (default ${DEFAULT_REQUEST_TIMEOUT_MS / 1000}, at most ${MAX_REQUEST_TIMEOUT_S})`,
      requestTimeoutOption('--label-request-timeout'),
    )
    .option('--json', 'print the summary as JSON')
    .action(async (o: InterpretCliOptions, cmd: Command) => {
      if (o.map !== 'tsne' && o.map !== 'umap') throw new InvalidArgumentError('--map', 'tsne or umap', o.map);
      if (o.tsne !== 'paper' && o.tsne !== 'standard') throw new InvalidArgumentError('--tsne', 'paper or standard', o.tsne);
      if (o.correspondence !== 'paper' && o.correspondence !== 'hungarian') throw new InvalidArgumentError('--correspondence', 'paper or hungarian', o.correspondence);
      if (o.shared !== 'paper' && o.shared !== 'best-free') throw new InvalidArgumentError('--shared', 'paper or best-free', o.shared);
      if (o.compareWith !== undefined && o.compare === undefined) {
        cmd.error('error: --compare-with needs --compare (the three-way comparison is reference × --embedding × --compare-with)', { exitCode: 2, code: 'conceptlab.usage' });
      }
      if ((o.labelBaseUrl === undefined) !== (o.labelModel === undefined)) {
        cmd.error('error: --label-base-url and --label-model go together (LLM labels need both)', { exitCode: 2, code: 'conceptlab.usage' });
      }
      if (o.labelApiKeyEnv !== undefined && o.labelBaseUrl === undefined) {
        cmd.error('error: --label-api-key-env needs --label-base-url and --label-model', { exitCode: 2, code: 'conceptlab.usage' });
      }
      if (o.labelRequestTimeout !== undefined && o.labelBaseUrl === undefined) {
        cmd.error('error: --label-request-timeout needs --label-base-url and --label-model', { exitCode: 2, code: 'conceptlab.usage' });
      }
      const embedding = readEmbeddingFile(o.embedding);
      const things = loadThingsDirectory(o.concepts);
      if (things.concepts.length !== embedding.rows) {
        throw new ShapeError(`${o.embedding} has ${embedding.rows} objects but ${join(o.concepts, 'things_concepts.tsv')} has ${things.concepts.length}`);
      }
      const categories = o.categories ? parseCategoryTsv(readFileText(o.categories), o.categories, embedding.rows) : things.categories;
      // --permutations bounded before any work (or LLM request): each shuffle scores every object over every
      // dimension and category, and keeps an accuracy per category.
      const nCategories = Math.max(1, categories?.names.length ?? 1);
      checkMemory('--permutations', o.permutations, 16 * nCategories, 'permutations');
      checkWork('--permutations', o.permutations, embedding.rows * Math.max(1, embedding.cols) * nCategories, 'permutations');
      const compare = o.compare ? { name: o.compare, embedding: readEmbeddingFile(o.compare) } : undefined;
      const compareWith = o.compareWith ? { name: o.compareWith, embedding: readEmbeddingFile(o.compareWith) } : undefined;
      const wordnet = readConceptColumn(o.concepts, WORDNET_CATEGORY_COLUMN);
      const mapColouring = wordnet ? wordnetMapColouring(wordnet, embedding.rows) : undefined;
      const similarity = o.similarity ? readMatrixFile(o.similarity) : undefined;
      const labels = o.labels ? readRaterLabels(o.labels, embedding.cols).dims : undefined;
      const t0 = performance.now();
      const onProgress = progressRenderer(io, Boolean(o.json));
      let llmLabels: LlmLabelResult[] | undefined;
      const labelCache = join(o.out, 'labels.jsonl');
      if (o.labelBaseUrl !== undefined && o.labelModel !== undefined) {
        const summaries = summarizeDimensions(embedding, things.concepts, { top: o.top });
        const [baseUrl, model] = [o.labelBaseUrl, o.labelModel];
        // Ctrl-C / SIGTERM while labels are requested stop at once; the labels already answered stay in the
        // cache (whole lines), so a rerun asks only for the rest.
        llmLabels = await whileInterruptible(
          (sig) => `interpret: interrupted by ${sig} while requesting LLM labels; those answered are kept in ${labelCache} — run again to continue`,
          (signal) =>
            labelDimensions({
              summaries,
              concepts: things.concepts,
              baseUrl,
              model,
              apiKeyEnv: o.labelApiKeyEnv ?? (process.env.OPENAI_API_KEY ? 'OPENAI_API_KEY' : undefined),
              cacheFile: labelCache,
              topK: o.top,
              ...(o.labelRequestTimeout !== undefined ? { timeoutMs: o.labelRequestTimeout * 1000 } : {}),
              signal,
              onProgress,
            }),
        );
      }
      const r = await interpret({
        embedding,
        concepts: things.concepts,
        categories,
        compare,
        compareWith,
        correspondenceMethod: o.correspondence as 'paper' | 'hungarian',
        sharedMethod: o.shared as 'paper' | 'best-free',
        mapColouring,
        similarity,
        labels,
        llmLabels,
        imagesDir: o.images,
        top: o.top,
        seed: o.seed,
        permutations: o.permutations,
        map: o.map as 'tsne' | 'umap',
        tsneMethod: o.tsne as 'paper' | 'standard',
        outDir: o.out,
        title: `Dimensions of ${o.embedding}`,
        onProgress,
      });
      const seconds = (performance.now() - t0) / 1000;
      const summary = {
        out: o.out,
        report: join(o.out, 'report.html'),
        objects: r.objects,
        dims: r.dims,
        seconds,
        ...(r.classification ? {
          classification: {
            rule: r.classification.rule, categories: r.classification.names.length, objects: r.classification.nObjects, accuracy: r.classification.accuracy,
            chance: { method: r.classification.chance.method, mean: r.classification.chance.mean, lower: r.classification.chance.lower, upper: r.classification.chance.upper, permutations: r.classification.chance.permutations },
            chanceRerun: { method: r.classification.chanceRerun.method, mean: r.classification.chanceRerun.mean, percentile: r.classification.chanceRerun.percentile, p: r.classification.chanceRerun.p },
          },
        } : {}),
        ...(r.correspondence ? {
          correspondence: {
            method: r.correspondence.method, reference: r.correspondence.reference,
            ...(r.correspondence.paper ? { matches: r.correspondence.paper.matches.length, unequalDimsRule: r.correspondence.paper.unequalDimsRule } : {}),
            ...(r.correspondence.optimal ? { optimalMeanR: r.correspondence.optimal.reduce((s, p) => s + p.r, 0) / Math.max(1, r.correspondence.optimal.length) } : {}),
            shared: { method: r.correspondence.shared.method, threshold: r.correspondence.shared.threshold, ...r.correspondence.shared.counts },
          },
        } : {}),
        ...(r.threeWay ? { threeWay: { method: r.threeWay.method, names: r.threeWay.names, counts: r.threeWay.counts } } : {}),
        ...(llmLabels ? { llmLabels: { model: o.labelModel, cache: labelCache, labelled: llmLabels.filter((l) => l.label !== null).length, failed: llmLabels.filter((l) => l.label === null).length, cached: llmLabels.filter((l) => l.cached).length } } : {}),
        map: { method: r.map.method, colouredBy: r.map.colouredBy },
        files: llmLabels ? [...r.files, 'labels.jsonl'] : r.files,
      };
      printResult(io, Boolean(o.json), summary, () => {
        const lines = [`wrote ${join(o.out, 'report.html')}, dims.json and ${r.files.filter((f) => f.startsWith('figures/')).length} figures (${r.objects} objects × ${r.dims} dims, ${seconds.toFixed(1)} s)`];
        if (r.classification) {
          const c = r.classification;
          lines.push(`${c.names.length}-category nearest-centroid accuracy ${(100 * c.accuracy).toFixed(1)}% (${c.nObjects} objects; category set: ${c.rule})`);
          lines.push(`  chance ${(100 * c.chance.mean).toFixed(1)}% [${(100 * c.chance.lower).toFixed(1)}, ${(100 * c.chance.upper).toFixed(1)}] (${c.chance.method}; ${c.chance.permutations} shuffles)`);
          lines.push(`  second null ${(100 * c.chanceRerun.mean).toFixed(1)}% (${c.chanceRerun.method})`);
        }
        if (llmLabels) {
          const failed = llmLabels.filter((l): l is Extract<LlmLabelResult, { label: null }> => l.label === null);
          lines.push(`LLM labels (${o.labelModel}): ${llmLabels.length - failed.length} of ${llmLabels.length} dimensions labelled, ${llmLabels.filter((l) => l.cached).length} answered from the cache ${labelCache}`);
          for (const f of failed) lines.push(`  dimension ${f.dim + 1}: no label (${f.error})`);
        }
        if (r.correspondence) {
          const c = r.correspondence;
          lines.push(c.paper
            ? `correspondence (method ${c.method}) with reference ${c.reference} (rows): ${c.paper.matches.length} matches with adapted r ≥ ${c.paper.threshold}, at most ${c.paper.maxPerRow} per reference dim${c.paper.unequalDimsRule ? ` (unequal dims: ${c.paper.positions} positions kept)` : ''}`
            : `correspondence (method ${c.method}) with reference ${c.reference} (rows): mean r of the optimal matching ${(c.optimal!.reduce((s, p) => s + p.r, 0) / Math.max(1, c.optimal!.length)).toFixed(3)}`);
          lines.push(`  shared vs unique (method ${c.shared.method}, threshold ${c.shared.threshold}): ${c.shared.counts.shared} shared, ${c.shared.counts.uniqueA} unique to the reference, ${c.shared.counts.uniqueB} unique here`);
        }
        if (r.threeWay) lines.push(`three-way shared vs unique (method ${r.threeWay.method}; A ${r.threeWay.names.A}, B this embedding, C ${r.threeWay.names.C}): ${Object.entries(r.threeWay.counts).map(([k, v]) => `[${k}] ${v}`).join(' ')}`);
        lines.push(`map: ${r.map.method}; colours: ${r.map.colouredBy}`);
        return lines.join('\n');
      });
    });
}
