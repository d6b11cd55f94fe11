#!/usr/bin/env node
'use strict';
/**
 * Writes synthetic transactions with segkit's generator (from the build in dist/) and reports
 * the time and peak memory. Used for the sample data and for benchmark inputs:
 *
 *   npm run build
 *   node bench/generate-data.js --rows 40000 --customers 2000 --out data/sample_transactions.csv
 *   node bench/generate-data.js --rows 1e6 --out bench/data/tx-1m.csv.gz
 *   node bench/generate-data.js --rows 1e7 --out bench/data/tx-10m.csv.gz
 *
 * Options: --rows N, --customers N, --seed N, --start YYYY-MM-DD, --end YYYY-MM-DD,
 * --gzip-level 1..9, --no-faults, --quiet. Prints one JSON line (summary + seconds + peak RSS) on stdout.
 */
const path = require('node:path');

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-faults' || a === '--quiet') out[a.slice(2)] = true;
    else if (a.startsWith('--') && i + 1 < argv.length) out[a.slice(2)] = argv[++i];
    else throw new Error(`unexpected argument "${a}" (see the comment at the top of bench/generate-data.js)`);
  }
  return out;
}

const num = (s) => (s === undefined ? undefined : Number(String(s).replace(/[_,]/g, '')));

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!args.out) throw new Error('--out FILE is required (.csv or .csv.gz)');
  const gen = require(path.join(__dirname, '..', 'dist', 'generate'));
  const options = {
    seed: num(args.seed),
    customers: num(args.customers),
    rows: num(args.rows),
    start: args.start,
    end: args.end,
    gzipLevel: num(args['gzip-level']),
    faults: args['no-faults'] ? gen.NO_FAULTS : undefined,
  };
  for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];
  let lastReport = 0;
  options.onProgress = (done, total) => {
    if (args.quiet || done - lastReport < 1e6) return;
    lastReport = done;
    process.stderr.write(`  ${done.toLocaleString('en')} / ~${total.toLocaleString('en')} rows\n`);
  };
  const t0 = process.hrtime.bigint();
  const summary = await gen.writeTransactions(args.out, options);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const { size } = require('node:fs').statSync(args.out);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(JSON.stringify({ out: args.out, bytes: size, seconds: Number(seconds.toFixed(2)), peakRssMb, summary }) + '\n');
}

main().catch((e) => {
  process.stderr.write((e && typeof e.toLine === 'function' ? e.toLine() : String(e && e.stack ? e.stack : e)) + '\n');
  process.exit(1);
});
