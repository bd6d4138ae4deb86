import sharp from 'sharp';
import { ChartRenderError, renderVegaLiteSvgs, svgToPng } from './vega-render.js';

test('Vega-Lite specs render to SVG in Node and to PNG via sharp', async () => {
  const [svg] = await renderVegaLiteSvgs([{ data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }, { x: 3, y: 1 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } }]);
  expect(svg.startsWith('<svg')).toBe(true);
  expect((svg.match(/<path[^>]*class="?mark|role-mark/g) ?? []).length).toBeGreaterThan(0);
  expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  const png = await svgToPng(svg);
  const meta = await sharp(png).metadata();
  expect(meta.format).toBe('png');
  expect(meta.width).toBeGreaterThan(100);
});

test('an invalid spec is a ChartRenderError', async () => {
  await expect(renderVegaLiteSvgs([{ mark: 'nonsense-mark' }])).rejects.toThrow(ChartRenderError);
});
