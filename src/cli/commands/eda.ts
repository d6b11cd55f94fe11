/**
 * `segkit eda --input FILE [--out-dir DIR]`: load, clean and explore a transactions file; write every
 * table as CSV, every chart as SVG, the quality record as JSON, and one self-contained index.html.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { SegkitError } from '../../errors';
import type { EdaResult } from '../../eda';
import { addCleanOptions, addCsvRawOption, addInputOptions, checkOutDir, type CleanFlags, type InputFlags } from './options';

interface EdaFlags extends InputFlags, CleanFlags {
  outDir: string;
  html: boolean;
  files: boolean;
  top: string;
  bins: string;
  log: boolean;
  csvRaw?: boolean;
}

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
      const [{ cleanOptionsFromFlags, sourceFromFlags }, { writeEda }] = await Promise.all([import('./common'), import('./eda-page')]);
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
