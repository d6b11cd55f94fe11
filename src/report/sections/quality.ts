/** Data quality (templates/partials/quality.hbs): rows read and kept, what each cleaning rule removed, the raw file's charts. */
import type { ReportContext } from '../context';
import { half } from '../fit';
import type { SectionInput } from './common';

const fmtDate = (iso: string | null): string => (iso ? iso.replace('T', ' ').slice(0, 16) : '–');

export async function qualitySection({ a, dataset, chart }: SectionInput): Promise<ReportContext['quality']> {
  const q = a.cleaned.quality;
  const eda = a.exploration.charts;
  const charts = [
    ...(await chart('quality-missing', eda.missing, half(), 'Share of lines with no value, per column of the file (before cleaning).')),
    ...(await chart('quality-cancellations', eda.cancellations, half(230), 'Cancelled and returned lines per month, before cleaning.')),
  ];
  return {
    file: dataset,
    rowsRead: q.rowsRead,
    rowsKept: q.rowsKept,
    keptShare: q.rowsRead ? q.rowsKept / q.rowsRead : 0,
    rules: q.rules.map((r) => ({ label: r.label, removed: r.removed, share: q.rowsRead ? r.removed / q.rowsRead : 0 })),
    first: fmtDate(q.dateRange.first),
    last: fmtDate(q.dateRange.last),
    orderDefinition: a.source.orders === 'invoice' ? 'a distinct invoice number' : 'a customer’s purchases on one calendar day (the file has no invoice column)',
    warnings: q.warnings.map((w) => w.message),
    charts,
  };
}
