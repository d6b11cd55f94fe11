#!/usr/bin/env node
'use strict';
// Source of notebooks/segmentation.ipynb (run: node scripts/notebooks/segmentation.js).
const { writeNotebook, md, code, params } = require('../notebook');

writeNotebook(`${__dirname}/../../notebooks/segmentation.ipynb`, [
  md(`
# Customer segmentation: the whole analysis

This notebook runs segkit's full pipeline on a transactions file and writes the stakeholder report:

1. **read** the file and **clean** it (each rule counted),
2. compute **RFM** (recency, frequency, monetary), scores and named segments,
3. **choose k** with evidence (elbow, silhouette, Calinski-Harabasz, Davies-Bouldin, gap statistic, stability),
4. **cluster** with k-means and **profile** each segment (name, description, actions),
5. write the **HTML + PDF report** and a per-customer CSV.

Rerun it with other inputs from the command line, papermill-style:

\`\`\`sh
npx segkit run notebooks/segmentation.ipynb -p input ../data/sample_transactions.csv -p k 5 -p name k5
\`\`\`
`),
  params(`
let input = '../data/sample_transactions.csv'; // transactions file: csv, csv.gz, parquet, json, ndjson
let k: number | 'auto' = 'auto'; // number of segments, or 'auto' to take the recommendation
let seed = 42; // seed for k-means, samples and bootstraps: same seed, same report
let asOf: string | null = null; // analysis date YYYY-MM-DD; null = the day after the last transaction
let title = 'Customer segmentation'; // report title
let author = 'segkit'; // shown on the cover and in the PDF metadata
let outDir = '../reports'; // where the report files go
let name = 'segmentation'; // base name of the report files
let formats = ['html', 'pdf', 'csv']; // any of html, pdf, csv, parquet
`),
  code(`
import * as seg from '../dist';
const started = Date.now();
const analysis = await seg.analyze(input, {
  // (explicit \`k: k\`: tslab does not resolve shorthand properties that name an earlier cell's variable)
  k: k,
  seed: seed,
  rfm: { asOf: asOf },
  onProgress: (stage, detail) => console.log(\`\${((Date.now() - started) / 1000).toFixed(1)} s  \${stage}\${detail ? ': ' + detail : ''}\`),
});
`),
  md(`## Data quality
Every rule counts the lines it removed among those still present, so lines read = lines kept + lines removed.`),
  code(`
const q = analysis.cleaned.quality;
console.log(\`read \${q.rowsRead}, kept \${q.rowsKept}, removed \${q.rowsRead - q.rowsKept}\`);
await seg.show(q.rules.map((r) => ({ rule: r.label, removed: r.removed })));
`),
  md(`## RFM segments
Scores 1–5 by rank (ties share a score); named segments from the rule table in \`src/data/segments.json\`.`),
  code(`
await seg.show(analysis.segmentSummary);
const rfmCharts = seg.rfmCharts(analysis.rfm, analysis.segmentSummary, { seed: seed });
await seg.show(rfmCharts.shares);
`),
  md(`## How many segments?
Each index votes for a k; the recommendation says what each one said.`),
  code(`
console.log(analysis.sweep.recommendation.explanation);
await seg.show(seg.kSelectionCharts(analysis.sweep, { chosenK: analysis.k }).summary);
`),
  md(`## The segments`),
  code(`
await seg.show(seg.profilesTable(analysis.profiles));
await seg.show(seg.snakePlot(analysis.profiles));
`),
  md(`## The report`),
  code(`
const files = await seg.buildReport(analysis, {
  outDir: outDir,
  name: name,
  title: title,
  author: author,
  formats: formats as Array<'html' | 'pdf' | 'csv' | 'parquet'>,
  parameters: { input: input, k: k, seed: seed, asOf: asOf },
});
console.log(JSON.stringify({ html: files.html, pdf: files.pdf, csv: files.csv }, null, 2));
`),
]);
