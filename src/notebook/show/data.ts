/**
 * Views of the data stages: transactions (a summary and their first and last lines, never all of them),
 * the cleaning record, an exploration, a feature matrix.
 */
import pl from 'nodejs-polars';
import type { EdaResult } from '../../eda/explore';
import type { CleanResult, FeatureMatrix, QualityRecord, TransactionTable } from '../../types';
import type { DisplayMessage } from '../kernel';
import { frameParts, type FrameOptions } from './frame';
import { esc, fmt, htmlMessage, keyValues, pct, simpleTable } from './html';

export const isTransactionTable = (x: Record<string, unknown>): boolean =>
  typeof x.df === 'object' && x.df !== null && typeof x.source === 'object' && typeof x.mapping === 'object' && typeof x.orders === 'string';
export const isQualityRecord = (x: Record<string, unknown>): boolean => typeof x.rowsRead === 'number' && typeof x.rowsKept === 'number' && Array.isArray(x.rules);
export const isCleanResult = (x: Record<string, unknown>): boolean =>
  typeof x.clean === 'object' && x.clean !== null && isTransactionTable(x.clean as Record<string, unknown>) && typeof x.quality === 'object' && x.quality !== null;
export const isEdaResult = (x: Record<string, unknown>): boolean => typeof x.overview === 'object' && typeof x.charts === 'object' && Array.isArray(x.notes) && typeof x.quality === 'object';
export const isFeatureMatrix = (x: Record<string, unknown>): boolean => Array.isArray(x.X) && Array.isArray(x.ids) && Array.isArray(x.columns) && typeof x.transform === 'object';

const warningsLine = (w: unknown): string => (Array.isArray(w) && w.length ? `${w.length} warning${w.length === 1 ? '' : 's'}: ${w.map((x) => (x as { message?: string }).message ?? String(x)).slice(0, 3).join('; ')}${w.length > 3 ? '; …' : ''}` : '');

function dateRange(df: pl.DataFrame): string {
  if (!df.columns.includes('date') || df.height === 0) return '';
  const d = df.select(pl.col('date').min().alias('a'), pl.col('date').max().alias('b')).toRecords()[0] as { a: unknown; b: unknown };
  return `${fmt(d.a)} to ${fmt(d.b)}`;
}

/** A transaction table: where it came from, its columns' roles, and its first and last lines. */
export function transactionsView(tx: TransactionTable, frame: FrameOptions = {}): DisplayMessage {
  const s = tx.source;
  const kv = keyValues([
    ['source', `${s.path} (${s.format}${s.compressed ? ', gzip' : ''})`],
    ['lines', `${fmt(tx.df.height)} (${fmt(s.rowsRead)} read from the file)`],
    ['dates', dateRange(tx.df)],
    ['orders', tx.orders === 'invoice' ? 'distinct invoices' : 'one customer on one calendar day (no invoice column)'],
    ['columns', Object.entries(tx.mapping).map(([role, col]) => `${role} ← ${col}`).join(', ')],
    ['warnings', warningsLine(tx.warnings)],
  ]);
  const t = frameParts(tx.df, { maxRows: 10, ...frame });
  return htmlMessage(`<h4>Transactions</h4>${kv.html}${t.html}`, `Transactions\n${kv.text}\n\n${t.text}`);
}

/** The cleaning record: each rule with the rows it removed, read = kept + removed. */
export function qualityView(q: QualityRecord): DisplayMessage {
  const rows = [
    ['Rows read', fmt(q.rowsRead), ''],
    ...q.rules.map((r) => [r.label, `−${fmt(r.removed)}`, pct(q.rowsRead ? r.removed / q.rowsRead : 0)]),
    ['Rows kept', fmt(q.rowsKept), pct(q.rowsRead ? q.rowsKept / q.rowsRead : 0)],
  ];
  const t = simpleTable(['cleaning rule', 'rows', 'share of read'], rows, ['t', 'n', 'n']);
  const range = q.dateRange.first ? `Kept lines run from ${fmt(q.dateRange.first)} to ${fmt(q.dateRange.last)}.` : 'No line was kept.';
  const warn = warningsLine(q.warnings);
  return htmlMessage(`<h4>Cleaning record</h4>${t.html}<p>${esc(range)}${warn ? `<br>${esc(warn)}` : ''}</p>`, `Cleaning record\n${t.text}\n${range}${warn ? `\n${warn}` : ''}`);
}

/** `cleanTransactions`' result: the record, then the clean lines. */
export function cleanResultView(r: CleanResult): DisplayMessage[] {
  return [qualityView(r.quality), transactionsView(r.clean)];
}

/** An exploration: its overview and notes, and the names of what it holds. */
export function edaView(e: EdaResult): DisplayMessage[] {
  const o = frameParts(e.overview, { caption: 'Overview' });
  const notes = e.notes.map((n) => `<li>${esc(n)}</li>`).join('');
  const tables = Object.entries(e).filter(([, v]) => typeof v === 'object' && v !== null && typeof (v as pl.DataFrame).toRecords === 'function').map(([k]) => k);
  const parts = `Tables: ${tables.join(', ')}. Charts (in .charts): ${Object.keys(e.charts).join(', ')}. Show one with seg.show(eda.<name>) or all charts with seg.show(eda.charts).`;
  return [
    htmlMessage(`<h4>Exploration</h4>${o.html}${notes ? `<ul>${notes}</ul>` : ''}<p class="muted">${esc(parts)}</p>`, `Exploration\n${o.text}\n${e.notes.map((n) => `- ${n}`).join('\n')}\n${parts}`),
    qualityView(e.quality),
  ];
}

/** A feature matrix: the transform (one row per column) and the first and last customers, scaled. */
export function featuresView(f: FeatureMatrix): DisplayMessage {
  const t = f.transform;
  const tr = simpleTable(
    ['feature', 'log1p', 'centre', 'scale'],
    f.columns.map((c, j) => [c, String(t.logged ? t.logged[j] : t.log), fmt(t.center[j]), fmt(t.scaleBy[j])]),
    ['t', 't', 'n', 'n'],
  );
  const n = f.X.length;
  const shown = n <= 10 ? Array.from({ length: n }, (_, i) => i) : [0, 1, 2, 3, 4, -1, n - 5, n - 4, n - 3, n - 2, n - 1];
  const x = simpleTable(
    ['', 'customer', ...f.columns],
    shown.map((i) => (i < 0 ? ['…', '…', ...f.columns.map(() => '…')] : [String(i), f.ids[i], ...f.X[i].map((v) => fmt(v))])),
    ['n', 't', ...f.columns.map(() => 'n' as const)],
  );
  const head = `Feature matrix: ${fmt(f.X.length)} customers × ${f.columns.length} features, ${t.scale} scaling`;
  return htmlMessage(`<h4>${esc(head)}</h4>${tr.html}<p class="muted">First and last customers (scaled values):</p>${x.html}`, `${head}\n${tr.text}\nFirst and last customers (scaled values):\n${x.text}`);
}
