/**
 * The view of a whole analysis (`analyze`): where the data came from, what was kept, k and why, the
 * segment tables; each part can be shown on its own.
 */
import type { Analysis } from '../../pipeline';
import { profilesTable } from '../../profile/profile';
import type { DisplayMessage } from '../kernel';
import { frameParts } from './frame';
import { esc, fmt, htmlMessage, keyValues } from './html';

export const isAnalysis = (x: Record<string, unknown>): boolean =>
  typeof x.sweep === 'object' && typeof x.profiles === 'object' && typeof x.rfm === 'object' && typeof x.cleaned === 'object' && typeof x.timings === 'object';

export function analysisView(a: Analysis): DisplayMessage {
  const q = a.cleaned.quality;
  const seconds = Object.values(a.timings).reduce((s, t) => s + t, 0) / 1000;
  const kv = keyValues([
    ['source', a.source.label],
    ['lines', `${fmt(q.rowsRead)} read, ${fmt(q.rowsKept)} kept after cleaning`],
    ['customers', `${fmt(a.rfm.table.height)} (analysis date ${a.rfm.asOf})`],
    ['segments', `k = ${a.k} (${a.kSource === 'user' ? 'your choice' : 'recommended'}); ${a.sweep.recommendation.rule}`],
    ['warnings', a.warnings.length ? `${a.warnings.length}: ${a.warnings.slice(0, 3).map((w) => w.message).join('; ')}${a.warnings.length > 3 ? '; …' : ''}` : undefined],
    ['time', `${seconds.toFixed(1)} s (${Object.entries(a.timings).map(([k, t]) => `${k} ${(t / 1000).toFixed(1)} s`).join(', ')})`],
  ]);
  const s = frameParts(a.segmentSummary, { caption: 'RFM segments', maxRows: 30 });
  const p = frameParts(profilesTable(a.profiles).drop('description', 'action'), { caption: 'k-means segments', maxRows: 30 });
  const parts = 'Each part shows on its own: seg.show(analysis.cleaned.quality), analysis.rfm, analysis.sweep, analysis.profiles, analysis.exploration.';
  return htmlMessage(`<h4>Segmentation analysis</h4>${kv.html}${s.html}${p.html}<p class="muted">${esc(parts)}</p>`, `Segmentation analysis\n${kv.text}\n\n${s.text}\n\n${p.text}\n${parts}`);
}
