/**
 * `segkit clv --input FILE`: read and clean, summarise each customer's purchase history, fit BG/NBD and
 * Gamma-Gamma, and write per-customer P(alive), expected purchases, expected spend and discounted CLV.
 * With --holdout-from the models are fitted on the days before it and checked against the days after.
 */
import { Option, type Command } from 'commander';
import { SegkitError } from '../../errors';
import { examples } from '../help';
import { textTable } from './rfm';
import { addCleanOptions, addInputOptions, checkDayFlag, CSV_RAW_HELP, checkTableOut, type CleanFlags, type InputFlags } from './options';

/**
 * The defaults --horizon and --discount show in the help: CLV_DEFAULTS of src/clv/value.ts, which loads
 * Polars (test/cli/lazy-commands.test.ts keeps the two equal).
 */
export const CLV_FLAG_DEFAULTS = { horizon: 12, discount: 0.01 } as const;

interface ClvFlags extends InputFlags, CleanFlags {
  asOf?: string;
  holdoutFrom?: string;
  horizon: string;
  discount: string;
  occasions: 'day' | 'invoice';
  penalty: string;
  out?: string;
  json?: boolean;
  csvRaw?: boolean;
}

function num(v: string, flag: string, ok: (n: number) => boolean, hint: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || !ok(n)) throw new SegkitError('cli', 'bad_option', `${flag} got "${v}"`, { where: flag, hint });
  return n;
}

/** A figure with up to d decimals; tiny values in 3 significant digits; "–" when not finite (a standard error the data cannot give). */
const f = (v: number, d = 3): string =>
  !Number.isFinite(v) ? '–' : v !== 0 && Math.abs(v) < 10 ** -d ? v.toExponential(2) : v.toLocaleString('en-GB', { maximumFractionDigits: d });

/** Register `segkit clv`. */
export function register(program: Command): void {
  const cmd = program.command('clv').description('Customer lifetime value: BG/NBD repeat purchases × Gamma-Gamma spend, discounted monthly; optional holdout check');
  addInputOptions(cmd, { inputRequired: false });
  addCleanOptions(cmd);
  cmd
    .option('--as-of <date>', 'last day observed, YYYY-MM-DD (default: the last transaction day)')
    .option('--holdout-from <date>', 'first day of a holdout period: fit on the days before, compare predictions with the days from it to --as-of')
    .addOption(new Option('--occasions <what>', 'one purchase occasion per customer and day (same-day orders are one) or per invoice').choices(['day', 'invoice']).default('day'))
    .option('--penalty <lambda>', 'L2 penalty on the BG/NBD and Gamma-Gamma parameters (as lifetimes\' penalizer_coef)', '0')
    .option('--horizon <months>', 'months of future value', String(CLV_FLAG_DEFAULTS.horizon))
    .option('--discount <rate>', 'monthly discount rate', String(CLV_FLAG_DEFAULTS.discount))
    .option('-o, --out <file>', 'write the customer table: .csv, .csv.gz, .parquet, .json or .ndjson')
    .option('--json', 'print the fits (and holdout figures) as JSON')
    .option('--csv-raw', CSV_RAW_HELP)
    .addHelpText('after', examples(['segkit clv --input data/sample_transactions.csv --out reports/clv.csv', 'segkit clv -i online_retail.csv.gz --holdout-from 2011-09-10 --as-of 2011-12-09 --occasions invoice --horizon 12 --out clv.csv']))
    .action(async (flags: ClvFlags) => {
      const horizon = num(flags.horizon, '--horizon', (n) => Number.isInteger(n) && n >= 1, 'a whole number of months, e.g. 12');
      const discount = num(flags.discount, '--discount', (n) => n >= 0 && n < 1, 'a monthly rate such as 0.01 (1 %)');
      const penalty = num(flags.penalty, '--penalty', (n) => n >= 0, 'a small number >= 0 such as 0.001');
      checkTableOut(flags.out, '--out');
      checkDayFlag(flags.asOf, '--as-of');
      checkDayFlag(flags.holdoutFrom, '--holdout-from');
      const [{ writeTable }, { clvSummary, customerValue, fitBgNbd, fitGammaGamma, validateHoldout }, { cleanOptionsFromFlags, readInputFromOptions }, { cleanTransactions }] = await Promise.all([
        import('../../io'),
        import('../../clv'),
        import('./common'),
        import('../../clean'),
      ]);
      const cleanOptions = cleanOptionsFromFlags(flags);
      const tx = await readInputFromOptions(flags);
      const { clean } = cleanTransactions(tx, cleanOptions);
      const summary = clvSummary(clean, { asOf: flags.asOf ?? null, holdoutFrom: flags.holdoutFrom ?? null, occasions: flags.occasions });
      const bg = fitBgNbd(summary.table, { penalty });
      const gg = fitGammaGamma(summary.table, { penalty });
      const values = customerValue(summary.table, bg.params, gg.params, { horizon, discount });
      const holdout = summary.holdout ? validateHoldout(summary, bg.params, { spend: gg.params }) : null;
      if (flags.out) await writeTable(values, flags.out, { csvRaw: flags.csvRaw });
      if (flags.json) {
        const out = { calibrationEnd: summary.calibrationEnd, holdout: summary.holdout, counts: summary.counts, bgnbd: bg, gammaGamma: gg, validation: holdout && { totals: holdout.totals, mae: holdout.mae, byFrequency: holdout.byFrequency.toRecords() } };
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        return;
      }
      const p = bg.params;
      const se = bg.standardErrors;
      const lines = [
        `CLV: ${f(summary.table.height, 0)} customers, calibration to ${summary.calibrationEnd} (${f(summary.counts.repeatCustomers, 0)} with repeat purchases)`,
        `BG/NBD  r = ${f(p.r)} ± ${f(se.r)}, α = ${f(p.alpha)} ± ${f(se.alpha)}, a = ${f(p.a, 4)} ± ${f(se.a, 4)}, b = ${f(p.b)} ± ${f(se.b)} (${summary.unit}; log-likelihood ${f(bg.logLikelihood, 1)}, ${bg.report.converged ? 'converged' : 'NOT converged'})`,
        `Gamma-Gamma  p = ${f(gg.params.p)} ± ${f(gg.standardErrors.p)}, q = ${f(gg.params.q)} ± ${f(gg.standardErrors.q)}, γ = ${f(gg.params.gamma)} ± ${f(gg.standardErrors.gamma)} (frequency–spend correlation ${f(gg.correlation, 2)})`,
        `${horizon}-month CLV at ${f(discount * 100, 2)} % a month: total ${f(Number(values.getColumn('clv').sum()), 0)}`,
      ];
      if (holdout) {
        const t = holdout.totals;
        lines.push('', `Holdout ${summary.holdout!.from} .. ${summary.holdout!.to}: actual ${f(t.actual, 0)} purchases, predicted ${f(t.predicted, 0)} (${f(100 * t.relativeError, 1)} %), naive ${f(t.naive, 0)}; MAE per customer ${f(holdout.mae.model)} (naive ${f(holdout.mae.naive)})`);
        lines.push(textTable(holdout.byFrequency));
      }
      if (flags.out) lines.push(`Wrote ${f(values.height, 0)} customers to ${flags.out}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
