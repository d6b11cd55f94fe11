/**
 * Views of choosing k and clustering: a sweep (every index by k, the recommendation in words, the charts
 * that carry the evidence) and a fitted k-means model (one row per cluster).
 */
import { elbowChart, kSummaryPanel } from '../../charts/select-k';
import type { KMeansModel, KSweep } from '../../types';
import type { DisplayMessage } from '../kernel';
import { chartView } from './chart';
import { esc, fmt, htmlMessage, keyValues, pct, simpleTable } from './html';

export const isSweep = (x: Record<string, unknown>): boolean => Array.isArray(x.perK) && typeof x.recommendation === 'object' && x.recommendation !== null;
export const isKMeansModel = (x: Record<string, unknown>): boolean =>
  typeof x.k === 'number' && Array.isArray(x.labels) && Array.isArray(x.centroids) && typeof x.inertia === 'number';

const f3 = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(3));

/** A k sweep: the index table (recommended k marked), the explanation, the summary panel and the elbow. */
export function sweepView(s: KSweep): DisplayMessage[] {
  const rec = s.recommendation;
  const use = s.chosenK ?? rec.k;
  const rows = s.perK.map((r) => [
    `${r.k}${r.k === rec.k ? ' ★' : ''}${r.k === use && use !== rec.k ? ' (in use)' : ''}`,
    fmt(Math.round(r.inertia * 10) / 10),
    f3(r.silhouette),
    fmt(Math.round(r.calinskiHarabasz * 10) / 10),
    f3(r.daviesBouldin),
    r.gap === undefined ? '–' : `${f3(r.gap)} ± ${f3(r.gapSE)}`,
    r.stability === undefined ? '–' : `${r.stability.toFixed(2)}${r.stabilityReading ? ` (${r.stabilityReading})` : ''}`,
    (r.sizes ?? []).join(' / '),
  ]);
  const t = simpleTable(['k', 'inertia', 'silhouette ↑', 'Calinski-Harabasz ↑', 'Davies-Bouldin ↓', 'gap ± SE', 'stability (ARI) ↑', 'cluster sizes'], rows, ['t', 'n', 'n', 'n', 'n', 'n', 't', 't']);
  const votes = Object.entries(rec.votes).map(([index, k]) => `${index}: ${k ?? '–'}`).join(', ');
  const head = `k sweep: recommended k = ${rec.k} (${rec.rule})${rec.override ? `; in use k = ${rec.override.k}` : ''}`;
  const sample = `Silhouette on ${fmt(s.silhouetteSample)} customers; elbow: ${s.elbow.note}.`;
  const more = 'Every k chart (each index, gap, stability, the silhouette of each customer, the dendrogram): seg.show(seg.kSelectionCharts(sweep)).';
  const out: DisplayMessage[] = [
    htmlMessage(
      `<h4>${esc(head)}</h4>${t.html}<p>${esc(rec.explanation)}</p><p class="muted">${esc(`Votes: ${votes}. ${sample} ${more}`)}</p>`,
      `${head}\n${t.text}\n${rec.explanation}\nVotes: ${votes}. ${sample}\n${more}`,
    ),
    chartView(kSummaryPanel(s)),
    chartView(elbowChart(s)),
  ];
  return out;
}

/** A fitted k-means model: one row per cluster (size, share, centroid in original units when known). */
export function kmeansView(m: KMeansModel): DisplayMessage {
  const n = m.sizes.reduce((a, b) => a + b, 0);
  const cols = m.columns ?? m.centroids[0]?.map((_, j) => `feature ${j + 1}`) ?? [];
  const centres = m.centroidsOriginal ?? m.centroids;
  const t = simpleTable(
    ['cluster', 'customers', 'share', ...cols.map((c) => `${c} (centroid${m.centroidsOriginal ? '' : ', scaled'})`)],
    m.sizes.map((size, c) => [String(c), fmt(size), pct(n ? size / n : 0), ...(centres[c] ?? []).map((v) => fmt(Math.round(v * 100) / 100))]),
    ['n', 'n', 'n', ...cols.map(() => 'n' as const)],
  );
  const kv = keyValues([
    ['k', m.k],
    ['inertia', Math.round(m.inertia * 10) / 10],
    ['clusters ordered by', m.order],
    ['seed, restarts', `${m.seed}, ${m.nInit}`],
    ['converged', m.converged === undefined ? undefined : m.converged ? `yes, in ${m.iterations} iterations` : `no (stopped after ${m.iterations} iterations)`],
  ]);
  return htmlMessage(`<h4>k-means, k = ${m.k}</h4>${kv.html}${t.html}`, `k-means, k = ${m.k}\n${kv.text}\n${t.text}`);
}
