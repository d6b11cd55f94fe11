/** The two row sinks: CSV text in chunks (for streaming) and row objects (in memory). */
import type { Catalog } from './catalog';
import { csvField, type TransactionRow } from './csv';
import type { RowSink } from './engine';
import { COUNTRIES, FIRST_CUSTOMER_ID } from './profiles';

const COUNTRY_CSV = COUNTRIES.map(([name]) => csvField(name));

/** Appends CSV lines to `text`; the writer takes the text away (`take()`) when it is long enough. */
export class CsvSink implements RowSink {
  text = '';
  private readonly idText: string[];
  private readonly catalog: Catalog;

  constructor(catalog: Catalog, customers: number) {
    this.catalog = catalog;
    this.idText = Array.from({ length: customers }, (_, i) => `${FIRST_CUSTOMER_ID + i}.0`);
  }

  row(no: string, p: number, qty: number, date: string, price: string, c: number, country: number): void {
    const cat = this.catalog;
    this.text += no + ',' + cat.codeCsv[p] + ',' + cat.descCsv[p] + ',' + qty + ',' + date + ',' + price + ',' + (c < 0 ? '' : this.idText[c]) + ',' + COUNTRY_CSV[country] + '\n';
  }

  take(): string {
    const t = this.text;
    this.text = '';
    return t;
  }
}

/** Collects {@link TransactionRow} objects. */
export class ObjectSink implements RowSink {
  readonly rows: TransactionRow[] = [];

  constructor(private readonly catalog: Catalog) {}

  row(no: string, p: number, qty: number, date: string, price: string, c: number, country: number): void {
    this.rows.push({
      InvoiceNo: no,
      StockCode: this.catalog.code[p],
      Description: this.catalog.description[p],
      Quantity: qty,
      InvoiceDate: date,
      UnitPrice: Number(price),
      CustomerID: c < 0 ? null : FIRST_CUSTOMER_ID + c,
      Country: COUNTRIES[country][0],
    });
  }
}
