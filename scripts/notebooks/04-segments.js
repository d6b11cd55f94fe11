#!/usr/bin/env node
'use strict';
// Source of notebooks/04-segments.ipynb (run: node scripts/notebooks/04-segments.js).
const { writeNotebook, md, code, params } = require('../notebook');

writeNotebook(`${__dirname}/../../notebooks/04-segments.ipynb`, [
  md(`
# Segments: profiles, names, actions and a saved model

With the number of segments chosen (see the k-selection notebook), this notebook turns the k-means clusters
into segments a business can use:

1. **profiles**: size and share of customers, revenue and its share, orders, average order value, recency,
   frequency and monetary value (median and quartiles), the mix of RFM named segments inside each cluster,
   top countries and products;
2. **names and descriptions**: each cluster is named after the RFM segment that best matches it (unique
   across clusters) and described in plain words against the whole customer base;
3. **recommended actions** per name, from the editable table in \`src/data/actions.json\`;
4. **charts**: sizes and revenue, snake plot, box plots, a PCA map of customers, segment × cluster cross-tab;
5. a **saved model** that scores new customers (\`segkit assign --model …\`), checked by scoring the
   training customers again;
6. a **look-up** of one customer.

Change the parameters below, or run it with \`segkit run notebooks/04-segments.ipynb -p k 5 -r customerId 12347\`.
`),
  params(`
let input = '../data/sample_transactions.csv'; // transactions file (.csv, .csv.gz, .parquet, .json)
let asOf: string | null = null; // analysis date YYYY-MM-DD; null = the day after the last transaction
let k: number | 'auto' = 4; // number of segments, or 'auto' to take the k sweep's recommendation (slower)
let seed = 42; // seed for k-means and the PCA sample: same seed, same segments
let pcaSample = 2000; // customers drawn in the PCA map (a seeded random sample above this)
let actionsFile: string | null = null; // JSON action table merged over the defaults; null = the defaults
let modelOut: string | null = '../reports/segment-model.json'; // where to save the model; null = do not save
let customerId: string | null = null; // customer to look up; null = the biggest spender of the first segment
`),
  code(`
import * as fs from 'fs';
import * as seg from '../dist';

const n = (x: number, d = 0): string => x.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d });
`),
  md(`
## 1. From transactions to clusters

Read and clean the transactions, compute RFM with its scores and named segments, build the features
(log1p and z-scores of recency, frequency and monetary value) and fit k-means with k segments. Clusters are
numbered by mean monetary value, largest first, so the numbering is stable across reruns.
`),
  code(`
// (written { asOf: asOf }, not { asOf }: tslab does not resolve shorthand properties to earlier cells)
const tx = await seg.readTransactions(input);
const { clean, quality } = seg.cleanTransactions(tx);
const rfm = seg.rfm(clean, { asOf: asOf });
const X = seg.buildFeatures(rfm);
const chosenK = k === 'auto' ? seg.sweepK(X, { k: [2, 8], seed: seed }).recommendation.k : k; // the sweep shows a progress line
const fit = seg.fitKMeans(X, { k: chosenK, seed: seed });
seg.show(\`**\${n(quality.rowsKept)}** clean rows, **\${n(rfm.table.height)}** customers as of **\${rfm.asOf}**; k-means with **k = \${chosenK}**\${k === 'auto' ? ' (recommended by the k sweep)' : ''}, seed \${seed}, clusters ordered by \${fit.order}.\`);
`),
  md(`
## 2. Profiles and segment cards

One row per segment, then a card for each: why it has its name, what it looks like, what it buys, and what to
do about it. Revenue is the customers' monetary value; the average order value is revenue / orders. The
description places the segment's medians against the tertiles of all customers (low / moderate / high).
The **snake plot** after the sizes shows each segment's mean of every feature in standardized units
(0 = the average customer).
`),
  code(`
const actions = actionsFile ? seg.parseActionTable(fs.readFileSync(actionsFile, 'utf8'), actionsFile) : null;
const profiles = seg.profileSegments(rfm, fit, { features: X, transactions: clean, actions: actions });
seg.show(profiles); // the table, one card per segment, sizes and revenue, the snake plot
`),
  md(`
## 3. More charts

The **box plots** give the spread of the raw values; the **PCA map** places customers on the two directions
of largest variance, with each segment's centroid; the **cross-tab** shows how RFM named segments fall into
clusters. A segment has the same colour in every chart.
`),
  code(`
seg.show(seg.clusterBoxPlots(profiles));
seg.show(seg.pcaScatter(X, fit, profiles, { sample: pcaSample, seed: seed }));
seg.show(seg.segmentClusterHeatmap(profiles));
`),
  md(`
## 4. Save the model and score customers with it

The model file holds everything needed to score again: the RFM thresholds and rules (with the analysis
date and bins), the feature transform and scaler parameters, the centroids in label order, the names and the
segkit version. Scoring the training customers with the saved model must give their clusters back.
`),
  code(`
const model = seg.createModel({ rfm: rfm, features: X, kmeans: fit, profiles: profiles, createdAt: new Date().toISOString() });
if (modelOut) await seg.saveModel(model, modelOut);
const loaded = modelOut ? await seg.loadModel(modelOut) : model;
const rescored = seg.assignSegments(loaded, rfm.table);
const again = rescored.getColumn('cluster').toArray() as number[];
const same = again.filter((c, i) => c === fit.labels[i]).length;
seg.show(\`\${modelOut ? \`Saved to \\\`\${modelOut}\\\` and loaded again\` : 'Not saved (modelOut is null)'}: **\${n(same)} of \${n(again.length)}** customers get the same segment from the saved model.\`);
if (same !== again.length) throw new Error('the saved model does not reproduce the fit');
`),
  md(`
A new customer is scored from raw recency (days), frequency (orders) and monetary value, as
\`segkit assign --model \${modelOut} --recency 34 --frequency 55 --monetary 66\` does:
`),
  code(`
const newcomer = seg.assignSegments(loaded, { recency: 34, frequency: 55, monetary: 66 });
seg.show(newcomer); // scores, RFM segment, segment, and the distance to every centroid
`),
  md(`
## 5. Look up one customer

RFM values and scores, named segment, segment, first and last purchase, top products, countries and the
purchases month by month. An unknown id is an error that names the closest ids.
`),
  code(`
const withSeg = seg.withClusters(rfm, fit, { features: X }).sort('monetary', true);
const clusterCol = withSeg.getColumn('cluster').toArray() as number[];
const who = customerId ?? String(withSeg.getColumn('customer_id').get(clusterCol.indexOf(0)));
const d = seg.customerDetails(rfm, who, { model: fit, features: X, profiles: profiles, transactions: clean });
seg.show(d); // a card (values, scores, segments, purchases, top products, countries, what to do) and the monthly timeline
`),
]);
