/**
 * The segments (templates/partials/segments.hbs): how they were made, and one card per k-means segment
 * with its numbers, top products, actions and where its medians sit among all customers.
 */
import type { ChartSpec } from '../../charts/render';
import type { SegmentProfile } from '../../profile';
import type { SegmentCard } from '../context';
import { CHART_WIDTH } from '../fit';
import { fmtPct } from '../format';
import type { SectionInput } from './common';

/** A small chart for a segment card: where the segment's medians sit among all customers (percentiles). */
function positionChart(p: SegmentProfile, color: string): ChartSpec {
  const values = [
    { dimension: 'Recency', value: Math.round((1 - p.position.recency) * 100) },
    { dimension: 'Frequency', value: Math.round(p.position.frequency * 100) },
    { dimension: 'Monetary', value: Math.round(p.position.monetary * 100) },
  ];
  return {
    title: { text: 'Percentile among all customers', subtitle: 'right = more recent, more orders, more spend', fontSize: 11, subtitleFontSize: 9.5 },
    height: 72,
    data: { values },
    layer: [
      {
        mark: { type: 'bar', color },
        encoding: {
          y: { field: 'dimension', type: 'nominal', sort: null, title: null },
          x: { field: 'value', type: 'quantitative', scale: { domain: [0, 100] }, title: null, axis: { values: [0, 25, 50, 75, 100], format: 'd' } },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#222' },
        encoding: { y: { field: 'dimension', type: 'nominal', sort: null }, x: { field: 'value', type: 'quantitative' }, text: { field: 'value', type: 'quantitative' } },
      },
      { mark: { type: 'rule', strokeDash: [3, 3], color: '#555' }, encoding: { x: { datum: 50 } } },
    ],
  } as unknown as ChartSpec;
}

/** The segments' introduction (`segmentsIntro`) and cards (`segments`) of the context. */
export async function segmentsSection({ a, colorOf, svg }: SectionInput): Promise<{ intro: string; cards: SegmentCard[] }> {
  const cards: SegmentCard[] = [];
  for (const p of a.profiles.segments) {
    cards.push({
      id: p.cluster,
      name: p.name,
      color: colorOf(p.name),
      description: p.description,
      customers: p.customers,
      customerShare: p.customerShare,
      revenue: p.revenue,
      revenueShare: p.revenueShare,
      avgOrderValue: p.avgOrderValue,
      medianRecency: p.recency.median,
      medianFrequency: p.frequency.median,
      medianMonetary: p.monetary.median,
      topProducts: p.topProducts.slice(0, 5).map((t) => (t.description ? `${t.description.trim()} (${t.product})` : t.product)),
      actions: [p.actions.summary, ...p.actions.actions].filter(Boolean),
      chart: await svg(`card-${p.cluster}`, positionChart(p, colorOf(p.name)), { width: CHART_WIDTH.half, height: 130 }),
      mix: p.segmentMix.length
        ? p.segmentMix
            .slice(0, 3)
            .map((m) => `${m.segment} ${fmtPct(m.share, 0)}`)
            .join(', ')
        : undefined,
      nameReason: p.nameReason ? `Named for: ${p.nameReason}.` : undefined,
    });
  }
  return {
    intro: `k-means with k = ${a.k} on log-scaled, standardized recency, frequency and monetary value (${a.profiles.order}). Each segment is named after the RFM segment whose rule its median R, F and M scores fall in (qualified by how it differs when two segments share a rule, or described in plain words when no rule is free); its description places its medians against the whole customer base.`,
    cards,
  };
}
