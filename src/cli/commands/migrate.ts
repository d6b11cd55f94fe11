/**
 * `segkit migrate --input tx.csv --as-of 2011-06-30 --as-of 2011-12-10`: who moved between RFM segments
 * between two dates (or `--before a.csv --after b.csv`: two customer tables), scored with the first date's
 * cut points. Prints the totals, the moves per segment, the largest flows and the matrix; writes the
 * per-customer table with --out and the charts with --charts-dir.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type pl from 'nodejs-polars';
import { SegkitError } from '../../errors';
import { GONE, MIGRATE_DEFAULTS, NEW, type Migration, type Move, type ThresholdPolicy } from '../../migrate/options';
import type { ScoreMethod } from '../../rfm';
import { addCleanOptions, addInputOptions, checkDayFlag, CSV_RAW_HELP, checkOutDir, checkTableOut, type CleanFlags, type InputFlags } from './options';
import { parseBreaksFlag, textTable } from './rfm';

interface MigrateFlags extends InputFlags, CleanFlags {
  asOf: string[];
  before?: string;
  after?: string;
  thresholds: ThresholdPolicy;
  bins?: string;
  method?: ScoreMethod;
  breaks?: string;
  rules?: string;
  returns?: 'drop' | 'net';
  top?: string;
  out?: string;
  moves?: string;
  chartsDir?: string;
  currency?: string;
  json?: boolean;
  csvRaw?: boolean;
  model?: string;
}

const MOVES: Move[] = ['stayed', 'up', 'down', 'new', 'gone'];

/** A customer table (.csv, .csv.gz, .parquet): ids kept as text. */
async function readCustomerTable(file: string, flag: string): Promise<pl.DataFrame> {
  const { default: pl } = await import('nodejs-polars');
  let df: pl.DataFrame;
  try {
    const f = file.toLowerCase();
    df = f.endsWith('.parquet') || f.endsWith('.pq') ? pl.readParquet(file) : pl.readCSV(readFileSync(file), { dtypes: { customer_id: pl.Utf8 }, inferSchemaLength: 10000 });
  } catch (e) {
    throw new SegkitError('cli', 'file_not_found', `cannot read the customer table ${file}: ${(e as Error).message}`, { where: flag, hint: 'pass a customer table written by segkit rfm --out (.csv or .parquet)', cause: e });
  }
  if (df.columns.includes('customer_id') && df.getColumn('customer_id').dtype.variant !== 'Utf8' && df.getColumn('customer_id').dtype.variant !== 'String') {
    df = df.withColumns(pl.col('customer_id').cast(pl.Utf8));
  }
  return df;
}

const n = (x: number): string => x.toLocaleString('en-GB');

async function report(m: Migration, top: number): Promise<string> {
  const { default: pl } = await import('nodejs-polars');
  const t = m.totals;
  const lines = [
    `Segment migration ${m.asOf.before || '(first table)'} → ${m.asOf.after || '(second table)'}: ${n(t.before)} → ${n(t.after)} customers`,
    `Scored with ${m.thresholdPolicy === 'each' ? "each period's own cut points (moves may be shifts of the cut points)" : `the ${m.thresholdPolicy === 'before' ? 'first' : 'second'} date's cut points in both periods`}, ${m.bins} scores per dimension`,
    `stayed ${n(t.stayed)} · moved up ${n(t.up)} · moved down ${n(t.down)} · new ${n(t.new)} · gone from the table ${n(t.gone)}${m.lapsed.length ? ` · lapsed into ${m.lapsed.join(', ')} ${n(t.lapsed)}` : ''}`,
    '',
    `Moves per segment (best first: ${m.order.join(', ')}):`,
    textTable(
      pl.DataFrame(
        m.segments.map((s) => ({ segment: s.segment, before: s.before, after: s.after, net: s.net, stayed: s.stayed, moved_up: s.movedUp, moved_down: s.movedDown, came_up: s.cameUp, came_down: s.cameDown, new: s.cameNew, revenue_before: s.revenueBefore, revenue_after: s.revenueAfter })),
      ),
    ),
    `Largest flows:`,
    ...m.flows.slice(0, top).map((f) => `  ${f.text}`),
    '',
    `Customers (rows: ${m.asOf.before || 'first'}; columns: ${m.asOf.after || 'second'}; ${NEW}: no purchase by the first date${m.columns.includes(GONE) ? `; ${GONE}: not in the second table` : ''}):`,
    textTable(pl.DataFrame(m.rows.map((r, i) => ({ from: r, ...Object.fromEntries(m.columns.map((c, j) => [c, m.counts[i][j]])) })))),
  ];
  const c = m.clusters;
  if (c) {
    lines.push(
      `Clusters of the model (k = ${c.model.k}, trained as of ${c.model.asOf}; rows: ${m.asOf.before || 'first'}; columns: ${m.asOf.after || 'second'}): ${n(c.stayed)} customers in the same cluster at both dates`,
      textTable(pl.DataFrame(c.rows.map((r, i) => ({ from: r, ...Object.fromEntries(c.columns.map((col, j) => [col, c.counts[i][j]])) })))),
    );
  }
  return lines.join('\n');
}

/** Register `segkit migrate`. */
export function register(program: Command): void {
  const cmd = program.command('migrate').description("Who moved between RFM segments from one date to another, scored with the first date's cut points; transition matrix, moves per segment, largest flows");
  addInputOptions(cmd, { inputRequired: false });
  addCleanOptions(cmd);
  cmd
    .option('--as-of <date>', 'an analysis date YYYY-MM-DD; give it twice, earlier first', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--before <file>', 'customer table of the first period (.csv or .parquet, e.g. from segkit rfm --out), instead of --input')
    .option('--after <file>', 'customer table of the second period')
    .addOption(new Option('--thresholds <policy>', "before: score both periods with the first one's cut points; after: with the second one's; each: re-score each period").choices(['before', 'after', 'each']).default(MIGRATE_DEFAULTS.thresholds))
    .option('--bins <n>', 'scores per dimension (default 5)')
    .addOption(new Option('--method <method>', 'scoring of the first period').choices(['rank', 'quantile', 'breaks']))
    .option('--breaks <spec>', 'cut points for --method breaks: "recency=30,90,180,365;frequency=2,3,5,10;monetary=100,500,1000,5000"')
    .option('--rules <file.json>', 'segment rule table (default: the 11 named segments)')
    .addOption(new Option('--returns <policy>', 'cancellations: drop or net').choices(['drop', 'net']).default('drop'))
    .option('--top <n>', 'flows to print', '10')
    .option('-o, --out <file>', 'write the per-customer before/after table (.csv, .csv.gz, .parquet, .json, .ndjson); text cells that would start a formula are neutralised')
    .option('--moves <list>', `with --out, only these moves: ${MOVES.join(',')} (e.g. down,new)`)
    .option('--charts-dir <dir>', 'write heatmap.svg, flows.svg and net.svg there')
    .option('--currency <symbol>', 'currency symbol of the sentences and charts', MIGRATE_DEFAULTS.currency)
    .option('--json', 'print the totals, moves per segment, flows and matrix as JSON')
    .option('--csv-raw', CSV_RAW_HELP)
    .option('--model <file>', 'a segment model (<name>-model.json of segkit report): also puts both dates\' customers in its k-means clusters (cluster before × after; cluster_before/cluster_after in --out)')
    .addHelpText(
      'after',
      `
Both periods are named with the same rules; by default the second is scored with the first's cut points,
so a move is a change in behaviour, not a shift of quantiles. "Up" and "down" follow the segment order
printed (for the standard segments: Champions first, Lost last).

Examples:
  $ segkit migrate -i online_retail.csv.gz --as-of 2011-06-30 --as-of 2011-12-10 --out movers.csv --moves down
  $ segkit migrate --before rfm-june.csv --after rfm-dec.csv --charts-dir reports/migration
  $ segkit migrate -i tx.csv --as-of 2011-06-30 --as-of 2011-12-10 --model reports/segmentation-model.json`,
    )
    .action(async (flags: MigrateFlags) => {
      const top = Number(flags.top ?? 10);
      if (!Number.isInteger(top) || top < 1) throw new SegkitError('cli', 'bad_option', `--top must be a whole number >= 1, got "${flags.top}"`, { where: '--top' });
      const moves = flags.moves?.split(',').map((s) => s.trim()).filter(Boolean) as Move[] | undefined;
      const badMove = moves?.find((x) => !MOVES.includes(x));
      if (badMove) throw new SegkitError('cli', 'bad_option', `--moves: unknown move "${badMove}"`, { where: '--moves', hint: `moves are ${MOVES.join(', ')}` });
      if (flags.method === 'breaks' && !flags.breaks) throw new SegkitError('cli', 'bad_option', '--method breaks needs --breaks', { where: '--breaks' });
      checkTableOut(flags.out, '--out');
      checkOutDir(flags.chartsDir, '--charts-dir');
      for (const d of flags.asOf) checkDayFlag(d, '--as-of');
      const [{ renderSvgSync }, { ensureOutputFolder, writeFileAtomic, writeTable }, { checkPeriods, migrate, migrateAsOf, migrationCharts, moversTable }, { loadModel }, { FileSource }, { parseSegmentRules }, { cleanOptionsFromFlags, sourceFromFlags }] =
        await Promise.all([import('../../charts/render'), import('../../io'), import('../../migrate'), import('../../profile/model'), import('../../source'), import('../../rfm'), import('./common')]);
      const options = {
        thresholds: flags.thresholds,
        ...(flags.method ? { method: flags.method } : {}),
        ...(flags.bins ? { bins: Number(flags.bins) } : {}),
        ...(flags.breaks ? { breaks: parseBreaksFlag(flags.breaks), method: 'breaks' as const } : {}),
        ...(flags.rules ? { rules: parseSegmentRules(readFileSync(flags.rules, 'utf8'), flags.rules) } : {}),
        topFlows: Math.max(top, 10),
        currency: flags.currency,
        // read before any data: a bad model file fails first
        ...(flags.model ? { model: await loadModel(flags.model) } : {}),
      };
      let m: Migration;
      if (flags.before || flags.after) {
        if (!flags.before || !flags.after) throw new SegkitError('cli', 'bad_option', 'give both --before and --after', { where: flags.before ? '--after' : '--before' });
        if (flags.input || flags.source) throw new SegkitError('cli', 'bad_option', '--before/--after compare two customer tables: leave out --input', { where: '--input' });
        if (flags.asOf.length && flags.asOf.length !== 2) throw new SegkitError('cli', 'bad_option', `with --before/--after, --as-of labels the two tables: give it twice or not at all (got ${flags.asOf.length})`, { where: '--as-of' });
        const [a, b] = flags.asOf;
        m = migrate({ table: await readCustomerTable(flags.before, '--before'), asOf: a }, { table: await readCustomerTable(flags.after, '--after'), asOf: b }, options);
      } else {
        if (!flags.input && !flags.source) throw new SegkitError('cli', 'bad_option', 'give --input FILE (transactions) with two --as-of dates, or --before and --after customer tables', { where: '--input' });
        if (flags.asOf.length !== 2) {
          throw new SegkitError('cli', 'bad_option', `give --as-of twice (the two dates to compare), got ${flags.asOf.length}`, { where: '--as-of', hint: 'e.g. --as-of 2011-06-30 --as-of 2011-12-10' });
        }
        const skip = new Set(flags.skipRule ?? []);
        if (flags.returns === 'net') ['cancelled_invoice', 'nonpositive_quantity'].forEach((r) => skip.add(r));
        const src = await sourceFromFlags(flags);
        try {
          const clean = cleanOptionsFromFlags({ ...flags, skipRule: [...skip] });
          const [d1, d2] = flags.asOf;
          if (d1 >= d2) throw new SegkitError('migrate', 'as_of_order', `the first --as-of (${d1}) must be before the second (${d2})`, { where: '--as-of', hint: 'give the earlier date first' });
          if (src instanceof FileSource) {
            // A file: read and cleaned once, both dates in one pass over the lines (migrateAsOf).
            m = migrateAsOf((await src.cleaned(clean)).clean, [d1, d2], { ...options, ...(flags.returns ? { returns: flags.returns } : {}) });
          } else {
            const r1 = await src.customers({ clean, rfm: { asOf: d1, returns: flags.returns } });
            const r2 = await src.customers({ clean, rfm: { asOf: d2, returns: flags.returns } });
            checkPeriods(r1, r2);
            m = migrate(r1, r2, options);
          }
        } finally {
          await src.close();
        }
      }
      if (flags.out) await writeTable(moversTable(m, { moves, safe: !flags.csvRaw }), flags.out, { csvRaw: flags.csvRaw });
      if (flags.chartsDir) {
        ensureOutputFolder(flags.chartsDir, { kind: 'folder' });
        for (const [name, spec] of Object.entries(migrationCharts(m, { currency: flags.currency }))) await writeFileAtomic(path.join(flags.chartsDir, `${name}.svg`), renderSvgSync(spec));
      }
      if (flags.json) {
        const { customers: _c, rules: _r, ...rest } = m;
        process.stdout.write(JSON.stringify({ ...rest, flows: m.flows.slice(0, top) }, null, 2) + '\n');
      } else {
        process.stdout.write(await report(m, top));
        if (flags.out) process.stdout.write(`\nWrote ${n(moves ? moversTable(m, { moves }).height : m.customers.height)} customers to ${flags.out}\n`);
        if (flags.chartsDir) process.stdout.write(`Wrote heatmap.svg, flows.svg, net.svg to ${flags.chartsDir}\n`);
      }
    });
}
