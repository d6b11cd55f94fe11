/**
 * Views of segments: profiles (a table and one card per segment), a customer's details (a card and the
 * monthly timeline), assignments of new customers, a saved model.
 */
import pl from 'nodejs-polars';
import { clusterSizeChart, customerTimelineChart, snakePlot } from '../../charts/profile';
import type { Assignment } from '../../profile/assign';
import type { CustomerDetails } from '../../profile/lookup';
import type { SegmentModel } from '../../profile/model';
import { profilesTable, type ProfileResult, type SegmentProfile } from '../../profile/profile';
import type { DisplayMessage } from '../kernel';
import { chartView } from './chart';
import { frameParts } from './frame';
import { card, clip, esc, fmt, htmlMessage, keyValues, pct, simpleTable } from './html';

export const isSegmentProfile = (x: Record<string, unknown>): boolean =>
  typeof x.cluster === 'number' && typeof x.label === 'string' && Array.isArray(x.segmentMix) && typeof x.actions === 'object';
export const isProfileResult = (x: Record<string, unknown>): boolean => Array.isArray(x.segments) && Array.isArray(x.crossTab) && typeof x.k === 'number';
export const isCustomerDetails = (x: Record<string, unknown>): boolean => typeof x.customerId === 'string' && typeof x.recencyDays === 'number' && Array.isArray(x.timeline);
export const isAssignment = (x: Record<string, unknown>): boolean => typeof x.rfm_code === 'string' && typeof x.cluster === 'number' && Array.isArray(x.distances);
export const isSegmentModel = (x: Record<string, unknown>): boolean => typeof x.format === 'string' && typeof x.kmeans === 'object' && Array.isArray(x.clusters);

const money = (v: number): string => fmt(Math.round(v * 100) / 100);

/** One segment's card: description, size, revenue, medians, what it buys, what to do. */
function segmentCard(p: SegmentProfile): { html: string; text: string } {
  const kv = keyValues([
    ['customers', `${fmt(p.customers)} (${pct(p.customerShare)})`],
    ['revenue', `${money(p.revenue)} (${pct(p.revenueShare)})`],
    ['orders, average order', `${fmt(p.orders)}, ${money(p.avgOrderValue)}`],
    ['median recency, orders, spend', `${fmt(p.recency.median)} days, ${fmt(p.frequency.median)}, ${money(p.monetary.median)}`],
    ['RFM segments inside', p.segmentMix.slice(0, 3).map((m) => `${m.segment} ${pct(m.share)}`).join(', ')],
    ['top products', p.topProducts.slice(0, 3).map((t) => clip(t.description ?? t.product, 40)).join('; ')],
    ['countries', p.topCountries.slice(0, 3).map((c) => `${c.country} ${pct(c.share)}`).join(', ')],
  ]);
  const actions = p.actions.actions.map((a) => `<li>${esc(a)}</li>`).join('');
  const body = `<p><em>${esc(p.description)}</em> (${esc(p.levelText.toLowerCase())}). Named because ${esc(p.nameReason)}.</p>${kv.html}<p><strong>Recommended: ${esc(p.actions.summary)}.</strong></p>${actions ? `<ul>${actions}</ul>` : ''}`;
  const text = [`${p.label}: ${p.description}`, kv.text, `Recommended: ${p.actions.summary}.`, ...p.actions.actions.map((a) => `- ${a}`)].join('\n');
  return { html: card(p.label, body, p.color), text };
}

/** Segment profiles: the table, a card per segment, sizes and the snake plot. */
export function profilesView(x: ProfileResult | SegmentProfile[]): DisplayMessage[] {
  const segments = Array.isArray(x) ? x : x.segments;
  const t = frameParts(profilesTable(segments).drop('description', 'action'), { caption: 'Segment profiles', maxRows: 30 });
  const cards = segments.map(segmentCard);
  const out: DisplayMessage[] = [
    htmlMessage(`<h4>${segments.length} segments</h4>${t.html}${cards.map((c) => c.html).join('')}`, `${segments.length} segments\n${t.text}\n\n${cards.map((c) => c.text).join('\n\n')}`),
  ];
  if (!Array.isArray(x)) out.push(chartView(clusterSizeChart(x)), chartView(snakePlot(x)));
  return out;
}

/** One segment profile: its card. */
export function segmentProfileView(p: SegmentProfile): DisplayMessage {
  const c = segmentCard(p);
  return htmlMessage(c.html, c.text);
}

/** A customer at a glance (scores, segment, cluster, purchases, products) and the monthly timeline. */
export function customerView(d: CustomerDetails): DisplayMessage[] {
  const kv = keyValues([
    ['recency', `${fmt(d.recencyDays)} days`],
    ['frequency', `${fmt(d.frequency)} orders`],
    ['monetary', money(d.monetary)],
    ['scores R / F / M', d.scores ? `${d.scores.r} / ${d.scores.f} / ${d.scores.m} (code ${d.rfmCode})` : undefined],
    ['RFM segment', d.segment ? `${d.segment}${d.segmentDescription ? `: ${d.segmentDescription}` : ''}` : undefined],
    ['segment (cluster)', d.clusterLabel ?? (d.cluster === null ? undefined : String(d.cluster))],
    ['', d.clusterDescription ?? undefined],
    ['purchases', d.firstPurchase ? `${d.firstPurchase} to ${d.lastPurchase} (${fmt(d.tenureDays)} days)` : undefined],
    ['average order, items', d.avgOrderValue === null ? undefined : `${money(d.avgOrderValue)}, ${fmt(d.items)}`],
    ['countries', d.countries.map((c) => c.country).join(', ')],
    ['recommended', d.actions?.summary],
  ]);
  const products = d.topProducts.length
    ? simpleTable(['product', 'description', 'revenue', 'quantity'], d.topProducts.map((p) => [p.product, clip(p.description ?? '', 40), money(p.revenue), fmt(p.quantity)]), ['t', 't', 'n', 'n'])
    : null;
  const title = `Customer ${d.customerId}`;
  const html = card(title, `${kv.html}${products ? `<p>Top products</p>${products.html}` : ''}`);
  const out: DisplayMessage[] = [htmlMessage(html, `${title}\n${kv.text}${products ? `\nTop products\n${products.text}` : ''}`)];
  if (d.timeline.length) out.push(chartView(customerTimelineChart(d)));
  return out;
}

/** Customers scored with a saved model: one a card (with the distance to every centroid), several a table. */
export function assignmentsView(a: Assignment | Assignment[]): DisplayMessage {
  if (Array.isArray(a) && a.length !== 1) {
    const t = frameParts(pl.DataFrame(a.map(({ distances: _d, ...rest }) => rest)), { caption: 'Assignments' });
    return htmlMessage(t.html, t.text);
  }
  const one = Array.isArray(a) ? a[0] : a;
  const kv = keyValues([
    ['recency, frequency, monetary', `${fmt(one.recency_days)} days, ${fmt(one.frequency)} orders, ${money(one.monetary)}`],
    ['scores R / F / M', `${one.r_score} / ${one.f_score} / ${one.m_score} (code ${one.rfm_code})`],
    ['RFM segment', one.segment],
    ['segment (nearest centroid)', `${one.label}, distance ${one.distance.toFixed(3)}`],
  ]);
  const d = simpleTable(['cluster', 'distance to its centroid'], one.distances.map((v, c) => [String(c), v.toFixed(3)]), ['n', 'n']);
  const title = one.customer_id ? `Customer ${one.customer_id} scored with the model` : 'A new customer scored with the model';
  return htmlMessage(card(title, `${kv.html}${d.html}`), `${title}\n${kv.text}\n${d.text}`);
}

/** A saved segment model: what it was trained on and its clusters. */
export function modelView(m: SegmentModel): DisplayMessage {
  const kv = keyValues([
    ['format', `${m.format} v${m.formatVersion}, segkit ${m.segkitVersion}`],
    ['created', m.createdAt ?? undefined],
    ['trained on', `${fmt(m.training.customers)} customers, analysis date ${m.rfm.asOf}`],
    ['RFM scores', `1..${m.rfm.bins}, ${m.rfm.method} method, ${m.rfm.rules.rules.length} segment rules`],
    ['features', `${m.features.columns.join(', ')} (${m.features.transform.scale})`],
    ['k-means', `k = ${m.kmeans.k}, ordered by ${m.kmeans.order}, seed ${m.kmeans.seed}`],
  ]);
  const t = simpleTable(
    ['cluster', 'name', 'customers', 'description', 'action'],
    m.clusters.map((c, i) => [String(c.cluster), c.label, fmt(m.kmeans.sizes[i]), clip(c.description, 60), clip(c.action, 40)]),
    ['n', 't', 'n', 't', 't'],
  );
  return htmlMessage(`<h4>Segment model</h4>${kv.html}${t.html}`, `Segment model\n${kv.text}\n${t.text}`);
}
