#!/usr/bin/env node
'use strict';
/**
 * The stakeholder report: how long HTML and PDF take, how big they get, on the sample data and on
 * 500,000 customers. The analysis is timed apart from the report.
 *
 *   npm run build
 *   node bench/report.js                                  # sample data + 500k customers (6M generated lines)
 *   node bench/report.js --customers 500000 --rows 6e6 --reps 3
 *   node bench/report.js --only sample                    # or --only large
 *
 * Per data set: analyze() once (the sample with the defaults, as `make report` runs it; the large one
 * with k = 5 and a cheap sweep, k = 2..8, nInit 4, gap B = 10, stability B = 5), then `reps` rounds of
 * buildReport({ formats: ['html'] }) and buildReport({ formats: ['pdf'] }), alternating; each is timed
 * end to end (chart rendering included: a PDF-only build assembles and renders the HTML too, in memory),
 * and buildReport's own step timings (assemble = charts to SVG, html = templates, pdf = Chromium) are kept.
 *
 * The large input is generated with a seeded PRNG (bench/synth.js, shared with bench/eda.js), like
 * bench/rfm.js, but every one of the customers gets at least one invoice (so the report really has 500,000 customers), and lines carry a
 * product, description and country so every section of the report is exercised. It is written once to
 * bench/data/report-<rows>-<customers>.parquet (git-ignored) because analyze() reads a file.
 *
 * Peak RSS is this Node process's (analysis included); Chromium runs in its own processes and is sampled
 * with ps while the PDF renders. Writes bench/results/report-<timestamp>.json and prints a table.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const seg = require(path.join(ROOT, 'dist'));

function args(argv) {
  const out = { rows: 6e6, customers: 5e5, reps: 2, seed: 42, only: 'all' };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    if (!(k in out)) throw new Error(`unknown option ${argv[i]} (see the comment at the top of bench/report.js)`);
    out[k] = k === 'only' ? argv[i + 1] : Number(String(argv[i + 1]).replace(/[_,]/g, ''));
  }
  return out;
}

const { synthesize } = require('./synth');

const secs = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => bytes / 2 ** 20;
const rssMb = () => process.resourceUsage().maxRSS / 1024;
const tag = (n) => (n >= 1e6 ? `${n / 1e6}m` : `${n / 1e3}k`);

/** Sum of the RSS of this process's descendants (Chromium), in MB. */
function childrenRssMb() {
  try {
    const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' });
    const rows = out.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
    const kids = new Set([process.pid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, ppid] of rows) {
        if (kids.has(ppid) && !kids.has(pid)) {
          kids.add(pid);
          grew = true;
        }
      }
    }
    kids.delete(process.pid);
    return rows.filter(([pid]) => kids.has(pid)).reduce((s, r) => s + r[2], 0) / 1024;
  } catch {
    return NaN;
  }
}

function pdfInfo(file) {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return { pages: Number(/Pages:\s+(\d+)/.exec(info)[1]) };
}

async function reportRounds(name, analysis, reps, options) {
  const outDir = path.join(os.tmpdir(), `segkit-bench-report-${process.pid}`, name);
  const html = [];
  const pdf = [];
  const steps = { html: [], pdf: [] };
  let chromiumPeak = 0;
  let files = {};
  for (let r = 0; r < reps; r++) {
    let t = process.hrtime.bigint();
    const h = await seg.buildReport(analysis, { outDir, name, formats: ['html'], ...options });
    html.push(secs(t));
    steps.html.push(h.timings);
    const timer = setInterval(() => (chromiumPeak = Math.max(chromiumPeak, childrenRssMb())), 250);
    t = process.hrtime.bigint();
    const p = await seg.buildReport(analysis, { outDir, name, formats: ['pdf'], ...options });
    pdf.push(secs(t));
    clearInterval(timer);
    steps.pdf.push(p.timings);
    files = { html: h.html, pdf: p.pdf };
  }
  const htmlBytes = fs.statSync(files.html).size;
  const pdfBytes = fs.statSync(files.pdf).size;
  const text = fs.readFileSync(files.html, 'utf8');
  const svgs = [...text.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0].length);
  const result = {
    htmlSeconds: html,
    pdfSeconds: pdf,
    htmlMedian: median(html),
    pdfMedian: median(pdf),
    steps,
    htmlBytes,
    pdfBytes,
    pages: pdfInfo(files.pdf).pages,
    charts: svgs.length,
    largestSvgBytes: Math.max(...svgs),
    chromiumPeakRssMb: chromiumPeak || null,
  };
  fs.rmSync(path.dirname(outDir), { recursive: true, force: true });
  return result;
}

async function main() {
  const a = args(process.argv.slice(2));
  seg.setWarningSink(() => {});
  const load0 = os.loadavg();
  const results = {};

  if (a.only === 'all' || a.only === 'sample') {
    const input = path.join(ROOT, 'data', 'sample_transactions.csv');
    const t = process.hrtime.bigint();
    const analysis = await seg.analyze(input, { seed: a.seed });
    const analyzeS = secs(t);
    const report = await reportRounds('sample', analysis, Math.max(a.reps, 3), { title: 'Sample segmentation' });
    results.sample = { input: 'data/sample_transactions.csv', customers: analysis.profiles.customers, k: analysis.k, analyzeSeconds: analyzeS, ...report, peakRssMb: rssMb() };
    process.stderr.write(`sample: analysis ${analyzeS.toFixed(1)} s, HTML ${report.htmlMedian.toFixed(2)} s, PDF ${report.pdfMedian.toFixed(2)} s\n`);
  }

  if (a.only === 'all' || a.only === 'large') {
    const dataDir = path.join(ROOT, 'bench', 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, `report-${tag(a.rows)}-${tag(a.customers)}.parquet`);
    let generateS = 0;
    if (!fs.existsSync(file)) {
      const t = process.hrtime.bigint();
      const df = synthesize(a.rows, a.customers, a.seed);
      const tmp = `${file}.tmp-${process.pid}`;
      df.writeParquet(tmp);
      fs.renameSync(tmp, file);
      generateS = secs(t);
      process.stderr.write(`generated ${a.rows.toLocaleString('en')} lines, ${a.customers.toLocaleString('en')} customers in ${generateS.toFixed(1)} s → ${path.relative(ROOT, file)}\n`);
    }
    const options = { k: 5, seed: a.seed, kRange: [2, 8], nInit: 4, sweep: { gap: { B: 10 }, stability: { B: 5 } } };
    const t = process.hrtime.bigint();
    const analysis = await seg.analyze(file, options);
    const analyzeS = secs(t);
    const rssAfterAnalysis = rssMb();
    process.stderr.write(`large: analysis ${analyzeS.toFixed(1)} s (${Object.entries(analysis.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ')})\n`);
    const report = await reportRounds('large', analysis, a.reps, { title: `${tag(a.customers)} customers` });
    results.large = {
      input: `generated: ${a.rows} lines, ${a.customers} customers, seed ${a.seed} (${path.relative(ROOT, file)})`,
      analyzeOptions: options,
      customers: analysis.profiles.customers,
      rowsKept: analysis.cleaned.quality.rowsKept,
      k: analysis.k,
      generateSeconds: generateS,
      analyzeSeconds: analyzeS,
      analyzeStages: Object.fromEntries(Object.entries(analysis.timings).map(([k, v]) => [k, v / 1000])),
      ...report,
      peakRssAfterAnalysisMb: rssAfterAnalysis,
      peakRssMb: rssMb(),
    };
    process.stderr.write(`large: HTML ${report.htmlMedian.toFixed(2)} s, PDF ${report.pdfMedian.toFixed(2)} s\n`);
  }

  const load1 = os.loadavg();
  const out = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadavgBefore: load0, loadavgAfter: load1 },
    reps: a.reps,
    ...results,
  };
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const outFile = path.join(dir, `report-${out.date.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(outFile, JSON.stringify(out, null, 2) + '\n');

  const f2 = (x) => x.toFixed(2);
  const line = (name, r) =>
    `| ${name} | ${r.customers.toLocaleString('en')} | ${r.k} | ${r.analyzeSeconds.toFixed(1)} | ${f2(r.htmlMedian)} | ${f2(r.pdfMedian)} | ${f2(median(r.steps.pdf.map((s) => s.assemble / 1000)))} / ${f2(median(r.steps.pdf.map((s) => s.html / 1000)))} / ${f2(median(r.steps.pdf.map((s) => s.pdf / 1000)))} | ${mb(r.htmlBytes).toFixed(2)} | ${mb(r.pdfBytes).toFixed(2)} | ${r.pages} | ${Math.round(r.peakRssMb)} | ${r.chromiumPeakRssMb ? Math.round(r.chromiumPeakRssMb) : '–'} |`;
  process.stdout.write(
    [
      `Report build (median of ${a.reps}${results.sample ? `; sample: ${Math.max(a.reps, 3)}` : ''} rounds), load average ${load0.map(f2).join(' ')} → ${load1.map(f2).join(' ')} (${os.cpus().length} cores)`,
      '| data | customers | k | analysis s | HTML s | PDF s | PDF build: charts / html / chromium s | HTML MB | PDF MB | pages | peak RSS MB (node) | Chromium RSS MB |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...(results.sample ? [line('sample', results.sample)] : []),
      ...(results.large ? [line(`${tag(a.customers)} generated`, results.large)] : []),
      `→ ${path.relative(ROOT, outFile)}`,
    ].join('\n') + '\n',
  );
}

main().catch((e) => {
  process.stderr.write((e && typeof e.toLine === 'function' ? e.toLine() : String(e && e.stack ? e.stack : e)) + '\n');
  process.exit(1);
});
