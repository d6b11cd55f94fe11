/**
 * Rich display in notebooks (tslab) with a plain-text fallback elsewhere.
 *
 * `show(x)` displays any segkit result (see show/index.ts for the view of each), a DataFrame, a Vega-Lite
 * spec (a chart bundle: SVG, PNG, the spec and text), an SVG / HTML / Markdown string, or a bounded JSON
 * summary of anything else. It renders synchronously: the output lands in the cell that called it, with
 * or without `await`.
 */
import type pl from 'nodejs-polars';
import { publish } from './kernel';
import { type ShowOptions, views } from './show';
import { esc } from './show/html';

export type { ShowOptions } from './show';

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

/**
 * Display `x` in the running cell: one or more MIME bundles, each with text/plain; outside a notebook the
 * text is printed. Synchronous (returns nothing to await; `await seg.show(x)` still works). `maxRows`
 * (default 20) bounds the rows of a table: the first and last half are shown when it has more.
 */
export function show(x: unknown, options: ShowOptions = {}): void {
  for (const message of views(x, options)) {
    if (!publish(message)) console.log(String(message.data['text/plain'] ?? ''));
  }
}
