#!/usr/bin/env node
/**
 * Benchmark: load + clean (default rules) of generated gzip CSVs with segkit, side by side with a pandas
 * script doing the same rules on the same file in the same run. Each tool runs in its own process so peak
 * RSS is its own. Results: bench/results/load-clean-<timestamp>.json and a Markdown table on stdout.
 *
 *   node bench/load-clean.js [--rows 1000000,10000000] [--repeat 1] [--variants default,compact,memory] [--no-pandas]
 *
 * Needs the build (npm run build), bench/generate-data.js (the project's generator) and, for the baseline,
 * Debian's python3-pandas. Inputs go to bench/data/tx-<rows>.csv.gz (git-ignored) and are reused.
 */
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
// The build to measure (default dist/); SEGKIT_DIST points elsewhere, e.g. a private build while dist/ is being rebuilt.
const DIST = process.env.SEGKIT_DIST ? path.resolve(process.env.SEGKIT_DIST) : path.join(ROOT, 'dist');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};

// ── child mode: one segkit load + clean, report JSON ────────────────────────
if (process.argv[2] === '--child') {
  const file = process.argv[3];
  const variant = arg('variant', 'default');
  const decompress = variant === 'memory' ? 'memory' : 'auto';
  const compact = variant === 'compact';
  const hash = arg('hash', 'true') === 'true';
  // the io and clean modules only (so the benchmark does not depend on unrelated stages building)
  const seg = { ...require(path.join(DIST, 'io')), ...require(path.join(DIST, 'clean')), ...require(path.join(DIST, 'errors')) };
  seg.setWarningSink(() => undefined);
  (async () => {
    const t0 = performance.now();
    const tx = await seg.readTransactions(file, { decompress, hash, compact });
    const t1 = performance.now();
    const { quality } = seg.cleanTransactions(tx);
    const t2 = performance.now();
    process.stdout.write(
      JSON.stringify({
        tool: `segkit ${variant}${hash ? '' : ' (no hash)'}`,
        read_ms: Math.round(t1 - t0),
        clean_ms: Math.round(t2 - t1),
        total_ms: Math.round(t2 - t0),
        rows_read: quality.rowsRead,
        rows_kept: quality.rowsKept,
        removed: quality.removed,
        max_rss_kb: process.resourceUsage().maxRSS,
        mapping: tx.mapping,
      }) + '\n',
    );
  })().catch((e) => {
    process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
    process.exit(1);
  });
  return;
}

// ── driver ──────────────────────────────────────────────────────────────────
const sizes = arg('rows', '1000000,10000000').split(',').map(Number);
const repeat = Number(arg('repeat', '1'));
const withPandas = !process.argv.includes('--no-pandas');
// default: readTransactions' defaults; compact: { compact: true } (Categorical text columns); memory: gzip decompressed by Polars in memory
const variants = arg('variants', 'default,compact').split(',');

function ensureInput(rows) {
  const file = path.join(ROOT, 'bench', 'data', `tx-${rows >= 1e6 && rows % 1e6 === 0 ? `${rows / 1e6}m` : rows}.csv.gz`);
  if (!fs.existsSync(file)) {
    const gen = path.join(ROOT, 'bench', 'generate-data.js');
    if (!fs.existsSync(gen)) throw new Error(`missing ${gen} (the project's data generator)`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    process.stderr.write(`generating ${rows} rows → ${file}\n`);
    execFileSync(process.execPath, [gen, '--rows', String(rows), '--out', file], { stdio: 'inherit' });
  }
  return file;
}

function timed(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Math.round(performance.now() - t0);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return { ...JSON.parse(r.stdout.trim().split('\n').pop()), process_wall_ms: wall };
}

function pandasArgs(file, m) {
  const a = [path.join(__dirname, 'load_clean_pandas.py'), file, '--customer', m.customer, '--date', m.date];
  if (m.invoice) a.push('--invoice', m.invoice);
  if (m.quantity) a.push('--quantity', m.quantity);
  if (m.unitPrice) a.push('--price', m.unitPrice);
  if (m.amount) a.push('--amount', m.amount);
  for (const r of ['product', 'description', 'country']) if (m[r]) a.push('--text', m[r]);
  return a;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const results = [];
const started = new Date().toISOString();
const load0 = os.loadavg();
for (const rows of sizes) {
  const file = ensureInput(rows);
  const bytes = fs.statSync(file).size;
  let mapping;
  for (let rep = 0; rep < repeat; rep++) {
    // alternate the order on every repetition so that a change in machine load does not favour one tool
    const runs = [...variants.map((v) => ({ v })), ...(withPandas ? [{ v: 'pandas' }] : [])];
    if (rep % 2 === 1) runs.reverse();
    if (!mapping) runs.sort((a, b) => (a.v === 'pandas') - (b.v === 'pandas')); // pandas needs the mapping segkit found
    for (const { v } of runs) {
      const r = v === 'pandas' ? timed('/usr/bin/python3', pandasArgs(file, mapping)) : timed(process.execPath, [__filename, '--child', file, '--variant', v]);
      if (r.mapping) mapping = r.mapping;
      results.push({ rows, file: path.relative(ROOT, file), bytes, rep, loadavg: os.loadavg()[0], ...r });
    }
  }
}

// agreement: every tool must remove the same rows per rule
for (const rows of sizes) {
  const rs = results.filter((r) => r.rows === rows);
  const ref = JSON.stringify(rs[0].removed);
  for (const r of rs) if (JSON.stringify(r.removed) !== ref || r.rows_kept !== rs[0].rows_kept) console.error(`!! ${r.tool} disagrees at ${rows} rows: ${JSON.stringify(r.removed)} vs ${ref}`);
}

const out = { started, machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGB: Math.round(os.totalmem() / 2 ** 30), loadavgStart: load0, loadavgEnd: os.loadavg() }, node: process.version, results };
fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
const outFile = path.join(ROOT, 'bench', 'results', `load-clean-${started.replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(outFile, JSON.stringify(out, null, 2) + '\n');

const lines = ['| rows | tool | load (s) | clean (s) | load+clean (s) | process wall (s) | peak RSS (MB) | rows kept |', '|---|---|---|---|---|---|---|---|'];
const tools = [...new Set(results.map((r) => r.tool))];
for (const rows of sizes) {
  const byTool = {};
  for (const tool of tools) {
    const rs = results.filter((r) => r.rows === rows && r.tool === tool);
    if (!rs.length) continue;
    const m = (k) => median(rs.map((r) => r[k]));
    byTool[tool] = m('total_ms');
    lines.push(`| ${rows.toLocaleString('en-GB')} | ${tool} | ${(m('read_ms') / 1000).toFixed(2)} | ${(m('clean_ms') / 1000).toFixed(2)} | ${(m('total_ms') / 1000).toFixed(2)} | ${(m('process_wall_ms') / 1000).toFixed(2)} | ${Math.round(m('max_rss_kb') / 1024)} | ${rs[0].rows_kept.toLocaleString('en-GB')} |`);
  }
  const p = Object.entries(byTool).find(([t]) => t.startsWith('pandas'));
  for (const [t, ms] of Object.entries(byTool)) if (p && t !== p[0]) lines.push(`|  | speed-up vs pandas (${t}) | | | **${(p[1] / ms).toFixed(1)}×** | | | |`);
}
process.stdout.write(`load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}\n\n${lines.join('\n')}\n\nresults: ${path.relative(ROOT, outFile)}\n`);
