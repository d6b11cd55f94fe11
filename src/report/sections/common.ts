/**
 * What every report section builder is given: the analysis, the report options resolved once (currency,
 * colours, seed, the data set's name) and the chart renderer that fits charts to the page.
 *
 * A section is one builder here (analysis → the plain JSON its partial renders) and one Handlebars
 * partial in templates/partials/; ../assemble.ts lists the builders in page order.
 */
import path from 'node:path';
import type { ChartSpec } from '../../charts/render';
import { segmentPalette, type SegmentColorOf } from '../../charts/theme';
import { ANALYZE_DEFAULTS, type Analysis } from '../../pipeline';
import type { ChartBlock } from '../context';
import { chartBlock, svgOf, type Fit } from '../fit';

export interface ReportOptions {
  title?: string;
  subtitle?: string;
  author?: string;
  /** Currency code for money (default GBP). */
  currency?: string;
  /** The generated-at stamp (default: now, UTC). The only value not derived from the data. */
  generatedAt?: string;
  /** Extra parameters to list in the appendix (e.g. the notebook's). */
  parameters?: Record<string, unknown>;
}

export const REPORT_DEFAULTS = { title: 'Customer segmentation', currency: 'GBP' };

/** Scatter points and silhouette bars drawn at most in the report (larger inputs are sampled, and the sample is stated). */
export const REPORT_SAMPLES = { scatterPoints: 2000, silhouetteBars: 400 } as const;

export interface SectionInput {
  a: Analysis;
  options: ReportOptions;
  /** Currency code of every amount (options.currency or REPORT_DEFAULTS.currency). */
  currency: string;
  /** The report's one colour per segment name (see reportPalette). */
  colorOf: SegmentColorOf;
  /** The analysis's seed (for the charts that draw a sample). */
  seed: number;
  /** The data's name: a file by its base name, a database table by its URL without the password. */
  dataset: string;
  /** A chart as a figure of the page (none when `spec` is undefined). */
  chart(id: string, spec: ChartSpec | undefined, fit: Fit, caption?: string): Promise<ChartBlock[]>;
  /** A chart as an inline SVG string. */
  svg(id: string, spec: ChartSpec, fit: Fit): Promise<string>;
}

/**
 * The report's one colour per segment name: every RFM segment and every cluster name, so a k-means
 * segment named "Champions" and the RFM segment Champions share a colour in every chart, swatch and card.
 */
export function reportPalette(a: Pick<Analysis, 'segmentSummary' | 'profiles'>): SegmentColorOf {
  const rfmNames = a.segmentSummary.columns.includes('segment') ? (a.segmentSummary.getColumn('segment').toArray() as unknown[]).map(String) : [];
  return segmentPalette([...rfmNames, ...a.profiles.segments.map((p) => p.name)]);
}

/** Resolve the report options once for every section. */
export function sectionInput(a: Analysis, options: ReportOptions): SectionInput {
  const currency = options.currency ?? REPORT_DEFAULTS.currency;
  const src = a.source;
  return {
    a,
    options,
    currency,
    colorOf: reportPalette(a),
    seed: a.options.seed ?? ANALYZE_DEFAULTS.seed,
    dataset: src.kind === 'file' ? path.basename(src.label) : src.label,
    chart: (id, spec, fit, caption) => chartBlock(id, spec, fit, currency, caption),
    svg: (id, spec, fit) => svgOf(id, spec, fit, currency),
  };
}
