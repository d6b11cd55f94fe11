/**
 * `segkit assign --model model.json --input customers.csv --out scored.csv`: score new customers with a
 * saved segment model (RFM scores, named segment, cluster and name, distance to each centroid);
 * `segkit assign --model model.json --recency 34 --frequency 55 --monetary 66` scores one customer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Command } from 'commander';
import type pl from 'nodejs-polars';
import { SegkitError, isSegkitError } from '../../errors';
import type { Assignment, NewCustomer, SegmentModel } from '../../profile';
import { CSV_RAW_HELP, checkTableOut } from './options';

interface AssignFlags {
  model: string;
  input?: string;
  out?: string;
  recency?: string;
  frequency?: string;
  monetary?: string;
  id?: string;
  feature?: string[];
  json?: boolean;
  csvRaw?: boolean;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

function number(text: string, flag: string): number {
  const v = Number(String(text).trim());
  if (String(text).trim() === '' || !Number.isFinite(v)) {
    throw new SegkitError('cli', 'bad_option', `${flag} must be a number, got "${text}"`, { where: flag, hint: `e.g. ${flag} 34` });
  }
  return v;
}

/** Run `fn`; a SegkitError it throws is thrown again with its `where` rewritten by `where`. */
function relocated<T>(fn: () => T, where: (w: string) => string): T {
  try {
    return fn();
  } catch (e) {
    if (!isSegkitError(e)) throw e;
    throw new SegkitError(e.stage, e.code, e.message, { where: where(e.where ?? ''), hint: e.hint, cause: e.cause });
  }
}

/** Read a customers file (.csv, .csv.gz, .json, .ndjson, .parquet): every column as text first, then numbers where every value is one. */
export async function readCustomers(file: string): Promise<pl.DataFrame> {
  if (!existsSync(file)) throw new SegkitError('cli', 'file_not_found', 'the customers file does not exist', { where: file, hint: 'check the path given to --input' });
  const { default: pl } = await import('nodejs-polars');
  const f = file.toLowerCase();
  let df: pl.DataFrame;
  try {
    if (f.endsWith('.parquet')) df = pl.readParquet(file);
    else if (f.endsWith('.ndjson') || f.endsWith('.jsonl')) df = pl.readJSON(readFileSync(file), { format: 'lines' });
    else if (f.endsWith('.json')) df = pl.readJSON(readFileSync(file), { format: 'json' });
    else df = pl.readCSV(f.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file), { inferSchemaLength: 0 });
  } catch (e) {
    throw new SegkitError('cli', 'unreadable_input', `cannot read the customers file: ${(e as Error).message}`, {
      where: file,
      hint: 'give a CSV with a header: customer_id, recency (days), frequency (orders), monetary (spend)',
      cause: e,
    });
  }
  const idLike = /^(customer_?id|id|customer)$/i;
  const cols = df.columns.map((c) => {
    const s = df.getColumn(c);
    if (idLike.test(c)) return s.cast(pl.Utf8);
    if (s.dtype.variant !== 'String' && s.dtype.variant !== 'Utf8') return s;
    const values = s.toArray() as Array<string | null>;
    const parsed = values.map((v) => (v === null || v.trim() === '' ? null : Number(v.trim())));
    return parsed.every((v) => v === null || Number.isFinite(v)) ? pl.Series(c, parsed, pl.Float64) : s;
  });
  return pl.DataFrame(cols);
}

/** One assignment as a few readable lines. */
export function describeAssignment(a: Assignment, model: SegmentModel): string {
  const lines = [
    `Customer${a.customer_id ? ` ${a.customer_id}` : ''}: recency ${a.recency_days} days, frequency ${a.frequency} orders, monetary ${a.monetary}`,
    `RFM scores: R ${a.r_score}, F ${a.f_score}, M ${a.m_score} (code ${a.rfm_code}) → segment "${a.segment}"`,
    `Cluster: ${a.label} (distance ${a.distance.toFixed(3)})`,
  ];
  const c = model.clusters[a.cluster];
  if (c?.description) lines.push(`  ${c.description}`);
  if (c?.action) lines.push(`  Recommended: ${c.action}`);
  lines.push('Distance to each centroid:');
  for (const [i, d] of a.distances.entries()) lines.push(`  ${model.clusters[i].label.padEnd(28)} ${d.toFixed(3)}${i === a.cluster ? '  ← nearest' : ''}`);
  lines.push(modelLine(model));
  return lines.join('\n') + '\n';
}

/** Where the model comes from, in one line: k, training data (sha256 or database label), as-of date, segkit version. */
export function modelLine(model: SegmentModel): string {
  const src = model.training.source;
  const data = src ? `${src.label}${src.sha256 ? ` (sha256 ${src.sha256.slice(0, 12)}…)` : ''}` : 'data not recorded';
  return `Model: k = ${model.kmeans.k}, trained on ${model.training.customers.toLocaleString('en-GB')} customers of ${data}, as of ${model.training.asOf ?? model.rfm.asOf}, segkit ${model.segkitVersion}`;
}

/** Register `segkit assign`. */
export function register(program: Command): void {
  program
    .command('assign')
    .description('Score new customers with a saved segment model: RFM scores, named segment, cluster and its name, distance to each centroid')
    .requiredOption('-m, --model <file>', 'segment model JSON: written by segkit report (reports/segmentation-model.json) or by saveModel in a notebook')
    .option('-i, --input <file>', 'customers to score (.csv, .csv.gz, .json, .ndjson, .parquet) with recency (days), frequency (orders), monetary and an optional customer_id')
    .option('-o, --out <file>', 'write the scored customers here (.csv, .csv.gz, .parquet, .json, .ndjson); default: CSV on stdout')
    .option('--recency <days>', 'one customer: days since the last purchase')
    .option('--frequency <orders>', 'one customer: number of orders')
    .option('--monetary <amount>', 'one customer: total spend')
    .option('--id <customer>', 'one customer: an id to show')
    .option('--feature <column=value>', 'one customer: another feature the model uses (repeatable)', collect)
    .option('--json', 'print JSON (one customer) instead of text')
    .option('--csv-raw', CSV_RAW_HELP)
    .addHelpText(
      'after',
      `
Recency, frequency and monetary are scored 1..n with the thresholds of the training data, named with
the model's segment rules, transformed like the training features and assigned to the nearest centroid.

Examples:
  $ segkit assign --model reports/segmentation-model.json --recency 30 --frequency 4 --monetary 500
  $ segkit assign --model model.json --input customers.csv --out scored.csv
  $ segkit assign --model model.json --recency 34 --frequency 55 --monetary 66
  $ segkit assign --model model.json --recency 34 --frequency 55 --monetary 66 --json`,
    )
    .action(async (flags: AssignFlags) => {
      const one = [flags.recency, flags.frequency, flags.monetary];
      const given = one.filter((v) => v !== undefined).length;
      if (flags.input && given > 0) {
        throw new SegkitError('cli', 'bad_option', 'give either --input (many customers) or --recency/--frequency/--monetary (one customer), not both', { where: '--input' });
      }
      if (!flags.input && given < 3) {
        const missing = ['--recency', '--frequency', '--monetary'].filter((_, i) => one[i] === undefined);
        throw new SegkitError('cli', 'bad_option', given === 0 ? 'nothing to score' : `one customer needs ${missing.join(', ')} too`, {
          where: given === 0 ? '--input' : missing[0],
          hint: 'score a file with --input customers.csv, or one customer with --recency DAYS --frequency ORDERS --monetary AMOUNT',
        });
      }
      checkTableOut(flags.out, '--out');
      const [{ tableCsv, writeTable }, { assignSegments, loadModel }] = await Promise.all([import('../../io'), import('../../profile')]);
      const model = await loadModel(flags.model);
      if (flags.input) {
        const customers = await readCustomers(flags.input);
        const csv = /\.csv(\.gz)?$/i.test(flags.input);
        // "row 2 (customer b)" of the scorer becomes "FILE, line 3 (customer b)": the file and the line a user opens
        const scored = relocated(() => assignSegments(model, customers), (w) => `${flags.input}, ${csv ? w.replace(/\brow (\d+)/, (_m, n: string) => `line ${Number(n) + 1}`) : w}`);
        if (flags.out) {
          await writeTable(scored, flags.out, { csvRaw: flags.csvRaw });
          process.stderr.write(`${scored.height.toLocaleString('en-GB')} customers scored → ${flags.out}\n`);
        } else {
          process.stdout.write(tableCsv(scored, { csvRaw: flags.csvRaw }).toString());
        }
        return;
      }
      const customer: NewCustomer = {
        recency: number(flags.recency!, '--recency'),
        frequency: number(flags.frequency!, '--frequency'),
        monetary: number(flags.monetary!, '--monetary'),
        ...(flags.id !== undefined ? { customer_id: flags.id } : {}),
      };
      for (const kv of flags.feature ?? []) {
        const m = /^([^=]+)=(.*)$/.exec(kv);
        if (!m) throw new SegkitError('cli', 'bad_option', `--feature must be column=value, got "${kv}"`, { where: '--feature', hint: 'e.g. --feature tenure_days=120' });
        customer[m[1].trim()] = number(m[2], `--feature ${m[1].trim()}`);
      }
      const a = relocated(() => assignSegments(model, customer), (w) => w.replace(/\brecency_days\b/, '--recency').replace(/\bfrequency\b/, '--frequency').replace(/\bmonetary\b/, '--monetary'));
      process.stdout.write(flags.json ? JSON.stringify(a, null, 2) + '\n' : describeAssignment(a, model));
    });
}
