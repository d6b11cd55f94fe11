'use strict';
/**
 * Seeded transactions for the benchmarks (bench/report.js, bench/eda.js): UCI Online Retail column names,
 * every customer present at least once, lines with a product, description and country. The same seed
 * gives the same table (mulberry32 from ../dist, one stream of draws in a fixed order).
 */
const path = require('node:path');

const seg = require(path.resolve(__dirname, '..', 'dist'));

const WORDS = ['RED', 'WHITE', 'BLUE', 'VINTAGE', 'HEART', 'LANTERN', 'MUG', 'BAG', 'CANDLE', 'BOX', 'TIN', 'CARD', 'CLOCK', 'JAR', 'SET OF 6', 'GLASS', 'WOODEN', 'PAPER', 'STAR', 'BIRD'];
const COUNTRIES = ['United Kingdom', 'Germany', 'France', 'EIRE', 'Spain', 'Netherlands', 'Belgium', 'Switzerland', 'Portugal', 'Australia'];

/** Seeded transactions (UCI Online Retail column names) with every customer present at least once. */
function synthesize(rows, customers, seed) {
  const pl = require('nodejs-polars');
  const rand = seg.mulberry32(seed);
  const cust = new Int32Array(rows);
  const inv = new Int32Array(rows);
  const ts = new Float64Array(rows);
  const qty = new Float64Array(rows);
  const price = new Float64Array(rows);
  const prod = new Int32Array(rows);
  const country = new Int32Array(customers);
  for (let c = 0; c < customers; c++) {
    const u = rand();
    country[c] = u < 0.88 ? 0 : 1 + Math.floor(rand() * (COUNTRIES.length - 1));
  }
  const start = Date.UTC(2023, 0, 1);
  const nProducts = 3000;
  let i = 0;
  for (let k = 0; i < rows; k++) {
    // The first `customers` invoices visit every customer once; the rest are skewed towards low ids.
    const c = k < customers ? k : Math.floor(customers * rand() ** 1.5);
    const t = start + Math.floor(rand() * 365 * 86400) * 1000;
    const lines = 1 + Math.floor(rand() * 7);
    for (let l = 0; l < lines && i < rows; l++, i++) {
      cust[i] = c;
      inv[i] = 100000 + k;
      ts[i] = t;
      qty[i] = 1 + Math.floor(rand() * 12);
      prod[i] = Math.floor(nProducts * rand() ** 2);
      price[i] = Math.round(Math.exp(0.5 + 1.2 * (rand() + rand() + rand() - 1.5)) * 100) / 100;
    }
  }
  const names = Array.from({ length: nProducts }, (_, p) => `${WORDS[p % WORDS.length]} ${WORDS[Math.floor(p / WORDS.length) % WORDS.length]} ${p}`);
  return pl
    .DataFrame({
      InvoiceNo: pl.Series('InvoiceNo', inv).cast(pl.Utf8),
      StockCode: pl.Series('StockCode', prod).cast(pl.Utf8),
      Description: pl.Series('Description', Array.from(prod, (p) => names[p]), pl.Utf8),
      Quantity: pl.Series('Quantity', qty),
      InvoiceDate: pl.Series('InvoiceDate', ts).cast(pl.Int64).cast(pl.Datetime('ms')),
      UnitPrice: pl.Series('UnitPrice', price),
      CustomerID: pl.Series('CustomerID', cust).cast(pl.Utf8),
      Country: pl.Series('Country', Array.from(cust, (c) => COUNTRIES[country[c]]), pl.Utf8),
    });
}

module.exports = { synthesize, WORDS, COUNTRIES };
