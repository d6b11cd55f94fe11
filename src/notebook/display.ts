/**
 * Rich display in notebooks (tslab) with a plain-text fallback elsewhere.
 *
 * `show(x)` accepts a Polars DataFrame (an HTML table), a Vega-Lite spec (rendered to SVG),
 * an SVG or HTML string, or anything else (printed as JSON).
 */
import pl from 'nodejs-polars';
import { renderSvg, type ChartSpec } from '../charts/render';

interface TslabDisplay {
  html(s: string): void;
  svg(s: string): void;
  markdown(s: string): void;
}

function tslabDisplay(): TslabDisplay | null {
  try {
    // tslab's display only works inside a running kernel; it throws or is a no-op elsewhere.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const t = require('tslab') as { display?: TslabDisplay };
    return process.env.TSLAB_DISABLE_DISPLAY ? null : t.display ?? null;
  } catch {
    return null;
  }
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-GB') : v.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace(/\.000Z$/, '');
  return String(v);
}

/** An HTML table of the first `maxRows` rows of a DataFrame (values escaped). */
export function table(df: pl.DataFrame, maxRows = 20): string {
  const cols = df.columns;
  const rows = df.head(maxRows).toRecords() as Record<string, unknown>[];
  const head = cols.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${cols.map((c) => `<td>${esc(formatCell(r[c]))}</td>`).join('')}</tr>`)
    .join('\n');
  const more = df.height > maxRows ? `<p><em>${df.height.toLocaleString('en-GB')} rows; first ${maxRows} shown</em></p>` : '';
  return `<table class="segkit"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${more}`;
}

function isDataFrame(x: unknown): x is pl.DataFrame {
  return typeof x === 'object' && x !== null && typeof (x as pl.DataFrame).toRecords === 'function' && Array.isArray((x as pl.DataFrame).columns);
}

function isVegaLite(x: unknown): x is ChartSpec {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  const schema = typeof o.$schema === 'string' && o.$schema.includes('vega-lite');
  return schema || 'mark' in o || 'layer' in o || 'hconcat' in o || 'vconcat' in o || 'concat' in o || 'facet' in o || 'repeat' in o;
}

/** Display a table, chart, SVG/HTML string or value in the notebook (or print it outside one). */
export async function show(x: unknown, options: { maxRows?: number } = {}): Promise<void> {
  const d = tslabDisplay();
  if (isDataFrame(x)) {
    if (d) d.html(table(x, options.maxRows ?? 20));
    else console.log(x.head(options.maxRows ?? 20).toString());
    return;
  }
  if (Array.isArray(x) && x.length > 0 && x.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
    // An array of records: show it as a table.
    const df = pl.DataFrame(x as Record<string, unknown>[]);
    if (d) d.html(table(df, options.maxRows ?? 20));
    else console.log(df.head(options.maxRows ?? 20).toString());
    return;
  }
  if (isVegaLite(x)) {
    const svg = await renderSvg(x);
    if (d) d.svg(svg);
    else console.log(`[chart: ${svg.length} bytes of SVG]`);
    return;
  }
  if (typeof x === 'string') {
    const s = x.trimStart();
    if (d && s.startsWith('<svg')) d.svg(x);
    else if (d && s.startsWith('<')) d.html(x);
    else if (d) d.markdown(x);
    else console.log(x);
    return;
  }
  console.log(JSON.stringify(x, null, 2));
}
