/** Number formatting for reports: thousands separators, currency, percentages. Locale fixed so output is reproducible. */

const LOCALE = 'en-GB';

export const CURRENCY_SYMBOLS: Record<string, string> = { GBP: '£', USD: '$', EUR: '€', JPY: '¥', INR: '₹', CHF: 'CHF ' };

export function fmtInt(v: unknown): string {
  const n = Number(v);
  return Number.isFinite(n) ? Math.round(n).toLocaleString(LOCALE) : '–';
}

/** `£12,345` (no decimals from 1,000 up; two below). */
export function fmtMoney(v: unknown, currency = 'GBP'): string {
  const n = Number(v);
  if (!Number.isFinite(n)) return '–';
  const sym = CURRENCY_SYMBOLS[currency] ?? `${currency} `;
  const digits = Math.abs(n) >= 1000 ? 0 : 2;
  const s = Math.abs(n).toLocaleString(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${n < 0 ? '−' : ''}${sym}${s}`;
}

/** Compact money for prose: £310k, £1.2m. */
export function fmtMoneyShort(v: unknown, currency = 'GBP'): string {
  const n = Number(v);
  if (!Number.isFinite(n)) return '–';
  const sym = CURRENCY_SYMBOLS[currency] ?? `${currency} `;
  const a = Math.abs(n);
  const sign = n < 0 ? '−' : '';
  if (a >= 1e6) return `${sign}${sym}${(a / 1e6).toLocaleString(LOCALE, { maximumFractionDigits: 1 })}m`;
  if (a >= 1e4) return `${sign}${sym}${Math.round(a / 1e3).toLocaleString(LOCALE)}k`;
  return fmtMoney(n, currency);
}

/** A share in [0, 1] as `12.3 %`. */
export function fmtPct(v: unknown, digits = 1): string {
  const n = Number(v);
  return Number.isFinite(n) ? `${(n * 100).toLocaleString(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits })} %` : '–';
}

/** A general number: integers with separators, others with up to 1 decimal. */
export function fmtNum(v: unknown): string {
  const n = Number(v);
  if (!Number.isFinite(n)) return '–';
  return n.toLocaleString(LOCALE, { maximumFractionDigits: Number.isInteger(n) ? 0 : 1 });
}

export function fmtFixed(v: unknown, digits: number): string {
  const n = Number(v);
  return v === null || v === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits);
}
