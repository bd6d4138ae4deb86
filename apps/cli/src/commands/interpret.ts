import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, loadThingsDirectory, parseCategoryTsv, readFileText, ShapeError } from '@conceptlab/core';
import { interpret, labelDimensions, readRaterLabels, summarizeDimensions, type LlmLabelResult } from '@conceptlab/interpret-dims';
import { readEmbeddingFile, readMatrixFile } from '../io.js';
import { intOption } from '../options.js';
import { printResult, progressRenderer, type Io } from '../output.js';

interface InterpretCliOptions {
  embedding: string;
  concepts: string;
  categories?: string;
  images?: string;
  labels?: string;
  compare?: string;
  similarity?: string;
  top: number;
  seed: number;
  permutations: number;
  map: string;
  out: string;
  labelBaseUrl?: string;
  labelModel?: string;
  labelApiKeyEnv?: string;
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
    .option('--compare <file>', 'a second embedding of the same objects: dimension correspondence')
    .option('--similarity <file>', 'a precomputed objects × objects similarity matrix (default: SPoSE predicted similarity)')
    .option('--top <k>', 'top objects per dimension', intOption('--top', 1), 6)
    .option('--seed <s>', 'seed of the permutation chance level and UMAP', intOption('--seed', 0), 0)
    .option('--permutations <n>', 'label permutations for the classification chance level', intOption('--permutations', 1), 1000)
    .option('--map <kind>', 'tsne | umap', 'tsne')
    .requiredOption('--out <dir>', 'output directory')
    .option('--label-base-url <url>', 'OpenAI-compatible API base URL for LLM dimension labels (with --label-model; cached in <out>/labels.sqlite)')
    .option('--label-model <name>', 'model that labels each dimension (label + visual/semantic/mixed type) from its top objects')
    .option('--label-api-key-env <name>', 'environment variable holding the API key for --label-base-url, never printed or stored (default: OPENAI_API_KEY when it is set, else no key)')
    .option('--json', 'print the summary as JSON')
    .action(async (o: InterpretCliOptions, cmd: Command) => {
      if (o.map !== 'tsne' && o.map !== 'umap') throw new InvalidArgumentError('--map', 'tsne or umap', o.map);
      if ((o.labelBaseUrl === undefined) !== (o.labelModel === undefined)) {
        cmd.error('error: --label-base-url and --label-model go together (LLM labels need both)', { exitCode: 2, code: 'conceptlab.usage' });
      }
      if (o.labelApiKeyEnv !== undefined && o.labelBaseUrl === undefined) {
        cmd.error('error: --label-api-key-env needs --label-base-url and --label-model', { exitCode: 2, code: 'conceptlab.usage' });
      }
      const embedding = readEmbeddingFile(o.embedding);
      const things = loadThingsDirectory(o.concepts);
      if (things.concepts.length !== embedding.rows) {
        throw new ShapeError(`${o.embedding} has ${embedding.rows} objects but ${join(o.concepts, 'things_concepts.tsv')} has ${things.concepts.length}`);
      }
      const categories = o.categories ? parseCategoryTsv(readFileText(o.categories), o.categories, embedding.rows) : things.categories;
      const compare = o.compare ? { name: o.compare, embedding: readEmbeddingFile(o.compare) } : undefined;
      const similarity = o.similarity ? readMatrixFile(o.similarity) : undefined;
      const labels = o.labels ? readRaterLabels(o.labels, embedding.cols).dims : undefined;
      const t0 = performance.now();
      const onProgress = progressRenderer(io, Boolean(o.json));
      let llmLabels: LlmLabelResult[] | undefined;
      const labelCache = join(o.out, 'labels.sqlite');
      if (o.labelBaseUrl !== undefined && o.labelModel !== undefined) {
        const summaries = summarizeDimensions(embedding, things.concepts, { top: o.top });
        llmLabels = await labelDimensions({
          summaries,
          concepts: things.concepts,
          baseUrl: o.labelBaseUrl,
          model: o.labelModel,
          apiKeyEnv: o.labelApiKeyEnv ?? (process.env.OPENAI_API_KEY ? 'OPENAI_API_KEY' : undefined),
          cacheFile: labelCache,
          topK: o.top,
          onProgress,
        });
      }
      const r = await interpret({
        embedding,
        concepts: things.concepts,
        categories,
        compare,
        similarity,
        labels,
        llmLabels,
        imagesDir: o.images,
        top: o.top,
        seed: o.seed,
        permutations: o.permutations,
        map: o.map as 'tsne' | 'umap',
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
        ...(r.classification ? { classification: { categories: r.classification.names.length, objects: r.classification.nObjects, accuracy: r.classification.accuracy, chance: r.classification.chance.mean, percentile: r.classification.chance.percentile, p: r.classification.chance.p } } : {}),
        ...(r.correspondence ? { correspondence: { shared: r.correspondence.shared.length, uniqueHere: r.correspondence.uniqueA.length, uniqueThere: r.correspondence.uniqueB.length, optimalMeanR: r.correspondence.optimal.reduce((s, p) => s + p.r, 0) / Math.max(1, r.correspondence.optimal.length) } } : {}),
        ...(llmLabels ? { llmLabels: { model: o.labelModel, cache: labelCache, labelled: llmLabels.filter((l) => l.label !== null).length, failed: llmLabels.filter((l) => l.label === null).length, cached: llmLabels.filter((l) => l.cached).length } } : {}),
        map: r.map.method,
        files: llmLabels ? [...r.files, 'labels.sqlite'] : r.files,
      };
      printResult(io, Boolean(o.json), summary, () => {
        const lines = [`wrote ${join(o.out, 'report.html')}, dims.json and ${r.files.filter((f) => f.startsWith('figures/')).length} figures (${r.objects} objects × ${r.dims} dims, ${seconds.toFixed(1)} s)`];
        if (r.classification) lines.push(`${r.classification.names.length}-category nearest-centroid accuracy ${(100 * r.classification.accuracy).toFixed(1)}% (chance ${(100 * r.classification.chance.mean).toFixed(1)}%, ${r.classification.nObjects} objects)`);
        if (llmLabels) {
          const failed = llmLabels.filter((l): l is Extract<LlmLabelResult, { label: null }> => l.label === null);
          lines.push(`LLM labels (${o.labelModel}): ${llmLabels.length - failed.length} of ${llmLabels.length} dimensions labelled, ${llmLabels.filter((l) => l.cached).length} answered from the cache ${labelCache}`);
          for (const f of failed) lines.push(`  dimension ${f.dim + 1}: no label (${f.error})`);
        }
        if (r.correspondence) lines.push(`correspondence with ${r.correspondence.name}: ${r.correspondence.shared.length} shared dims (r ≥ 0.2), ${r.correspondence.uniqueA.length} unique here, ${r.correspondence.uniqueB.length} there`);
        return lines.join('\n');
      });
    });
}
