/**
 * What show() displays, outside a kernel (the bundles themselves): a view per segkit result, each with
 * HTML (or a chart) and text/plain, bounded in size; charts as a full MIME bundle. Inside a real kernel:
 * test/notebook/show-kernel.test.ts and the shipped notebooks (test/notebooks).
 */
import pl from 'nodejs-polars';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderSvgSync, themed, type ChartSpec } from '../../src/charts/render';
import { recencyMonetaryScatter, segmentBarsChart } from '../../src/charts/rfm';
import { cleanTransactions } from '../../src/clean';
import { fitKMeans } from '../../src/cluster';
import { buildFeatures } from '../../src/features';
import { readTransactions } from '../../src/io';
import type { DisplayMessage } from '../../src/notebook/kernel';
import { CHART_DEFAULTS, VEGALITE_MIME, chartView } from '../../src/notebook/show/chart';
import { frameView } from '../../src/notebook/show/frame';
import { JSON_LIMIT, views } from '../../src/notebook/show';
import { assignSegments, createModel, customerDetails, profileSegments } from '../../src/profile';
import { compactSvg } from '../../src/report/svg';
import { rfm, segmentSummary } from '../../src/rfm';
import { sweepK } from '../../src/select-k';
import type { CleanResult, TransactionTable } from '../../src/types';
import { SAMPLE } from '../helpers/shared';
import { pngSize } from '../helpers/png';

const bytes = (m: DisplayMessage): number => JSON.stringify(m.data).length;
const text = (m: DisplayMessage): string => String(m.data['text/plain']);
const html = (m: DisplayMessage): string => String(m.data['text/html'] ?? '');
const isChart = (m: DisplayMessage): boolean => 'image/png' in m.data;

let tx: TransactionTable;
let cleaned: CleanResult;
let r: ReturnType<typeof rfm>;
let all: Record<string, unknown>;
beforeAll(async () => {
  tx = await readTransactions(SAMPLE);
  cleaned = cleanTransactions(tx);
  r = rfm(cleaned.clean);
  const X = buildFeatures(r);
  const sweep = sweepK(X, { k: [2, 4], seed: 1, nInit: 2, gap: { B: 3 }, stability: { B: 2 }, dendrogram: false });
  const fit = fitKMeans(X, { k: 3, seed: 1, nInit: 2 });
  const profiles = profileSegments(r, fit, { features: X, transactions: cleaned.clean });
  const who = String(r.table.getColumn('customer_id').get(0));
  const details = customerDetails(r, who, { model: fit, features: X, profiles, transactions: cleaned.clean });
  const model = createModel({ rfm: r, features: X, kmeans: fit, profiles });
  all = { tx, cleaned, quality: cleaned.quality, r, X, sweep, fit, profiles, details, model, one: assignSegments(model, { recency: 34, frequency: 5, monetary: 660 }) };
}, 120_000);

describe('show: DataFrames', () => {
  const df = pl.DataFrame({
    id: Array.from({ length: 25 }, (_, i) => `c${i}`),
    n: pl.Series('n', Array.from({ length: 25 }, (_, i) => i * 1000), pl.Int64),
    x: Array.from({ length: 25 }, (_, i) => i / 3),
  });

  it('gives shape, column types and the first and last rows, with a gap between', () => {
    const m = frameView(df);
    expect(html(m)).toContain('25 rows × 3 columns (first 10 and last 10 rows shown)');
    expect(html(m)).toMatch(/id<br><small>str<\/small>.*n<br><small>i64<\/small>.*x<br><small>f64<\/small>/);
    const ids = [...html(m).matchAll(/<td class="t">(c\d+)<\/td>/g)].map((x) => x[1]);
    expect(ids).toEqual([...Array.from({ length: 10 }, (_, i) => `c${i}`), ...Array.from({ length: 10 }, (_, i) => `c${15 + i}`)]);
    expect(html(m)).toContain('<tr class="gap">');
    expect(html(m)).toContain('24,000');
    expect(text(m)).toMatch(/^25 rows × 3 columns/);
    expect(text(m)).toMatch(/^ *24 +c24 +24,000 +8$/m);
    expect(frameView(df, { maxRows: 36 }).data['text/html']).not.toContain('class="gap"');
  });

  it('escapes cell text, cuts long texts and keeps every column of a wide table up to 40', () => {
    const odd = frameView(pl.DataFrame({ s: ['<b>bold</b> & "q"', 'y'.repeat(500)] }));
    expect(html(odd)).toContain('&lt;b&gt;bold&lt;/b&gt; &amp; &quot;q&quot;');
    expect(html(odd)).not.toContain('y'.repeat(61));
    const wide = pl.DataFrame(Object.fromEntries(Array.from({ length: 60 }, (_, j) => [`col${j}`, [j]])));
    const h = html(frameView(wide));
    expect([...h.matchAll(/>col(\d+)</g)].map((x) => Number(x[1]))).toEqual([...Array.from({ length: 20 }, (_, j) => j), ...Array.from({ length: 20 }, (_, j) => 40 + j)]);
    expect(html(frameView(wide.select('col0', 'col1', 'col2')))).toContain('1 row × 3 columns');
  });
});

describe('show: charts', () => {
  it('is one bundle: PNG (and as Markdown), SVG, the Vega-Lite spec, and text naming the chart', () => {
    const spec = segmentBarsChart(segmentSummary(r));
    const m = chartView(spec);
    expect(Object.keys(m.data).sort()).toEqual([VEGALITE_MIME, 'image/png', 'image/svg+xml', 'text/markdown', 'text/plain'].sort());
    const png = Buffer.from(String(m.data['image/png']), 'base64');
    const meta = (m.metadata as Record<string, { width: number; height: number }>)['image/png'];
    expect(pngSize(png)).toEqual({ width: 2 * meta.width, height: 2 * meta.height });
    expect(m.data['text/markdown']).toBe(`<img src="data:image/png;base64,${m.data['image/png']}" width="${meta.width}" height="${meta.height}" alt="Customers and revenue by segment">`);
    expect(m.data['image/svg+xml']).toBe(compactSvg(renderSvgSync(spec)));
    expect(m.data[VEGALITE_MIME]).toEqual(themed(spec));
    expect(text(m)).toBe(`[chart] Customers and revenue by segment (${meta.width}×${meta.height} px)`);
    expect(bytes(m)).toBeLessThan(CHART_DEFAULTS.budget);
  });

  it('stays under its budget for a large chart: a smaller PNG, then no SVG or spec, and says so', () => {
    const n = 6000;
    const big = pl.DataFrame({
      customer_id: Array.from({ length: n }, (_, i) => `c${i}`),
      recency_days: Array.from({ length: n }, (_, i) => (i * 37) % 365),
      monetary: Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 5000)),
      frequency: Array.from({ length: n }, (_, i) => 1 + (i % 9)),
      segment: Array.from({ length: n }, (_, i) => ['Champions', 'Lost', 'At Risk'][i % 3]),
    });
    const m = chartView(recencyMonetaryScatter(big, { maxPoints: n }) as ChartSpec);
    expect(bytes(m)).toBeLessThanOrEqual(CHART_DEFAULTS.budget);
    expect(m.data['image/png']).toBeTruthy();
    expect(m.data['text/markdown']).toContain(String(m.data['image/png']));
    expect(m.data['image/svg+xml']).toBeUndefined();
    expect(text(m)).toMatch(/too large to embed: .*SVG \d+ KB/);
  }, 60_000);
});

describe('show: every segkit result', () => {
  it('has a view with HTML or a chart and text for each, none over the budget, none a JSON dump', () => {
    const seen: Record<string, string> = {};
    for (const [name, value] of Object.entries(all)) {
      const ms = views(value);
      expect(ms.length, name).toBeGreaterThan(0);
      for (const m of ms) {
        expect(typeof m.data['text/plain'], `${name}: text/plain`).toBe('string');
        expect(isChart(m) || 'text/html' in m.data, `${name}: HTML or a chart`).toBe(true);
        expect(bytes(m), name).toBeLessThanOrEqual(CHART_DEFAULTS.budget);
        expect(html(m) + text(m), name).not.toMatch(/"\$schema"|^\{\n/);
      }
      seen[name] = ms.map((m) => (isChart(m) ? 'chart' : 'html')).join(',');
    }
    expect(seen).toEqual({
      tx: 'html',
      cleaned: 'html,html',
      quality: 'html',
      r: 'html,chart,chart,chart',
      X: 'html',
      sweep: 'html,chart,chart',
      fit: 'html',
      profiles: 'html,chart,chart',
      details: 'html,chart',
      model: 'html',
      one: 'html',
    });
  });

  it('summarises a transaction table (16.7 MB as JSON before) in a few KB, with its first and last lines', () => {
    const [m] = views(tx);
    expect(bytes(m)).toBeLessThan(30_000);
    expect(text(m)).toContain(`${tx.df.height.toLocaleString('en-GB')} rows × 9 columns (first 5 and last 5 rows shown)`);
    expect(text(m)).toContain('customer ← CustomerID');
    const last = tx.df.tail(1).toRecords()[0] as { invoice: string };
    expect(text(m)).toContain(last.invoice);
  });

  it('shows the cleaning record as read = kept + each rule', () => {
    const t = text(views(cleaned.quality)[0]);
    expect(t).toMatch(new RegExp(`Rows read +${cleaned.quality.rowsRead.toLocaleString('en-GB')}`));
    for (const rule of cleaned.quality.rules) expect(t).toContain(rule.label);
    expect(t).toMatch(new RegExp(`Rows kept +${cleaned.quality.rowsKept.toLocaleString('en-GB')}`));
  });

  it('marks the recommended k in the sweep table and explains it', () => {
    const sweep = all.sweep as ReturnType<typeof sweepK>;
    const t = text(views(sweep)[0]);
    expect(t).toMatch(new RegExp(`^${sweep.recommendation.k} ★`, 'm'));
    expect(t).toContain(sweep.recommendation.explanation);
  });

  it('gives each segment a card, and a customer a card with the timeline', () => {
    const profiles = all.profiles as ReturnType<typeof profileSegments>;
    const h = html(views(profiles)[0]);
    for (const p of profiles.segments) expect(h).toContain(`<h4>${p.label.replace(/&/g, '&amp;')}</h4>`);
    const details = all.details as ReturnType<typeof customerDetails>;
    const [card, timeline] = views(details);
    expect(text(card)).toContain(`Customer ${details.customerId}`);
    expect(text(timeline)).toMatch(/^\[chart\] /);
  });

  it('shows one scored customer as a card with the distance to every centroid, several as a table', () => {
    const one = all.one as ReturnType<typeof assignSegments> & { distances: number[]; distance: number; label: string };
    const t = text(views(one)[0]);
    expect(t).toContain('A new customer scored with the model');
    expect(t.split('\n').find((l) => l.startsWith('segment (nearest centroid)'))).toMatch(new RegExp(` {2,}${one.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, distance ${one.distance.toFixed(3)}$`));
    expect(t).toMatch(new RegExp(`distance to its centroid\\n[─ ]+\\n +0 +${one.distances[0].toFixed(3)}`));
    expect(text(views([one, { ...one, customer_id: 'x' }])[0])).toMatch(/^Assignments · 2 rows × 13 columns/);
  });

  it('refuses a Promise with a hint to await it', () => {
    expect(() => views(Promise.resolve(1))).toThrow(expect.objectContaining({ code: 'show_promise', hint: expect.stringContaining('await') }));
  });

  it('summarises anything else as bounded JSON', () => {
    const [m] = views({ values: Array.from({ length: 100_000 }, (_, i) => i), text: 'z'.repeat(100_000), nested: { deep: Array.from({ length: 5000 }, (_, i) => ({ i, s: 'x'.repeat(40) })) } });
    expect(text(m).length).toBeLessThan(JSON_LIMIT + 200);
    expect(text(m)).toContain('… 99990 more items');
  });
});
