/**
 * Benchmark: the full k sweep (k = 2..10, nInit = 10, silhouette on a 10,000-customer sample,
 * Calinski-Harabasz, Davies-Bouldin) on 50k and 500k customers, segkit vs scikit-learn in the same run.
 *
 *   npm run build && node bench/kmeans.js [--n 50000,500000] [--rounds 2] [--ml-kmeans]
 *
 * Rounds alternate segkit / scikit-learn so machine load hits both alike; CPU seconds are reported
 * beside wall seconds because this 2-core machine is shared. Results: bench/results/kmeans-*.json.
 *
 * Seeded synthetic customer tables (recency_days, frequency, monetary) for the k-means and gap benchmarks:
 * a mixture of five customer types with realistic skew, so k-means has some structure to find.
 * Also writes the feature matrix (log1p + z-score, as segkit's default) as raw float64 for Python/R.
 */
const fs = require('node:fs');
const path = require('node:path');
const seg = require('../dist');

const TYPES = [
  // share, recency mean (+offset), frequency base + geometric p, log-monetary mean, sd
  { share: 0.1, rOff: 0, rMean: 15, fBase: 8, fP: 0.25, mMu: 8, mSd: 0.6 },
  { share: 0.2, rOff: 0, rMean: 40, fBase: 4, fP: 0.35, mMu: 7, mSd: 0.6 },
  { share: 0.15, rOff: 0, rMean: 20, fBase: 1, fP: 1, mMu: 5, mSd: 0.8 },
  { share: 0.2, rOff: 150, rMean: 60, fBase: 3, fP: 0.5, mMu: 6.5, mSd: 0.7 },
  { share: 0.35, rOff: 250, rMean: 80, fBase: 1, fP: 0.7, mMu: 4.5, mSd: 0.9 },
];

function customers(n, seed = 1) {
  const rand = seg.mulberry32(seed);
  const normal = () => {
    let u = 0;
    while (u === 0) u = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const id = new Array(n);
  const recency = new Float64Array(n);
  const frequency = new Float64Array(n);
  const monetary = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let u = rand();
    let t = TYPES[TYPES.length - 1];
    for (const ty of TYPES) {
      if (u < ty.share) {
        t = ty;
        break;
      }
      u -= ty.share;
    }
    id[i] = `C${i + 1}`;
    recency[i] = Math.min(730, Math.floor(t.rOff - t.rMean * Math.log(1 - rand())));
    let f = t.fBase;
    while (t.fP < 1 && rand() > t.fP) f++;
    frequency[i] = f;
    monetary[i] = Math.round(Math.exp(t.mMu + t.mSd * normal()) * 100) / 100;
  }
  return { customer_id: id, recency_days: Array.from(recency), frequency: Array.from(frequency), monetary: Array.from(monetary) };
}

/** The feature matrix of n synthetic customers (segkit defaults: log1p + z-score), cached in bench/data. */
function features(n, seed = 1) {
  const pl = require('nodejs-polars');
  const df = pl.DataFrame(customers(n, seed));
  const fm = seg.buildFeatures(df);
  const dir = path.join(__dirname, 'data');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `features-${n}-s${seed}.f64`);
  const flat = new Float64Array(n * fm.columns.length);
  fm.X.forEach((r, i) => flat.set(r, i * fm.columns.length));
  fs.writeFileSync(file, Buffer.from(flat.buffer));
  return { fm, file, d: fm.columns.length };
}

module.exports = { customers, features };

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

function loadavg() {
  return require('node:os').loadavg().map((v) => v.toFixed(2)).join(' ');
}

function runSegkit(fm, o) {
  const w0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const sweep = seg.sweepK(fm, { k: [o.kMin, o.kMax], nInit: o.nInit, silhouetteSample: o.sil, gap: false, stability: false, dendrogram: false, seed: 0 });
  const c = process.cpuUsage(c0);
  return { wall: Number(process.hrtime.bigint() - w0) / 1e9, cpu: (c.user + c.system) / 1e6, perK: sweep.perK };
}

function runSklearn(file, n, d, o) {
  const { execFileSync } = require('node:child_process');
  const out = execFileSync('/usr/bin/python3', [path.join(__dirname, 'kmeans_sklearn.py'), file, n, d, o.kMin, o.kMax, o.nInit, o.sil].map(String), {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, PYTHONWARNINGS: 'ignore' },
  });
  return JSON.parse(out);
}

/** ml-kmeans with the same restarts, fits only (to show why segkit has its own engine). */
function runMlKmeans(fm, o) {
  const w0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const perK = [];
  for (let k = o.kMin; k <= o.kMax; k++) perK.push({ k, inertia: seg.fitKMeans(fm, { k, nInit: o.nInit, seed: 0, engine: 'ml-kmeans' }).inertia });
  const c = process.cpuUsage(c0);
  return { wall: Number(process.hrtime.bigint() - w0) / 1e9, cpu: (c.user + c.system) / 1e6, perK };
}

function main() {
  const sizes = arg('n', '50000,500000').split(',').map(Number);
  const rounds = Number(arg('rounds', '2'));
  const o = { kMin: 2, kMax: 10, nInit: 10, sil: 10000 };
  const report = { date: new Date().toISOString(), node: process.version, cpus: require('node:os').cpus().length, settings: o, sizes: [] };
  for (const n of sizes) {
    const { fm, file, d } = features(n);
    const entry = { n, rounds: [] };
    for (let r = 0; r < rounds; r++) {
      const before = loadavg();
      const a = runSegkit(fm, o);
      const b = runSklearn(file, n, d, o);
      entry.rounds.push({ load: before, segkit: { wall: a.wall, cpu: a.cpu }, sklearn: { wall: b.wall, cpu: b.cpu, fitWall: b.fitWall } });
      console.log(`n=${n} round ${r + 1}: segkit ${a.wall.toFixed(1)} s wall / ${a.cpu.toFixed(1)} s CPU; scikit-learn ${b.wall.toFixed(1)} s wall / ${b.cpu.toFixed(1)} s CPU (load ${before})`);
      entry.perK = a.perK.map((r2, i) => ({
        k: r2.k,
        segkit: { inertia: r2.inertia, silhouette: r2.silhouette, calinskiHarabasz: r2.calinskiHarabasz, daviesBouldin: r2.daviesBouldin },
        sklearn: b.perK[i],
        inertiaRatio: r2.inertia / b.perK[i].inertia,
      }));
      entry.sklearnVersion = b.tool;
    }
    if (process.argv.includes('--ml-kmeans')) {
      const m = runMlKmeans(fm, o);
      entry.mlKmeans = { wall: m.wall, cpu: m.cpu, inertiaRatio: m.perK.map((r2, i) => r2.inertia / entry.perK[i].segkit.inertia) };
      console.log(`n=${n} ml-kmeans fits only: ${m.wall.toFixed(1)} s wall / ${m.cpu.toFixed(1)} s CPU`);
    }
    const best = (side, key) => Math.min(...entry.rounds.map((x) => x[side][key]));
    entry.ratio = { wall: best('sklearn', 'wall') / best('segkit', 'wall'), cpu: best('sklearn', 'cpu') / best('segkit', 'cpu') };
    console.log(`n=${n}: scikit-learn / segkit time, best of ${rounds}: wall ${entry.ratio.wall.toFixed(2)}×, CPU ${entry.ratio.cpu.toFixed(2)}×`);
    console.table(entry.perK.map((p) => ({ k: p.k, 'inertia segkit/sklearn': p.inertiaRatio.toFixed(5), 'sil segkit': p.segkit.silhouette.toFixed(4), 'sil sklearn': p.sklearn.silhouette.toFixed(4), 'CH segkit': p.segkit.calinskiHarabasz.toFixed(0), 'CH sklearn': p.sklearn.calinskiHarabasz.toFixed(0), 'DB segkit': p.segkit.daviesBouldin.toFixed(3), 'DB sklearn': p.sklearn.daviesBouldin.toFixed(3) })));
    report.sizes.push(entry);
  }
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `kmeans-${report.date.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(out, JSON.stringify(report, null, 1));
  console.log(`written ${path.relative(process.cwd(), out)}`);
}

if (require.main === module) main();
