/**
 * The report context: plain JSON that the Handlebars templates render. Every number in it is computed
 * from the analysis (see ./assemble.ts); charts are SVG strings rendered in Node.
 */

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
    override?: string;
    notes: string;
    rows: Array<Record<string, unknown>>;
    charts: ChartBlock[];
  };
  segmentsIntro: string;
  segments: SegmentCard[];
  appendix: {
    input: { path: string; sha256: string; rows: number };
    parameters: Array<{ name: string; value: string }>;
    versions: Array<{ name: string; version: string }>;
    runTime: string;
    warnings: string[];
  };
}
