import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConceptlabError } from '@conceptlab/core';
import { loadSharp } from './optional-sharp.js';

/** Rendering a chart failed (the Vega-Lite spec was invalid, or the renderer could not start). */
export class ChartRenderError extends ConceptlabError {
  readonly _tag = 'ChartRenderError' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ChartRenderError';
  }
}

/**
 * The renderer, run as an ES module in a child Node process: Vega's Node build loads an optional canvas with
 * a top-level await, which a CommonJS host (e.g. a jest test) cannot `require`; a child process renders the
 * same way in every host. Input on stdin: a JSON array of Vega-Lite specs; output on stdout: a JSON array of SVG strings.
 */
const RENDER_SCRIPT = `
import * as vl from 'vega-lite';
import * as vega from 'vega';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const specs = JSON.parse(input);
const out = [];
for (const spec of specs) {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none', logLevel: vega.Error });
  out.push(await view.toSVG());
  view.finalize();
}
process.stdout.write(JSON.stringify(out));
`;

/**
 * Render Vega-Lite specs to SVG strings in Node, without a browser (vega-lite compile → vega View → `toSVG()`),
 * all in one child process. The SVGs are self-contained (no external resources).
 *
 * @throws ChartRenderError naming the renderer's message when a spec does not compile or render.
 */
export async function renderVegaLiteSvgs(specs: readonly object[]): Promise<string[]> {
  if (specs.length === 0) return [];
  const cwd = dirname(fileURLToPath(import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', RENDER_SCRIPT], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { err += s; });
    child.on('error', (e) => reject(new ChartRenderError(`cannot start the chart renderer: ${e.message}`)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new ChartRenderError(`chart rendering failed (exit ${code}): ${err.trim().split('\n').slice(-3).join(' ')}`));
      try {
        resolve(JSON.parse(out) as string[]);
      } catch (e) {
        reject(new ChartRenderError(`chart renderer printed no JSON: ${(e as Error).message}`));
      }
    });
    child.stdin.end(JSON.stringify(specs));
  });
}

/**
 * A PNG of an SVG (sharp/librsvg), at `density` DPI (default 144, i.e. 2× the SVG's CSS pixels).
 * @throws MissingPeerDependencyError when the optional peer dependency `sharp` is not installed.
 */
export async function svgToPng(svg: string, density = 144): Promise<Buffer> {
  const sharp = await loadSharp('a PNG of a chart (svgToPng)');
  return sharp(Buffer.from(svg), { density }).png().toBuffer();
}
