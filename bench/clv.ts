/**
 * CLV benchmark: fitting BG/NBD to simulated customers, the earlier fitter and the current one side by
 * side in one run, on the same data.
 *
 *   before: customers grouped by string keys, Nelder-Mead on the per-group scalar likelihood, standard
 *           errors from a numerical Hessian (the code before L-BFGS; still `method: 'nelder-mead'`, the
 *           string-key grouping copied here as it was)
 *   after:  fitBgNbd's default: numeric-key grouping, L-BFGS with the analytic gradient over typed arrays,
 *           standard errors from differences of that gradient
 *
 *   npx vite-node bench/clv.ts [-- --n 50000,500000 --reps 3]
 *
 * Customers follow CDNOW's design (joined over 12 weeks, observed to week 39; the published parameters
 * r = 0.243, α = 4.414, a = 0.793, b = 2.426). Writes bench/results/clv-<time>.json and prints a table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fitBgNbd, simulateCustomers, type BgNbdFit, type BgNbdParams } from '../src/clv';
import { historyArrays, type GroupedHistory, type HistoryArrays } from '../src/clv/data';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/** The grouping as it was before (string keys in one Map). */
function groupByStringKeys(input: HistoryArrays): GroupedHistory {
  const h = historyArrays(input);
  const index = new Map<string, number>();
  const [x, tx, T, w]: number[][] = [[], [], [], []];
  for (let i = 0; i < h.x.length; i++) {
    const key = `${h.x[i]}|${h.tx[i]}|${h.T[i]}`;
    const j = index.get(key);
    if (j !== undefined) w[j]++;
    else {
      index.set(key, x.length);
      x.push(h.x[i]);
      tx.push(h.tx[i]);
      T.push(h.T[i]);
      w.push(1);
    }
  }
  return { x: Float64Array.from(x), tx: Float64Array.from(tx), T: Float64Array.from(T), weight: Float64Array.from(w), customers: h.x.length };
}

const truth: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const design = (i: number): number => 39 - (i % 84) / 7;
const sizes = arg('n', '50000,500000').split(',').map(Number);
const reps = Number(arg('reps', '3'));
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const time = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const out = f();
  return [out, (performance.now() - t0) / 1000];
};

interface Row {
  customers: number;
  distinct: number;
  before: { seconds: number; evaluations: number; logLikelihood: number; params: BgNbdParams; converged: boolean };
  after: { seconds: number[]; median: number; evaluations: number; logLikelihood: number; params: BgNbdParams; converged: boolean };
  maxRelativeParamDifference: number;
}
const rows: Row[] = [];
for (const n of sizes) {
  const sim = simulateCustomers(n, truth, design, 20050101 + n);
  process.stderr.write(`${n} customers: before … `);
  const [slow, sSlow] = time(() => fitBgNbd(groupByStringKeys(sim), { method: 'nelder-mead' }));
  process.stderr.write(`${sSlow.toFixed(2)} s; after × ${reps} … `);
  const runs: Array<[BgNbdFit, number]> = [];
  for (let k = 0; k < reps; k++) runs.push(time(() => fitBgNbd(sim)));
  const fast = runs[0][0];
  process.stderr.write(`${runs.map((r) => r[1].toFixed(2)).join(', ')} s\n`);
  const keys = ['r', 'alpha', 'a', 'b'] as const;
  rows.push({
    customers: n,
    distinct: fast.distinct,
    before: { seconds: sSlow, evaluations: slow.report.evaluations, logLikelihood: slow.logLikelihood, params: slow.params, converged: slow.report.converged },
    after: { seconds: runs.map((r) => r[1]), median: median(runs.map((r) => r[1])), evaluations: fast.report.evaluations, logLikelihood: fast.logLikelihood, params: fast.params, converged: fast.report.converged },
    maxRelativeParamDifference: Math.max(...keys.map((k) => Math.abs(fast.params[k] / slow.params[k] - 1))),
  });
}

const f = (v: number, d = 2): string => v.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d });
const lines = [
  `| customers | distinct (x, t_x, T) | before: Nelder-Mead | evaluations | after: L-BFGS (median of ${reps}) | evaluations | speed-up | Δ log-likelihood | max relative Δ parameter |`,
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) =>
    `| ${r.customers.toLocaleString('en-GB')} | ${r.distinct.toLocaleString('en-GB')} | ${f(r.before.seconds)} s | ${r.before.evaluations} | ${f(r.after.median)} s | ${r.after.evaluations} | ${f(r.before.seconds / r.after.median, 1)}× | ${(r.after.logLikelihood - r.before.logLikelihood).toExponential(1)} | ${r.maxRelativeParamDifference.toExponential(1)} |`,
  ),
];
process.stdout.write(lines.join('\n') + '\n');
const out = path.join(__dirname, 'results');
mkdirSync(out, { recursive: true });
const file = path.join(out, `clv-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, load: os.loadavg(), rows }, null, 2));
process.stderr.write(`wrote ${path.relative(process.cwd(), file)}\n`);
