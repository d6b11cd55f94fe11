/**
 * Benchmark: the gap statistic (B = 50 reference sets, k = 1..10, k-means with 10 restarts, 50 iterations
 * at most) on 5,000 customers, segkit vs R's cluster::clusGap on the same feature matrix, in one run.
 *
 *   npm run build && node bench/gap.js [--n 5000] [--B 50] [--rounds 2]
 *
 * Rounds alternate segkit (all threads, then one thread) and R, so machine load hits them alike; CPU
 * seconds are reported beside wall seconds. Results: bench/results/gap-*.json.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const seg = require('../dist');
const { features } = require('./kmeans');

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}
const load = () => os.loadavg().map((v) => v.toFixed(2)).join(' ');

function runSegkit(fm, o, threads) {
  const w0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const g = seg.gapStatistic(fm, { kMax: o.kMax, B: o.B, nInit: o.nInit, maxIterations: o.iterMax, seed: 0, threads });
  const c = process.cpuUsage(c0);
  return { wall: Number(process.hrtime.bigint() - w0) / 1e9, cpu: (c.user + c.system) / 1e6, gap: g };
}

function runR(file, n, d, o) {
  const out = execFileSync('Rscript', [path.join(__dirname, 'gap_clusgap.R'), file, n, d, o.B, o.kMax, o.nInit, o.iterMax].map(String), { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop());
}

function main() {
  const n = Number(arg('n', '5000'));
  const o = { B: Number(arg('B', '50')), kMax: 10, nInit: 10, iterMax: 50 };
  const rounds = Number(arg('rounds', '2'));
  const { fm, file, d } = features(n, 2);
  const report = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, n, settings: o, rounds: [] };
  let last;
  for (let r = 0; r < rounds; r++) {
    const before = load();
    const all = runSegkit(fm, o);
    const one = runSegkit(fm, o, 1);
    const R = runR(file, n, d, o);
    last = { all, R };
    report.rounds.push({ load: before, segkit: { wall: all.wall, cpu: all.cpu }, segkit1: { wall: one.wall, cpu: one.cpu }, R: { wall: R.elapsed, cpu: R.user + R.system } });
    console.log(`round ${r + 1} (load ${before}): segkit ${all.wall.toFixed(1)} s wall / ${all.cpu.toFixed(1)} s CPU; one thread ${one.wall.toFixed(1)} s / ${one.cpu.toFixed(1)} s; R clusGap ${R.elapsed.toFixed(1)} s wall / ${(R.user + R.system).toFixed(1)} s CPU`);
    report.R = R.tool;
  }
  const best = (side, key) => Math.min(...report.rounds.map((x) => x[side][key]));
  report.ratio = {
    wall: best('R', 'wall') / best('segkit', 'wall'),
    wallOneThread: best('R', 'wall') / best('segkit1', 'wall'),
    cpu: best('R', 'cpu') / best('segkit', 'cpu'),
  };
  console.log(`R / segkit, best of ${rounds}: wall ${report.ratio.wall.toFixed(1)}× (one thread ${report.ratio.wallOneThread.toFixed(1)}×), CPU ${report.ratio.cpu.toFixed(1)}×`);
  const g = last.all.gap;
  report.table = g.perK.map((r, i) => ({ k: r.k, logW: [r.logW, last.R.logW[i]], gap: [r.gap, last.R.gap[i]], se: [r.se, last.R.SE[i]], gapDiffInSE: (r.gap - last.R.gap[i]) / last.R.SE[i] }));
  report.choice = { segkit: g.k, R: last.R.firstSEmax };
  console.table(report.table.map((t) => ({ k: t.k, 'logW segkit': t.logW[0].toFixed(4), 'logW R': t.logW[1].toFixed(4), 'gap segkit': t.gap[0].toFixed(4), 'gap R': t.gap[1].toFixed(4), 'SE R': t.se[1].toFixed(4), 'diff/SE': t.gapDiffInSE.toFixed(2) })));
  console.log(`firstSEmax: segkit k = ${g.k}, R k = ${last.R.firstSEmax}`);
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `gap-${report.date.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(out, JSON.stringify(report, null, 1));
  console.log(`written ${path.relative(process.cwd(), out)}`);
}

if (require.main === module) main();
