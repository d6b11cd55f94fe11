/**
 * The report context: plain JSON that the Handlebars templates render. Every number in it is computed
 * from the analysis (see ./assemble.ts); charts are SVG strings rendered in Node.
 */
import type { MigrationContext } from './sections/migration';
import type { ClvContext } from './sections/clv';

export interface ChartBlock {
  id: string;
  svg: string;
  caption?: string;
  /** Spans the whole width in a chart grid. */
  wide?: boolean;
}

export interface SegmentRow {
  name: string;
  color: string;
  customers: number;
  customerShare: number;
  revenue: number;
  revenueShare: number;
  action: string;
}

export interface SegmentCard {
  id: number;
  name: string;
  color: string;
  description: string;
  customers: number;
  customerShare: number;
  revenue: number;
  revenueShare: number;
  avgOrderValue: number;
  medianRecency: number;
  medianFrequency: number;
  medianMonetary: number;
  topProducts: string[];
  actions: string[];
  chart?: string;
  /** The RFM segments its customers fall in, largest first (e.g. "Champions 74 %, Loyal Customers 20 %"). */
  mix?: string;
  /** Why it has its name (e.g. "90 % of its customers are Champions"). */
  nameReason?: string;
  /** Expected value of the next months ("£12,345 (£67 per customer)"): only with lifetime value on. */
  expectedValue?: string;
  /** "Expected 12-month value". */
  expectedValueLabel?: string;
}

export interface ReportContext {
  meta: {
    title: string;
    subtitle?: string;
    author?: string;
    dataset: string;
    asOf: string;
    generatedAt: string;
    segkitVersion: string;
    currency: string;
  };
  summary: {
    customers: number;
    revenue: number;
    orders: number;
    k: number;
    findings: string[];
    segments: SegmentRow[];
    chart?: string;
    chartCaption?: string;
    /** Why this many segments, and what the other indices suggest (plain words, computed from the sweep). */
    kNote?: string;
  };
  quality: {
    file: string;
    rowsRead: number;
    rowsKept: number;
    keptShare: number;
    rules: Array<{ label: string; removed: number; share: number }>;
    first: string;
    last: string;
    orderDefinition: string;
    warnings: string[];
    /** Charts of the raw file: missing values per column, cancellations and returns per month. */
    charts?: ChartBlock[];
  };
  exploration: { charts: ChartBlock[] };
  rfm: {
    bins: number;
    method: string;
    thresholdHeader: string[];
    thresholdRows: Array<{ score: number; cells: string[] }>;
    segments: Array<Record<string, unknown>>;
    others: number;
    charts: ChartBlock[];
  };
  kselection: {
    explanation: string;
    /** How to follow the runner-up (the explanation names it and its evidence). */
    alternative?: string;
    override?: string;
    notes: string;
    rows: Array<Record<string, unknown>>;
    charts: ChartBlock[];
  };
  /** "What changed since <date>": only when the analysis was given compareAsOf. */
  migration?: MigrationContext;
  /** "Customer value": only when the analysis was run with clv. */
  clv?: ClvContext;
  segmentsIntro: string;
  segments: SegmentCard[];
  appendix: {
    input: { kind: string; path: string; sha256: string | null; server: string | null; rows: number };
    /** Charts drawn from a sample of customers, and the sample sizes (so every sampled picture is stated). */
    sampling?: string[];
    parameters: Array<{ name: string; value: string }>;
    versions: Array<{ name: string; version: string }>;
    runTime: string;
    warnings: string[];
  };
}
