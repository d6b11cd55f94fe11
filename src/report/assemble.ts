/**
 * Analysis → ReportContext: one builder per section of the page (./sections/, each the JSON of one
 * template partial), called in page order. Pure apart from the chart rendering (vega in Node); the only
 * value not derived from the analysis is `generatedAt`.
 *
 * A new section is one builder in ./sections/, one partial in templates/partials/ and one line here.
 */
import type { ChartSpec } from '../charts/render';
import type { Analysis } from '../pipeline';
import type { ReportContext } from './context';
import { full } from './fit';
import { appendixSection } from './sections/appendix';
import { clvSection } from './sections/clv';
import { sectionInput, type ReportOptions } from './sections/common';
import { coverSection } from './sections/cover';
import { explorationSection } from './sections/exploration';
import { kSelectionSection } from './sections/kselection';
import { migrationSection } from './sections/migration';
import { qualitySection } from './sections/quality';
import { rfmSection } from './sections/rfm';
import { segmentsSection } from './sections/segments';
import { summarySection } from './sections/summary';

export { CHART_WIDTH, reportSpec } from './fit';
export { REPORT_DEFAULTS, REPORT_SAMPLES, reportPalette, type ReportOptions } from './sections/common';

/**
 * The report context of an analysis: resolve the options once, then build each section.
 * @throws SegkitError the chart errors of the sections (`charts/invalid_spec`, `charts/network_forbidden`, `charts/no_sweep`, `charts/missing_column`, …) and `profile/*` errors of an analysis whose parts do not fit together.
 */
export async function reportContext(a: Analysis, options: ReportOptions = {}): Promise<ReportContext> {
  const s = sectionInput(a, options);
  const exploration = await explorationSection(s);
  const quality = await qualitySection(s);
  const rfm = await rfmSection(s);
  const kselection = await kSelectionSection(s);
  const summary = await summarySection(s);
  const segments = await segmentsSection(s);
  const wide = { currency: s.currency, colorOf: s.colorOf, chart: (id: string, spec: ChartSpec, caption: string) => s.chart(id, spec, full(), caption) };
  const migration = a.migration ? await migrationSection(a.migration, wide) : undefined;
  const clv = a.clv ? await clvSection(a, { ...wide, cards: segments.cards }) : undefined; // also puts the expected value on the cards
  return {
    meta: coverSection(s),
    summary,
    quality,
    exploration,
    rfm: rfm.section,
    kselection: kselection.section,
    ...(migration ? { migration } : {}),
    segmentsIntro: segments.intro,
    segments: segments.cards,
    ...(clv ? { clv } : {}),
    appendix: appendixSection(s, [...rfm.sampling, ...kselection.sampling]),
  };
}
