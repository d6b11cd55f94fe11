/**
 * The event loop. Every customer's next invoice waits in a min-heap keyed by time; popping the
 * earliest event writes its lines, so rows come out in date order while memory stays
 * O(customers). Cancellations and outliers are further events in the same heap. Rows go to a
 * {@link RowSink}: the CSV sink (streaming) and the object sink (in memory) see identical calls.
 */
import { SegkitError } from '../errors';
import { makeCalendar, type Calendar } from './calendar';
import { makeCatalog, type Catalog } from './catalog';
import { cancelDelayDays, cancelLines, countCancellations, isCancelled, planOutliers, type Outlier } from './faults';
import { STREAM, hash01, streamRng } from './hash';
import { EventHeap } from './heap';
import { buildInvoice, makeLines, type InvoiceContext, type Lines } from './invoice';
import type { ResolvedOptions } from './options';
import { COUNTRIES, GROUPS, GUEST_UK_SHARE, planCustomers, type Group, type Plan } from './profiles';

/** Receives each row. `customer` is an index into the plan, or -1 for a guest (missing CustomerID). */
export interface RowSink {
  row(invoiceNo: string, product: number, qty: number, date: string, price: string, customer: number, country: number): void;
}

/** What a generation produced. Every count is of rows/invoices as written, so a reader can recount them. */
export interface GenerateSummary {
  seed: number;
  /** Data lines written (header excluded). */
  rows: number;
  /** Distinct CustomerIDs in the output (= the customers option). */
  customers: number;
  /** Distinct InvoiceNo values (sales, guest sales, cancellations, outliers). */
  invoices: number;
  /** Sale invoices with a CustomerID (outliers excluded). */
  saleInvoices: number;
  /** Product StockCodes in the catalogue (non-product codes excluded). */
  products: number;
  firstDate: string;
  lastDate: string;
  /** Customers per behaviour group. */
  groups: Record<Group, number>;
  faults: {
    /** `C` invoices cancelling an earlier invoice (outlier cancellations excluded). */
    cancelInvoices: number;
    /** Rows on `C` invoices, outlier cancellation and duplicated rows included. */
    cancelRows: number;
    /** Guest invoices (no CustomerID). */
    missingCustomerInvoices: number;
    /** Rows with an empty CustomerID, duplicates included. */
    missingCustomerRows: number;
    /** Rows with UnitPrice 0.0, duplicates and cancellations of such lines included. */
    zeroPriceRows: number;
    /** Rows that are an exact copy of the row before them. */
    duplicateRows: number;
    /** Outlier pairs (a huge line and its cancellation). */
    outliers: number;
    /** Rows of outlier invoices (2 per outlier). */
    outlierRows: number;
  };
}

const SALE = 0;
const GUEST = 1;
const CANCEL = 2;
const OUTLIER = 3;
const OUTLIER_CANCEL = 4;
/** Timing irregularity per group (index as GROUPS): 0.6 near-periodic, 0.98 nearly random. */
const JITTER = GROUPS.map((g) => ({ champion: 0.7, loyal: 0.6, occasional: 0.98, lapsed: 0.9, 'one-time': 0.98, new: 0.98 })[g]);

/** Position k of n on [from, to]: (k + phase + jitter) / n, with the jitter kept inside (k, k + 1). */
function gridTime(seed: number, c: number, k: number, n: number, jitter: number, from: number, to: number): number {
  const phase = hash01(seed, STREAM.time, c, 0x7fffffff);
  const room = Math.min(1, 2 * phase, 2 - 2 * phase);
  const x = k + phase + jitter * room * (hash01(seed, STREAM.time, c, k) - 0.5);
  return from + ((to - from) * x) / n;
}

/** The UCI file's first invoice number; lower when many invoices must fit in 6 digits. */
const FIRST_INVOICE = 536365;

export class Engine<S extends RowSink = RowSink> {
  readonly options: ResolvedOptions;
  readonly calendar: Calendar;
  readonly catalog: Catalog;
  readonly plan: Plan;
  readonly summary: GenerateSummary;
  private readonly heap: EventHeap;
  private readonly ctx: InvoiceContext;
  private readonly lines: Lines;
  private readonly cancelled: Lines;
  private readonly outliers: Outlier[];
  private readonly dupRng: () => number;
  private readonly ev = new Float64Array(4);
  private nextInvoice: number;
  private lastDate = '';
  /** Where rows go; made by the factory given to the constructor once the catalogue exists. */
  readonly sink: S;

  constructor(options: ResolvedOptions, makeSink: (catalog: Catalog, customers: number) => S) {
    this.options = options;
    const o = options;
    this.calendar = makeCalendar(o.start, o.end);
    this.catalog = makeCatalog(o.seed, o.products);
    this.plan = planCustomers(o, this.calendar);
    const p = this.plan;
    this.sink = makeSink(this.catalog, p.customers);
    const maxLines = Math.max(1, Math.floor(o.products * 0.4));
    this.ctx = { seed: o.seed, catalog: this.catalog, zeroPriceRate: o.faults.zeroPriceRate, maxLines, stamp: new Uint32Array(o.products), token: 0 };
    this.lines = makeLines(maxLines + 4);
    this.cancelled = makeLines(maxLines + 5);
    this.dupRng = streamRng(o.seed, STREAM.duplicate);
    this.outliers = planOutliers(o.seed, o.faults.outliers, p, this.catalog, this.calendar.width);

    let sales = 0;
    for (let c = 0; c < p.customers; c++) sales += p.invoices[c];
    const total = sales + p.guestInvoices + countCancellations(o.seed, o.faults.cancelRate, p) + 2 * o.faults.outliers;
    if (total > 900000) {
      throw new SegkitError('generate', 'too_many_invoices', `${total} invoices do not fit in 6-digit invoice numbers (at most 900,000)`, {
        where: 'option customers',
        hint: `use fewer customers (at most about ${Math.floor((p.customers * 900000) / total)}) and more rows per customer`,
      });
    }
    this.nextInvoice = Math.min(FIRST_INVOICE, 1000000 - total);

    const groups = Object.fromEntries(GROUPS.map((g) => [g, 0])) as Record<Group, number>;
    for (let c = 0; c < p.customers; c++) groups[GROUPS[p.group[c]]]++;
    this.summary = {
      seed: o.seed, rows: 0, customers: p.customers, invoices: 0, saleInvoices: 0, products: o.products,
      firstDate: '', lastDate: '', groups,
      faults: { cancelInvoices: 0, cancelRows: 0, missingCustomerInvoices: 0, missingCustomerRows: 0, zeroPriceRows: 0, duplicateRows: 0, outliers: 0, outlierRows: 0 },
    };

    this.heap = new EventHeap(p.customers + 16);
    for (let c = 0; c < p.customers; c++) this.heap.push(this.saleTime(c, 0), SALE, c, 0);
    if (p.guestInvoices > 0) this.heap.push(this.guestTime(0), GUEST, p.customers, 0);
    this.outliers.forEach((x, i) => this.heap.push(x.time, OUTLIER, x.customer, i));
  }

  /**
   * Time of invoice k of customer c: a jittered grid over the customer's window with a random
   * phase per customer, so the first invoice falls anywhere in the first grid step (no ramp-up
   * at the start of the period) and times strictly increase with k.
   */
  private saleTime(c: number, k: number): number {
    const p = this.plan;
    return gridTime(this.options.seed, c, k, p.invoices[c], JITTER[p.group[c]], p.from[c], p.to[c]);
  }

  private guestTime(k: number): number {
    return gridTime(this.options.seed, this.plan.customers, k, this.plan.guestInvoices, 0.98, 0, this.calendar.width);
  }

  /** Processes the next event; false when every event has been written. */
  step(): boolean {
    const ev = this.ev;
    if (!this.heap.pop(ev)) {
      this.summary.lastDate = this.lastDate;
      return false;
    }
    const [t, kind, c, k] = ev;
    const date = this.calendar.format(t);
    if (this.summary.firstDate === '') this.summary.firstDate = date;
    this.lastDate = date;
    const p = this.plan;
    const s = this.summary;
    const o = this.options;
    if (kind === SALE) {
      buildInvoice(this.ctx, this.lines, c, k, p.basket[c], p.spend[c], p.country[c] !== 0, false);
      this.write(String(this.nextInvoice++), this.lines, date, c, p.country[c], true);
      s.saleInvoices++;
      if (k + 1 < p.invoices[c]) this.heap.push(this.saleTime(c, k + 1), SALE, c, k + 1);
      if (isCancelled(o.seed, o.faults.cancelRate, c, k)) {
        const day = this.calendar.dayOf(t) + cancelDelayDays(o.seed, c, k);
        this.heap.push(Math.max(t, this.calendar.tAt(day)), CANCEL, c, k);
      }
    } else if (kind === GUEST) {
      const uk = hash01(o.seed, STREAM.guest, k) < GUEST_UK_SHARE;
      const country = uk ? 0 : 1 + Math.floor(hash01(o.seed, STREAM.guest, k, 1) * (COUNTRIES.length - 1));
      buildInvoice(this.ctx, this.lines, c, k, p.guestBasket, 1, false, true);
      this.write(String(this.nextInvoice++), this.lines, date, -1, country, true);
      s.faults.missingCustomerInvoices++;
      if (k + 1 < p.guestInvoices) this.heap.push(this.guestTime(k + 1), GUEST, c, k + 1);
    } else if (kind === CANCEL) {
      buildInvoice(this.ctx, this.lines, c, k, p.basket[c], p.spend[c], p.country[c] !== 0, false);
      cancelLines(o.seed, this.catalog, c, k, this.lines, this.cancelled);
      this.write('C' + this.nextInvoice++, this.cancelled, date, c, p.country[c], true);
      s.faults.cancelInvoices++;
    } else {
      const x = this.outliers[k];
      const l = this.lines;
      l.n = 1;
      l.product[0] = x.product;
      l.qty[0] = kind === OUTLIER ? x.qty : -x.qty;
      l.price[0] = this.catalog.priceText[x.product];
      const no = String(this.nextInvoice++);
      this.write(kind === OUTLIER ? no : 'C' + no, l, date, c, p.country[c], false);
      s.faults.outlierRows++;
      if (kind === OUTLIER) {
        s.faults.outliers++;
        const day = this.calendar.dayOf(t) + 0.003 + 0.02 * hash01(o.seed, STREAM.outlier, k, 1);
        this.heap.push(Math.max(t, this.calendar.tAt(day)), OUTLIER_CANCEL, c, k);
      }
    }
    s.invoices++;
    return true;
  }

  /** Writes an invoice's lines, counting faults; each line may be followed by its duplicate. */
  private write(no: string, l: Lines, date: string, c: number, country: number, mayDuplicate: boolean): void {
    const s = this.summary;
    const f = s.faults;
    const dupRate = this.options.faults.duplicateRate;
    const cancel = no.charCodeAt(0) === 67; // 'C'
    for (let j = 0; j < l.n; j++) {
      const copies = mayDuplicate && dupRate > 0 && this.dupRng() < dupRate ? 2 : 1;
      for (let r = 0; r < copies; r++) {
        this.sink.row(no, l.product[j], l.qty[j], date, l.price[j], c, country);
        s.rows++;
        if (cancel) f.cancelRows++;
        if (c < 0) f.missingCustomerRows++;
        if (l.price[j] === '0.0') f.zeroPriceRows++;
      }
      if (copies === 2) f.duplicateRows++;
    }
  }
}
