/**
 * renderSvgSync draws exactly what vega's own toSVG draws (it reads vega internals, so every chart the
 * package builds is compared), and svgToPng gives a real PNG at the requested zoom.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Resvg } from '@resvg/resvg-js';
import { onWhite, svgToPng } from '../../src/charts/png';
import { customerTimelineChart, segmentCharts } from '../../src/charts/profile';
import { renderSvg, renderSvgSync, type ChartSpec } from '../../src/charts/render';
import { rfmCharts } from '../../src/charts/rfm';
import { kSelectionCharts } from '../../src/charts/select-k';
import { inlineSvg } from '../../src/report/svg';
import { cleanTransactions } from '../../src/clean';
import { fitKMeans } from '../../src/cluster';
import { buildFeatures } from '../../src/features';
import { readTransactions } from '../../src/io';
import { customerDetails, profileSegments } from '../../src/profile';
import { rfm, segmentSummary } from '../../src/rfm';
import { sweepK } from '../../src/select-k';
import { pngSize } from '../helpers/png';
import { SAMPLE } from '../helpers/shared';


let charts: Record<string, ChartSpec> = {};
beforeAll(async () => {
  const tx = await readTransactions(SAMPLE);
  const { clean } = cleanTransactions(tx);
  const r = rfm(clean);
  const X = buildFeatures(r);
  const sweep = sweepK(X, { k: [2, 4], seed: 1, nInit: 2, gap: { B: 3 }, stability: { B: 2 }, dendrogram: { sample: 60 } });
  const fit = fitKMeans(X, { k: 3, seed: 1, nInit: 2 });
  const profiles = profileSegments(r, fit, { features: X, transactions: clean });
  const d = customerDetails(r, String(r.table.getColumn('customer_id').get(0)), { model: fit, features: X, profiles, transactions: clean });
  const prefix = (p: string, o: Record<string, ChartSpec>): Record<string, ChartSpec> => Object.fromEntries(Object.entries(o).map(([k, v]) => [`${p}.${k}`, v]));
  charts = {
    ...prefix('rfm', rfmCharts(r, segmentSummary(r), { seed: 1 })),
    ...prefix('k', kSelectionCharts(sweep)),
    ...prefix('segments', segmentCharts(profiles, { features: X, model: fit }, { sample: 500, seed: 1 })),
    timeline: customerTimelineChart(d),
  };
}, 120_000);

describe('renderSvgSync', () => {
  it('gives the SVG of vega toSVG for every chart the package builds (ids aside: vega numbers gradients and clips globally)', async () => {
    expect(Object.keys(charts).length).toBeGreaterThan(18);
    const same = (svg: string): string => inlineSvg(svg, 'id');
    const differ: string[] = [];
    for (const [name, spec] of Object.entries(charts)) if (same(renderSvgSync(spec)) !== same(await renderSvg(spec))) differ.push(name);
    expect(differ).toEqual([]);
  }, 120_000);

  it('says what is wrong with a spec, and refuses data that must be fetched', () => {
    expect(() => renderSvgSync({ mark: 'bar', encoding: { x: { field: 'a', type: 'nope' } } } as unknown as ChartSpec)).toThrow(/Vega-Lite could not compile the chart/);
    expect(() => renderSvgSync({ data: { url: 'https://example.org/x.csv' }, mark: 'point' } as ChartSpec)).toThrow(/asynchronously|tried to load/);
  });
});

/** The RGB pixels of a PNG, decoded by resvg (an SVG holding only the image, drawn at its size). */
function decode(png: Buffer): Buffer {
  const { width, height } = pngSize(png);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}"><image width="${width}" height="${height}" xlink:href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  return onWhite(new Resvg(svg).render().pixels);
}

describe('svgToPng', () => {
  it('is lossless: a palette PNG for a chart of few colours, filtered RGB for one of many', () => {
    const kinds: string[] = [];
    for (const name of ['rfm.segments', 'rfm.heatmap']) {
      const svg = renderSvgSync(charts[name]);
      const drawn = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: 2 } }).render();
      const png = svgToPng(svg).bytes;
      kinds.push(png[25] === 3 ? 'palette' : png[25] === 2 ? 'rgb' : `colour type ${png[25]}`);
      expect(decode(png).equals(onWhite(drawn.pixels)), name).toBe(true);
      expect(png.length, `${name}: smaller than resvg's own RGBA PNG`).toBeLessThan(drawn.asPng().length);
    }
    expect(kinds).toEqual(['palette', 'rgb']);
  });

  it('renders a PNG at the zoom asked, reporting the size to show it at', () => {
    const svg = renderSvgSync(charts['rfm.segments']);
    const w = Number(/width="(\d+(?:\.\d+)?)"/.exec(svg)![1]);
    for (const zoom of [1, 2]) {
      const png = svgToPng(svg, { zoom });
      expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(png.width).toBe(Math.round(w));
      expect(pngSize(png.bytes).width).toBe(Math.round(w * zoom));
      expect(pngSize(png.bytes).height / zoom).toBeCloseTo(png.height, 0);
    }
  });
});
