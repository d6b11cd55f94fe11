/**
 * A chart as a Jupyter MIME bundle, so that every front end finds something it can draw:
 *
 * | MIME type                          | who uses it                                                       |
 * | ---------------------------------- | ----------------------------------------------------------------- |
 * | application/vnd.vegalite.v5+json   | JupyterLab, VS Code, nteract: the chart itself, with tooltips      |
 * | text/markdown (an <img> of the PNG)| classic Notebook when trusted, nbconvert's HTML export (6.5 strips |
 * |                                    | image/svg+xml to its text, and ranks SVG above PNG)                |
 * | image/svg+xml                      | front ends that prefer SVG to Markdown                            |
 * | image/png                          | untrusted notebooks (SVG and Markdown are not shown there), viewers|
 * | text/plain                         | terminals, and what the chart is                                   |
 *
 * Rendering is synchronous (renderSvgSync + resvg), so the output lands in the cell that asked for it.
 * A bundle stays under {@link CHART_DEFAULTS.budget} bytes: a large chart (a scatter of thousands of
 * customers) gets a smaller PNG and drops its SVG and spec before it gets too big.
 */
import { svgToPng } from '../../charts/png';
import { renderSvgSync, themed, type ChartSpec } from '../../charts/render';
import { compactSvg } from '../../report/svg';
import type { DisplayMessage } from '../kernel';
import { esc } from './html';

export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';

export const CHART_DEFAULTS = {
  /** Most bytes one chart's bundle may hold. */
  budget: 400_000,
  /** PNG zooms tried in turn until both PNG copies fit in 60% of the budget. */
  zooms: [2, 1.5, 1, 0.75],
} as const;

/** A chart's title as text (Vega-Lite allows a string, a list of lines or `{ text }`). */
export function chartTitle(spec: ChartSpec): string {
  const t = (spec as { title?: unknown }).title;
  const text = typeof t === 'object' && t !== null && !Array.isArray(t) ? (t as { text?: unknown }).text : t;
  if (Array.isArray(text)) return text.join(' ');
  return typeof text === 'string' ? text : 'untitled chart';
}

const kb = (n: number): string => `${Math.round(n / 1000)} KB`;

/** The MIME bundle of one chart (see the table above). `name` labels it in text/plain (a chart set's key). */
export function chartView(spec: ChartSpec, options: { name?: string; budget?: number } = {}): DisplayMessage {
  const budget = options.budget ?? CHART_DEFAULTS.budget;
  const title = chartTitle(spec);
  const svg = compactSvg(renderSvgSync(spec));
  let png = svgToPng(svg, { zoom: CHART_DEFAULTS.zooms[0] });
  let b64 = png.bytes.toString('base64');
  for (const zoom of CHART_DEFAULTS.zooms.slice(1)) {
    if (2 * b64.length <= 0.6 * budget) break;
    png = svgToPng(svg, { zoom });
    b64 = png.bytes.toString('base64');
  }
  const img = `<img src="data:image/png;base64,${b64}" width="${png.width}" height="${png.height}" alt="${esc(title)}">`;
  let used = 2 * b64.length + 500;
  const left: string[] = [];
  const data: Record<string, unknown> = { 'image/png': b64, 'text/markdown': img };
  const spec5 = themed(spec);
  const specBytes = JSON.stringify(spec5).length;
  if (used + specBytes <= budget) {
    data[VEGALITE_MIME] = spec5;
    used += specBytes;
  } else left.push(`spec ${kb(specBytes)}`);
  if (used + svg.length <= budget) {
    data['image/svg+xml'] = svg;
    used += svg.length;
  } else left.push(`SVG ${kb(svg.length)}`);
  const label = options.name ? `${options.name}: ${title}` : title;
  data['text/plain'] = `[chart] ${label} (${png.width}×${png.height} px)${left.length ? `; too large to embed: ${left.join(', ')}` : ''}`;
  return { data, metadata: { 'image/png': { width: png.width, height: png.height } } };
}
