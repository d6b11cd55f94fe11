/** `segkit report`: the whole pipeline on a transactions file → HTML + PDF report, per-customer CSV and the segment model. */
import type { Command } from 'commander';
import { SegkitError } from '../../errors';
import type { BuildReportOptions } from '../../report/build';
import { checkBins } from '../../rfm/options';
import { addCleanOptions, addInputOptions, checkDayFlag, CSV_RAW_HELP, checkOutDir, readOptionsFromFlags, type CleanFlags, type InputFlags } from './options';

interface ReportFlags extends InputFlags, CleanFlags {
  k: string;
  kMin?: string;
  kMax?: string;
  minSegmentShare?: string;
  seed: string;
  asOf?: string;
  compareAsOf?: string;
  clv?: boolean;
  clvHoldoutFrom?: string;
  bins?: string;
  title?: string;
  author?: string;
  outDir: string;
  name: string;
  formats: string;
  pageSize: string;
  currency: string;
  pseudonymize?: string;
  quiet?: boolean;
  csvRaw?: boolean;
}

function intFlag(v: string | undefined, flag: string, min: number, hint?: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    throw new SegkitError('cli', 'bad_option', `${flag} must be a whole number ≥ ${min}, got "${v}"`, { where: flag, ...(hint ? { hint } : {}) });
  }
  return n;
}

export function register(program: Command): void {
  const cmd = program
    .command('report')
    .description('Run the whole analysis on a transactions file or database table and write the HTML + PDF report, a per-customer CSV and the segment model');
  addInputOptions(cmd);
  addCleanOptions(cmd);
  cmd
    .option('-k, --k <k>', 'number of segments, or "auto" to take the recommendation of the k sweep', 'auto')
    .option('--k-min <n>', 'smallest k the recommendation may choose (default 3; 2 allows the coarsest split)')
    .option('--k-max <n>', 'largest k the recommendation may choose (default 8)')
    .option('--min-segment-share <pct>', 'least share of customers in every recommended segment, in % (default 3; 0 turns the check off)')
    .option('--seed <n>', 'random seed (k-means, samples, bootstraps): the same seed gives the same report', '42')
    .option('--as-of <date>', 'analysis date YYYY-MM-DD (default: the day after the last transaction)')
    .option('--compare-as-of <date>', 'an earlier date YYYY-MM-DD: adds the section "What changed since DATE" (who moved between RFM segments since then, on this report\'s score thresholds)')
    .option('--clv', 'adds the section "Customer value": BG/NBD + Gamma-Gamma lifetime value checked on a holdout, expected 12-month value per segment and customer (file inputs)')
    .option('--clv-holdout-from <date>', 'with --clv: first day of the holdout that checks the model, YYYY-MM-DD, or "none" (default: the last quarter of the days)')
    .option('--bins <n>', 'RFM scores per dimension, 2..10 (default 5)')
    .option('--title <text>', 'report title', 'Customer segmentation')
    .option('--author <text>', 'author shown on the cover and in the PDF metadata')
    .option('-o, --out-dir <dir>', 'output folder', 'reports')
    .option('--name <name>', 'base file name of the outputs', 'segmentation')
    .option('--formats <list>', 'outputs, comma-separated: html, pdf, csv, parquet, model (the model is <name>-model.json, for segkit assign)', 'html,pdf,csv,model')
    .option('--page-size <size>', 'PDF paper: A4 or Letter', 'A4')
    .option('--currency <code>', 'currency of the amounts (GBP, USD, EUR, …)', 'GBP')
    .option('--pseudonymize <salt>', 'replace customer ids by a keyed hash (HMAC-SHA256) so the report can be shared')
    .option('-q, --quiet', 'no progress lines')
    .option('--csv-raw', CSV_RAW_HELP)
    .addHelpText(
      'after',
      `
The segment model (<name>-model.json, format "model") scores new customers:
segkit assign --model reports/segmentation-model.json --recency 30 --frequency 4 --monetary 500

Examples:
  $ segkit report --input data/sample_transactions.csv
  $ segkit report -i tx.csv --k-min 2          # let the coarsest split (k = 2) be recommended
  $ segkit report -i tx.csv --compare-as-of 2011-06-30   # adds "What changed since 2011-06-30"
  $ segkit report -i tx.csv --clv                        # adds "Customer value" (lifetime value, checked on a holdout)
  $ segkit report -i exports/2011.csv.gz -k 5 --title "Q4 customers" --author "Analytics team" -o out
  $ segkit report -i tx.parquet --customer-col client --date-col day --amount-col total --formats html
  $ segkit report -i tx.csv --pseudonymize "$SEGKIT_SALT" --page-size Letter
  $ segkit report --source postgres://analyst@db:5432/shop?table=order_lines
  $ CLICKHOUSE_PASSWORD=… segkit report --source clickhouse://analyst@ch1:8123/shop?table=tx`,
    )
    .action(async (flags: ReportFlags) => {
      const { path, options: read } = readOptionsFromFlags(flags);
      const k = flags.k === 'auto' ? 'auto' : intFlag(flags.k, '--k', 2);
      const kMin = intFlag(flags.kMin, '--k-min', 2, 'use --k-min 2 to let the coarsest split be recommended, or leave it out for the default 3');
      const kMax = intFlag(flags.kMax, '--k-max', 2, 'e.g. --k-max 8 (the default)');
      // the analysis modules are loaded here, not when the command is registered (segkit --help stays light)
      const [{ analyze }, { checkCompareAsOf }, { buildReport, checkBuildOptions }, { RECOMMEND_DEFAULTS }, { cleanOptionsFromFlags }] = await Promise.all([
        import('../../pipeline'),
        import('../../migrate/compare'),
        import('../../report/build'),
        import('../../select-k/recommend'),
        import('./common'),
      ]);
      const lowest = kMin ?? RECOMMEND_DEFAULTS.kMin;
      if (kMax !== undefined && kMax < lowest) {
        throw new SegkitError('cli', 'bad_option', `--k-max (${kMax}) is below ${kMin !== undefined ? '--k-min' : 'the default --k-min'} (${lowest})`, {
          where: '--k-max',
          hint: `use --k-max ${lowest} or more${kMin === undefined ? `, or lower --k-min too (e.g. --k-min 2 --k-max ${kMax})` : ''}`,
        });
      }
      const share = flags.minSegmentShare === undefined ? undefined : Number(flags.minSegmentShare);
      if (share !== undefined && !(Number.isFinite(share) && share >= 0 && share < 50)) {
        throw new SegkitError('cli', 'bad_option', `--min-segment-share must be a percentage from 0 to below 50, got "${flags.minSegmentShare}"`, { where: '--min-segment-share', hint: 'e.g. --min-segment-share 3 (no segment under 3 % of the customers), or 0 to turn the check off' });
      }
      if (!['A4', 'Letter'].includes(flags.pageSize)) {
        throw new SegkitError('cli', 'bad_option', `--page-size must be A4 or Letter, got "${flags.pageSize}"`, { where: '--page-size' });
      }
      // everything that can be checked is checked before any data is read
      const build: BuildReportOptions = {
        outDir: flags.outDir,
        name: flags.name,
        formats: flags.formats.split(',').map((s) => s.trim()) as Array<'html' | 'pdf' | 'csv' | 'parquet' | 'model'>,
        pageSize: flags.pageSize as 'A4' | 'Letter',
        title: flags.title,
        author: flags.author,
        currency: flags.currency,
        pseudonymize: flags.pseudonymize,
        csvRaw: flags.csvRaw,
      };
      checkBuildOptions(build);
      checkOutDir(flags.outDir, '--out-dir');
      checkDayFlag(flags.asOf, '--as-of');
      if (flags.clvHoldoutFrom !== 'none') checkDayFlag(flags.clvHoldoutFrom, '--clv-holdout-from');
      const clean = cleanOptionsFromFlags(flags);
      const bins = flags.bins === undefined ? undefined : checkBins(intFlag(flags.bins, '--bins', 2), '--bins');
      // Checked before any data is read: a calendar date, before --as-of when that is given.
      const compareAsOf = flags.compareAsOf === undefined ? undefined : checkCompareAsOf(flags.compareAsOf, flags.asOf, '--compare-as-of');
      const say = flags.quiet ? () => undefined : (s: string) => process.stderr.write(`segkit report: ${s}\n`);
      const t0 = performance.now();
      const analysis = await analyze(path, {
        read,
        clean,
        rfm: { asOf: flags.asOf, bins },
        k,
        ...(kMin !== undefined ? { kMin } : {}),
        ...(kMax !== undefined ? { kMax } : {}),
        ...(share !== undefined ? { sweep: { recommend: { minSegmentShare: share / 100 } } } : {}),
        seed: intFlag(flags.seed, '--seed', 0),
        ...(compareAsOf ? { compareAsOf } : {}),
        ...(flags.clv || flags.clvHoldoutFrom ? { clv: { holdoutFrom: flags.clvHoldoutFrom === undefined ? 'auto' : flags.clvHoldoutFrom === 'none' ? null : flags.clvHoldoutFrom } } : {}),
        onProgress: (stage, detail) => say(`${stage}${detail ? `: ${detail}` : ''} (${((performance.now() - t0) / 1000).toFixed(1)} s)`),
      });
      const files = await buildReport(analysis, { ...build, onProgress: (s) => say(s) });
      for (const f of [files.html, files.pdf, files.csv, files.parquet, files.model]) if (f) process.stdout.write(`${f}\n`);
      say(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s: k = ${analysis.k} (${analysis.kSource}), ${analysis.profiles.customers} customers`);
    });
}
