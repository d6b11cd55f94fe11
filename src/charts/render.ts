/**
 * Render Vega-Lite specs to SVG in Node (vega 5, no browser, no network), so charts survive notebook
 * export and need no JavaScript in the report.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { SegkitError } from '../errors';
import { VL_CONFIG } from './theme';

/**
 * Text widths for layout. Without a canvas (Node), vega guesses 0.8 × font size per character, about a
 * third wider than DejaVu Sans (the charts' font): axes then reserve too much room for their labels and
 * `labelLimit` cuts labels that would fit. These are DejaVu Sans advance widths (per 1000 em, measured
 * in Chromium) for printable ASCII and the symbols charts use; other characters count 0.62 em (1 em for
 * wide scripts).
 */
const ADVANCE: Record<'normal' | 'bold', { ascii: number[]; other: Record<string, number> }> = {
  normal: {
    ascii: [318,401,460,838,636,950,780,275,390,390,500,838,318,361,318,337,636,636,636,636,636,636,636,636,636,636,337,337,838,838,838,531,1000,684,686,698,770,632,575,775,752,295,295,656,557,863,748,787,603,787,695,635,611,732,684,989,685,611,685,390,337,390,838,500,500,613,635,550,635,615,352,635,634,278,278,579,278,974,634,612,635,635,411,521,392,634,592,818,592,592,525,636,337,636,838],
    other: { '£': 636, '€': 636, '¥': 636, '₹': 636, '·': 318, '…': 1000, '–': 500, '—': 1000, '−': 838, '±': 838, '↑': 838, '↓': 838, '×': 838, '≤': 838, '≥': 838, '°': 500, '’': 318, '‘': 318, '“': 518, '”': 518, 'é': 615 },
  },
  bold: {
    ascii: [348,456,521,838,696,1002,872,306,457,457,523,838,380,415,380,365,696,696,696,696,696,696,696,696,696,696,400,400,838,838,838,580,1000,774,762,734,830,683,683,821,837,372,372,775,637,995,837,850,733,850,770,720,682,812,774,1103,771,724,725,457,365,457,838,500,500,675,716,593,716,678,435,716,712,343,343,665,343,1042,712,687,716,716,493,595,478,712,652,924,645,652,582,712,365,712,838],
    other: { '£': 696, '€': 696, '¥': 696, '₹': 696, '·': 380, '…': 1000, '–': 500, '—': 1000, '−': 838, '±': 838, '↑': 838, '↓': 838, '×': 838, '≤': 838, '≥': 838, '°': 500, '’': 380, '‘': 380, '“': 657, '”': 657, 'é': 678 },
  },
};

/** Width in px of `text` in DejaVu Sans at `fontSize` px. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const t = ADVANCE[bold ? 'bold' : 'normal'];
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    em += c >= 32 && c < 127 ? t.ascii[c - 32] : (t.other[ch] ?? (c >= 0x2e80 ? 1000 : 620));
  }
  return (em / 1000) * fontSize;
}

type TextItem = { text?: unknown; fontSize?: number; fontWeight?: string | number; limit?: number };
const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } }).textMetrics;
metrics.width = (item: TextItem, text?: unknown): number => {
  const s = text === undefined || text === null ? '' : String(text).trim();
  const bold = item.fontWeight === 'bold' || (typeof item.fontWeight === 'number' && item.fontWeight >= 600);
  const w = textWidth(s, item.fontSize ?? 11, bold);
  // A label cut to `limit` (vega truncates with an ellipsis) takes at most that much room.
  return item.limit !== undefined && item.limit > 0 ? Math.min(w, item.limit) : w;
};

/** A Vega-Lite spec as plain JSON (so it can be snapshotted and embedded). */
export type ChartSpec = vl.TopLevelSpec;

/** Apply the segkit theme to a spec (the spec's own config wins). */
export function themed(spec: ChartSpec): ChartSpec {
  const own = (spec as { config?: object }).config ?? {};
  return { ...spec, config: { ...VL_CONFIG, ...own } } as unknown as ChartSpec;
}

/** Compile a Vega-Lite spec (themed) to a vega view that fetches nothing. */
function viewOf(spec: ChartSpec): vega.View {
  let compiled: vega.Spec;
  try {
    compiled = vl.compile(themed(spec)).spec;
  } catch (e) {
    throw new SegkitError('charts', 'invalid_spec', `Vega-Lite could not compile the chart: ${(e as Error).message}`, {
      where: (spec as { title?: unknown }).title ? `chart "${JSON.stringify((spec as { title?: unknown }).title)}"` : undefined,
      cause: e,
    });
  }
  // A loader that refuses every URL: a chart must never fetch anything.
  const loader = vega.loader();
  loader.load = async (uri: string) => {
    throw new SegkitError('charts', 'network_forbidden', `a chart tried to load "${uri}"; segkit charts use inline data only`);
  };
  return new vega.View(vega.parse(compiled), { renderer: 'none', loader });
}

/**
 * Compile and render a Vega-Lite spec to an SVG string. Data must be inline (`data.values`).
 * @throws SegkitError `charts/invalid_spec` (Vega-Lite cannot compile it), `charts/network_forbidden` (it would load a URL).
 */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const view = viewOf(spec);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** What {@link renderSvgSync} reads of a vega View beyond its public API (vega 5.33; the test compares with toSVG). */
interface ViewInternals {
  _pulse: unknown;
  _pending: unknown;
  _viewWidth: number;
  _viewHeight: number;
  _origin: [number, number];
  _scenegraph: { root: unknown };
}
interface StringRenderer {
  initialize(el: null, width: number, height: number, origin: [number, number], scaleFactor: number): StringRenderer;
  background(color: unknown): StringRenderer;
  render(scene: unknown): StringRenderer;
  svg(): string | null;
  _ready?: unknown;
}

/**
 * The same SVG as {@link renderSvg}, without waiting: segkit charts have inline data and no images, so
 * vega's dataflow evaluates at once and the scene can be written out before this returns. This is what
 * lets `show(chart)` put the chart in the cell that asked for it, even without `await`. Throws when a
 * spec needs something asynchronous (a URL, an image).
 * @throws SegkitError `charts/invalid_spec`, `charts/network_forbidden`, `charts/async_chart` (it needs data or images loaded asynchronously).
 */
export function renderSvgSync(spec: ChartSpec): string {
  const view = viewOf(spec);
  try {
    view.run(); // evaluates synchronously when no operator waits on a promise
    const v = view as unknown as ViewInternals;
    if (v._pulse || v._pending) {
      throw new SegkitError('charts', 'async_chart', 'the chart needs data loaded asynchronously and cannot be drawn at once', { hint: 'use inline data (data.values), or await renderSvg(spec)' });
    }
    const pad = view.padding() as unknown as { left: number; right: number; top: number; bottom: number };
    const width = Math.max(0, v._viewWidth + pad.left + pad.right);
    const height = Math.max(0, v._viewHeight + pad.top + pad.bottom);
    const Renderer = (vega as unknown as { SVGStringRenderer: new (loader: unknown) => StringRenderer }).SVGStringRenderer;
    const r = new Renderer(view.loader())
      .initialize(null, width, height, [pad.left + v._origin[0], pad.top + v._origin[1]], 1)
      .background(view.background())
      .render(v._scenegraph.root);
    const svg = r.svg();
    if (r._ready || svg === null) {
      throw new SegkitError('charts', 'async_chart', 'the chart holds images that load asynchronously and cannot be drawn at once', { hint: 'await renderSvg(spec)' });
    }
    return svg;
  } finally {
    view.finalize();
  }
}

/** Render many specs, keyed by name, in order. */
export async function renderAll(specs: Record<string, ChartSpec>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = await renderSvg(spec);
  return out;
}
