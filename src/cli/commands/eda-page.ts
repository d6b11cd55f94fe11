/**
 * What `segkit eda` writes: every table as CSV, every chart as SVG, the quality record as JSON, and
 * index.html, one self-contained page (inline SVG, no scripts). Text from the data is escaped for HTML
 * and its control characters (escape sequences, BEL, NUL) are shown as visible escapes (`\x1b`), in the
 * page and in the SVG files alike: HTML forbids them and SVG (XML) does not parse with them.
 */
import path from 'node:path';
import { renderSvg } from '../../charts/render';
import { EDA_TABLES, type EdaResult } from '../../eda';
import { writeFileAtomic, writeTable } from '../../io';
import { table as htmlTable } from '../../notebook/display';
import { controlSafe, esc } from '../../notebook/show/html';
import type { QualityRecord } from '../../types';

const SNAKE = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Write an EdaResult to a folder: tables as CSV (snake_case names), charts as SVG, quality.json, and
 * index.html. Every file is written atomically. Returns the paths written.
 */
export async function writeEda(result: EdaResult, outDir: string, options: { html?: boolean; files?: boolean; title?: string; csvRaw?: boolean } = {}): Promise<string[]> {
  const written: string[] = [];
  const svgs: Record<string, string> = {};
  // chart texts come from the data (countries, products): no raw control characters in SVG or HTML
  for (const [name, spec] of Object.entries(result.charts)) svgs[name] = controlSafe(await renderSvg(spec));
  if (options.files !== false) {
    for (const name of EDA_TABLES) {
      const f = path.join(outDir, `${SNAKE(name)}.csv`);
      await writeTable(result[name], f, { csvRaw: options.csvRaw });
      written.push(f);
    }
    for (const [name, svg] of Object.entries(svgs)) {
      const f = path.join(outDir, `${name}.svg`);
      await writeFileAtomic(f, svg);
      written.push(f);
    }
  }
  const q = path.join(outDir, 'quality.json');
  await writeFileAtomic(q, JSON.stringify(result.quality, null, 2) + '\n');
  written.push(q);
  if (options.html !== false) {
    const f = path.join(outDir, 'index.html');
    await writeFileAtomic(f, edaHtml(result, svgs, options.title ?? 'Exploratory analysis'));
    written.push(f);
  }
  return written;
}

function qualityTable(q: QualityRecord): string {
  const rows = q.rules.map((r) => `<tr><td>${esc(r.label)}</td><td class="n">${r.removed.toLocaleString('en-GB')}</td></tr>`).join('');
  return `<table class="segkit"><thead><tr><th>Rule</th><th>Rows removed</th></tr></thead><tbody>
<tr><td>Rows read</td><td class="n">${q.rowsRead.toLocaleString('en-GB')}</td></tr>${rows}
<tr><td><strong>Rows kept</strong></td><td class="n"><strong>${q.rowsKept.toLocaleString('en-GB')}</strong></td></tr></tbody></table>`;
}

/** One self-contained page (inline SVG, no scripts). */
export function edaHtml(r: EdaResult, svgs: Record<string, string>, title: string): string {
  const fig = (name: string): string => (svgs[name] ? `<figure>${svgs[name]}</figure>` : '');
  const sections: Array<[string, string]> = [
    ['Overview', fig('overview') + htmlTable(r.overview)],
    ['Cleaning', qualityTable(r.quality)],
    ['Missing values', fig('missing') + htmlTable(r.missing)],
    ['Quantity, price and amount', fig('numeric') + htmlTable(r.numeric) + fig('quantity') + fig('unit_price') + fig('amount')],
    ['Over time', fig('monthly_revenue') + fig('monthly_customers') + htmlTable(r.monthly, 60)],
    ['Weekday and hour', fig('weekday_hour')],
    ['Countries', fig('top_countries') + fig('top_countries_customers') + htmlTable(r.topCountries)],
    ['Products', fig('top_products') + fig('top_products_customers') + htmlTable(r.topProducts)],
    ['Cancellations and returns', fig('cancellations') + htmlTable(r.cancellations, 60)],
    ['Customers', htmlTable(r.customerSummary) + fig('customer_orders') + fig('customer_revenue') + fig('customer_items') + fig('top_customers') + htmlTable(r.topCustomers)],
    ['Extreme lines', fig('extreme_lines') + htmlTable(r.extremeLines)],
  ];
  // each part escapes its own text; this last pass keeps the promise for any part added later
  return controlSafe(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
figure{display:inline-block;margin:.5em 1em .5em 0;vertical-align:top}
table.segkit{border-collapse:collapse;font-size:.85em;margin:.5em 0 1em}
table.segkit th,table.segkit td{border:1px solid #ddd;padding:.2em .5em;text-align:left}
table.segkit td.n{text-align:right}
.notes li{color:#444}
</style></head><body>
<h1>${esc(title)}</h1>
<ul class="notes">${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
${sections.map(([h, body]) => `<h2>${esc(h)}</h2>\n${body}`).join('\n')}
</body></html>
`);
}
