/**
 * The real pipeline on the bundled sample data (with a hostile product description), through to HTML,
 * PDF and CSV, checked in real Chromium and with poppler's pdftotext/pdfinfo.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Analysis, type AnalyzeOptions } from '../../src/pipeline';
import { CHART_WIDTH, REPORT_SAMPLES, reportContext } from '../../src/report/assemble';
import { buildReport, pseudonym } from '../../src/report/build';
import { kEvidence } from '../../src/report/findings';
import { SEGMENT_COLORS, SEGMENT_ORDER } from '../../src/charts/theme';
import { openOffline, type OfflinePage } from '../helpers/browser';
import { SAMPLE } from '../helpers/shared';

const EVIL = '<script>alert("x")</script>';
// Fewer gap reference sets and resamples than the defaults, to keep the suite quick; same code paths.
const FAST: AnalyzeOptions = { seed: 7, sweep: { gap: { B: 10 }, stability: { B: 5 } } };

let dir: string;
let input: string;
let analysis: Analysis;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-pipeline-'));
  input = path.join(dir, 'tx.csv');
  const df = pl.readCSV(readFileSync(SAMPLE, 'utf8'), { inferSchemaLength: 0 });
  const desc = df.getColumn('Description').toArray() as Array<string | null>;
  df.withColumns(pl.Series('Description', desc.map((d) => `${EVIL} ${d ?? ''}`), pl.Utf8)).writeCSV(input);
  analysis = await analyze(input, FAST);
}, 300_000);

describe('report from the real pipeline', () => {
  let files: Awaited<ReturnType<typeof buildReport>>;
  let page: OfflinePage;
  beforeAll(async () => {
    files = await buildReport(analysis, { outDir: path.join(dir, 'out'), name: 'sample', title: 'Sample segmentation', author: 'Test Team' });
    page = await openOffline(readFileSync(files.html!, 'utf8'));
  }, 300_000);
  afterAll(async () => page?.close());

  it('writes the HTML, PDF, per-customer CSV and segment model, and nothing else', () => {
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(['sample-model.json', 'sample-segments.csv', 'sample.html', 'sample.pdf']);
    expect(files.model).toBe(path.join(dir, 'out', 'sample-model.json'));
  });

  it('opens offline in Chromium: no request, no console error, every chart has marks, injected script stays text', async () => {
    expect(page.requests).toEqual([]);
    expect(page.consoleErrors).toEqual([]);
    expect(page.pageErrors).toEqual([]);
    const marks = await page.page.$$eval('figure.chart svg, .chart svg', (svgs) => svgs.map((s) => s.querySelectorAll('path, rect, line, circle, symbol, text').length));
    expect(marks.length).toBeGreaterThanOrEqual(10);
    expect(Math.min(...marks)).toBeGreaterThan(3);
    expect(await page.page.$$eval('script', (s) => s.length)).toBe(0);
    expect(await page.page.evaluate(() => document.body.innerText)).toContain(EVIL);
  });

  it('PDF: page count, every section title, every segment name, metadata', () => {
    const info = execFileSync('pdfinfo', [files.pdf!], { encoding: 'utf8' });
    expect(info).toMatch(/Title:\s+Sample segmentation/);
    expect(info).toMatch(/Author:\s+Test Team/);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThanOrEqual(8);
    expect(pages).toBeLessThanOrEqual(30);
    const text = execFileSync('pdftotext', [files.pdf!, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const t of ['Executive summary', 'Data quality', 'Exploration highlights', 'RFM analysis', 'Choosing the number of segments', 'The segments', 'Appendix']) {
      expect(text).toContain(t);
    }
    for (const p of analysis.profiles.segments) expect(text).toContain(p.name);
    expect(text).toContain(`page ${pages} of ${pages}`);
    // Data quality figures are the cleaning record's.
    expect(text).toContain(analysis.cleaned.quality.rowsRead.toLocaleString('en-GB'));
  });

  it('PDF: every section starts on a page of its own, and the file stays small', () => {
    const pages = execFileSync('pdftotext', ['-layout', files.pdf!, '-'], { encoding: 'utf8' }).split('\f').filter((p) => p.trim());
    // Line 1 of a page is the running header (the title); a section's page starts with its heading.
    const firstLines = pages.map((p) => p.split('\n').map((l) => l.trim()).filter(Boolean)[1] ?? '');
    for (const t of ['Executive summary', 'Data quality', 'Exploration highlights', 'RFM analysis', 'Choosing the number of segments', 'The segments', 'Appendix']) {
      expect(firstLines.filter((l) => l.startsWith(t)), t).toHaveLength(1);
    }
    // Scatter points drawn with fill-opacity, not opacity (which costs Chromium a transparency group each).
    expect(statSync(files.pdf!).size).toBeLessThan(1_000_000);
  });

  it('charts are drawn at the widths of the A4 column and of a grid cell, with the currency on money axes', async () => {
    const sizes = await page.page.$$eval('figure.chart', (figs) =>
      figs.map((f) => ({ wide: f.classList.contains('wide'), inGrid: !!f.closest('.chart-grid'), width: Number(f.querySelector('svg')!.getAttribute('width')) })),
    );
    expect(sizes.length).toBeGreaterThanOrEqual(12);
    expect(sizes.filter((s) => s.inGrid && !s.wide).length).toBeGreaterThanOrEqual(8);
    for (const s of sizes) expect(s.width).toBeLessThanOrEqual(s.inGrid && !s.wide ? CHART_WIDTH.half + 1 : CHART_WIDTH.full + 1);
    const svgText = await page.page.$$eval('figure.chart svg text', (ts) => ts.map((t) => t.textContent ?? ''));
    expect(svgText.some((t) => /^£\d/.test(t))).toBe(true);
  });

  it('says which evidence decided k and names the runner-up, in the summary and the k section', () => {
    const text = execFileSync('pdftotext', [files.pdf!, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const rec = analysis.sweep.recommendation;
    const ev = kEvidence({ sweep: analysis.sweep, k: analysis.k, kSource: analysis.kSource });
    expect(analysis.k).toBeGreaterThanOrEqual(3);
    expect(analysis.k).toBeLessThanOrEqual(8);
    expect(text).toContain(`Why ${analysis.k} segments`);
    expect(text).toContain(ev.support);
    expect(ev.support).toContain(rec.decidedBy!);
    expect(text).toContain('Deciding evidence:');
    expect(rec.runnerUp).toBeDefined();
    expect(text).toContain(`Runner-up: k = ${rec.runnerUp!.k}`);
    expect(text).toContain(`rerun with k = ${rec.runnerUp!.k}`);
    // Once in the summary, once in the k section.
    expect(text.split(ev.alternative!).length - 1).toBe(1);
    expect(text.split(`Runner-up: k = ${rec.runnerUp!.k}, ${rec.runnerUp!.reason}`).length - 1).toBe(2);
  });

  it('says when the scatter is drawn from a sample, and how large the sample is', async () => {
    // The scatter's points are the paths drawn with a fill-opacity (legend symbols have none).
    const countDrawn = (svg: string) => (svg.match(/<path [^>]*fill-opacity=/g) ?? []).length;
    const positive = (t: pl.DataFrame) => t.filter(pl.col('monetary').gt(0)).height;
    const own = await reportContext(analysis);
    const ownScatter = own.rfm.charts.find((c) => c.id === 'rfm-scatter')!;
    expect(positive(analysis.rfm.table)).toBeLessThanOrEqual(REPORT_SAMPLES.scatterPoints);
    expect(ownScatter.caption).toContain(`all ${positive(analysis.rfm.table).toLocaleString('en-GB')} customers`);
    expect(own.appendix.sampling!.join(' ')).not.toContain('scatter');
    // The same customers twice (other ids): more than the report draws.
    const t = analysis.rfm.table;
    const ids = t.getColumn('customer_id').toArray() as string[];
    const twice = pl.concat([t, t.withColumns(pl.Series('customer_id', ids.map((id) => `${id}-b`), pl.Utf8))]);
    const big = await reportContext({ ...analysis, rfm: { ...analysis.rfm, table: twice } });
    const scatter = big.rfm.charts.find((c) => c.id === 'rfm-scatter')!;
    const statement = `random sample of ${REPORT_SAMPLES.scatterPoints.toLocaleString('en-GB')} of ${positive(twice).toLocaleString('en-GB')} customers`;
    expect(scatter.caption).toContain(statement);
    expect(big.appendix.sampling!.join(' ')).toContain(statement);
    expect(countDrawn(ownScatter.svg)).toBe(positive(analysis.rfm.table));
    expect(countDrawn(scatter.svg)).toBe(REPORT_SAMPLES.scatterPoints);
  }, 120_000);

  it('a segment name has one colour everywhere: RFM table and charts, k-means summary, silhouette plot and cards', async () => {
    const ctx = await reportContext(analysis);
    const profiles = analysis.profiles.segments;
    const standard = SEGMENT_ORDER as readonly string[];
    const shared = profiles.filter((p) => ctx.rfm.segments.some((r) => r.segment === p.name));
    expect(shared.length).toBeGreaterThan(0);
    const svg = (id: string) => [...ctx.rfm.charts, ...ctx.kselection.charts].find((c) => c.id === id)!.svg.toLowerCase();
    for (const p of profiles) {
      // The fixed colour of the name when it is a standard segment.
      const colour = ctx.segments.find((c) => c.name === p.name)!.color;
      if (standard.includes(p.name)) expect(colour, p.name).toBe(SEGMENT_COLORS[standard.indexOf(p.name)]);
      expect(ctx.summary.segments.find((s) => s.name === p.name)!.color).toBe(colour);
      expect(ctx.summary.chart?.toLowerCase()).toContain(`fill="${colour}"`);
      expect(svg('k-silhouettePlot')).toContain(`fill="${colour}"`);
    }
    for (const p of shared) {
      const colour = ctx.segments.find((c) => c.name === p.name)!.color;
      expect(ctx.rfm.segments.find((r) => r.segment === p.name)!.color, p.name).toBe(colour);
      expect(svg('rfm-shares')).toContain(`fill="${colour}"`);
      expect(svg('rfm-scatter')).toContain(`fill="${colour}"`);
    }
    // No two names share a colour in the report.
    const byName = new Map<string, string>([...ctx.rfm.segments.map((r) => [String(r.segment), String(r.color)] as [string, string]), ...ctx.segments.map((c) => [c.name, c.color] as [string, string])]);
    expect(new Set(byName.values()).size).toBe(byName.size);
    // The note that explained the two colours of one name is gone.
    const text = execFileSync('pdftotext', [files.pdf!, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).not.toContain('different groups of different sizes');
  }, 120_000);

  it('CSV: one row per customer with RFM, named segment, cluster and cluster name', () => {
    const csv = pl.readCSV(readFileSync(files.csv!, 'utf8'), { inferSchemaLength: 0 });
    expect(csv.height).toBe(analysis.rfm.table.height);
    for (const c of ['customer_id', 'recency_days', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'segment', 'cluster', 'cluster_name']) {
      expect(csv.columns).toContain(c);
    }
    const names = new Set(csv.getColumn('cluster_name').toArray());
    expect([...names].sort()).toEqual(analysis.profiles.segments.map((p) => p.name).sort());
  });
});

describe('reproducibility and privacy', () => {
  it('the same input and seed give the same HTML except the generated-at stamp and run time', async () => {
    const again = await analyze(input, FAST);
    const a = await buildReport(analysis, { outDir: path.join(dir, 'r1'), formats: ['html'] });
    const b = await buildReport(again, { outDir: path.join(dir, 'r2'), formats: ['html'] });
    const strip = (f: string) => readFileSync(f, 'utf8').replace(/<span class="generated">[^<]*<\/span>/g, '');
    const [ha, hb] = [strip(a.html!), strip(b.html!)];
    expect(ha.length).toBeGreaterThan(10_000);
    if (ha !== hb) {
      let i = 0;
      while (ha[i] === hb[i]) i++;
      expect(hb.slice(i - 200, i + 200)).toBe(ha.slice(i - 200, i + 200));
    }
  }, 300_000);

  it('pseudonymize replaces customer ids in the report and the CSV', async () => {
    const salt = 'a-long-secret-salt';
    const files = await buildReport(analysis, { outDir: path.join(dir, 'anon'), formats: ['html', 'csv'], pseudonymize: salt });
    const ids = analysis.rfm.table.getColumn('customer_id').toArray() as string[];
    const csv = pl.readCSV(readFileSync(files.csv!, 'utf8'), { inferSchemaLength: 0 });
    const anon = new Set(csv.getColumn('customer_id').toArray() as string[]);
    expect(anon.has(pseudonym(ids[0], salt))).toBe(true);
    expect(anon.has(ids[0])).toBe(false);
    const html = readFileSync(files.html!, 'utf8');
    for (const id of ids.slice(0, 50)) expect(html).not.toMatch(new RegExp(`[^0-9a-f]${id}[^0-9]`));
    await expect(buildReport(analysis, { outDir: dir, pseudonymize: 'short' })).rejects.toThrow(/salt/);
  }, 120_000);

  it('a failing run leaves no report file', async () => {
    const out = path.join(dir, 'failed');
    await expect(buildReport(analysis, { outDir: out, templatesDir: path.join(dir, 'no-templates') })).rejects.toThrow(/template/);
    const left = (() => { try { return readdirSync(out); } catch { return []; } })();
    expect(left).toEqual([]);
    const empty = path.join(dir, 'cancelled.csv');
    writeFileSync(empty, 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\nC1,A,x,-1,2011-01-01 10:00:00,1.0,1.0,UK\n');
    await expect(analyze(empty, FAST)).rejects.toThrow();
  }, 120_000);
});
