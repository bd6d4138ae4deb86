import type { InterpretResult } from './interpret.js';

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A 2-D map point for the inline, hoverable map. */
export interface MapPoint {
  readonly x: number;
  readonly y: number;
  readonly name: string;
  readonly group: string;
}

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#1f77b4', '#aec7e8', '#ff7f0e', '#98df8a', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173', '#3182bd', '#31a354'];

/**
 * The 2-D map as inline SVG: one `<circle class="pt">` per object with a `<title>` (its name and group), so a
 * browser shows the name on hover without any script; colour by group with a legend.
 */
export function mapSvg(points: readonly MapPoint[], size = 560, order?: readonly string[]): string {
  const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const pad = 12;
  const sx = (v: number): number => pad + ((v - x0) / (x1 - x0 || 1)) * (size - 2 * pad);
  const sy = (v: number): number => size - pad - ((v - y0) / (y1 - y0 || 1)) * (size - 2 * pad);
  const present = new Set(points.map((p) => p.group));
  const groups = order ? order.filter((g) => present.has(g)) : [...present].sort();
  const color = new Map(groups.map((g, i) => [g, g === 'none' || g === 'other' ? '#c7c7c7' : PALETTE[i % PALETTE.length]]));
  const circles = points
    .map((p) => `<circle class="pt" cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3" fill="${color.get(p.group)}"><title>${escapeHtml(p.name)} — ${escapeHtml(p.group)}</title></circle>`)
    .join('');
  const legend = groups.map((g, i) => `<g transform="translate(${size + 10},${14 + i * 16})"><rect width="10" height="10" fill="${color.get(g)}"/><text x="14" y="9">${escapeHtml(g)}</text></g>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 ${size + 170} ${Math.max(size, 20 + groups.length * 16)}" width="${size + 170}" role="img" aria-label="2-D map of the objects">${circles}${legend}</svg>`;
}

const CSS = `
.facts table{border-collapse:collapse}.facts th{text-align:left;font-weight:600;padding:2px 14px 2px 0;vertical-align:top}.facts td{padding:2px 0;font-family:ui-monospace,monospace;word-break:break-all}
:root{--fg:#1d2330;--muted:#5b6475;--card:#fff;--bg:#f4f5f8;--accent:#4e79a7}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:28px 40px 18px;background:#1d2330;color:#fff}header h1{margin:0 0 6px;font-size:26px}header p{margin:0;color:#c9cfdb}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #dde1e8;padding:8px 40px;z-index:2}nav a{margin-right:18px;color:var(--accent);text-decoration:none;font-weight:600}
main{padding:20px 40px 60px;max-width:1500px}section.block{margin:28px 0}h2{font-size:20px;margin:0 0 12px}
.stats{display:flex;flex-wrap:wrap;gap:12px}.stat{background:#fff;border-radius:10px;padding:12px 16px;box-shadow:0 1px 3px rgba(0,0,0,.08);min-width:150px}.stat b{display:block;font-size:22px}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:14px}
.card{background:var(--card);border-radius:12px;padding:14px 16px;box-shadow:0 1px 3px rgba(0,0,0,.1)}
.card h3{margin:0 0 4px;font-size:16px}.llm{margin:0 0 6px;font-weight:600}.llm.failed{font-weight:400;color:var(--muted);font-size:12px}.badge{display:inline-block;font-size:11px;font-weight:600;padding:1px 7px;border-radius:9px;color:#fff;background:#888;vertical-align:1px}.badge.visual{background:#e15759}.badge.semantic{background:#4e79a7}.badge.mixed{background:#b07aa1}.card .meta{color:var(--muted);font-size:12px;margin-bottom:8px}
.type{display:inline-block;padding:1px 7px;border-radius:8px;background:#e8eef6;color:#2d4f7c;font-size:11px;margin-left:6px}
.top{list-style:none;margin:0;padding:0}.top li{display:flex;align-items:center;gap:6px;font-size:13px;margin:2px 0}
.top .bar{height:8px;background:var(--accent);border-radius:4px;flex:none}.top .w{color:var(--muted);font-size:11px;margin-left:auto}
.cloud{margin-top:8px;line-height:1.2}.cloud span{display:inline-block;margin:0 5px 2px 0;color:#3d5a80}
.mosaic{width:100%;border-radius:6px;margin-top:8px}.enr{margin-top:6px;font-size:12px;color:#2f6b3a}
figure{margin:0;background:#fff;border-radius:12px;padding:12px;box-shadow:0 1px 3px rgba(0,0,0,.08);overflow:auto}figcaption{color:var(--muted);font-size:13px;margin-top:6px}
svg.map circle.pt:hover{stroke:#000;stroke-width:1.5}svg.map text{font-size:11px}
table{border-collapse:collapse;background:#fff;font-size:13px}td,th{padding:4px 10px;border-bottom:1px solid #e6e8ee;text-align:left}
.muted{color:var(--muted)}
`;

/** Inline figures passed to the page (SVG markup, already rendered). */
export interface ReportFigures {
  readonly usage: string;
  readonly heatmap: string;
  readonly mapInline: string;
  readonly categories?: string;
  readonly correspondence?: string;
  readonly rose?: string;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** The LLM label line of a card: the label with a type badge, or the recorded failure. */
function llmLabelHtml(l: NonNullable<InterpretResult['llmLabels']>[number]): string {
  if (l.label === null) return `<div class="llm failed" title="${escapeHtml(l.error)}">LLM label: none (${escapeHtml(l.error)})</div>`;
  return `<div class="llm"><span class="llm-label">${escapeHtml(l.label)}</span> <span class="badge ${escapeHtml(l.type)}">${escapeHtml(l.type)}</span></div>`;
}

/**
 * The self-contained report page: inline CSS and SVG only — no script, no external resource, nothing fetched.
 * Sections: summary, dimension gallery (one `<article class="card">` per dimension), similarity heatmap,
 * 2-D map (hover names), category results, dimension correspondence, rose plots.
 */
export function reportHtml(result: InterpretResult, figures: ReportFigures, mosaics: ReadonlyMap<number, string>): string {
  const r = result;
  const cls = r.classification;
  const stats = [
    ['objects', String(r.objects)],
    ['dimensions', String(r.dims)],
    ['mean share of objects per dim', pct(r.summaries.reduce((s, d) => s + d.usageShare, 0) / Math.max(1, r.dims))],
    ...(cls ? [[`${cls.names.length}-category accuracy`, pct(cls.accuracy)], ['chance (paper: labels shuffled against fixed predictions)', pct(cls.chance.mean)]] : []),
    ...(r.correspondence ? [[`shared dims (${r.correspondence.shared.method}, ≥ ${r.correspondence.shared.threshold})`, `${r.correspondence.shared.counts.shared} of ${r.dims}`]] : []),
  ];
  const cards = r.summaries
    .map((s) => {
      const lab = r.labels?.[s.dim];
      const llm = r.llmLabels?.[s.dim];
      const maxW = Math.max(...s.top.map((t) => t.weight), 1e-12);
      const top = s.top.map((t) => `<li><span class="bar" style="width:${Math.max(2, (60 * t.weight) / maxW).toFixed(0)}px"></span>${escapeHtml(t.word)}<span class="w">${t.weight.toFixed(2)}</span></li>`).join('');
      const cloud = lab && lab.counts.length
        ? `<div class="cloud">${lab.counts.slice(0, 25).map((c) => `<span style="font-size:${(11 + (14 * c.count) / lab.counts[0].count).toFixed(0)}px">${escapeHtml(c.label)}</span>`).join('')}</div>`
        : '';
      const title = lab && lab.counts.length ? escapeHtml(lab.counts[0].label) : '';
      const enr = r.enrichment?.[s.dim]?.tests.filter((t) => t.q < 0.05).slice(0, 3) ?? [];
      const mosaic = mosaics.get(s.dim);
      return `<article class="card" data-dim="${s.dim}"><h3>Dimension ${s.dim + 1}${title ? ` — ${title}` : ''}</h3>`
        + (llm ? llmLabelHtml(llm) : '')
        + `<div class="meta">used by ${pct(s.usageShare)} of objects · ${pct(s.zeroShare)} zeros · max ${s.max.toFixed(2)}</div>`
        + `<ol class="top">${top}</ol>`
        + (mosaic ? `<img class="mosaic" alt="top objects of dimension ${s.dim + 1}" src="${mosaic}">` : '')
        + cloud
        + (enr.length ? `<div class="enr">enriched: ${enr.map((t) => `${escapeHtml(t.category)} (${t.overlap}/${s.top.length > 0 ? r.enrichmentTop : 0}, q=${t.q.toExponential(1)})`).join(', ')}</div>` : '')
        + `</article>`;
    })
    .join('\n');
  const catSection = cls
    ? `<p>${cls.names.length} categories, ${cls.nObjects} objects (category set: ${escapeHtml(cls.protocol)}). ${escapeHtml(cls.classifier)}: accuracy <b>${pct(cls.accuracy)}</b>.</p>`
      + `<p>Chance (${escapeHtml(cls.chance.method)}): ${pct(cls.chance.mean)}, 95% interval ${pct(cls.chance.lower)}–${pct(cls.chance.upper)} (MATLAB prctile 2.5/97.5 of ${cls.chance.permutations} shuffles, seed ${cls.chance.seed}; exact expectation ${pct(cls.chance.expected)}).</p>`
      + `<p>Second null (${escapeHtml(cls.chanceRerun.method)}): mean ${pct(cls.chanceRerun.mean)} over ${cls.chanceRerun.permutations} permutations; the observed accuracy is at the ${cls.chanceRerun.percentile.toFixed(1)}th percentile (p = ${cls.chanceRerun.p.toPrecision(3)}).</p><figure>${figures.categories ?? ''}</figure>`
    : '<p class="muted">No category table was given (--categories or category27.tsv in the concept directory).</p>';
  const corr = r.correspondence;
  const tw = r.threeWay;
  const corrMain = corr
    ? corr.paper
      ? `<p>Method: ${escapeHtml(corr.description)}. ${corr.paper.matches.length} matches (Cadapt ≥ ${corr.paper.threshold}, at most ${corr.paper.maxPerRow} per reference dim)${corr.paper.unequalDimsRule ? `; unequal dims: ${escapeHtml(corr.paper.unequalDimsRule)}` : ''}.</p>`
      : `<p>Method: ${escapeHtml(corr.description)}. Mean r of the matching ${(corr.optimal!.reduce((s, p) => s + p.r, 0) / Math.max(1, corr.optimal!.length)).toFixed(3)}.</p>`
    : '';
  const corrSection = corr
    ? `<p>Reference (rows): <b>${escapeHtml(corr.reference)}</b>; columns: ${escapeHtml(corr.model)}.</p>${corrMain}`
      + `<p>Shared vs unique (${escapeHtml(corr.shared.description)}; threshold ${corr.shared.threshold}): ${corr.shared.counts.shared} shared, ${corr.shared.counts.uniqueA} unique to the reference, ${corr.shared.counts.uniqueB} unique here.</p>`
      + (tw ? `<p>Three-way (${escapeHtml(tw.description)}; A = ${escapeHtml(tw.names.A)}, B = ${escapeHtml(tw.names.B)}, C = ${escapeHtml(tw.names.C)}): ${(['111', '110', '101', '011', '100', '010', '001'] as const).map((k) => `[${k}] ${tw.counts[k]}`).join(', ')}.</p>` : '')
      + `<figure>${figures.correspondence ?? ''}</figure>`
    : '<p class="muted">No reference embedding was given (--compare).</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(r.title)}</title><style>${CSS}</style></head>
<body><header><h1>${escapeHtml(r.title)}</h1><p>${r.objects} objects × ${r.dims} dimensions · generated by @conceptlab/interpret-dims · seed ${r.seed}</p></header>
<nav><a href="#summary">Summary</a><a href="#gallery">Dimensions</a><a href="#similarity">Similarity</a><a href="#map">Map</a><a href="#categories">Categories</a><a href="#correspondence">Correspondence</a></nav>
<main>
${(r.facts ?? []).map((f, k) => `<section class="block facts" id="facts-${k}"><h2>${escapeHtml(f.title)}</h2><table>${f.rows.map(([key, v]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table></section>`).join('\n')}
<section class="block" id="summary"><h2>Summary</h2><div class="stats">${stats.map(([k, v]) => `<div class="stat"><b>${escapeHtml(v)}</b>${escapeHtml(k)}</div>`).join('')}</div><figure style="margin-top:14px">${figures.usage}</figure></section>
<section class="block" id="gallery"><h2>Dimension gallery</h2><div class="gallery">
${cards}
</div></section>
<section class="block" id="similarity"><h2>Similarity</h2><figure>${figures.heatmap}<figcaption>${escapeHtml(r.similarity.source)}; objects ordered by category, then by strongest dimension; block averages, diagonal left out.</figcaption></figure></section>
<section class="block" id="map"><h2>2-D map</h2><figure>${figures.mapInline}<figcaption>${escapeHtml(r.map.method)}. Colours: ${escapeHtml(r.map.colouredBy)}. Hover a point for its name.</figcaption></figure></section>
<section class="block" id="categories"><h2>Categories</h2>${catSection}</section>
<section class="block" id="correspondence"><h2>Dimension correspondence</h2>${corrSection}</section>
${figures.rose ? `<section class="block" id="rose"><h2>Object profiles</h2><figure>${figures.rose}</figure></section>` : ''}
</main></body></html>
`;
}
