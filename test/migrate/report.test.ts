/**
 * The report section "What changed since <date>" (analyze(…, { compareAsOf }) → buildReport) on the bundled
 * sample: its numbers are those of migrate() run directly on the same file (read, cleaned, RFM at both
 * dates, the earlier one on the report's cut points), its "now" column is the RFM section's segment sizes,
 * and a bad --compare-as-of is refused with the flag named and no file written.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCommands } from '../helpers/cli-in-process';
import { cleanTransactions } from '../../src/clean';
import { register as registerReport } from '../../src/cli/commands/report';
import { readTransactions } from '../../src/io';
import { GONE, migrate, type Migration } from '../../src/migrate';
import { flowText } from '../../src/migrate/matrix';
import { analyze, type Analysis, type AnalyzeOptions } from '../../src/pipeline';
import { buildReport } from '../../src/report/build';
import { fmtInt, fmtMoney } from '../../src/report/format';
import { computeRfm, rfm } from '../../src/rfm';
import { SAMPLE } from '../helpers/shared';

const D1 = '2011-06-30';
const FAST: AnalyzeOptions = { seed: 7, k: 4, kRange: [2, 5], sweep: { gap: { B: 5 }, stability: { B: 3 } } };

let dir: string;
let analysis: Analysis;
let direct: Migration;
let section: string;

const unescape = (s: string): string => s.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

/** The text of every cell of every body row of the section's table. */
function tableRows(html: string): string[][] {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((r) => [...r[1].matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((c) => unescape(c[1].replace(/<[^>]+>/g, '').trim())));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-migrate-report-'));
  analysis = await analyze(SAMPLE, { ...FAST, compareAsOf: D1 });
  const files = await buildReport(analysis, { outDir: path.join(dir, 'out'), formats: ['html'], generatedAt: '2024-01-01 00:00 UTC' });
  const html = readFileSync(files.html!, 'utf8');
  const start = html.indexOf('<section class="page" id="migration">');
  section = html.slice(start, html.indexOf('</section>', start));
  // migrate() run directly: the same file read and cleaned with the defaults, RFM at both dates, the
  // earlier date scored with the later one's cut points (the report's thresholds).
  const clean = cleanTransactions(await readTransactions(SAMPLE)).clean;
  direct = migrate(computeRfm(clean, { asOf: D1 }), rfm(clean), { thresholds: 'after' });
}, 300_000);

describe('report section: what changed since --compare-as-of', () => {
  it('is in the report, after the RFM section, titled with the date, with the three charts', () => {
    expect(section).toContain(`<h2>What changed since ${D1}</h2>`);
    const html = readFileSync(path.join(dir, 'out', 'segmentation.html'), 'utf8');
    expect(html.indexOf('id="migration"')).toBeGreaterThan(html.indexOf('id="rfm"'));
    expect(html.indexOf('id="migration"')).toBeLessThan(html.indexOf('id="choosing-k"'));
    for (const title of [`Segment migration: ${D1} → 2011-12-10`, 'largest moves: 2011-06-30 → 2011-12-10', `Net change per segment: ${D1} → 2011-12-10`]) expect(section.includes(title), title).toBe(true);
    expect(section).not.toContain('hover');
    expect((section.match(/<svg/g) ?? []).length).toBe(3);
    expect(analysis.migration!.thresholdPolicy).toBe('after');
    expect(analysis.timings.migrate).toBeGreaterThan(0);
  });

  it("has migrate()'s numbers: totals, every segment's row, the biggest flows in words", () => {
    const m = direct;
    expect(analysis.migration!.counts).toEqual(m.counts);
    expect(analysis.migration!.revenueAfter).toEqual(m.revenueAfter);
    expect(section).toContain(`customers (${fmtInt(m.totals.before)} on ${D1})`);
    for (const v of [m.totals.after, m.totals.stayed, m.totals.up, m.totals.down, m.totals.new]) expect(section).toContain(`<span class="kpi-value">${fmtInt(v)}</span>`);
    const rows = tableRows(section);
    const expected = m.segments.filter((s) => s.before || s.after);
    expect(rows.map((r) => r[0])).toEqual(expected.map((s) => s.segment));
    for (const [i, s] of expected.entries()) {
      const net = s.net > 0 ? `+${fmtInt(s.net)}` : s.net < 0 ? `−${fmtInt(-s.net)}` : '0';
      expect(rows[i].slice(1)).toEqual([fmtInt(s.before), fmtInt(s.after), net, fmtInt(s.stayed), fmtInt(s.movedUp), fmtInt(s.movedDown), fmtInt(s.cameNew), fmtMoney(s.revenueBefore), fmtMoney(s.revenueAfter)]);
    }
    const flows = [...section.matchAll(/<li>(.*?)<\/li>/g)].map((x) => unescape(x[1]));
    expect(flows).toEqual(m.flows.slice(0, 8).map((f) => flowText(f, D1, '£')));
    expect(flows.length).toBe(8);
  });

  it('reconciles: "now" is the RFM section\'s segment sizes, "then" the earlier RFM run, nobody dropped', () => {
    const m = analysis.migration!;
    const sizes = Object.fromEntries((analysis.segmentSummary.toRecords() as Array<{ segment: string; customers: number }>).map((r) => [r.segment, Number(r.customers)]));
    for (const s of m.segments) expect(s.after, s.segment).toBe(sizes[s.segment] ?? 0);
    expect(m.totals.after).toBe(analysis.rfm.table.height);
    expect(m.columns).not.toContain(GONE);
    const colSums = m.columns.map((_, j) => m.counts.reduce((a, row) => a + row[j], 0));
    expect(colSums).toEqual(m.columns.map((c) => sizes[c] ?? 0));
    const rowSums = m.counts.map((row) => row.reduce((a, b) => a + b, 0));
    expect(rowSums.slice(1).reduce((a, b) => a + b, 0)).toBe(m.totals.before);
    expect(rowSums[0]).toBe(m.totals.new);
    const spend = m.revenueAfter.flat().reduce((a, b) => a + b, 0);
    expect(spend).toBeCloseTo(analysis.rfm.table.getColumn('monetary').sum(), 6);
  });
});

describe('segkit report --compare-as-of: bad dates', () => {
  async function run(...args: string[]): Promise<{ code: number; err: string }> {
    return runCommands([registerReport], args);
  }
  afterEach(() => vi.restoreAllMocks());

  it('refuses a date that is not a date, or not before --as-of, before reading anything, naming the flag; writes nothing', async () => {
    for (const [flags, says] of [
      [['--compare-as-of', '2011-02-30'], 'not a calendar date'],
      [['--compare-as-of', 'last june'], 'not a calendar date'],
      [['--compare-as-of', '2011-12-01', '--as-of', '2011-09-30'], 'not before the analysis date 2011-09-30'],
      [['--compare-as-of', '2011-09-30', '--as-of', '2011-09-30'], 'not before'],
    ] as const) {
      const out = path.join(dir, 'bad-early');
      const t = performance.now();
      const r = await run('report', '--input', SAMPLE, '--out-dir', out, '--quiet', ...flags);
      expect(r.code, flags.join(' ')).toBe(1);
      expect(r.err).toContain('--compare-as-of');
      expect(r.err).toContain(says);
      expect(r.err).toContain('Hint: ');
      expect(performance.now() - t, 'refused before reading the file').toBeLessThan(3000);
      expect(existsSync(out)).toBe(false);
    }
  }, 60_000);

  it('refuses a date on or after the default analysis date, or before the first purchase, before any output', async () => {
    for (const [date, says] of [
      ['2011-12-10', 'not before the analysis date 2011-12-10'],
      ['2012-03-01', 'not before the analysis date 2011-12-10'],
      ['2009-01-01', 'before the first transaction'],
    ] as const) {
      const out = path.join(dir, `bad-${date}`);
      const r = await run('report', '--input', SAMPLE, '--out-dir', out, '--quiet', '--compare-as-of', date);
      expect(r.code, date).toBe(1);
      expect(r.err).toContain('--compare-as-of');
      expect(r.err).toContain(says);
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    }
  }, 120_000);
});
