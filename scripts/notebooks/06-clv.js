#!/usr/bin/env node
'use strict';
// Source of notebooks/06-clv.ipynb (run: node scripts/notebooks/06-clv.js).
const { writeNotebook, md, code, params } = require('../notebook');

writeNotebook(`${__dirname}/../../notebooks/06-clv.ipynb`, [
  md(`
# Customer lifetime value: who will be worth what

RFM says who *was* valuable; this notebook forecasts who *will be*. It fits the two standard models of
non-contractual customers, best known from Python's \`lifetimes\`:

- **BG/NBD** (Fader, Hardie & Lee 2005) for repeat purchases: while "alive" a customer buys at their own
  rate, and after each purchase may drop out for good. It gives each customer's probability of still being
  alive and their expected purchases in the months ahead.
- **Gamma-Gamma** (Fader & Hardie 2013) for the spend per purchase, shrinking each customer's average
  towards the population's (more so when they bought only a few times).

Their product, discounted month by month, is the **expected value of the next \`horizon\` months**. Before
trusting it, the notebook **checks the model on a holdout**: it fits on the days before \`holdoutFrom\` and
compares its forecast with what customers actually did after, against the naive forecast "the same
repeat rate as before".

Change the parameters below, or run it with \`segkit run notebooks/06-clv.ipynb -p occasions invoice -p horizon 6\`.
`),
  params(`
let input = '../data/sample_transactions.csv'; // transactions file (.csv, .csv.gz, .parquet, .json)
let asOf: string | null = null; // last day observed YYYY-MM-DD; null = the last transaction day
let holdoutFrom: string | null = 'auto'; // first day of the holdout that checks the model (YYYY-MM-DD), 'auto' = the last quarter of the days, null = no check
let occasions: 'day' | 'invoice' = 'day'; // one purchase occasion per customer and day (same-day orders are one) or per invoice
let horizon = 12; // months of future value
let discount = 0.01; // monthly discount rate (0.01 = 1 % a month)
let penalty = 0; // L2 penalty on the model parameters (e.g. 0.001 when a parameter runs to the edge)
let output: string | null = '../reports/clv_customers.csv'; // where to export the per-customer values (.csv or .parquet); null = no export
`),
  code(`
import * as seg from '../dist';

const n = (x: number, d = 0): string => x.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d });
`),
  md(`
## 1. Read and clean the transactions

The usual cleaning, each rule counting the rows it removed. Returns and cancellations are left out of the
purchases the models see.
`),
  code(`
const tx = await seg.readTransactions(input);
const { clean, quality } = seg.cleanTransactions(tx);
seg.show(quality);
`),
  md(`
## 2. Fit, check on the holdout, forecast

\`analyzeClv\` does it all: per customer the number of repeat purchase occasions (*frequency*), the time
from the first to the last (*recency*), the time since the first (*T*) and the mean value of the repeat
purchases (*monetary*); then the two fits before the holdout (the check) and again on every day (the
forecast). What cannot be fitted is said in words, never as NaN.
`),
  code(`
// segmentsAt: the RFM segment of every customer on a given day, to compare the holdout per segment
const clv = seg.analyzeClv(clean, {
  asOf: asOf,
  holdoutFrom: holdoutFrom,
  occasions: occasions,
  horizon: horizon,
  discount: discount,
  penalty: penalty,
  segmentsAt: (day: string) => seg.rfm(clean, { asOf: day }).table,
});
if (clv.status !== 'ok') seg.show(\`**No forecast**: \${clv.reason}.\`);
else seg.show(\`**\${n(clv.summary!.counts.customers)}** customers to \${clv.summary!.calibrationEnd}, **\${n(clv.summary!.counts.repeatCustomers)}** of them with repeat purchases. \${clv.holdout ? \`Checked on a holdout from **\${clv.options.holdoutFrom}**.\` : clv.holdoutReason}\`);
seg.show(clv.summary?.table ?? 'no table', { maxRows: 8 });
`),
  md(`
The fitted parameters, with standard errors from the curvature of the likelihood. In BG/NBD, *r* and *α*
shape the purchase rates (mean rate r/α a day) and *a*, *b* the drop-out probabilities (mean a/(a+b) per
purchase); in Gamma-Gamma, *p*, *q* and *γ* the spend. A parameter near 0 or very large means the data show
no sign of it (e.g. no drop-out within the period); the fit warns about it.
`),
  code(`
const rows: Array<Record<string, unknown>> = [];
for (const [model, fit] of [['BG/NBD', clv.bgnbd], ['Gamma-Gamma', clv.gammaGamma]] as const) {
  if (!fit) continue;
  const se = fit.standardErrors as unknown as Record<string, number>;
  for (const [k, v] of Object.entries(fit.params)) rows.push({ model: model, parameter: k, estimate: v, std_error: se[k], converged: fit.report.converged });
}
seg.show(rows.length ? rows : 'no fit');
`),
  md(`
## 3. Does the model predict the holdout?

For each number of repeat purchases before the holdout: how many purchases customers made in it on
average, what BG/NBD forecast, and the naive "same repeat rate as before" (x / T × the holdout's length).
The mean absolute error per customer compares the two forecasts; the model earns its place by beating
the naive one, above all for customers with few purchases (the naive forecast says 0 for them).
`),
  code(`
const h = clv.holdout;
if (h) {
  const v = h.validation;
  const t = v.totals;
  seg.show(\`Holdout \${h.summary.holdout!.from} .. \${h.summary.holdout!.to}: **\${n(t.actual)}** purchases, BG/NBD forecast **\${n(t.predicted)}** (\${n(100 * t.relativeError, 1)} %), naive \${n(t.naive)}. Mean absolute error per customer: **\${n(v.mae.model, 3)}** for the model, \${n(v.mae.naive, 3)} for the naive forecast.\`);
  seg.show(v.byFrequency);
  seg.show(seg.clvCalibrationChart(v));
} else {
  seg.show(clv.holdoutReason ?? 'No holdout check.');
}
`),
  md(`
Per RFM segment as it was the day before the holdout: actual holdout revenue against the model's forecast
(BG/NBD purchases × Gamma-Gamma spend, both fitted before the holdout).
`),
  code(`
if (h?.bySegment && h.bySegment.columns.includes('predicted_revenue')) {
  seg.show(h.bySegment);
  seg.show(seg.clvSegmentRevenueChart(h.bySegment));
} else {
  seg.show('No revenue check per segment.');
}
`),
  md(`
## 4. The forecast: expected value of the next months

Per customer: the probability of being alive (*p_alive*), expected purchases over the horizon, expected
spend per purchase and the discounted value (*clv*). Then the value summed per RFM segment (today's).
`),
  code(`
if (clv.values) {
  const values = clv.values.sort('clv', true);
  seg.show(values, { maxRows: 10 });
  const byRfm = seg.valueByGroup(values, seg.rfm(clean, { asOf: asOf }).table, 'segment');
  seg.show(\`Expected value of the next \${horizon} months, discounted \${n(100 * discount, 2)} % a month: **\${n(Number(values.getColumn('clv').sum()))}** in all.\`);
  seg.show(byRfm);
  seg.show(seg.clvValueChart(byRfm, horizon));
}
`),
  md(`
## 5. Export

One row per customer: the history (frequency, recency, T, monetary, first purchase) and the forecast
(p_alive, expected_purchases, expected_spend, clv). Money is rounded to the currency's minor unit.
`),
  code(`
if (output && clv.values) {
  await seg.writeTable(clv.values, output);
  seg.show(\`Wrote \${n(clv.values.height)} customers to \\\`\${output}\\\`.\`);
} else {
  seg.show(output ? 'Nothing to export (no forecast).' : 'No export (output is null).');
}
`),
]);
