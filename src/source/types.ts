/**
 * The source contract: the few questions the pipeline asks of line-level transactions, each answered
 * with a small table (one row per customer at most). Files answer them with Polars in this process;
 * databases answer them with SQL where the data lives, so only the answers travel.
 *
 *   TransactionSource ─► quality()        cleaning record (rows read, removed by each rule, kept)
 *                     ─► explore()        the EDA tables and charts
 *                     ─► customers()      per-customer R, F, M (+ first/last purchase, tenure, items, AOV)
 *                     ─► segmentTops()    top products and countries per segment, given customer → segment
 *                     ─► customerLines()  one customer's lines, for look-up
 *
 * From the customer table on (features, k-means, profiles, report) every stage is the same whatever the source.
 */
import type pl from 'nodejs-polars';
import type { CleanOptions } from '../clean';
import type { EdaResult, ExploreOptions } from '../eda';
import type { CountryRow, ProductRow } from '../profile/transactions';
import type { ComputeOptions, CustomerRfm } from '../rfm/options';
import type { ColumnMapping, QualityRecord, TransactionTable } from '../types';

export type SourceKind = 'file' | 'postgres' | 'clickhouse';

/** What a source is, safe to print (never a password). */
export interface SourceDescription {
  kind: SourceKind;
  /** A file path, or the database URL without its password. */
  label: string;
  /** Database table (databases only). */
  table?: string;
  /** Role → column of the file or table. */
  mapping: ColumnMapping;
  /** How an order is defined: a distinct invoice, or (customer, calendar day) without an invoice column. */
  orders: 'invoice' | 'customer-day';
  /** The columns found in the file or table. */
  columns: string[];
  /** Rows in the file or table. */
  rowsRead: number;
  /** Files: format, compression, size and sha256 (as in TransactionTable.source). */
  file?: TransactionTable['source'];
  /** Databases: the server version, and for ClickHouse the cluster and shards of a Distributed table. */
  server?: {
    version: string;
    cluster?: string;
    shards?: number;
    localTable?: string;
    /** ClickHouse over a Distributed table: where the cleaned rows are kept while segkit asks its questions (on every shard, or on the node asked). */
    keptOn?: 'shards' | 'node';
    /**
     * ClickHouse: the Distributed table is sharded by the customer column alone, so each customer's lines sit
     * on one shard and grouped counts (customers per product, a customer's orders…) are completed on each
     * shard when the rows are kept there.
     */
    shardedByCustomer?: boolean;
  };
}

/** Options every question takes: which cleaning rules apply. */
export interface AskOptions {
  clean?: CleanOptions;
}

export interface CustomersOptions extends AskOptions {
  rfm?: Pick<ComputeOptions, 'asOf' | 'returns'>;
}

export interface TopsOptions extends AskOptions {
  /** Rows dated after this day (YYYY-MM-DD) are left out, as in RFM. */
  asOf?: string | null;
  /** Products and countries per segment. Default 5. */
  top?: number;
}

export interface SegmentTops {
  products: ProductRow[][];
  countries: CountryRow[][];
}

/** A customer → group (0..k-1) map: columns customer_id (Utf8) and group (Int32). */
export type GroupMap = pl.DataFrame;

export interface TransactionSource {
  readonly kind: SourceKind;
  /** Resolve the column mapping and count the rows (cached after the first call). */
  describe(): Promise<SourceDescription>;
  /** The cleaning record: rows read, rows removed by each rule in order, rows kept. */
  quality(options?: AskOptions): Promise<QualityRecord>;
  /** Every EDA table and chart (see explore). */
  explore(options?: Omit<ExploreOptions, 'cleaned'>): Promise<EdaResult>;
  /** Per-customer recency, frequency, monetary and the other customer columns of computeRfm, sorted by customer_id. */
  customers(options?: CustomersOptions): Promise<CustomerRfm>;
  /** Top products and countries by revenue per group of a customer → group map. */
  segmentTops(groups: GroupMap, k: number, options?: TopsOptions): Promise<SegmentTops>;
  /** One customer's cleaned lines (canonical columns), oldest first; for look-ups and timelines. */
  customerLines(customerId: string, options?: TopsOptions): Promise<pl.DataFrame>;
  /** Close connections and remove temporary files. */
  close(): Promise<void>;
}
