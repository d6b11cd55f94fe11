/**
 * The executive summary (templates/partials/summary.hbs): headline numbers, the findings, one row per
 * segment, the share-of-customers vs share-of-revenue chart and why this many segments.
 */
import type { ChartSpec } from '../../charts/render';
import type { SegmentColorOf } from '../../charts/theme';
import type { SegmentProfile } from '../../profile';
import type { ReportContext } from '../context';
import { CHART_WIDTH } from '../fit';
import { findings, kEvidence } from '../findings';
import type { SectionInput } from './common';

/** The summary's chart: each segment's share of customers against its share of revenue, in the segments' colours. */
function segmentSharesSpec(profiles: SegmentProfile[], colorOf: SegmentColorOf): ChartSpec {
  const labels = profiles.map((p) => p.label);
  const measures = ['share of customers', 'share of revenue'];
  const values = profiles.flatMap((p) => [
    { segment: p.label, measure: measures[0], share: p.customerShare },
    { segment: p.label, measure: measures[1], share: p.revenueShare },
  ]);
  return {
    title: { text: 'Share of customers vs share of revenue', subtitle: 'light bar: share of all customers; dark bar: share of all revenue' },
    height: { step: 14 },
    data: { values },
    encoding: {
      y: { field: 'segment', type: 'nominal', sort: labels, title: null, axis: { labelLimit: 220 } },
      yOffset: { field: 'measure', type: 'nominal', sort: measures },
      x: { field: 'share', type: 'quantitative', title: null, scale: { domain: [0, 1] }, axis: { format: '.0%', values: [0, 0.25, 0.5, 0.75, 1] } },
    },
    layer: [
      {
        mark: 'bar',
        encoding: {
          color: { field: 'segment', type: 'nominal', scale: { domain: labels, range: profiles.map((p) => colorOf(p.name)) }, legend: null },
          opacity: { field: 'measure', type: 'nominal', sort: measures, scale: { domain: measures, range: [0.4, 1] }, title: null, legend: { orient: 'bottom', symbolType: 'square' } },
        },
      },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#222' }, encoding: { text: { field: 'share', type: 'quantitative', format: '.1%' } } },
    ],
  } as unknown as ChartSpec;
}

export async function summarySection({ a, currency, colorOf, svg }: SectionInput): Promise<ReportContext['summary']> {
  const profiles = a.profiles.segments;
  const evidence = kEvidence({ sweep: a.sweep, k: a.k, kSource: a.kSource });
  return {
    customers: a.profiles.customers,
    revenue: a.profiles.revenue,
    orders: a.profiles.orders,
    k: a.k,
    findings: findings({ profiles, customers: a.rfm.table, currency }),
    segments: profiles.map((p) => ({
      name: p.name,
      color: colorOf(p.name),
      customers: p.customers,
      customerShare: p.customerShare,
      revenue: p.revenue,
      revenueShare: p.revenueShare,
      action: p.actions.summary,
    })),
    chart: await svg('summary-shares', segmentSharesSpec(profiles, colorOf), { width: CHART_WIDTH.full }),
    chartCaption: 'Each segment’s share of all customers (light) against its share of all revenue (dark), in the segments’ colours.',
    kNote: [evidence.support, evidence.alternative].filter(Boolean).join(' '),
  };
}
