/**
 * Small HTML and text helpers for notebook displays: escaping, number formats, key/value lists and cards.
 * Every display is an HTML fragment with a plain-text twin (the `text/plain` of the bundle).
 */
import type { DisplayMessage } from '../kernel';

/** C0 control characters other than tab, newline and carriage return, and DEL: never valid in HTML or SVG. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * `text` with control characters from the data (an escape sequence, BEL, NUL) shown as visible escapes
 * (`\x1b`, `\x07`) instead of being written raw: HTML forbids them, inline SVG (XML) fails to parse with
 * them, and a terminal that shows the page's source runs escape sequences. Tab, newline and CR are kept.
 */
export const controlSafe = (text: string): string => text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** Text escaped for HTML: `& < > "` as entities, control characters as visible escapes ({@link controlSafe}). */
export const esc = (s: string): string => controlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A number for people: thousands separators; 2 decimals (4 below 1). */
export function fmt(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') return v.toLocaleString('en-GB');
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return v.toLocaleString('en-GB');
    return v.toLocaleString('en-GB', { maximumFractionDigits: Math.abs(v) < 1 ? 4 : 2 });
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString().replace('T', ' ').replace(/( 00:00:00)?\.000Z$/, '');
  if (Array.isArray(v)) return `[${v.map(fmt).join(', ')}]`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export const pct = (x: number, digits = 1): string => (Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : '–');

/** Shorten `s` to `max` characters with an ellipsis. */
export const clip = (s: string, max: number): string => (s.length <= max ? s : s.slice(0, Math.max(0, max - 1)) + '…');

/** Shared look of segkit displays (scoped by class; ignored where styles are stripped). */
export const STYLE =
  '<style>.segkit{font-family:"DejaVu Sans",Arial,sans-serif;font-size:13px;line-height:1.35;overflow-x:auto}.segkit p,.segkit dd{max-width:60em;white-space:normal}' +
  '.segkit table{border-collapse:collapse;margin:4px 0}.segkit th,.segkit td{padding:2px 8px;text-align:right;border-bottom:1px solid #e4e4e4;white-space:nowrap}' +
  '.segkit th{background:#f5f5f5;vertical-align:bottom}.segkit th small{font-weight:normal;color:#777}.segkit td.t,.segkit th.t{text-align:left}.segkit td.t{white-space:normal;min-width:4em}' +
  '.segkit .muted,.segkit td.i{color:#888}.segkit tr.gap td{text-align:center;color:#888}' +
  '.segkit .card{border:1px solid #ddd;border-left:6px solid var(--c,#888);border-radius:4px;padding:6px 10px;margin:6px 0;max-width:60em}' +
  '.segkit .card h4{margin:2px 0 4px}.segkit dl{display:grid;grid-template-columns:max-content auto;gap:1px 12px;margin:4px 0}.segkit dt{color:#555}.segkit dd{margin:0}</style>';

/** Wrap HTML in the segkit block (with the style). */
export const block = (inner: string): string => `<div class="segkit">${STYLE}${inner}</div>`;

/** One display of HTML with its text twin. */
export const htmlMessage = (html: string, text: string): DisplayMessage => ({ data: { 'text/html': block(html), 'text/plain': text } });

/** A definition list (HTML) and its text lines. */
export function keyValues(rows: Array<[string, unknown]>): { html: string; text: string } {
  const kept = rows.filter(([, v]) => v !== undefined && v !== null && v !== '');
  const width = Math.max(0, ...kept.map(([k]) => k.length));
  return {
    html: `<dl>${kept.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(fmt(v))}</dd>`).join('')}</dl>`,
    text: kept.map(([k, v]) => `${k.padEnd(width)}  ${fmt(v)}`).join('\n'),
  };
}

/** A small HTML table from rows of cells (already strings), with its text twin. `align` 't' = left (text). */
export function simpleTable(head: string[], rows: string[][], align: Array<'t' | 'n'> = []): { html: string; text: string } {
  const cls = (j: number): string => (align[j] === 't' ? ' class="t"' : '');
  const html = `<table><thead><tr>${head.map((h, j) => `<th${cls(j)}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, j) => `<td${cls(j)}>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
  return { html, text: textGrid(head, rows, align) };
}

/** Aligned text columns (text left, numbers right). */
export function textGrid(head: string[], rows: string[][], align: Array<'t' | 'n'> = []): string {
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, j) => (align[j] === 't' ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A card: a title, optional colour, and HTML body; with the text twin. */
export const card = (title: string, bodyHtml: string, color?: string): string =>
  `<div class="card"${color ? ` style="--c:${esc(color)}"` : ''}><h4>${esc(title)}</h4>${bodyHtml}</div>`;
