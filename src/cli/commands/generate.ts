/**
 * `segkit generate --out FILE`: write seeded synthetic transactions in the UCI Online Retail
 * format (.csv or .csv.gz), streaming, and print a one-line summary on stderr.
 */
import type { Command } from 'commander';
import { SegkitError } from '../../errors';
import type { WriteOptions } from '../../generate';
import { DEFAULTS, NO_FAULTS } from '../../generate/options';

interface GenerateFlags {
  out: string;
  rows?: string;
  customers?: string;
  seed?: string;
  start?: string;
  end?: string;
  gzipLevel?: string;
  faults: boolean;
}

/** "40000", "1e6", "1_000_000" or "1,000,000" → a whole number, else a clear error naming the flag. */
export function parseCount(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.replace(/[_,]/g, ''));
  if (!Number.isSafeInteger(n)) {
    throw new SegkitError('cli', 'bad_option', `${flag} must be a whole number, got "${text}"`, {
      where: flag,
      hint: `write e.g. ${flag} 40000 or ${flag} 1e6`,
    });
  }
  return n;
}

const fmt = (n: number): string => n.toLocaleString('en-GB');

export function register(program: Command): void {
  program
    .command('generate')
    .description('write seeded synthetic transactions in the UCI Online Retail format (with realistic faults)')
    .requiredOption('-o, --out <file>', 'output file: .csv or .csv.gz')
    .option('--rows <n>', `approximate number of lines (default: ${DEFAULTS.rowsPerCustomer} per customer, or ${fmt(DEFAULTS.rows)})`)
    .option('--customers <n>', `number of customers (default: rows / ${DEFAULTS.rowsPerCustomer}, at most ${fmt(DEFAULTS.maxDerivedCustomers)}, or ${fmt(DEFAULTS.customers)})`)
    .option('--seed <n>', `random seed; the same seed gives the same file byte for byte (default: ${DEFAULTS.seed})`)
    .option('--start <date>', `first day, YYYY-MM-DD (default: ${DEFAULTS.start})`)
    .option('--end <date>', `last day, inclusive, YYYY-MM-DD (default: ${DEFAULTS.end})`)
    .option('--gzip-level <n>', 'gzip level 1-9 for .csv.gz (default: 6)')
    .option('--no-faults', 'clean data: no cancellations, missing ids, zero prices, duplicates or outliers')
    .addHelpText(
      'after',
      `
Customers come from six behaviour groups (champion, loyal, occasional, lapsed, one-time, new).
Faults by default: ${DEFAULTS.faults.cancelRate * 100}% of invoices cancelled later, ~${DEFAULTS.faults.missingCustomerRate * 100}% of rows without
CustomerID, ${DEFAULTS.faults.zeroPriceRate * 100}% zero prices, ${DEFAULTS.faults.duplicateRate * 100}% duplicate rows, ${DEFAULTS.faults.outliers} huge-quantity outliers (each cancelled).

Examples:
  $ segkit generate --out data/sample_transactions.csv --customers 2000 --rows 40000
  $ segkit generate --out bench/data/tx-10m.csv.gz --rows 1e7 --seed 7
  $ segkit generate --out clean.csv --rows 5000 --no-faults --start 2011-01-01 --end 2011-06-30`,
    )
    .action(async (flags: GenerateFlags) => {
      const options: WriteOptions = {
        rows: parseCount(flags.rows, '--rows'),
        customers: parseCount(flags.customers, '--customers'),
        seed: parseCount(flags.seed, '--seed'),
        start: flags.start,
        end: flags.end,
        gzipLevel: parseCount(flags.gzipLevel, '--gzip-level'),
        faults: flags.faults ? undefined : NO_FAULTS,
      };
      for (const key of Object.keys(options) as Array<keyof WriteOptions>) if (options[key] === undefined) delete options[key];
      const { writeTransactions } = await import('../../generate');
      const t0 = process.hrtime.bigint();
      const s = await writeTransactions(flags.out, options);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const f = s.faults;
      process.stderr.write(
        `segkit generate: wrote ${fmt(s.rows)} rows, ${fmt(s.customers)} customers, ${fmt(s.invoices)} invoices ` +
          `(${s.firstDate.slice(0, 10)} to ${s.lastDate.slice(0, 10)}, seed ${s.seed}; faults: ${fmt(f.cancelInvoices)} cancellations, ` +
          `${fmt(f.missingCustomerRows)} rows without CustomerID, ${fmt(f.zeroPriceRows)} zero prices, ${fmt(f.duplicateRows)} duplicates, ` +
          `${f.outliers} outliers) to ${flags.out} in ${seconds.toFixed(1)} s\n`,
      );
    });
}
