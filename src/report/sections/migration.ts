/**
 * The report section "What changed since <date>" (templates/partials/migration.hbs) from an analysis's
 * migration (analyze(…, { compareAsOf })): headline numbers, the biggest flows in plain words, the net
 * change per segment as a table, and the three migration charts (transition heatmap, flows, net change).
 * The charts are rendered by the caller's `chart` function (the report's, so they fit the page as the
 * other charts do).
 */
import type { ChartSpec } from '../../charts/render';
import type { SegmentColorOf } from '../../charts/theme';
import { GONE, NEW, migrationFlowChart, migrationHeatmap, migrationNetChart, type Migration } from '../../migrate';
import { flowText } from '../../migrate/matrix';
import type { ChartBlock } from '../context';
import { CURRENCY_SYMBOLS, fmtInt } from '../format';

export interface MigrationSegmentRow {
  segment: string;
  color: string;
  before: number;
  after: number;
  /** "+12", "−40", "0". */
  net: string;
  stayed: number;
  movedUp: number;
  movedDown: number;
  cameNew: number;
  revenueBefore: number;
  revenueAfter: number;
}

export interface MigrationContext {
  /** The earlier as-of date (the section's title) and the report's. */
  since: string;
  asOf: string;
  intro: string;
  kpis: Array<{ value: string; label: string }>;
  /** The biggest flows, in words ("412 Loyal Customers (£58k last period) are now At Risk"). */
  flows: string[];
  segments: MigrationSegmentRow[];
  note: string;
  charts: ChartBlock[];
}

/** How a chart is rendered into a block: the report's chart renderer at full width (see ../assemble.ts). */
export type RenderChart = (id: string, spec: ChartSpec, caption: string) => Promise<ChartBlock[]>;

export interface MigrationSectionOptions {
  /** Currency code of the report (GBP, USD, …). */
  currency: string;
  chart: RenderChart;
  /** The report's segment colours. */
  colorOf?: SegmentColorOf;
  /** Flows listed in words. Default 8. */
  flows?: number;
}

const signed = (n: number): string => (n > 0 ? `+${fmtInt(n)}` : n < 0 ? `−${fmtInt(-n)}` : '0');

export async function migrationSection(m: Migration, options: MigrationSectionOptions): Promise<MigrationContext> {
  const { before, after } = m.asOf;
  const symbol = CURRENCY_SYMBOLS[options.currency]?.trim() ?? `${options.currency} `;
  const t = m.totals;
  const cut =
    m.thresholdPolicy === 'after'
      ? `this report’s score thresholds (those of ${after}, in the RFM section)`
      : m.thresholdPolicy === 'before'
        ? `the score thresholds of ${before}`
        : 'each date’s own score thresholds (so a move may be a shift of the thresholds, not of behaviour)';
  const intro =
    `Customers as of ${before} and as of ${after}, scored with the same cut points, ${cut}, and named with the same rules` +
    `${m.thresholdPolicy === 'each' ? '' : ', so a move is a change in behaviour, not a shift of quantiles'}. ` +
    `“${NEW}” are customers with no purchase on or before ${before}. “Up” and “down” follow the segment order of the table (best first).`;
  const kpis = [
    { value: fmtInt(t.after), label: `customers (${fmtInt(t.before)} on ${before})` },
    { value: fmtInt(t.stayed), label: 'same segment' },
    { value: fmtInt(t.up), label: 'moved up' },
    { value: fmtInt(t.down), label: 'moved down' },
    { value: fmtInt(t.new), label: 'new customers' },
  ];
  const n = options.flows ?? 8;
  const flows = m.flows.slice(0, n).map((f) => flowText(f, before, symbol));
  const colour = options.colorOf ?? ((): string => '#888');
  const segments = m.segments
    .filter((s) => s.before || s.after)
    .map((s) => ({
      segment: s.segment,
      color: colour(s.segment),
      before: s.before,
      after: s.after,
      net: signed(s.net),
      stayed: s.stayed,
      movedUp: s.movedUp,
      movedDown: s.movedDown,
      cameNew: s.cameNew,
      revenueBefore: s.revenueBefore,
      revenueAfter: s.revenueAfter,
    }));
  const lapsed = m.lapsed.length && t.lapsed ? ` ${fmtInt(t.lapsed)} customers went quiet (moved into ${m.lapsed.join(', ')}).` : '';
  const gone = t.gone ? ` ${fmtInt(t.gone)} customers of ${before} are missing from ${after} (“${GONE}”).` : '';
  const note =
    `Spend is each customer’s total up to the date (monetary value). Column sums of the matrix are the segment sizes on ${after}, row sums those on ${before}; ` +
    `every customer is counted once.${lapsed}${gone}`;
  // A printed page has no hover: the subtitles say what each chart shows instead.
  const titled = (spec: ChartSpec, subtitle: string): ChartSpec => {
    const s = spec as unknown as { title?: { text?: string } };
    return { ...spec, title: { ...s.title, subtitle } } as unknown as ChartSpec;
  };
  const charts = [
    ...(await options.chart('migration-heatmap', titled(migrationHeatmap(m), `rows: segment on ${before}; columns: on ${after}; number: customers`), `Customers by segment on ${before} (rows) and on ${after} (columns); outlined: stayed in the same segment.`)),
    ...(await options.chart('migration-flows', titled(migrationFlowChart(m), 'line width: customers; colour: the segment they came from; grey: new customers'), `The largest moves between segments, ${before} → ${after}; line width: customers; colour: the segment they came from; grey: new customers.`)),
    ...(await options.chart('migration-net', titled(migrationNetChart(m), `customers on ${after} minus on ${before}`), `Customers in each segment on ${after} minus on ${before}.`)),
  ];
  return { since: before, asOf: after, intro, kpis, flows, segments, note, charts };
}
