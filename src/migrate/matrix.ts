/**
 * From the per-customer before/after table: the transition matrix (customers, revenue as of each date),
 * stayed / up / down per segment, and the largest flows in plain words.
 */
import pl from 'nodejs-polars';
import { GONE, NEW, type Flow, type Move, type SegmentMoves, type TransitionCell } from './options';

/**
 * Σ of a money column whatever the order of the rows (so the same customers in another order give the
 * same bits): each value times 2^63 as a 128-bit integer, added exactly, rounded once (as computeRfm's sums).
 */
const FIXED_ONE = 2 ** 63;
const exactSum = (c: string): pl.Expr => pl.col(c).fillNull(0).mul(FIXED_ONE).cast(pl.Decimal(38, 0)).sum().cast(pl.Float64).div(FIXED_ONE);

/** Non-empty cells of customers (segment_before → segment_after), with Σ monetary of each period; sorted by from, to. */
export function cellsOf(customers: pl.DataFrame): TransitionCell[] {
  const g = customers
    .groupBy(['segment_before', 'segment_after'])
    .agg(pl.len().alias('n'), exactSum('monetary_before').alias('rb'), exactSum('monetary_after').alias('ra'))
    .sort(['segment_before', 'segment_after'])
    .toRecords() as Array<Record<string, unknown>>;
  return g.map((r) => ({ from: String(r.segment_before), to: String(r.segment_after), customers: Number(r.n), revenueBefore: Number(r.rb), revenueAfter: Number(r.ra) }));
}

/** The move of a customer from `from` to `to` given the order (best first). */
export function moveOf(from: string, to: string, rank: Map<string, number>): Move {
  if (from === NEW) return 'new';
  if (to === GONE) return 'gone';
  if (from === to) return 'stayed';
  return rank.get(to)! < rank.get(from)! ? 'up' : 'down';
}

export interface Matrices {
  rows: string[];
  columns: string[];
  counts: number[][];
  revenueBefore: number[][];
  revenueAfter: number[][];
}

export function matricesOf(cells: TransitionCell[], order: string[]): Matrices {
  const rows = [NEW, ...order];
  const columns = cells.some((c) => c.to === GONE) ? [...order, GONE] : [...order];
  const zero = (): number[][] => rows.map(() => columns.map(() => 0));
  const m: Matrices = { rows, columns, counts: zero(), revenueBefore: zero(), revenueAfter: zero() };
  for (const c of cells) {
    const [i, j] = [rows.indexOf(c.from), columns.indexOf(c.to)];
    m.counts[i][j] += c.customers;
    m.revenueBefore[i][j] += c.revenueBefore;
    m.revenueAfter[i][j] += c.revenueAfter;
  }
  return m;
}

/** Per segment in `order`: before, after, stayed, moved up/down, came up/down/new (customers and revenue). */
export function segmentMoves(cells: TransitionCell[], order: string[]): SegmentMoves[] {
  const rank = new Map(order.map((s, i) => [s, i]));
  return order.map((segment, i) => {
    const s: SegmentMoves = { segment, rank: i, before: 0, after: 0, stayed: 0, movedUp: 0, movedDown: 0, cameUp: 0, cameDown: 0, cameNew: 0, net: 0, revenueBefore: 0, revenueAfter: 0, stayedRevenue: 0, movedUpRevenue: 0, movedDownRevenue: 0 };
    for (const c of cells) {
      if (c.from === segment) {
        s.before += c.customers;
        s.revenueBefore += c.revenueBefore;
        const move = moveOf(c.from, c.to, rank);
        if (move === 'stayed') [s.stayed, s.stayedRevenue] = [s.stayed + c.customers, s.stayedRevenue + c.revenueBefore];
        else if (move === 'up') [s.movedUp, s.movedUpRevenue] = [s.movedUp + c.customers, s.movedUpRevenue + c.revenueBefore];
        else [s.movedDown, s.movedDownRevenue] = [s.movedDown + c.customers, s.movedDownRevenue + c.revenueBefore];
      }
      if (c.to === segment) {
        s.after += c.customers;
        s.revenueAfter += c.revenueAfter;
        if (c.from === NEW) s.cameNew += c.customers;
        else if (c.from !== segment) {
          if (rank.get(c.from)! > i) s.cameUp += c.customers;
          else s.cameDown += c.customers;
        }
      }
    }
    s.net = s.after - s.before;
    return s;
  });
}

/** £950, £5.8k, £58k, £1.2m. */
export function money(x: number, symbol: string): string {
  const sign = x < 0 ? '−' : '';
  const a = Math.abs(x);
  const short = (v: number, unit: string): string => `${v < 10 ? v.toFixed(1).replace(/\.0$/, '') : Math.round(v).toLocaleString('en-GB')}${unit}`;
  const body = a < 1000 ? Math.round(a).toLocaleString('en-GB') : a < 1e6 ? short(a / 1e3, 'k') : short(a / 1e6, 'm');
  return `${sign}${symbol}${body}`;
}

/** "412 Loyal Customers (£58k last period) are now At Risk", and the forms for new and gone customers. */
export function flowText(c: TransitionCell, asOfBefore: string, symbol: string): string {
  const n = c.customers.toLocaleString('en-GB');
  const one = c.customers === 1;
  if (c.from === NEW) {
    const who = one ? '1 customer with no purchase' : `${n} customers with no purchase`;
    return `${who} by ${asOfBefore || 'the first date'} ${one ? 'is' : 'are'} now ${c.to} (${money(c.revenueAfter, symbol)} to date)`;
  }
  const who = one ? `1 customer of ${c.from}` : `${n} ${c.from}`;
  const worth = `(${money(c.revenueBefore, symbol)} last period)`;
  if (c.to === GONE) return `${who} ${worth} ${one ? 'is' : 'are'} not in the second customer table`;
  return `${who} ${worth} ${one ? 'is' : 'are'} now ${c.to}`;
}

/** Off-diagonal cells, most customers first (then most revenue, then names), with their sentences. */
export function flowsOf(cells: TransitionCell[], order: string[], asOfBefore: string, symbol: string): Flow[] {
  const rank = new Map(order.map((s, i) => [s, i]));
  return cells
    .filter((c) => c.from !== c.to)
    .sort((a, b) => b.customers - a.customers || b.revenueBefore + b.revenueAfter - (a.revenueBefore + a.revenueAfter) || a.from.localeCompare(b.from) || a.to.localeCompare(b.to))
    .map((c) => ({ ...c, move: moveOf(c.from, c.to, rank), text: flowText(c, asOfBefore, symbol) }));
}
