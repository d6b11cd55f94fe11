/**
 * Choosing k (templates/partials/kselection.hbs): the recommendation in words, one table row per k with
 * the signals it counts, and every k-selection chart. The silhouette, gap statistic and dendrogram may be
 * computed on samples: `sampling` says so for the appendix.
 */
import type { ChartSpec } from '../../charts/render';
import { kSelectionCharts } from '../../charts/select-k';
import type { Analysis } from '../../pipeline';
import type { ChartBlock, ReportContext } from '../context';
import { full, half, type Fit } from '../fit';
import { kEvidence } from '../findings';
import { fmtFixed, fmtInt } from '../format';
import { REPORT_SAMPLES, type SectionInput } from './common';

/** Reading order: the panel of every index, then the curves in pairs, then the structure (silhouettes, tree). */
function kLayout(sameLabels: boolean): Array<[string, Fit, string | undefined]> {
  return [
    [
      'summary',
      full(),
      'Every index at every k: shaded, the signals the recommendation counts (a local peak of the silhouette or Calinski-Harabasz, a local dip of Davies-Bouldin, the gap statistic’s SE rule, the elbow); outlined, the recommended k (dashed: the k in use, if you chose another).',
    ],
    ['elbow', half(230), undefined],
    ['silhouette', half(230), undefined],
    ['calinskiHarabasz', half(230), undefined],
    ['daviesBouldin', half(230), undefined],
    ['gap', half(230), undefined],
    ['stability', half(230), undefined],
    [
      'silhouettePlot',
      half(250),
      sameLabels
        ? 'Each horizontal line is a customer, sorted within its segment (colours as in the segment cards).'
        : 'Each horizontal line is a customer, sorted within the sweep’s cluster at this k.',
    ],
    ['dendrogram', half(250), 'Ward’s hierarchical clustering of a sample, as a cross-check of the k-means structure.'],
  ];
}

const STATUS: Record<string, string> = { candidate: 'considered', 'outside-range': 'outside the range', 'small-segment': 'set aside: small segment', unstable: 'set aside: unstable' };

/** One row per k of the sweep, with the signals the recommendation counts marked. */
function kRows(a: Analysis): Array<Record<string, unknown>> {
  const rec = a.sweep.recommendation;
  const votes = rec.votes;
  return a.sweep.perK.map((r) => {
    const c = rec.candidates?.find((x) => x.k === r.k);
    const has = (s: string): boolean => (c ? (c.signals as string[]).includes(s) : votes[s] === r.k);
    return {
      ...r,
      chosen: r.k === a.k,
      recommended: r.k === rec.k,
      gapText: r.gap === undefined || r.gap === null ? '–' : `${fmtFixed(r.gap, 3)} ± ${fmtFixed(r.gapSE, 3)}`,
      // The signals the recommendation counts (or, for a sweep without them, the k each index votes for), marked in the appendix table.
      vote: { elbow: has('elbow'), silhouette: has('silhouette'), calinskiHarabasz: has('calinskiHarabasz'), daviesBouldin: has('daviesBouldin'), gap: has('gap') },
      smallestShare: c && Number.isFinite(c.smallestShare) ? c.smallestShare : undefined,
      status: r.k === rec.k ? 'recommended' : r.k === rec.runnerUp?.k ? 'runner-up' : c ? STATUS[c.status] : '',
    };
  });
}

export async function kSelectionSection({ a, colorOf, chart }: SectionInput): Promise<{ section: ReportContext['kselection']; sampling: string[] }> {
  const profiles = a.profiles.segments;
  const customers = a.rfm.table.height;
  // The silhouette plot shows the segments' names when the sweep's labels at this k are the model's.
  const pts = a.sweep.silhouettePoints?.find((x) => x.k === a.k);
  const sameLabels = !!pts && pts.rows.every((row, i) => a.model.labels[row] === pts.labels[i]);
  const kc = kSelectionCharts(a.sweep, {
    chosenK: a.k,
    clusterLabels: sameLabels ? profiles.map((p) => p.label) : undefined,
    clusterColors: sameLabels ? profiles.map((p) => colorOf(p.name)) : undefined,
    maxBars: REPORT_SAMPLES.silhouetteBars,
  }) as Record<string, ChartSpec>;
  const layout = kLayout(sameLabels);
  const charts: ChartBlock[] = [];
  for (const [id, fit, caption] of layout) charts.push(...(await chart(`k-${id}`, kc[id], fit, caption)));
  for (const [id, spec] of Object.entries(kc)) if (!layout.some(([k]) => k === id)) charts.push(...(await chart(`k-${id}`, spec, half(230))));

  // Every chart drawn from a sample says so in its subtitle; the appendix lists them together.
  const sampling: string[] = [];
  if (a.sweep.silhouetteSample < customers) sampling.push(`Silhouette: computed on a seeded sample of ${fmtInt(a.sweep.silhouetteSample)} of ${fmtInt(customers)} customers.`);
  if (pts && pts.values.length > REPORT_SAMPLES.silhouetteBars)
    sampling.push(`Silhouette plot: ${fmtInt(REPORT_SAMPLES.silhouetteBars)} bars drawn for ${fmtInt(pts.values.length)} customers (evenly thinned within each segment).`);
  if (a.sweep.gap?.sampled) sampling.push(`Gap statistic: a seeded sample of ${fmtInt(a.sweep.gap.n)} customers.`);
  if (a.sweep.dendrogram && a.sweep.dendrogram.rows.length < customers) sampling.push(`Dendrogram: a seeded sample of ${fmtInt(a.sweep.dendrogram.rows.length)} customers.`);

  const rec = a.sweep.recommendation;
  const evidence = kEvidence({ sweep: a.sweep, k: a.k, kSource: a.kSource });
  return {
    section: {
      explanation: rec.explanation,
      alternative: evidence.rerun,
      override: a.kSource === 'user' && a.k !== rec.k ? `You chose k = ${a.k}; the evidence recommends k = ${rec.k}. The segments below use k = ${a.k}.` : undefined,
      notes:
        `Silhouette ${a.sweep.silhouetteSample >= customers ? `on all ${fmtInt(customers)} customers` : `on a seeded sample of ${fmtInt(a.sweep.silhouetteSample)} customers`}. ${a.sweep.elbow.note.replace(/^./, (c) => c.toUpperCase())}.`.replace(
          /\.\.$/,
          '.',
        ),
      rows: kRows(a),
      charts,
    },
    sampling,
  };
}
