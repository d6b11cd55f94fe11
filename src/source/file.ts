/**
 * The default source: a transactions file read with Polars in this process (readTransactions), every
 * question answered by the library's own stages (cleanTransactions, explore, computeRfm, profile's tops).
 * The table is read once and each cleaning is done once per set of options.
 */
import pl from 'nodejs-polars';
import { cleanTransactions, type CleanOptions } from '../clean';
import { explore, type EdaResult, type ExploreOptions } from '../eda';
import { readTransactions, type ReadOptions } from '../io/read';
import { computeRfm } from '../rfm/compute';
import type { CustomerRfm } from '../rfm/options';
import { topCountriesBy, topProductsBy, transactionFrame } from '../profile/transactions';
import type { CleanResult, QualityRecord, TransactionTable } from '../types';
import type { AskOptions, CustomersOptions, GroupMap, SegmentTops, SourceDescription, TopsOptions, TransactionSource } from './types';

export class FileSource implements TransactionSource {
  readonly kind = 'file' as const;
  private table?: Promise<TransactionTable>;
  private cleanedBy = new Map<string, CleanResult>();

  constructor(
    readonly path: string,
    private readonly read: ReadOptions = {},
  ) {}

  /** The whole table as read (canonical columns): files only. */
  transactions(): Promise<TransactionTable> {
    this.table ??= readTransactions(this.path, this.read);
    this.table.catch(() => (this.table = undefined));
    return this.table;
  }

  /** The cleaned table and its record, for these cleaning options: files only. */
  async cleaned(clean: CleanOptions = {}): Promise<CleanResult> {
    const key = JSON.stringify(clean);
    let c = this.cleanedBy.get(key);
    if (!c) {
      c = cleanTransactions(await this.transactions(), clean);
      this.cleanedBy.set(key, c);
    }
    return c;
  }

  async describe(): Promise<SourceDescription> {
    const tx = await this.transactions();
    return { kind: 'file', label: tx.source.path, mapping: tx.mapping, orders: tx.orders, columns: tx.source.columns, rowsRead: tx.source.rowsRead, file: tx.source };
  }

  async quality(options: AskOptions = {}): Promise<QualityRecord> {
    return (await this.cleaned(options.clean)).quality;
  }

  async explore(options: Omit<ExploreOptions, 'cleaned'> = {}): Promise<EdaResult> {
    return explore(await this.transactions(), { ...options, cleaned: await this.cleaned(options.clean) });
  }

  async customers(options: CustomersOptions = {}): Promise<CustomerRfm> {
    return computeRfm((await this.cleaned(options.clean)).clean, options.rfm ?? {});
  }

  async segmentTops(groups: GroupMap, k: number, options: TopsOptions = {}): Promise<SegmentTops> {
    const df = transactionFrame((await this.cleaned(options.clean)).clean, options.asOf ?? null);
    const top = options.top ?? 5;
    return { products: topProductsBy(df, groups, k, top), countries: topCountriesBy(df, groups, k, top) };
  }

  async customerLines(customerId: string, options: TopsOptions = {}): Promise<pl.DataFrame> {
    const df = transactionFrame((await this.cleaned(options.clean)).clean, options.asOf ?? null);
    return df.filter(pl.col('customer_id').eq(pl.lit(customerId))).sort(['date', 'invoice', 'product'], false, true, true);
  }

  async close(): Promise<void> {
    this.cleanedBy.clear();
    this.table = undefined;
  }
}
