/**
 * Lifetime value in the report: analyze({ clv }) on the sample, the "Customer value" section in the HTML
 * (charts, figures, the cards' expected value), clv and p_alive in the per-customer CSV (finite), the
 * section in words when there is no forecast, and pseudonymized ids still matched.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pl from 'nodejs-polars';
import { beforeAll, describe, expect, it } from 'vitest';
import { failedClv } from '../../src/clv';
import { analyze, type Analysis } from '../../src/pipeline';
import { buildReport } from '../../src/report/build';
import { clvColumns } from '../../src/report/sections/clv';
import { reportContext } from '../../src/report/assemble';
import { renderHtml } from '../../src/report/html';
import { SAMPLE } from '../helpers/shared';
import { captureWarnings } from '../helpers/warnings';

captureWarnings();

const text = (html: string): string => html.replace(/<svg[\s\S]*?<\/svg>/g, ' [chart] ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const section = (html: string): string => {
  const i = html.indexOf('<section class="page" id="clv">');
  return i < 0 ? '' : html.slice(i, html.indexOf('</section>', i));
};

describe('report with lifetime value (sample data)', () => {
  let a: Analysis;
  let dir: string;
  let html: string;
  let csv: pl.DataFrame;
  beforeAll(async () => {
    a = await analyze(SAMPLE, { k: 4, kRange: [2, 5], nInit: 3, sweep: { gap: false, stability: false, dendrogram: false }, clv: true });
    dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-clv-report-'));
    const files = await buildReport(a, { outDir: dir, name: 'r', formats: ['html', 'csv'] });
    html = readFileSync(files.html!, 'utf8');
    csv = pl.readCSV(readFileSync(files.csv!, 'utf8'), { dtypes: { customer_id: pl.Utf8 } });
  }, 240_000);

  it('analyze fits on the whole period and checks on the last quarter of the days', () => {
    expect(a.clv?.status).toBe('ok');
    expect(a.clv?.options.holdoutFrom).toBe('2011-09-07');
    expect(a.clv?.holdout?.bySegment?.height).toBeGreaterThan(3);
    expect(a.timings.clv).toBeGreaterThan(0);
  });

  it('has the section "Customer value": figures, the check against the naive forecast, three charts, no NaN', () => {
    const s = section(html);
    expect(s).not.toBe('');
    const t = text(s);
    expect(t).toContain('Customer value');
    expect(t).toMatch(/£[\d,]+ expected value, next 12 months/);
    expect(t).toMatch(/Checked on a holdout: fitted on the days to 2011-09-06 only, the model forecast [\d,]+ purchases for 2011-09-07 to 2011-12-09/);
    expect(t).toMatch(/Mean absolute error per customer \(purchases\) \d\.\d{3} \d\.\d{3}/);
    expect(t).toMatch(/Holdout revenue per RFM segment as of 2011-09-06/);
    expect((s.match(/<svg/g) ?? []).length).toBe(3);
    for (const name of a.profiles.segments.map((p) => p.name)) expect(t).toContain(name);
    expect(html).not.toMatch(/\bNaN\b|Infinity/);
  });

  it('puts the expected 12-month value on every segment card', () => {
    const cards = html.split('<article class="card">').slice(1);
    expect(cards).toHaveLength(4);
    for (const c of cards) expect(text(c)).toMatch(/Expected 12-month value £[\d,.]+ \(£[\d,.]+ per customer\)/);
  });

  it('writes clv and p_alive for every customer of the CSV, finite', () => {
    expect(csv.columns).toEqual(expect.arrayContaining(['customer_id', 'cluster_name', 'clv', 'p_alive']));
    expect(csv.height).toBe(a.rfm.table.height);
    const clv = csv.getColumn('clv').toArray() as number[];
    const alive = csv.getColumn('p_alive').toArray() as number[];
    expect(clv.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(alive.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
    // every customer of the report was forecast (none filled with 0 for want of a match)
    expect(clv.filter((v) => v > 0).length).toBe(csv.height);
    expect(clv.reduce((s, v) => s + v, 0)).toBeCloseTo(Number(a.clv!.values!.getColumn('clv').sum()), -1);
  });

  it('pseudonymized: ids hashed in the CSV, values still matched', async () => {
    const files = await buildReport(a, { outDir: dir, name: 'p', formats: ['csv'], pseudonymize: 'a-long-secret-salt' });
    const p = pl.readCSV(readFileSync(files.csv!, 'utf8'), { dtypes: { customer_id: pl.Utf8 } });
    expect((p.getColumn('customer_id').toArray() as string[]).every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true);
    expect((p.getColumn('clv').toArray() as number[]).filter((v) => v > 0).length).toBe(p.height);
  });

  it('without a forecast the section says why in words, and the CSV has no CLV columns', async () => {
    const none: Analysis = { ...a, clv: failedClv('none of the 12 customers bought more than once by 2020-03-01: repeat purchasing cannot be modelled') };
    const h = renderHtml(await reportContext(none, {}));
    const t = text(section(h));
    expect(t).toContain('Customer value No forecast of customer value: none of the 12 customers bought more than once by 2020-03-01');
    expect(section(h)).not.toMatch(/<svg/);
    expect(h).not.toMatch(/\bNaN\b/);
    expect(h).not.toContain('Expected 12-month value');
    const table = clvColumns(none, a.rfm.table);
    expect(table.columns).not.toContain('clv');
  });
});
