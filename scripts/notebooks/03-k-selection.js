#!/usr/bin/env node
'use strict';
// Source of notebooks/03-k-selection.ipynb (run: node scripts/notebooks/03-k-selection.js).
const { writeNotebook, md, code, params } = require('../notebook');

writeNotebook(`${__dirname}/../../notebooks/03-k-selection.ipynb`, [
  md(`
# How many segments? Choosing k with evidence

From the cleaned transactions to customer features (log1p, then z-scores of recency, frequency and
monetary), then a sweep of k-means over a range of k. Every index votes: the elbow of the inertia curve
(kneedle), the mean silhouette, Calinski-Harabasz, Davies-Bouldin, the gap statistic (with its
standard-error rule, as R's \`cluster::clusGap\`) and the stability of the clusters under bootstrap
resampling (adjusted Rand index). The recommendation says which k and why.

Rerun it: \`npx segkit run notebooks/03-k-selection.ipynb -p kMax 8 -p seed 7\`.
`),
  params(`
let input = '../data/sample_transactions.csv'; // transactions file (.csv, .csv.gz, .parquet, .json)
let kMin = 2; // smallest k of the sweep
let kMax = 10; // largest k of the sweep
let seed = 42; // seed for k-means, samples and bootstraps
let nInit = 10; // k-means restarts per k (the lowest inertia is kept)
let gapB = 20; // reference data sets of the gap statistic (segkit's default is 50)
let stabilityB = 10; // bootstrap resamples per k for stability (segkit's default is 20)
`),
  code(`
import * as seg from '../dist';
const tx = await seg.readTransactions(input);
const cleaned = seg.cleanTransactions(tx);
const rfm = seg.rfm(cleaned.clean);
const X = seg.buildFeatures(rfm.table);
console.log(\`\${X.X.length} customers, features: \${X.columns.join(', ')}\`);
`),
  md(`## The sweep
Progress is printed as it goes; the gap statistic and the bootstrap are the slow parts.`),
  code(`
let last = 0;
const sweep = seg.sweepK(X, {
  k: [kMin, kMax],
  seed: seed,
  nInit: nInit,
  gap: { B: gapB },
  stability: { B: stabilityB },
  onProgress: (done, total, label) => {
    if (done === total || done - last >= Math.ceil(total / 10)) {
      last = done;
      console.log(\`\${done}/\${total} \${label ?? ''}\`);
    }
  },
});
await seg.show(sweep.perK.map((r) => ({ k: r.k, inertia: r.inertia, silhouette: r.silhouette, calinskiHarabasz: r.calinskiHarabasz, daviesBouldin: r.daviesBouldin, gap: r.gap, gapSE: r.gapSE, stability: r.stability })));
`),
  md(`## The recommendation`),
  code(`
console.log(sweep.recommendation.explanation);
const charts = seg.kSelectionCharts(sweep);
await seg.show(charts.summary);
`),
  md(`## Each index on its own`),
  code(`
for (const name of ['elbow', 'silhouette', 'calinskiHarabasz', 'daviesBouldin', 'gap', 'stability']) {
  if (charts[name]) await seg.show(charts[name]);
}
`),
  md(`## Silhouette per customer and a Ward dendrogram
Per-point silhouettes of the recommended k (a bar per customer, sorted within each cluster), and a
Ward dendrogram of a seeded sample of customers as extra evidence.`),
  code(`
if (charts.silhouettePlot) await seg.show(charts.silhouettePlot);
if (charts.dendrogram) await seg.show(charts.dendrogram);
`),
]);
