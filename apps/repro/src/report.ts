import { join } from 'node:path';
import { writeFileAtomic } from '@conceptlab/core';
import { formatCheck, type Check } from './check.js';
import type { ReproResult } from './reproduce.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

function checksTable(checks: readonly Check[]): string {
  const rows = checks
    .map(
      (c) =>
        `<tr class="${c.pass ? 'pass' : 'fail'}"><td>${c.pass ? 'PASS' : 'FAIL'}</td><td>${esc(c.name)}</td><td>${num(c.value)}</td>` +
        `<td>${c.kind === 'abs' ? `${num(c.reference)} ± ${c.tolerance}` : `≥ ${num(c.reference - c.tolerance)}`}</td><td>${esc(c.source)}</td><td>${c.atScale ? 'ci/full' : 'any'}</td></tr>`,
    )
    .join('\n');
  return `<table><thead><tr><th></th><th>number</th><th>reproduced</th><th>reference</th><th>source</th><th>scale</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Write `results.json` (every number) and `report.html` (one self-contained page) into `outDir`. */
export function writeReproReport(outDir: string, r: ReproResult): { json: string; html: string } {
  const json = join(outDir, 'results.json');
  const html = join(outDir, 'report.html');
  writeFileAtomic(json, JSON.stringify(r, null, 2) + '\n');
  const brainRows = Object.entries(r.brain.methods)
    .map(
      ([method, m]) =>
        `<h3>${esc(method)} (noise ceiling ${num(m.noiseCeiling.lower, 3)} – ${num(m.noiseCeiling.upper, 3)})</h3><table><thead><tr><th>model</th><th>mean over subjects</th><th>95% CI (images)</th></tr></thead><tbody>` +
        m.models.map((s) => `<tr><td>${esc(s.model)}</td><td>${num(s.value)}</td><td>${num(s.ciLow)} – ${num(s.ciHigh)}</td></tr>`).join('') +
        '</tbody></table>',
    )
    .join('\n');
  const s = r.simulated;
  const a = r.analyses;
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>conceptlab — reproduction of Du et al. 2025</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left}
tr.pass td:first-child{color:#1a7f37;font-weight:600}tr.fail td:first-child{color:#c62828;font-weight:700}code{background:#f4f4f4;padding:0 .2em}</style></head>
<body><h1>Reproduction of Du et al. (2025) on real data</h1>
<p>${r.passed ? 'Every check passed.' : `<strong>${r.checks.filter((c) => !c.pass).length} check(s) failed.</strong>`} Scale: <code>${esc(s.scale.name)}</code>
(${s.scale.triplets.toLocaleString('en-US')} triplets, ${s.scale.seeds.length} seeds, ${s.scale.epochs} epochs). Data: <code>${esc(r.dataDir)}</code>. ${esc(r.finishedAt)}, ${num(r.seconds, 0)} s.</p>
<h2>Checks</h2>${checksTable(r.checks)}
<h2>1–2. Behaviour</h2><p>Human noise ceiling ${num(r.noiseCeiling.percent, 2)}% ± ${num(r.noiseCeiling.ci95, 2)} (${r.noiseCeiling.sets} sets, ${r.noiseCeiling.answers} answers).
gpt-3.5-turbo agrees with people on ${num(r.agreement.percent, 2)}% (${r.agreement.agree} of ${r.agreement.total}) of the shared triplets.</p>
<h2>3–4. A simulated LLM, SPoSE and the merge</h2><p>${s.train.toLocaleString('en-US')} training and ${s.validation.toLocaleString('en-US')} validation triplets answered by the human embedding (SPoSE rule, T = 1).
Accuracy on the real human noise-ceiling triplets: generating embedding ${num(s.accuracy.generating, 2)}%, merged SPoSE ${num(s.accuracy.merged, 2)}% (${s.dims.merged} dims),
single seeds ${s.accuracy.seeds.map((a) => num(a, 2) + '%').join(', ')}; human noise ceiling ${num(r.noiseCeiling.percent, 2)}%.
Merge: ${s.merge.pooled} dims pooled from the seeds, ${s.merge.afterPruning} left after pruning, the ${s.merge.kept} most reproducible kept (top k = ${s.merge.top}).
Median best r of the ${s.dims.generating} generating dims: ${num(s.recovery.median, 3)}. Predicted similarity of the merged embedding vs the generating embedding's (computed by numpy; 98 objects, 4,753 pairs, context all 1,854): r = ${num(s.similarityRsa, 4)}.</p>
<h2>5. Brain: human IT (92 images, 4 subjects)</h2>${brainRows}
<h2>6–7. The paper's other analyses</h2><ul>
<li>18-category leave-one-object-out classification of the human VICE embedding: ${num(100 * a.categories.accuracy, 2)}% (${a.categories.objects} objects); chance ${num(100 * a.categories.chance, 2)}% [${num(100 * a.categories.chanceLow, 2)}, ${num(100 * a.categories.chanceHigh, 2)}] (${esc(a.categories.chanceMethod)}; exact expectation ${num(100 * a.categories.expectedChance, 2)}%).</li>
<li>The generating embedding on the real noise-ceiling triplets: ${num(100 * a.heldOut.accuracy, 2)}% ± ${num(100 * a.heldOut.ci95, 2)} (${esc(a.heldOut.ciMethod)}; ${a.heldOut.objectsSeen} objects).</li>
<li>r48 on a 48-object design answered by the VICE embedding (numpy): r = ${num(a.r48.r)} [${num(a.r48.low)}, ${num(a.r48.high)}] (CI: ${esc(a.r48.method)}).</li>
<li>Human consistency of a 30-dim degraded model: ρ = ${num(a.consistency.rho)} [${num(a.consistency.low)}, ${num(a.consistency.high)}]; r_mh ${num(a.consistency.rModelHuman)}, r_mm ${num(a.consistency.rModelModel)}, r_hh ${num(a.consistency.rHumanHuman)}.</li>
<li>Dimension correspondence (${esc(a.correspondence.method)}) of the VICE embedding with a derived model: ${a.correspondence.matches} matches ≥ 0.4 over ${a.correspondence.rowsMatched} human dims; ${a.correspondence.shared} shared at 0.2.</li></ul>
<p>Every number is also in <code>results.json</code>.</p></body></html>
`;
  writeFileAtomic(html, page);
  return { json, html };
}

/** The checks as text lines. */
export function formatChecks(checks: readonly Check[]): string {
  return checks.map(formatCheck).join('\n');
}
