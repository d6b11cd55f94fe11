/**
 * Views of RFM results: the customer counts, the segment summary, the thresholds behind the scores, the
 * first and last customers, and the segment charts (the large per-customer charts are one call away).
 */
import type pl from 'nodejs-polars';
import { rfmHeatmap, segmentBarsChart, segmentShareChart } from '../../charts/rfm';
import type { CustomerRfm, ScoredRfm } from '../../rfm/options';
import { segmentSummary, thresholdTable } from '../../rfm/summary';
import type { RfmResult } from '../../types';
import type { DisplayMessage } from '../kernel';
import { chartView } from './chart';
import { frameParts } from './frame';
import { esc, fmt, htmlMessage, keyValues } from './html';

const isFrame = (x: unknown): x is pl.DataFrame => typeof x === 'object' && x !== null && typeof (x as pl.DataFrame).toRecords === 'function';

/** computeRfm, scoreRfm, segmentRfm and rfm results all have a customer table and an analysis date. */
export const isRfmLike = (x: Record<string, unknown>): boolean => isFrame(x.table) && typeof x.asOf === 'string' && (Array.isArray(x.thresholds) || typeof x.counts === 'object');

const countsRows = (c: CustomerRfm['counts'] | undefined): Array<[string, unknown]> =>
  c
    ? [
        ['lines used', `${fmt(c.rowsUsed)} of ${fmt(c.rowsIn)}`],
        ['left out', [c.missingCustomer && `${fmt(c.missingCustomer)} without a customer`, c.missingValues && `${fmt(c.missingValues)} without date or amount`, c.afterAsOf && `${fmt(c.afterAsOf)} after asOf`, c.returnRows && `${fmt(c.returnRows)} returns`].filter(Boolean).join(', ')],
      ]
    : [];

/** An RFM result at any step (computed, scored, segmented). */
export function rfmView(r: RfmResult | ScoredRfm | CustomerRfm): DisplayMessage[] {
  const table = r.table;
  const scored = 'thresholds' in r && Array.isArray(r.thresholds);
  const segmented = table.columns.includes('segment');
  const head = keyValues([
    ['customers', fmt(table.height)],
    ['analysis date', r.asOf || '(given)'],
    ['scores', scored ? `1..${(r as ScoredRfm).bins}, ${(r as ScoredRfm).method} method` : 'not scored yet (scoreRfm)'],
    ['orders counted by', 'orders' in r ? (r as CustomerRfm).orders : undefined],
    ['no matching rule (Others)', segmented && 'others' in r ? fmt((r as RfmResult).others) : undefined],
    ...countsRows((r as CustomerRfm).counts),
    ['warnings', r.warnings?.length ? r.warnings.map((w) => w.message).slice(0, 3).join('; ') : undefined],
  ]);
  const title = segmented ? 'RFM segments' : scored ? 'RFM scores' : 'RFM values';
  const out: DisplayMessage[] = [];
  let html = `<h4>${title}</h4>${head.html}`;
  let text = `${title}\n${head.text}`;
  let summary: pl.DataFrame | null = null;
  if (segmented) {
    summary = segmentSummary(table);
    const s = frameParts(summary, { caption: 'Segment summary (by revenue)', maxRows: 30 });
    html += s.html;
    text += `\n\n${s.text}`;
  }
  if (scored) {
    const th = frameParts(thresholdTable((r as ScoredRfm).thresholds).drop('method'), { caption: 'Score thresholds (raw values per score)', maxRows: 40 });
    html += th.html;
    text += `\n\n${th.text}`;
  }
  const c = frameParts(table, { caption: 'Customers', maxRows: 6 });
  html += c.html;
  text += `\n\n${c.text}`;
  const more = segmented ? 'Every RFM chart (distributions, recency × monetary scatter): seg.show(seg.rfmCharts(result, seg.segmentSummary(result))).' : '';
  if (more) {
    html += `<p class="muted">${esc(more)}</p>`;
    text += `\n${more}`;
  }
  out.push(htmlMessage(html, text));
  if (summary) out.push(chartView(segmentBarsChart(summary)), chartView(segmentShareChart(summary)));
  if (scored) out.push(chartView(rfmHeatmap(table)));
  return out;
}
