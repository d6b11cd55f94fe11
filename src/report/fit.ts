/**
 * Charts fitted to the report page: sizes for an A4 page, specs made ready for print (wrapped titles,
 * the report's currency, no per-mark ARIA labels) and rendered at an exact outer size, then inlined as SVG.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { SegkitError } from '../errors';
import type { ChartSpec } from '../charts/render';
import { renderSvg, themed } from '../charts/render';
import { chartLocale } from '../charts/theme';
import type { ChartBlock } from './context';
import { CURRENCY_SYMBOLS } from './format';
import { compactSvg, inlineSvg } from './svg';

/**
 * Chart sizes in CSS pixels for an A4 page with 16 mm margins: the text is 178 mm (672 px) wide; a cell
 * of the two-column chart grid is half that less the gap. Charts are rendered at exactly these widths
 * (see `fitted`), so none is scaled down in print and the type size is the same in every chart.
 */
export const CHART_WIDTH = { full: 664, half: 322 } as const;

export interface Fit {
  /** Total width in px (axes, legend and title included). */
  width: number;
  /** Total height in px; omit to keep the spec's own (e.g. a step per bar). */
  height?: number;
}

/** A chart across the page, `height` px tall (or its own height). */
export const full = (height?: number): Fit => ({ width: CHART_WIDTH.full, height });
/** A chart in one cell of the two-column grid. */
export const half = (height?: number): Fit => ({ width: CHART_WIDTH.half, height });

/** Break a long title or subtitle into lines of at most `max` characters (Vega draws an array as lines). */
function wrapLines(text: unknown, max: number): unknown {
  if (typeof text !== 'string' || text.length <= max) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A chart spec made ready for the report page: long titles wrapped to the width, numbers in the report's
 * currency, and no per-mark ARIA labels (a static page has no tooltips; the figure caption describes the
 * chart, and it keeps thousands of scatter points from carrying customer ids and bloating the file).
 * `plot` sets the plotting area of single and layered views (concatenated ones keep their own layout).
 */
export function reportSpec(spec: ChartSpec, fit: Fit, currency: string, plot?: { width: number; height?: number }): ChartSpec {
  const s = { ...(spec as unknown as Record<string, unknown>) };
  if (plot && !isConcat(s)) {
    s.width = plot.width;
    const stepHeight = typeof s.height === 'object' && s.height !== null;
    if (plot.height !== undefined && !stepHeight) s.height = plot.height;
  }
  const title = s.title;
  if (title && typeof title === 'object' && !Array.isArray(title)) {
    const t = title as { text?: unknown; subtitle?: unknown };
    s.title = { ...t, text: wrapLines(t.text, Math.floor(fit.width / 8.5)), subtitle: wrapLines(t.subtitle, Math.floor(fit.width / 6.3)) };
  } else if (typeof title === 'string') s.title = wrapLines(title, Math.floor(fit.width / 8.5));
  const config = (s.config as Record<string, unknown> | undefined) ?? {};
  s.config = { ...config, aria: false, locale: chartLocale(CURRENCY_SYMBOLS[currency]?.trim() ?? `${currency} `) };
  return s as unknown as ChartSpec;
}

const isConcat = (s: Record<string, unknown>): boolean => ['hconcat', 'vconcat', 'concat', 'facet', 'repeat'].some((k) => k in s);

const svgSize = (svg: string): { width: number; height: number } => {
  const m = /^<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  return { width: Number(m?.[1] ?? 0), height: Number(m?.[2] ?? 0) };
};

/**
 * Render a chart at an exact outer size: the plotting area is set, the chart rendered, and the area
 * corrected by what the axes, legend and title took (Vega-Lite's own "fit" autosize clips axis titles of
 * layered charts when rendered in Node). The corrections resize the same Vega view (no recompile).
 * Concatenated charts are rendered at their own size.
 */
async function fitted(spec: ChartSpec, fit: Fit, currency: string): Promise<string> {
  if (isConcat(spec as unknown as Record<string, unknown>)) return renderSvg(reportSpec(spec, fit, currency));
  let plot = { width: fit.width - 90, height: fit.height === undefined ? undefined : fit.height - 80 };
  const first = reportSpec(spec, fit, currency, plot);
  let view: vega.View;
  try {
    const loader = vega.loader();
    loader.load = async (uri: string) => {
      throw new SegkitError('charts', 'network_forbidden', `a chart tried to load "${uri}"; segkit charts use inline data only`);
    };
    view = new vega.View(vega.parse(vl.compile(themed(first)).spec), { renderer: 'none', loader });
  } catch {
    return renderSvg(first); // renderSvg says what is wrong with the spec
  }
  try {
    let svg = await view.toSVG();
    // Never squeeze the plot below 30 % of the room (a legend or an axis title wider than that cannot
    // shrink; such a chart stays a little larger and the page scales it down).
    const minW = fit.width * 0.3;
    const minH = fit.height === undefined ? 0 : fit.height / 2;
    for (let pass = 0; pass < 3; pass++) {
      const got = svgSize(svg);
      const dw = fit.width - got.width;
      const dh = fit.height === undefined ? 0 : fit.height - got.height;
      if (Math.abs(dw) < 2 && Math.abs(dh) < 2) break;
      const next = { width: Math.max(minW, plot.width + dw), height: plot.height === undefined ? undefined : Math.max(minH, plot.height + dh) };
      if (next.width === plot.width && next.height === plot.height) break;
      plot = next;
      view.width(plot.width);
      if (plot.height !== undefined) view.height(plot.height);
      await view.runAsync();
      svg = await view.toSVG();
    }
    return svg;
  } finally {
    view.finalize();
  }
}

/** A chart rendered at a fit and made ready to inline (coordinates rounded, ids prefixed with `id`). */
export async function svgOf(id: string, spec: ChartSpec, fit: Fit, currency: string): Promise<string> {
  return inlineSvg(compactSvg(await fitted(spec, fit, currency)), id);
}

/** A figure of the report (none when there is no spec): the SVG, its caption, and whether it spans the grid. */
export async function chartBlock(id: string, spec: ChartSpec | undefined, fit: Fit, currency: string, caption?: string): Promise<ChartBlock[]> {
  if (!spec) return [];
  return [{ id, svg: await svgOf(id, spec, fit, currency), caption, wide: fit.width > CHART_WIDTH.half }];
}
