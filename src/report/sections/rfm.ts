/**
 * RFM (templates/partials/rfm.hbs): the score thresholds, one row per named segment and the RFM charts.
 * The recency-monetary scatter may draw a sample of customers: `sampling` says so for the appendix.
 */
import { recencyMonetaryScatter, rfmHeatmap, segmentShareChart } from '../../charts/rfm';
import type { ReportContext } from '../context';
import { full, half } from '../fit';
import { fmtInt, fmtMoney } from '../format';
import { REPORT_SAMPLES, type SectionInput } from './common';

const DIMS = ['recency', 'frequency', 'monetary'] as const;

/** One row per score, highest first: each dimension's value range and customers at that score. */
function thresholdRows({ a, currency }: SectionInput): ReportContext['rfm']['thresholdRows'] {
  const byDim = Object.fromEntries(a.rfm.thresholds.map((t) => [t.dimension, t]));
  const fmtRange = (d: (typeof DIMS)[number], lo: number | null, hi: number | null): string => {
    if (lo === null || hi === null) return 'nobody';
    const f = d === 'monetary' ? (v: number) => fmtMoney(v, currency) : fmtInt;
    return lo === hi ? f(lo) : `${f(lo)} – ${f(hi)}`;
  };
  return Array.from({ length: a.rfm.bins }, (_, i) => a.rfm.bins - i).map((score) => ({
    score,
    cells: DIMS.map((d) => {
      const r = byDim[d]?.ranges.find((x) => x.score === score);
      return r ? `${fmtRange(d, r.min, r.max)} (${fmtInt(r.customers)})` : '–';
    }),
  }));
}

export async function rfmSection(s: SectionInput): Promise<{ section: ReportContext['rfm']; sampling: string[] }> {
  const { a, colorOf, seed, chart } = s;
  const scatter = recencyMonetaryScatter(a.rfm, { seed, maxPoints: REPORT_SAMPLES.scatterPoints, colorOf });
  const scatterNote = (scatter as { title?: { subtitle?: string } }).title?.subtitle ?? '';
  const charts = [
    ...(await chart('rfm-shares', segmentShareChart(a.segmentSummary, { colorOf }), half(), 'Share of customers (light) against share of revenue (dark) per named segment.')),
    ...(await chart('rfm-heatmap', rfmHeatmap(a.rfm), half(330), 'Mean spend per customer by recency score and frequency score.')),
    ...(await chart('rfm-scatter', scatter, full(470), `Each dot is a customer (${scatterNote}), coloured and shaped by named RFM segment.`)),
  ];
  const summaryRows = a.segmentSummary.toRecords() as Array<Record<string, number | string>>;
  return {
    section: {
      bins: a.rfm.bins,
      method: a.rfm.method,
      thresholdHeader: ['Recency (days)', 'Frequency (orders)', 'Monetary'],
      thresholdRows: thresholdRows(s),
      segments: summaryRows.map((r) => ({
        segment: r.segment,
        color: colorOf(String(r.segment)),
        customers: r.customers,
        customerShare: r.customer_share,
        revenue: r.revenue,
        revenueShare: r.revenue_share,
        avgOrderValue: r.avg_order_value,
        medianRecency: r.median_recency_days,
        medianFrequency: r.median_frequency,
        medianMonetary: r.median_monetary,
      })),
      others: a.rfm.others,
      charts,
    },
    sampling: scatterNote.startsWith('random sample') ? [`Recency vs monetary scatter: ${scatterNote}.`] : [],
  };
}
