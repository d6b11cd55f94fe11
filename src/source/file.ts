/**
 * The default source: a transactions file read with Polars in this process (readTransactions), every
 * question answered by the library's own stages (cleanTransactions, explore, computeRfm, profile's tops).
 * The table is read once and each cleaning is done once per set of options.
 */
import pl from 'nodejs-polars';
import { cleanedResult, cleanTransactions, planCleaning, type CleanOptions } from '../clean';
import { EXPLORE_DEFAULTS, exploreAsync, exploreRaw, type EdaResult, type ExploreOptions, type RawExploration } from '../eda';
import { releaseMemoryNow } from '../eda/steps';
import { releaseMemory } from '../io/memory';
import { readTransactions, type ReadOptions } from '../io/read';
import { computeRfm } from '../rfm/compute';
import type { CustomerRfm } from '../rfm/options';
import { groupLines, topCountriesBy, topProductsBy, transactionFrame } from '../profile/transactions';
import { CANONICAL_COLUMNS, type CleanResult, type QualityRecord, type TransactionTable } from '../types';
import type { AskOptions, CustomersOptions, GroupMap, SegmentTops, SourceDescription, TopsOptions, TransactionSource } from './types';

export class FileSource implements TransactionSource {
  readonly kind = 'file' as const;
  private table?: Promise<TransactionTable>;
  private description?: SourceDescription;
  private cleanedBy = new Map<string, Promise<CleanResult>>();
  /** explore's tables of the lines as read, made before the lines were let go (by cleaning options). */
  private rawTables = new Map<string, RawExploration>();
  private letGo?: { top: number };
  private readonly read: ReadOptions;

  /**
   * `read` as for readTransactions; product, description and country are read as Categorical unless
   * `compact: false` is given (the same values in half the memory: 10M lines 1.7 → 1.0 GB).
   */
  constructor(
    readonly path: string,
    read: ReadOptions = {},
  ) {
    this.read = { compact: true, ...read };
  }

  /** The whole table as read (canonical columns): files only. Read again if released. */
  transactions(): Promise<TransactionTable> {
    // (the reader's intermediate tables are freed before the table is handed on)
    this.table ??= readTransactions(this.path, this.read).then(async (t) => {
      await releaseMemoryNow(t.df.height);
      return t;
    });
    this.table.catch(() => (this.table = undefined));
    return this.table;
  }

  /** Let go of the table as read (the cleaned tables stay): the raw lines are only needed by explore. */
  releaseTransactions(): void {
    this.table = undefined;
    releaseMemory();
  }

  /**
   * For a run that needs the lines as read only to clean and explore them (analyze without keepTransactions):
   * the first cleaning makes explore's tables of the lines as read first (exploreRaw, with `top`), then cleans
   * the lines one column at a time, letting each column as read go once it is filtered, so the lines as read
   * and the cleaned lines are never both held whole (10M lines: bench/memory.md). A later question that needs
   * the lines as read reads the file again.
   */
  letGoOfLinesWhenCleaned(explore: Pick<ExploreOptions, 'top'> = {}): void {
    this.letGo = { top: explore.top ?? EXPLORE_DEFAULTS.top };
  }

  /** The cleaned table and its record, for these cleaning options: files only. */
  cleaned(clean: CleanOptions = {}): Promise<CleanResult> {
    const key = JSON.stringify(clean);
    let c = this.cleanedBy.get(key);
    if (!c) {
      c = this.clean(clean, key);
      this.cleanedBy.set(key, c);
      c.catch(() => this.cleanedBy.delete(key));
    }
    return c;
  }

  private async clean(clean: CleanOptions, key: string): Promise<CleanResult> {
    const letGo = this.letGo;
    this.letGo = undefined;
    if (!letGo) {
      const c = cleanTransactions(await this.transactions(), clean);
      await releaseMemoryNow(c.quality.rowsRead);
      return c;
    }
    // the same result as cleanTransactions (the same filter, column by column: the same table, chunk for chunk)
    let tx: TransactionTable | undefined = await this.transactions();
    const meta = Object.fromEntries(Object.entries(tx).filter(([k]) => k !== 'df')) as Omit<TransactionTable, 'df'>;
    const n = tx.df.height;
    this.rawTables.set(key, exploreRaw(tx, { top: letGo.top, clean }));
    await releaseMemoryNow(n);
    const plan = planCleaning(tx, clean);
    await releaseMemoryNow(n);
    // from here the lines as read are held by `rest` alone, one column fewer after each filter
    this.table = undefined;
    let rest: pl.DataFrame = tx.df.select(...CANONICAL_COLUMNS);
    tx = undefined;
    const columns: pl.Series[] = [];
    for (const c of CANONICAL_COLUMNS) {
      const column = rest.getColumn(c);
      columns.push(plan.keep ? column.filter(plan.keep) : column);
      rest = rest.drop(c);
      await releaseMemoryNow(n);
    }
    return cleanedResult(meta, pl.DataFrame(columns), plan);
  }

  async describe(): Promise<SourceDescription> {
    if (!this.description) {
      const tx = await this.transactions();
      this.description = { kind: 'file', label: tx.source.path, mapping: tx.mapping, orders: tx.orders, columns: tx.source.columns, rowsRead: tx.source.rowsRead, file: tx.source };
    }
    return this.description;
  }

  async quality(options: AskOptions = {}): Promise<QualityRecord> {
    return (await this.cleaned(options.clean)).quality;
  }

  async explore(options: Omit<ExploreOptions, 'cleaned'> = {}): Promise<EdaResult> {
    const cleaned = await this.cleaned(options.clean);
    const raw = this.rawTables.get(JSON.stringify(options.clean ?? {}));
    const r =
      raw && raw.top === (options.top ?? EXPLORE_DEFAULTS.top)
        ? await exploreAsync(cleaned.clean, { ...options, cleaned, raw })
        : await exploreAsync(await this.transactions(), { ...options, cleaned });
    await releaseMemoryNow(r.quality.rowsRead);
    return r;
  }

  async customers(options: CustomersOptions = {}): Promise<CustomerRfm> {
    const clean = (await this.cleaned(options.clean)).clean;
    const r = computeRfm(clean, options.rfm ?? {});
    await releaseMemoryNow(clean.df.height);
    return r;
  }

  async segmentTops(groups: GroupMap, k: number, options: TopsOptions = {}): Promise<SegmentTops> {
    const df = transactionFrame((await this.cleaned(options.clean)).clean, options.asOf ?? null);
    const top = options.top ?? 5;
    // each line's group found once for both; each step's tables let go before the next (eda/steps.ts)
    const grouped = groupLines(df, groups);
    await releaseMemoryNow(df.height);
    const products = topProductsBy(df, groups, k, top, grouped);
    await releaseMemoryNow(df.height);
    const countries = topCountriesBy(df, groups, k, top, grouped);
    await releaseMemoryNow(df.height);
    return { products, countries };
  }

  async customerLines(customerId: string, options: TopsOptions = {}): Promise<pl.DataFrame> {
    const df = transactionFrame((await this.cleaned(options.clean)).clean, options.asOf ?? null);
    return df.filter(pl.col('customer_id').eq(pl.lit(customerId))).sort(['date', 'invoice', 'product'], false, true, true);
  }

  async close(): Promise<void> {
    this.cleanedBy.clear();
    this.rawTables.clear();
    this.table = undefined;
  }
}
