import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html';
import { writeReport } from '../../src/report/write';
import { openOffline, type OfflinePage } from '../helpers/browser';
import { EVIL, fixtureContext } from '../fixtures/report/context';

describe('report HTML (hand-made context)', () => {
  let html: string;
  let page: OfflinePage;
  beforeAll(async () => {
    html = renderHtml(await fixtureContext());
    page = await openOffline(html);
  });
  afterAll(async () => page?.close());

  it('is self-contained: a CSP forbids external loads and no URL appears anywhere', () => {
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link /i);
  });

  it('loads in Chromium with no request, no console error, and charts with marks', async () => {
    expect(page.requests).toEqual([]);
    expect(page.consoleErrors).toEqual([]);
    expect(page.pageErrors).toEqual([]);
    const marks = await page.page.$$eval('figure.chart svg', (svgs) => svgs.map((s) => s.querySelectorAll('path, rect, line, circle, text').length));
    expect(marks.length).toBeGreaterThanOrEqual(3);
    for (const m of marks) expect(m).toBeGreaterThan(5);
  });

  it('shows injected markup as text', async () => {
    expect(await page.page.$$eval('script', (s) => s.length)).toBe(0);
    expect(await page.page.$$eval('b', (s) => s.length)).toBe(0);
    const text = await page.page.evaluate(() => document.body.innerText);
    expect(text).toContain('<script>alert("x")</script>');
  });

  it('formats numbers with separators and currency', () => {
    expect(html).toContain('£98,765');
    expect(html).toContain('1,234');
    expect(html).toContain('60.0 %');
  });
});

describe('report HTML: optional parts', () => {
  it('renders how to follow the runner-up, the summary chart, the name reasons and the samples only when the context has them', async () => {
    const base = await fixtureContext();
    const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const plain = text(renderHtml(base));
    expect(plain).not.toContain('To follow the runner-up');
    expect(plain).not.toContain('Why 2 segments');
    expect(plain).not.toContain('Named for:');
    expect(plain).not.toMatch(/\bSamples\b/);
    const rich = text(
      renderHtml({
        ...base,
        summary: { ...base.summary, kNote: 'Three indices point to two segments.', chartCaption: 'Shares per segment.' },
        kselection: { ...base.kselection, alternative: 'Rerun with four segments for a finer split.' },
        segments: base.segments.map((c, i) => ({ ...c, mix: `Champions ${90 - i} %`, nameReason: `Named for: reason ${i}.` })),
        appendix: { ...base.appendix, sampling: ['Recency vs monetary scatter: random sample of 2,000 of 9,999 customers (seed 42).'] },
      }),
    );
    expect(rich).toContain('Why 2 segments Three indices point to two segments.');
    expect(rich).toContain('To follow the runner-up. Rerun with four segments for a finer split.');
    expect(rich).toContain('Shares per segment.');
    expect(rich).toContain('Champions 90 %');
    expect(rich).toContain('Named for: reason 1.');
    expect(rich).toContain('Samples Recency vs monetary scatter: random sample of 2,000 of 9,999 customers');
  });
});

describe('writeReport', () => {
  it('writes HTML and a PDF with metadata, page numbers and every section', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-report-'));
    const files = await writeReport(await fixtureContext(), { outDir: dir, name: 'fixture' });
    expect(readdirSync(dir).sort()).toEqual(['fixture.html', 'fixture.pdf']);
    const info = execFileSync('pdfinfo', [files.pdf!], { encoding: 'utf8' });
    expect(info).toMatch(/Title:\s+Fixture report/);
    expect(info).toMatch(/Author:\s+Test Author/);
    expect(info).toMatch(/Page size:\s+595.\d+ x 841.\d+ pts \(A4\)/);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThanOrEqual(6);
    expect(pages).toBeLessThanOrEqual(12);
    const text = execFileSync('pdftotext', ['-layout', files.pdf!, '-'], { encoding: 'utf8' });
    for (const title of ['Executive summary', 'Data quality', 'Exploration highlights', 'RFM analysis', 'Choosing the number of segments', 'The segments', 'Appendix']) {
      expect(text).toContain(title);
    }
    // The cover is page 1 but carries no number; the pages after it do.
    expect(text).not.toContain(`page 1 of ${pages}`);
    expect(text).toContain(`page 2 of ${pages}`);
    expect(text).toContain(`page ${pages} of ${pages}`);
    expect(text).toContain(EVIL.slice(0, 8));

    // The cover has no running header or footer: its title only once (the heading), nothing in the
    // 18 mm top and bottom margins. Page 2 has both, the header being the title.
    const pageText = (n: number) => execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-layout', files.pdf!, '-'], { encoding: 'utf8' });
    const cover = pageText(1);
    expect(cover.split('Fixture report').length - 1).toBe(1);
    expect(cover).not.toMatch(/page \d+ of \d+/);
    const second = pageText(2).split('\n').map((l) => l.trim()).filter(Boolean);
    expect(second[0]).toBe('Fixture report');
    expect(second.at(-1)).toMatch(new RegExp(`^segkit\\s+page 2 of ${pages}$`));
    const margin = (18 / 25.4) * 72;
    const inMargins = (n: number) => {
      const box = execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-bbox', files.pdf!, '-'], { encoding: 'utf8' });
      const height = Number(/<page width="[\d.]+" height="([\d.]+)"/.exec(box)![1]);
      return [...box.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)]
        .filter((m) => Number(m[2]) < margin || Number(m[1]) > height - margin)
        .map((m) => m[3]);
    };
    expect(inMargins(1)).toEqual([]);
    expect(inMargins(2).join(' ')).toBe(`Fixture report segkit page 2 of ${pages}`);
  });

  it('a title with quotes and backslashes is the running header as written', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-report-'));
    const title = 'Q4 "VIP" \\ review';
    const context = await fixtureContext();
    const files = await writeReport({ ...context, meta: { ...context.meta, title } }, { outDir: dir, name: 'quoted', formats: ['pdf'] });
    const second = execFileSync('pdftotext', ['-f', '2', '-l', '2', '-layout', files.pdf!, '-'], { encoding: 'utf8' }).split('\n').map((l) => l.trim()).filter(Boolean);
    expect(second[0]).toBe(title);
  });

  it('Letter paper on request', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-report-'));
    const files = await writeReport(await fixtureContext(), { outDir: dir, name: 'letter', formats: ['pdf'], pageSize: 'Letter' });
    expect(files.html).toBeUndefined();
    expect(execFileSync('pdfinfo', [files.pdf!], { encoding: 'utf8' })).toMatch(/612 x 792 pts \(letter\)/);
  });

  it('a failure leaves no file behind', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-report-'));
    const bad = path.join(dir, 'templates');
    await expect(writeReport(await fixtureContext(), { outDir: dir, name: 'broken', templatesDir: bad })).rejects.toThrow(/template/);
    const prev = process.env.PUPPETEER_EXECUTABLE_PATH;
    process.env.PUPPETEER_EXECUTABLE_PATH = '/nonexistent/chromium';
    try {
      await expect(writeReport(await fixtureContext(), { outDir: dir, name: 'nochrome' })).rejects.toThrow(/Chromium not found/);
    } finally {
      if (prev === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
      else process.env.PUPPETEER_EXECUTABLE_PATH = prev;
    }
    expect(readdirSync(dir).filter((f) => f !== 'templates')).toEqual([]);
    expect(existsSync(path.join(dir, 'nochrome.html'))).toBe(false);
  });

  it('rejects a name that is not a plain file name', async () => {
    await expect(writeReport(await fixtureContext(), { outDir: os.tmpdir(), name: '../escape' })).rejects.toThrow(/not a plain file name/);
  });
});
