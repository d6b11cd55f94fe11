#!/usr/bin/env node
'use strict';
/**
 * The EDA step (`explore`, src/eda): how long it and each of its parts take on generated transactions.
 *
 *   npm run build
 *   node bench/eda.js                                        # 1M and 6M lines (12 lines per customer: 83,333 and 500,000 customers)
 *   node bench/eda.js --rows 1e6 --reps 3
 *   node bench/eda.js --base bench/data/eda-base/dist        # also time another build, interleaved, and check it gives the same results
 *
 * Input: bench/synth.js (the generator bench/report.js uses, seed 42), written once to
 * bench/data/report-<rows>-<customers>.parquet (git-ignored; the 6M file is the one bench/report.js makes),
 * then read with readTransactions and cleaned with the default rules, as analyze() does. Neither is timed.
 *
 * Per build and size: one warm-up round, then `reps` rounds; a round runs explore(raw, { cleaned }) (what
 * analyze() calls) and then each part on its own. Wall seconds (hrtime) and CPU seconds (process.cpuUsage,
 * user + system, all threads) per part; the medians are printed. With --base the two builds alternate
 * within each round, and every table, histogram, chart and note of the two explore() results is compared
 * (column names, dtypes, values with nulls equal); a difference stops the run.
 * Writes bench/results/eda-<timestamp>.json.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { synthesize } = require('./synth');

const ROOT = path.resolve(__dirname, '..');

function args(argv) {
  const out = { rows: '1e6,6e6', reps: 3, seed: 42, base: '', perCustomer: 12 };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(k in out)) throw new Error(`unknown option ${argv[i]} (see the comment at the top of bench/eda.js)`);
    out[k] = typeof out[k] === 'number' ? Number(argv[i + 1]) : String(argv[i + 1]);
  }
  out.rows = String(out.rows).split(',').map((r) => Number(r.replace(/[_]/g, '')));
  return out;
}

const tag = (n) => (n >= 1e6 ? `${n / 1e6}m` : `${n / 1e3}k`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The parts of explore(), each called as explore calls it (the same functions, the same tables). */
function parts(seg, raw, cleaned, top = 10, bins = 40) {
  const c = cleaned.clean;
  const hist = (df, col) => seg.histogram(df, col, { bins, log: true });
  let customers;
  let countries;
  let products;
  return [
    ['overview', () => seg.overview(c, raw.df.height)],
    ['missingValues', () => seg.missingValues(raw)],
    ['numericSummary', () => seg.numericSummary(c.df, ['quantity', 'unit_price', 'amount'])],
    ['histograms (lines)', () => ['quantity', 'unit_price', 'amount'].map((col) => hist(c.df, col))],
    ['monthlyActivity', () => seg.monthlyActivity(c)],
    ['weekdayHour', () => seg.weekdayHour(c)],
    ['groupTotals country', () => (countries = seg.groupTotals(c, 'country'))],
    ['groupTotals product', () => (products = seg.groupTotals(c, 'product'))],
    ['rankTop ×4', () => [
      seg.rankTop(countries, 'country', top, 'revenue'),
      seg.rankTop(countries, 'country', top, 'customers'),
      seg.rankTop(products, 'product', top, 'revenue', c),
      seg.rankTop(products, 'product', top, 'customers', c),
    ]],
    ['cancellations', () => seg.cancellations(raw)],
    ['customerTable', () => (customers = seg.customerTable(c))],
    ['customerSummary', () => seg.customerSummary(customers)],
    ['histograms (customers)', () => ['orders', 'revenue', 'items'].map((col) => hist(customers, col))],
    ['extremeLines', () => seg.extremeLines(raw, top)],
    ['topCustomers', () => seg.topCustomers(customers, top)],
  ];
}

function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1e6 };
}

/** One round: explore, then every part; returns { name: { wall, cpu } } and explore's result. */
function round(seg, raw, cleaned) {
  const out = {};
  const e = timed(() => seg.explore(raw, { cleaned }));
  out.explore = { wall: e.wall, cpu: e.cpu };
  for (const [name, fn] of parts(seg, raw, cleaned)) {
    const t = timed(fn);
    out[name] = { wall: t.wall, cpu: t.cpu };
  }
  return { times: out, result: e.value };
}

/** Throws on the first difference between two explore() results. */
function sameResults(seg, a, b, where) {
  const fail = (what) => {
    throw new Error(`${where}: ${what} differs between the builds`);
  };
  const sameFrame = (x, y, what) => {
    if (JSON.stringify(x.columns) !== JSON.stringify(y.columns)) fail(`${what} columns (${x.columns} vs ${y.columns})`);
    if (JSON.stringify(x.dtypes.map(String)) !== JSON.stringify(y.dtypes.map(String))) fail(`${what} dtypes (${x.dtypes.map(String)} vs ${y.dtypes.map(String)})`);
    if (x.height !== y.height || !x.frameEqual(y, true)) fail(`${what} values`);
  };
  for (const t of seg.EDA_TABLES) sameFrame(a[t], b[t], t);
  for (const group of ['distributions', 'customerDistributions']) {
    for (const [k, h] of Object.entries(a[group])) {
      const g = b[group][k];
      if ((h === null) !== (g === null)) fail(`${group}.${k}`);
      if (h === null) continue;
      sameFrame(h.table, g.table, `${group}.${k}.table`);
      if (h.column !== g.column || h.log !== g.log || h.excluded !== g.excluded || h.total !== g.total) fail(`${group}.${k}`);
    }
  }
  if (JSON.stringify(a.charts) !== JSON.stringify(b.charts)) fail('charts');
  if (JSON.stringify(a.notes) !== JSON.stringify(b.notes)) fail('notes');
  if (a.quality !== b.quality) fail('quality record');
}

async function main() {
  const a = args(process.argv.slice(2));
  const builds = [['current', path.join(ROOT, 'dist')]];
  if (a.base) builds.unshift(['base', path.resolve(a.base)]);
  const segs = builds.map(([name, dir]) => [name, require(dir)]);
  const seg = segs[segs.length - 1][1];
  for (const [, s] of segs) s.setWarningSink(() => {});
  const load0 = os.loadavg();
  const sizes = {};

  for (const rows of a.rows) {
    const customers = Math.round(rows / a.perCustomer);
    const dataDir = path.join(ROOT, 'bench', 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, `report-${tag(rows)}-${tag(customers)}.parquet`);
    if (!fs.existsSync(file)) {
      const tmp = `${file}.tmp-${process.pid}`;
      synthesize(rows, customers, a.seed).writeParquet(tmp);
      fs.renameSync(tmp, file);
      process.stderr.write(`generated ${rows.toLocaleString('en')} lines, ${customers.toLocaleString('en')} customers → ${path.relative(ROOT, file)}\n`);
    }
    const raw = await seg.readTransactions(file);
    const cleaned = seg.cleanTransactions(raw);
    process.stderr.write(`${tag(rows)} lines: ${raw.df.height.toLocaleString('en')} read, ${cleaned.quality.rowsKept.toLocaleString('en')} kept\n`);

    const rounds = Object.fromEntries(segs.map(([name]) => [name, []]));
    for (let r = 0; r <= a.reps; r++) {
      const results = {};
      for (const [name, s] of segs) {
        const { times, result } = round(s, raw, cleaned);
        results[name] = result;
        if (r > 0) rounds[name].push(times);
        process.stderr.write(`  ${r === 0 ? 'warm-up' : `round ${r}`} ${name}: explore ${times.explore.wall.toFixed(2)} s wall, ${times.explore.cpu.toFixed(2)} s CPU\n`);
      }
      if (r === 0 && results.base) {
        sameResults(seg, results.base, results.current, `${tag(rows)} lines`);
        process.stderr.write('  the two builds give the same tables, histograms, charts and notes\n');
      }
    }
    const med = Object.fromEntries(
      Object.entries(rounds).map(([name, rs]) => [
        name,
        Object.fromEntries(Object.keys(rs[0]).map((p) => [p, { wall: median(rs.map((x) => x[p].wall)), cpu: median(rs.map((x) => x[p].cpu)) }])),
      ]),
    );
    sizes[tag(rows)] = { rows, customers, file: path.relative(ROOT, file), rowsKept: cleaned.quality.rowsKept, rounds, median: med };
  }

  const load1 = os.loadavg();
  const out = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadavgBefore: load0, loadavgAfter: load1 },
    reps: a.reps,
    builds: Object.fromEntries(builds.map(([n, d]) => [n, path.relative(ROOT, d)])),
    sizes,
  };
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const outFile = path.join(dir, `eda-${out.date.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(outFile, JSON.stringify(out, null, 2) + '\n');

  const f2 = (x) => x.toFixed(2);
  const names = segs.map(([n]) => n);
  const lines = [`EDA (median of ${a.reps} rounds after a warm-up), load average ${load0.map(f2).join(' ')} → ${load1.map(f2).join(' ')} (${os.cpus().length} cores); seconds, wall / CPU`];
  for (const [size, s] of Object.entries(sizes)) {
    lines.push('', `${size} lines, ${s.customers.toLocaleString('en')} customers (${s.rowsKept.toLocaleString('en')} after cleaning)`);
    lines.push(`| part | ${names.map((n) => `${n} wall | ${n} CPU`).join(' | ')} |${names.length > 1 ? ' wall speed-up |' : ''}`);
    lines.push(`| --- | ${names.map(() => '--- | ---').join(' | ')} |${names.length > 1 ? ' --- |' : ''}`);
    const partNames = Object.keys(s.median[names[0]]);
    const sum = (n) => partNames.filter((p) => p !== 'explore').reduce((t, p) => ({ wall: t.wall + s.median[n][p].wall, cpu: t.cpu + s.median[n][p].cpu }), { wall: 0, cpu: 0 });
    const row = (label, get) => {
      const v = names.map((n) => get(n));
      const speed = names.length > 1 ? ` ${(v[0].wall / v[v.length - 1].wall).toFixed(1)}× |` : '';
      return `| ${label} | ${v.map((x) => `${f2(x.wall)} | ${f2(x.cpu)}`).join(' | ')} |${speed}`;
    };
    for (const p of partNames) lines.push(row(p === 'explore' ? '**explore (all)**' : p, (n) => s.median[n][p]));
    lines.push(row('sum of the parts', sum));
  }
  lines.push('', `→ ${path.relative(ROOT, outFile)}`);
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  process.stderr.write((e && typeof e.toLine === 'function' ? e.toLine() : String(e && e.stack ? e.stack : e)) + '\n');
  process.exit(1);
});
