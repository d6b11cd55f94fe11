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
5. write the **HTML + PDF report**, a per-customer CSV and the segment model (for \`segkit assign\`).

Rerun it with other inputs from the command line, papermill-style:

\`\`\`sh
npx segkit run notebooks/segmentation.ipynb -p input ../data/sample_transactions.csv -p k 5 -p name k5
npx segkit run notebooks/segmentation.ipynb -p source 'postgres://analyst@db:5432/shop?table=order_lines'
\`\`\`
`),
  params(`
let input = '../data/sample_transactions.csv'; // transactions file: csv, csv.gz, parquet, json, ndjson
let source: string | null = null; // a database table instead: postgres://user@host:5432/db?table=tx or clickhouse://host:8123/db?table=tx (password from PGPASSWORD / CLICKHOUSE_PASSWORD)
let k: number | 'auto' = 'auto'; // number of segments, or 'auto' to take the recommendation
let seed = 42; // seed for k-means, samples and bootstraps: same seed, same report
let asOf: string | null = null; // analysis date YYYY-MM-DD; null = the day after the last transaction
let title = 'Customer segmentation'; // report title
let author = 'segkit'; // shown on the cover and in the PDF metadata
let outDir = '../reports'; // where the report files go
let name = 'segmentation'; // base name of the report files
let formats = ['html', 'pdf', 'csv', 'model']; // any of html, pdf, csv, parquet, model (model: <name>-model.json for segkit assign)
`),
  code(`
import * as seg from '../dist';
// A progress line shows while it runs (progress: false turns it off).
const analysis = await seg.analyze(source ?? input, {
  // (explicit \`k: k\`: tslab does not resolve shorthand properties that name an earlier cell's variable)
  k: k,
  seed: seed,
  rfm: { asOf: asOf },
});
seg.show(analysis); // where the data came from, what was kept, k and why, the segment tables
`),
  md(`## Data quality
Every rule counts the lines it removed among those still present, so lines read = lines kept + lines removed.`),
  code(`
seg.show(analysis.cleaned.quality);
`),
  md(`## RFM segments
Scores 1–5 by rank (ties share a score); named segments from the rule table in \`src/data/segments.json\`.`),
  code(`
const rfmCharts = seg.rfmCharts(analysis.rfm, analysis.segmentSummary, { seed: seed });
seg.show(rfmCharts.shares);
`),
  md(`## How many segments?
Each index votes for a k; the recommendation says what each one said.`),
  code(`
seg.show(analysis.sweep); // every index by k, the recommendation in words, the evidence charts
`),
  md(`## The segments`),
  code(`
seg.show(analysis.profiles); // one card per segment: size, revenue, what it buys, what to do
`),
  md(`## The report`),
  code(`
const files = await seg.buildReport(analysis, {
  outDir: outDir,
  name: name,
  title: title,
  author: author,
  formats: formats as Array<'html' | 'pdf' | 'csv' | 'parquet' | 'model'>,
  parameters: { input: input, k: k, seed: seed, asOf: asOf },
});
seg.show(Object.entries({ html: files.html, pdf: files.pdf, csv: files.csv, model: files.model }).filter(([, f]) => f).map(([format, file]) => ({ format: format, file: file })));
`),
]);
