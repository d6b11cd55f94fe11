/**
 * `segkit rfm --input FILE`: read, clean, compute R/F/M, score, name segments; print the thresholds and
 * the segment summary, and write the customer table with --out (.csv, .csv.gz, .parquet, .json, .ndjson).
 */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type pl from 'nodejs-polars';
import { SegkitError } from '../../errors';
import { DEFAULTS as RFM_DEFAULTS, checkBins } from '../../rfm/options';
import type { Breaks, RfmRun, ScoreMethod } from '../../rfm';
import { addCleanOptions, addCsvRawOption, addInputOptions, checkDayFlag, checkTableOut, type CleanFlags, type InputFlags } from './options';

interface RfmFlags extends InputFlags, CleanFlags {
  asOf?: string;
  bins?: string;
  method?: ScoreMethod;
  breaks?: string;
  rules?: string;
  returns?: 'drop' | 'net';
  out?: string;
  summaryOut?: string;
  json?: boolean;
  csvRaw?: boolean;
}

/** "recency=30,90,180;frequency=2,4,8;monetary=100,500,2000" → Breaks. */
export function parseBreaksFlag(text: string): Breaks {
  const out: Partial<Breaks> = {};
  for (const part of text.split(';').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(recency|frequency|monetary|r|f|m)\s*=\s*(.+)$/i.exec(part);
    const values = m ? m[2].split(',').map((s) => Number(s.trim())) : [];
    if (!m || values.some((v) => !Number.isFinite(v))) {
      throw new SegkitError('cli', 'bad_option', `cannot read "${part}" in --breaks`, {
        where: '--breaks',
        hint: 'write e.g. --breaks "recency=30,90,180,365;frequency=2,3,5,10;monetary=100,500,1000,5000" (ascending raw values)',
      });
    }
    const key = ({ r: 'recency', f: 'frequency', m: 'monetary' } as Record<string, keyof Breaks>)[m[1].toLowerCase()] ?? (m[1].toLowerCase() as keyof Breaks);
    out[key] = values;
  }
  const missing = (['recency', 'frequency', 'monetary'] as const).filter((k) => !out[k]);
  if (missing.length) {
    throw new SegkitError('cli', 'bad_option', `--breaks gives no cut points for ${missing.join(', ')}`, { where: '--breaks', hint: 'give recency=…;frequency=…;monetary=…' });
  }
  return out as Breaks;
}

function parseBins(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s.trim())) {
    throw new SegkitError('cli', 'bad_option', `--bins must be a whole number, got "${s}"`, { where: '--bins', hint: `use ${RFM_DEFAULTS.minBins} to ${RFM_DEFAULTS.maxBins} (5 = quintiles, 4 = quartiles)` });
  }
  return checkBins(Number(s), '--bins');
}

/** A DataFrame as aligned text: numbers right-aligned, a column of fractions with 2 decimals throughout, *_share as percentages. */
export function textTable(df: pl.DataFrame): string {
  const cols = df.columns;
  const records = df.toRecords() as Array<Record<string, unknown>>;
  const numeric = cols.map((c) => /^(Int|UInt|Float)/.test(df.getColumn(c).dtype.variant));
  const whole = cols.map((c) => records.every((r) => typeof r[c] !== 'number' || Number.isInteger(r[c])));
  const rows = records.map((r) =>
    cols.map((c, i) => {
      const v = r[c];
      if (v === null || v === undefined) return '';
      if (typeof v === 'number') {
        if (c.endsWith('_share')) return `${(100 * v).toFixed(1)}%`;
        return v.toLocaleString('en-GB', whole[i] ? {} : { maximumFractionDigits: 2, minimumFractionDigits: 2 });
      }
      if (v instanceof Date) return v.toISOString().slice(0, 10);
      return String(v);
    }),
  );
  const width = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((s, i) => (numeric[i] ? s.padStart(width[i]) : s.padEnd(width[i]))).join('  ').trimEnd();
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

function report(result: RfmRun, summary: pl.DataFrame, thresholds: pl.DataFrame): string {
  const c = result.counts;
  const lines = [
    `RFM as of ${result.asOf || '(given)'}: ${result.table.height.toLocaleString('en-GB')} customers, method ${result.method}, ${result.bins} scores per dimension`,
  ];
  if (c) {
    const n = (x: number): string => x.toLocaleString('en-GB');
    lines.push(`${n(c.rowsUsed)} of ${n(c.rowsIn)} cleaned rows used (after asOf: ${n(c.afterAsOf)}; return rows: ${n(c.returnRows)}; negative monetary: ${n(c.negativeMonetary)})`);
  }
  lines.push('', 'Thresholds (raw values of the customers who got each score):', textTable(thresholds));
  lines.push(`Segments (${result.others} customers in Others):`, textTable(summary));
  return lines.join('\n');
}

/** Register `segkit rfm`. */
export function register(program: Command): void {
  const cmd = program.command('rfm').description('Recency, frequency, monetary per customer, scores 1..n and named segments; prints the thresholds and a segment summary');
  addInputOptions(cmd);
  addCleanOptions(cmd);
  cmd
    .option('--as-of <date>', 'analysis date YYYY-MM-DD (default: the day after the last transaction); later transactions are left out')
    .option('--bins <n>', `scores per dimension, ${RFM_DEFAULTS.minBins}..${RFM_DEFAULTS.maxBins} (default ${RFM_DEFAULTS.bins}; 4 gives quartiles)`)
    .addOption(new Option('--method <method>', 'rank: ties share a score; quantile: the R package rfm\'s cut points; breaks: your own (--breaks)').choices(['rank', 'quantile', 'breaks']).default('rank'))
    .option('--breaks <spec>', 'cut points for --method breaks: "recency=30,90,180,365;frequency=2,3,5,10;monetary=100,500,1000,5000"')
    .option('--rules <file.json>', 'segment rule table (default: the 11 named segments in src/data/segments.json)')
    .addOption(new Option('--returns <policy>', "cancellations: drop them, or net them against spend (net also keeps them through cleaning)").choices(['drop', 'net']).default('drop'))
    .option('-o, --out <file>', 'write the customer table: .csv, .csv.gz, .parquet, .json or .ndjson')
    .option('--summary-out <file>', 'write the segment summary table (same formats)')
    .option('--json', 'print thresholds, counts and the segment summary as JSON');
  addCsvRawOption(cmd)
    .addHelpText(
      'after',
      `
Scores: rank (default) gives 1 + floor(bins × below / N), below = customers with a strictly worse value,
so equal values share a score. Recency is reversed: the most recent customers score highest.
Segments: rules are tried in order, the first match wins; codes without a rule are "Others".

Examples:
  $ segkit rfm --input data/sample_transactions.csv --out reports/rfm.csv
  $ segkit rfm -i online_retail.csv.gz --as-of 2011-12-10 --bins 4 --out rfm.parquet
  $ segkit rfm -i sales.csv --method quantile --rules my-segments.json
  $ segkit rfm --source postgres://analyst@db:5432/shop?table=order_lines --out rfm.parquet
  $ segkit rfm -i sales.csv --method breaks --breaks "recency=30,90,180,365;frequency=2,3,5,10;monetary=100,500,1000,5000"`,
    )
    .action(async (flags: RfmFlags) => {
      // everything that can be checked is checked before any data is read
      const bins = parseBins(flags.bins);
      checkTableOut(flags.out, '--out');
      checkTableOut(flags.summaryOut, '--summary-out');
      const breaks = flags.breaks ? parseBreaksFlag(flags.breaks) : undefined;
      checkDayFlag(flags.asOf, '--as-of');
      if (flags.method === 'breaks' && !flags.breaks) {
        throw new SegkitError('cli', 'bad_option', '--method breaks needs --breaks', { where: '--breaks', hint: 'e.g. --breaks "recency=30,90,180,365;frequency=2,3,5,10;monetary=100,500,1000,5000"' });
      }
      if (flags.breaks && flags.method !== 'breaks') {
        throw new SegkitError('cli', 'bad_option', `--breaks is only used with --method breaks (got --method ${flags.method})`, { where: '--breaks', hint: 'add --method breaks' });
      }
      // the analysis modules (Polars) are loaded once the flags are known to be good
      const [{ writeTable }, { parseSegmentRules, scoreRfm, segmentRfm, segmentSummary, thresholdTable }, { cleanOptionsFromFlags, sourceFromFlags }] = await Promise.all([
        import('../../io'),
        import('../../rfm'),
        import('./common'),
      ]);
      let rules;
      if (flags.rules) {
        let text: string;
        try {
          text = readFileSync(flags.rules, 'utf8');
        } catch (e) {
          throw new SegkitError('cli', 'file_not_found', `cannot read the rule table: ${(e as Error).message}`, { where: flags.rules, hint: 'pass the path of a JSON rule table' });
        }
        rules = parseSegmentRules(text, flags.rules);
      }
      const skip = new Set(flags.skipRule ?? []);
      if (flags.returns === 'net') ['cancelled_invoice', 'nonpositive_quantity'].forEach((r) => skip.add(r));
      const clean = cleanOptionsFromFlags({ ...flags, skipRule: [...skip] });
      const src = await sourceFromFlags(flags);
      let result: RfmRun;
      try {
        const customers = await src.customers({ clean, rfm: { asOf: flags.asOf ?? null, returns: flags.returns } });
        result = segmentRfm(scoreRfm(customers, { bins, method: flags.method, breaks }), { rules });
      } finally {
        await src.close();
      }
      const summary = segmentSummary(result);
      if (flags.out) await writeTable(result.table, flags.out, { csvRaw: flags.csvRaw });
      if (flags.summaryOut) await writeTable(summary, flags.summaryOut, { csvRaw: flags.csvRaw });
      if (flags.json) {
        const out = { asOf: result.asOf, bins: result.bins, method: result.method, customers: result.table.height, others: result.others, counts: result.counts, thresholds: result.thresholds, segments: summary.toRecords(), warnings: result.warnings };
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      } else {
        process.stdout.write(report(result, summary, thresholdTable(result.thresholds).drop('method')));
        if (flags.out) process.stdout.write(`\nWrote ${result.table.height.toLocaleString('en-GB')} customers to ${flags.out}\n`);
        else process.stdout.write('\n(add --out FILE.csv or FILE.parquet to write the customer table)\n');
      }
    });
}
