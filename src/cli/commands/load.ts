/**
 * `segkit load --input FILE --source URL`: ingest a transactions file into a database table with typed
 * canonical columns, so `segkit report --source URL` can analyse it where it lives.
 */
import { Option, type Command } from 'commander';
import { SegkitError } from '../../errors';
import { isSourceUrl, redact } from '../../source/url';
import { addInputOptions, readOptionsFromFlags, type InputFlags } from './options';

interface LoadFlags extends InputFlags {
  replace?: boolean;
  append?: boolean;
  cluster?: string;
  shards?: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('load')
    .description('Load a transactions file into a PostgreSQL or ClickHouse table (typed columns; ClickHouse: a Distributed table sharded by customer)');
  addInputOptions(cmd);
  cmd
    .option('--replace', 'drop and recreate the table if it exists')
    .option('--append', 'add the rows to an existing table')
    .option('--cluster <name>', 'ClickHouse: create a MergeTree table <table>_local on every shard and a Distributed table over cluster <name> (from remote_servers)')
    .addOption(new Option('--shards <urls>', 'ClickHouse with --cluster: the HTTP URL of one node per shard, comma-separated, in shard order (default: the --source node only)'))
    .option('-q, --quiet', 'no progress lines')
    .addHelpText(
      'after',
      `
The file is read and mapped as for every other command (--customer-col, --date-format, …); the table
gets the canonical columns customer_id, invoice, date, quantity, unit_price, amount, product,
description, country. Passwords: PGPASSWORD / CLICKHOUSE_PASSWORD (never put them in the URL).

Examples:
  $ segkit load -i data/sample_transactions.csv --source 'postgres://seg@127.0.0.1:5432/shop?table=tx'
  $ segkit load -i online_retail.csv.gz --source 'clickhouse://127.0.0.1:8123/default?table=tx' --cluster seg --shards clickhouse://127.0.0.1:8123,clickhouse://127.0.0.1:8124
  $ segkit load -i more.csv --source 'postgres://seg@127.0.0.1:5432/shop?table=tx' --append

Then: segkit report --source 'postgres://seg@127.0.0.1:5432/shop?table=tx'`,
    )
    .action(async (flags: LoadFlags) => {
      if (!flags.input || !flags.source) {
        throw new SegkitError('cli', 'missing_input', 'segkit load needs a file (--input) and a table (--source)', {
          where: flags.input ? '--source' : '--input',
          hint: 'segkit load --input tx.csv --source postgres://user@host:5432/db?table=transactions',
        });
      }
      if (!isSourceUrl(flags.source)) {
        throw new SegkitError('cli', 'bad_option', `--source takes a database URL, got ${JSON.stringify(redact(flags.source))}`, { where: '--source', hint: 'postgres://user@host:5432/db?table=tx or clickhouse://host:8123/db?table=tx' });
      }
      if (flags.replace && flags.append) throw new SegkitError('cli', 'conflicting_options', '--replace and --append were both given', { where: '--replace / --append', hint: 'choose one' });
      const { options: read } = readOptionsFromFlags({ ...flags, source: undefined });
      const { loadTransactions } = await import('../../source');
      const say = flags.quiet ? () => undefined : (s: string) => process.stderr.write(`segkit load: ${s}\n`);
      const t0 = performance.now();
      let last = 0;
      say(`reading ${flags.input}`);
      const r = await loadTransactions(flags.input, flags.source, {
        read,
        ifExists: flags.replace ? 'replace' : flags.append ? 'append' : 'fail',
        cluster: flags.cluster,
        shards: flags.shards ? flags.shards.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
        onProgress: (done, total) => {
          const now = performance.now();
          if (done === total || now - last > 2000) {
            last = now;
            say(`${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} rows written (${((now - t0) / 1000).toFixed(1)} s)`);
          }
        },
      });
      const shards = r.shards ? ` (per shard: ${r.shards.map((n) => n.toLocaleString('en-GB')).join(', ')})` : '';
      process.stdout.write(`wrote ${r.rowsWritten.toLocaleString('en-GB')} of ${r.rowsRead.toLocaleString('en-GB')} rows to ${r.table}${shards} in ${r.seconds.toFixed(1)} s\nanalyse it with: segkit report --source '${r.source}'\n`);
    });
}
