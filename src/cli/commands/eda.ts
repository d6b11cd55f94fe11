/**
 * `segkit eda --input FILE [--out-dir DIR]`: load, clean and explore a transactions file; write every
 * table as CSV, every chart as SVG, the quality record as JSON, and one self-contained index.html.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { renderSvg } from '../../charts/render';
import { SegkitError } from '../../errors';
import { EDA_TABLES, type EdaResult } from '../../eda';
import { writeFileAtomic, writeTable } from '../../io';
import { table as htmlTable } from '../../notebook/display';
import type { QualityRecord } from '../../types';
import { addCleanOptions, addCsvRawOption, addInputOptions, checkOutDir, cleanOptionsFromFlags, sourceFromFlags, type CleanFlags, type InputFlags } from './common';

interface EdaFlags extends InputFlags, CleanFlags {
  outDir: string;
  html: boolean;
  files: boolean;
  top: string;
  bins: string;
  log: boolean;
  csvRaw?: boolean;
}

const SNAKE = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function register(program: Command): void {
  const cmd = program
    .command('eda')
    .description(
      'Explore a transactions file: overview, missing values, numeric summaries, distributions, monthly activity, ' +
        'weekday × hour, top countries and products, cancellations, per-customer figures and extremes.\n' +
        'Writes to --out-dir: <table>.csv for every table, <chart>.svg for every chart, quality.json (cleaning record) ' +
        'and index.html (all charts and tables on one page, no scripts, opens offline).',
    );
  addInputOptions(cmd);
  addCleanOptions(cmd);
  cmd
    .option('-o, --out-dir <dir>', 'output folder', 'reports/eda')
    .option('--no-html', 'do not write index.html')
    .option('--no-files', 'do not write the separate CSV and SVG files (index.html only)')
    .option('--top <n>', 'rows in top-N tables', '10')
    .option('--bins <n>', 'histogram bins', '40')
    .option('--no-log', 'histograms on a linear scale (default: log scale)');
  addCsvRawOption(cmd)
    .addHelpText(
      'after',
      `
Examples:
  $ segkit eda --input data/sample_transactions.csv
  $ segkit eda -i ../shared/data/online_retail.csv.gz -o reports/eda-retail --exclude-non-products
  $ segkit eda -i export.csv --delimiter ";" --date-format DD/MM/YYYY --customer-col Kunde --amount-col Umsatz
  $ segkit eda -i dump.txt --no-header --columns customer,date,quantity,amount`,
    )
    .action(async (flags: EdaFlags) => {
      const top = positiveInt(flags.top, '--top');
      const bins = positiveInt(flags.bins, '--bins');
      checkOutDir(flags.outDir, '--out-dir');
      const clean = cleanOptionsFromFlags(flags);
      const src = await sourceFromFlags(flags);
      let result: EdaResult;
      let label: string;
      try {
        result = await src.explore({ clean, top, bins, log: flags.log });
        const d = await src.describe();
        label = d.kind === 'file' ? path.basename(d.label) : d.label;
      } finally {
        await src.close();
      }
      const written = await writeEda(result, flags.outDir, { html: flags.html, files: flags.files, title: `Exploratory analysis of ${label}`, csvRaw: flags.csvRaw });
      const q = result.quality;
      process.stdout.write(
        `read ${q.rowsRead.toLocaleString('en-GB')} rows, kept ${q.rowsKept.toLocaleString('en-GB')} (${q.rules.map((r) => `${r.rule} −${r.removed.toLocaleString('en-GB')}`).join(', ')})\n` +
          `wrote ${written.length} files to ${flags.outDir}${flags.html ? ` (open ${path.join(flags.outDir, 'index.html')})` : ''}\n`,
      );
    });
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new SegkitError('cli', 'bad_option', `${flag} must be a whole number ≥ 1, got "${v}"`, { where: flag, hint: `e.g. ${flag} 10` });
  return n;
}

/**
 * Write an EdaResult to a folder: tables as CSV (snake_case names), charts as SVG, quality.json, and
 * index.html. Every file is written atomically. Returns the paths written.
 */
export async function writeEda(result: EdaResult, outDir: string, options: { html?: boolean; files?: boolean; title?: string; csvRaw?: boolean } = {}): Promise<string[]> {
  const written: string[] = [];
  const svgs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(result.charts)) svgs[name] = await renderSvg(spec);
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

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

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
  return `<!doctype html>
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
`;
}
