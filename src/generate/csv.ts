/**
 * CSV text in the exact format of the UCI Online Retail file as stored in ../shared/data:
 * LF line endings, RFC-4180 quoting only when a field holds a comma, quote or line break,
 * prices as shortest decimals with a `.0` on whole numbers (pandas style), CustomerID as
 * float text (`17850.0`) or empty.
 */

/** The header line's columns, in order. */
export const COLUMNS = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'] as const;
export const HEADER = COLUMNS.join(',') + '\n';

/** One transaction line, as read back from the file. */
export interface TransactionRow {
  InvoiceNo: string;
  StockCode: string;
  Description: string;
  Quantity: number;
  /** `YYYY-MM-DD HH:MM:00` */
  InvoiceDate: string;
  UnitPrice: number;
  /** null when missing (a guest invoice). */
  CustomerID: number | null;
  Country: string;
}

/** Quotes a field per RFC 4180 when it holds a comma, a quote or a line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/** A price as pandas writes a float: `2.55`, `18.0`, `0.0`. */
export function formatPrice(p: number): string {
  const s = String(Math.round(p * 100) / 100);
  return s.includes('.') || s.includes('e') ? s : s + '.0';
}

/** CustomerID as float text (`17850.0`), or '' when missing. */
export function formatCustomer(id: number | null): string {
  return id === null ? '' : id + '.0';
}

/** One CSV line (with its trailing LF) for a row. */
export function formatRow(r: TransactionRow): string {
  return `${csvField(r.InvoiceNo)},${csvField(r.StockCode)},${csvField(r.Description)},${r.Quantity},${r.InvoiceDate},${formatPrice(r.UnitPrice)},${formatCustomer(r.CustomerID)},${csvField(r.Country)}\n`;
}

/** The whole file text (header + rows), byte for byte what writeTransactions writes for the same options. */
export function transactionsToCsv(rows: readonly TransactionRow[]): string {
  const parts = [HEADER];
  for (const r of rows) parts.push(formatRow(r));
  return parts.join('');
}
