/**
 * Vega-Lite specs for a migration: the transition heatmap (customers; revenue on hover), the main flows
 * as a two-column slope chart (Vega-Lite has no Sankey mark), and the net change per segment.
 * Each segment has its fixed colour (charts/theme); "(new)" and "(gone)" are grey.
 */
import type { ChartSpec } from '../charts/render';
import { chartLocale, segmentPalette } from '../charts/theme';
import { SegkitError } from '../errors';
import { GONE, NEW, type Migration } from './options';

const OUTSIDE = '#bdbdbd';
const spec = (s: object): ChartSpec => ({ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', ...s }) as unknown as ChartSpec;

export interface MigrationChartOptions {
  /** Currency symbol of money in tooltips and labels. Default "£". */
  currency?: string;
  /** Flows drawn in the flow chart (largest first). Default 12. */
  top?: number;
}

function colours(m: Migration): { domain: string[]; range: string[] } {
  const of = segmentPalette(m.order);
  const domain = [...m.order, NEW, GONE];
  return { domain, range: domain.map((s) => (s === NEW || s === GONE ? OUTSIDE : of(s))) };
}

const period = (m: Migration, which: 'before' | 'after'): string => m.asOf[which] || (which === 'before' ? 'first table' : 'second table');

function checked(m: Migration): void {
  if (!m || !Array.isArray(m.cells) || !m.cells.length) {
    throw new SegkitError('charts', 'no_migration', 'there is no migration to chart', { where: 'migration charts', hint: 'pass the result of migrate() or migrateAsOf()' });
  }
}

/** Transition heatmap: rows = segment at the first date, columns = at the second; colour and number = customers. */
export function migrationHeatmap(m: Migration, options: MigrationChartOptions = {}): ChartSpec {
  checked(m);
  const values = m.cells.map((c) => ({ ...c, stayed: c.from === c.to }));
  return spec({
    title: { text: `Segment migration: ${period(m, 'before')} → ${period(m, 'after')}`, subtitle: `rows: segment on ${period(m, 'before')}; columns: on ${period(m, 'after')}; number: customers (revenue on hover)` },
    width: { step: 46 },
    height: { step: 24 },
    data: { values },
    config: { locale: chartLocale(options.currency ?? '£') },
    encoding: {
      x: { field: 'to', type: 'nominal', title: `Segment on ${period(m, 'after')}`, sort: m.columns, axis: { labelAngle: -40, labelLimit: 160, orient: 'top' } },
      y: { field: 'from', type: 'nominal', title: `Segment on ${period(m, 'before')}`, sort: m.rows, axis: { labelLimit: 160 } },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: { field: 'customers', type: 'quantitative', title: 'Customers', scale: { scheme: 'blues', type: 'sqrt' } },
          tooltip: [
            { field: 'from', title: 'from' },
            { field: 'to', title: 'to' },
            { field: 'customers', type: 'quantitative', format: ',' },
            { field: 'revenueBefore', type: 'quantitative', format: '$,.0f', title: `revenue to ${period(m, 'before')}` },
            { field: 'revenueAfter', type: 'quantitative', format: '$,.0f', title: `revenue to ${period(m, 'after')}` },
          ],
        },
      },
      { mark: { type: 'rect', fill: null, stroke: '#222', strokeWidth: 1.5 }, transform: [{ filter: 'datum.stayed' }] },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'customers', type: 'quantitative', format: ',' },
          color: { condition: { test: `datum.customers > ${0.5 * Math.max(...m.cells.map((c) => c.customers))}`, value: 'white' }, value: '#222' },
        },
      },
    ],
  });
}

/**
 * The main moves as a slope chart: segments in order down both sides (first date left, second right),
 * one line per flow, as thick as its customers, in the colour of the segment it came from.
 */
export function migrationFlowChart(m: Migration, options: MigrationChartOptions = {}): ChartSpec {
  checked(m);
  const top = options.top ?? 12;
  const left = m.rows;
  const right = m.columns;
  const flows = m.cells.filter((c) => c.from !== c.to).sort((a, b) => b.customers - a.customers).slice(0, top);
  const n = Math.max(left.length, right.length);
  const values = flows.map((c) => ({ ...c, y1: left.indexOf(c.from), y2: right.indexOf(c.to), x1: 0, x2: 1 }));
  const labels = [
    ...left.map((s, i) => ({ segment: s, y: i, x: 0, side: 'left' })),
    ...right.map((s, i) => ({ segment: s, y: i, x: 1, side: 'right' })),
  ];
  const y = { type: 'quantitative', scale: { domain: [-0.5, n - 0.5], reverse: true }, axis: null };
  const x = { type: 'quantitative', scale: { domain: [0, 1] }, axis: null };
  return spec({
    title: { text: `The ${flows.length} largest moves: ${period(m, 'before')} → ${period(m, 'after')}`, subtitle: 'line width: customers (hover for numbers); colour: the segment they came from; grey: new customers' },
    width: 300,
    height: Math.max(200, 24 * n),
    padding: { left: 130, right: 130, top: 5, bottom: 5 },
    config: { locale: chartLocale(options.currency ?? '£') },
    layer: [
      {
        data: { values },
        mark: { type: 'rule', opacity: 0.75, strokeCap: 'round' },
        encoding: {
          x: { field: 'x1', ...x },
          x2: { field: 'x2' },
          y: { field: 'y1', ...y },
          y2: { field: 'y2' },
          strokeWidth: { field: 'customers', type: 'quantitative', scale: { range: [1, 14] }, legend: null },
          color: { field: 'from', type: 'nominal', scale: colours(m), legend: null },
          tooltip: [
            { field: 'from' },
            { field: 'to' },
            { field: 'customers', type: 'quantitative', format: ',' },
            { field: 'revenueBefore', type: 'quantitative', format: '$,.0f', title: `revenue to ${period(m, 'before')}` },
            { field: 'revenueAfter', type: 'quantitative', format: '$,.0f', title: `revenue to ${period(m, 'after')}` },
          ],
        },
      },
      ...(['left', 'right'] as const).map((side) => ({
        data: { values: labels.filter((l) => l.side === side) },
        mark: { type: 'text', fontSize: 10.5, align: side === 'left' ? 'right' : 'left', dx: side === 'left' ? -6 : 6 },
        encoding: {
          x: { field: 'x', ...x },
          y: { field: 'y', ...y },
          text: { field: 'segment' },
          color: { field: 'segment', type: 'nominal', scale: colours(m), legend: null },
        },
      })),
    ],
  });
}

/** Net change per segment (customers at the second date − at the first), in segment order. */
export function migrationNetChart(m: Migration, options: MigrationChartOptions = {}): ChartSpec {
  checked(m);
  const values = m.segments.filter((s) => s.before || s.after).map((s) => ({ ...s }));
  return spec({
    title: { text: `Net change per segment: ${period(m, 'before')} → ${period(m, 'after')}`, subtitle: 'customers at the second date minus at the first; hover for where they came from' },
    width: 360,
    height: { step: 20 },
    data: { values },
    config: { locale: chartLocale(options.currency ?? '£') },
    encoding: {
      y: { field: 'segment', type: 'nominal', sort: m.order, title: null, axis: { labelLimit: 160 } },
      x: { field: 'net', type: 'quantitative', title: 'Net change in customers', axis: { format: '+,.0f' } },
    },
    layer: [
      {
        mark: 'bar',
        encoding: {
          color: { field: 'segment', type: 'nominal', scale: colours(m), legend: null },
          tooltip: [
            { field: 'segment' },
            { field: 'before', type: 'quantitative', format: ',' },
            { field: 'after', type: 'quantitative', format: ',' },
            { field: 'stayed', type: 'quantitative', format: ',' },
            { field: 'movedUp', type: 'quantitative', format: ',', title: 'left for a better segment' },
            { field: 'movedDown', type: 'quantitative', format: ',', title: 'left for a worse segment' },
            { field: 'cameUp', type: 'quantitative', format: ',', title: 'came up from a worse segment' },
            { field: 'cameDown', type: 'quantitative', format: ',', title: 'came down from a better segment' },
            { field: 'cameNew', type: 'quantitative', format: ',', title: 'new customers' },
            { field: 'revenueAfter', type: 'quantitative', format: '$,.0f', title: `revenue to ${period(m, 'after')}` },
          ],
        },
      },
      { mark: { type: 'rule', color: '#888' }, encoding: { x: { datum: 0 } } },
      {
        mark: { type: 'text', fontSize: 10, dx: 4, align: 'left' },
        transform: [{ filter: 'datum.net >= 0' }],
        encoding: { text: { field: 'net', type: 'quantitative', format: '+,' } },
      },
      {
        mark: { type: 'text', fontSize: 10, dx: 4, align: 'left' },
        transform: [{ filter: 'datum.net < 0' }],
        encoding: { x: { datum: 0 }, text: { field: 'net', type: 'quantitative', format: '+,' } },
      },
    ],
  });
}

/** The three charts, keyed by name. */
export function migrationCharts(m: Migration, options: MigrationChartOptions = {}): Record<'heatmap' | 'flows' | 'net', ChartSpec> {
  return { heatmap: migrationHeatmap(m, options), flows: migrationFlowChart(m, options), net: migrationNetChart(m, options) };
}
