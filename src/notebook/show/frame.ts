/**
 * A DataFrame for people: its shape and column types, the first and last rows (never the whole table),
 * every column up to a limit (Polars' own text form hides the middle ones), long texts cut.
 */
import type pl from 'nodejs-polars';
import type { DisplayMessage } from '../kernel';
import { block, clip, esc, fmt, textGrid } from './html';

/** Options of {@link frameView}. */
export interface FrameOptions {
  /** Rows shown: all of them up to this many, else the first and last half. Default 20. */
  maxRows?: number;
  /** Columns shown: all up to this many, else the first and last half. Default 40. */
  maxColumns?: number;
  /** Characters shown of a cell. Default 60. */
  maxChars?: number;
  /** A line above the table (e.g. what the table is). */
  caption?: string;
}

export const FRAME_DEFAULTS = { maxRows: 20, maxColumns: 40, maxChars: 60 } as const;

/** Short names of Polars types: str, f64, i32, datetime[ms], bool, … */
export function shortType(dtype: unknown): string {
  const d = dtype as { variant?: string; timeUnit?: string };
  const v = d?.variant ?? String(dtype).replace(/^DataType\((.*)\)$/, '$1');
  const m = /^(U?Int|Float)(\d+)$/.exec(v);
  if (m) return `${m[1] === 'Float' ? 'f' : m[1] === 'Int' ? 'i' : 'u'}${m[2]}`;
  if (v === 'Utf8' || v === 'String') return 'str';
  if (v === 'Boolean' || v === 'Bool') return 'bool';
  if (v.startsWith('Datetime')) return `datetime${d?.timeUnit ? `[${d.timeUnit}]` : ''}`;
  return v.toLowerCase();
}

const isNumericType = (t: string): boolean => /^[iuf]\d+$/.test(t);

/** Which indices of `n` items to show: all up to `max`, else the first ⌈max/2⌉ and the last ⌊max/2⌋ (null marks the gap). */
export function pick(n: number, max: number): Array<number | null> {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const head = Math.ceil(max / 2);
  const tail = Math.floor(max / 2);
  return [...Array.from({ length: head }, (_, i) => i), null, ...Array.from({ length: tail }, (_, i) => n - tail + i)];
}

/** The shape line: "40,183 rows × 9 columns". */
export const shape = (df: pl.DataFrame): string =>
  `${df.height.toLocaleString('en-GB')} row${df.height === 1 ? '' : 's'} × ${df.width} column${df.width === 1 ? '' : 's'}`;

/** HTML and text of a DataFrame (see {@link FrameOptions}). */
export function frameParts(df: pl.DataFrame, options: FrameOptions = {}): { html: string; text: string } {
  const o = { ...FRAME_DEFAULTS, ...options };
  const rowIdx = pick(df.height, Math.max(1, o.maxRows));
  const colIdx = pick(df.width, Math.max(1, o.maxColumns));
  const names = df.columns;
  const types = df.dtypes.map(shortType);
  const headRows = rowIdx.filter((i): i is number => i !== null);
  const gapAt = rowIdx.indexOf(null);
  // Only the rows shown are read out of Polars: the first and the last ones.
  const records = (gapAt < 0 ? [df.head(headRows.length)] : [df.head(gapAt), df.tail(rowIdx.length - gapAt - 1)]).flatMap(
    (part) => part.toRecords() as Array<Record<string, unknown>>,
  );
  const cell = (r: Record<string, unknown>, j: number): string => clip(fmt(r[names[j]]), o.maxChars);
  const cols = colIdx;
  const numeric = (j: number | null): boolean => j !== null && isNumericType(types[j]);

  const th = cols.map((j) => (j === null ? '<th>…</th>' : `<th${numeric(j) ? '' : ' class="t"'}>${esc(names[j])}<br><small>${esc(types[j])}</small></th>`)).join('');
  let k = 0;
  const bodyRows: string[] = [];
  const textRows: string[][] = [];
  for (const i of rowIdx) {
    if (i === null) {
      bodyRows.push(`<tr class="gap"><td class="i">…</td>${cols.map(() => '<td>…</td>').join('')}</tr>`);
      textRows.push(['…', ...cols.map(() => '…')]);
      continue;
    }
    const r = records[k++];
    bodyRows.push(
      `<tr><td class="i">${i}</td>${cols.map((j) => (j === null ? '<td>…</td>' : `<td${numeric(j) ? '' : ' class="t"'}>${esc(cell(r, j))}</td>`)).join('')}</tr>`,
    );
    textRows.push([String(i), ...cols.map((j) => (j === null ? '…' : cell(r, j)))]);
  }
  const caption = o.caption ? `${o.caption} · ${shape(df)}` : shape(df);
  const shown = gapAt >= 0 ? ` (first ${gapAt} and last ${rowIdx.length - gapAt - 1} rows shown)` : '';
  const html = `<p class="muted">${esc(caption + shown)}</p><table><thead><tr><th></th>${th}</tr></thead><tbody>${bodyRows.join('')}</tbody></table>`;
  const head = ['', ...cols.map((j) => (j === null ? '…' : clip(names[j], 24)))];
  const typeRow = ['', ...cols.map((j) => (j === null ? '' : types[j]))];
  const align: Array<'t' | 'n'> = ['n', ...cols.map((j) => (numeric(j) ? 'n' : 't') as 't' | 'n')];
  const grid = textGrid(head, [typeRow, ...textRows.map((r) => r.map((c) => clip(c, 24)))], align);
  return { html, text: `${caption}${shown}\n${grid}` };
}

/** The display of a DataFrame: HTML table + text. */
export function frameView(df: pl.DataFrame, options: FrameOptions = {}): DisplayMessage {
  const { html, text } = frameParts(df, options);
  return { data: { 'text/html': block(html), 'text/plain': text } };
}
