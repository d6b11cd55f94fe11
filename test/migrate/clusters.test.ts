/**
 * Migration with a saved segment model (MigrateOptions.model, segkit migrate --model): both dates'
 * customers go to the model's clusters as `segkit assign` puts them, and the cross-tab counts every
 * customer once. The model is made here as `segkit report` makes it (rfm → features → k-means → createModel)
 * on the sample at its last date, saved and loaded back.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import pl from 'nodejs-polars';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanTransactions } from '../../src/clean';
import { register } from '../../src/cli/commands/migrate';
import { fitKMeans } from '../../src/cluster';
import { isSegkitError } from '../../src/errors';
import { buildFeatures } from '../../src/features';
import { readTransactions } from '../../src/io';
import { GONE, NEW, migrate, migrateAsOf, type Migration } from '../../src/migrate';
import { assignSegments, createModel, loadModel, saveModel, type SegmentModel } from '../../src/profile';
import { computeRfm, rfm } from '../../src/rfm';
import type { TransactionTable } from '../../src/types';
import { SAMPLE } from '../helpers/shared';

const D: [string, string] = ['2011-06-30', '2011-12-10'];
let dir: string;
let clean: TransactionTable;
let model: SegmentModel;
let modelFile: string;
let m: Migration;
let trainLabels: Map<string, number>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-migrate-model-'));
  clean = cleanTransactions(await readTransactions(SAMPLE)).clean;
  const run = rfm(clean);
  const features = buildFeatures(run.table);
  const kmeans = fitKMeans(features, { k: 4, seed: 3, nInit: 4 });
  modelFile = path.join(dir, 'segmentation-model.json');
  await saveModel(createModel({ rfm: run, features, kmeans }), modelFile);
  model = await loadModel(modelFile);
  trainLabels = new Map(features.ids.map((id, i) => [id, kmeans.labels[i]]));
  m = migrateAsOf(clean, D, { model });
}, 120_000);

/** assignSegments' cluster of every customer of a table, by id. */
function assigned(table: pl.DataFrame): Map<string, number> {
  const a = assignSegments(model, table.select('customer_id', 'recency_days', 'frequency', 'monetary'));
  return new Map((a.select('customer_id', 'cluster').toRecords() as Array<{ customer_id: string; cluster: number }>).map((r) => [r.customer_id, r.cluster]));
}

describe('migrate with a saved model', () => {
  it("puts each customer in the cluster segkit assign gives, at both dates", () => {
    const before = assigned(computeRfm(clean, { asOf: D[0] }).table);
    const after = assigned(computeRfm(clean, { asOf: D[1] }).table);
    const rows = m.customers.select('customer_id', 'cluster_before', 'cluster_after').toRecords() as Array<{ customer_id: string; cluster_before: number | null; cluster_after: number | null }>;
    expect(rows.length).toBe(after.size);
    for (const r of rows) {
      expect(r.cluster_after).toBe(after.get(r.customer_id));
      expect(r.cluster_before).toBe(before.has(r.customer_id) ? before.get(r.customer_id) : null);
    }
  });

  it('cross-tab: rows (new) then the clusters, every customer once; row and column sums are the clusters at each date', () => {
    const c = m.clusters!;
    expect(c.labels).toEqual(model.clusters.map((x) => x.label));
    expect(c.rows).toEqual([NEW, ...c.labels]);
    expect(c.columns).toEqual(c.labels);
    const after = [...assigned(computeRfm(clean, { asOf: D[1] }).table).values()];
    const before = [...assigned(computeRfm(clean, { asOf: D[0] }).table).values()];
    const colSums = c.columns.map((_, j) => c.counts.reduce((s, row) => s + row[j], 0));
    expect(colSums).toEqual(c.labels.map((_, k) => after.filter((x) => x === k).length));
    const rowSums = c.counts.map((row) => row.reduce((s, x) => s + x, 0));
    expect(rowSums).toEqual([m.totals.new, ...c.labels.map((_, k) => before.filter((x) => x === k).length)]);
    expect(c.stayed).toBe(m.customers.filter(pl.col('cluster_before').eq(pl.col('cluster_after'))).height);
    expect(c.model).toEqual({ asOf: '2011-12-10', k: 4, createdAt: null });
    // at the model's own date (the same customers), the clusters are k-means' own labels
    const rows = m.customers.select('customer_id', 'cluster_after').toRecords() as Array<{ customer_id: string; cluster_after: number }>;
    const agree = rows.filter((r) => trainLabels.get(r.customer_id) === r.cluster_after).length;
    expect(agree / rows.length).toBeGreaterThan(0.99);
  });

  it('two customer tables: customers only in the first go to (gone) in the cross-tab too', () => {
    const r1 = computeRfm(clean, { asOf: D[0] });
    const r2 = computeRfm(clean, { asOf: D[1] });
    const dropped = r2.table.head(r2.table.height - 5);
    const x = migrate({ table: r1.table, asOf: D[0] }, { table: dropped, asOf: D[1] }, { model });
    expect(x.clusters!.columns).toEqual([...x.clusters!.labels, GONE]);
    expect(x.clusters!.counts.flat().reduce((s, v) => s + v, 0)).toBe(x.customers.height);
    const gone = x.clusters!.counts.reduce((s, row) => s + row[row.length - 1], 0);
    expect(gone).toBe(x.totals.gone);
  });

  it('a model that needs a column the tables lack is refused, naming it', () => {
    const r1 = computeRfm(clean, { asOf: D[0] }).table.select('customer_id', 'recency_days', 'frequency', 'monetary');
    const r2 = computeRfm(clean, { asOf: D[1] }).table.select('customer_id', 'recency_days', 'frequency', 'monetary');
    const wide: SegmentModel = { ...model, features: { ...model.features, columns: [...model.features.columns, 'tenure_days'] } };
    expect(() => migrate({ table: r1, asOf: D[0] }, { table: r2, asOf: D[1] }, { model: wide })).toThrow(/tenure_days/);
  });
});

describe('segkit migrate --model', () => {
  afterEach(() => vi.restoreAllMocks());
  it('prints the cluster cross-tab and writes cluster_before / cluster_after with --out', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const csv = path.join(dir, 'movers.csv');
    const program = new Command().exitOverride();
    register(program);
    try {
      await program.parseAsync(['migrate', '-i', SAMPLE, '--as-of', D[0], '--as-of', D[1], '--model', modelFile, '--out', csv], { from: 'user' });
    } catch (e) {
      if (isSegkitError(e)) throw new Error(e.toLine());
      throw e;
    }
    vi.restoreAllMocks();
    expect(out).toContain(`Clusters of the model (k = 4, trained as of 2011-12-10`);
    expect(out).toContain(`${m.clusters!.stayed.toLocaleString('en-GB')} customers in the same cluster at both dates`);
    const written = pl.readCSV(readFileSync(csv), { dtypes: { customer_id: pl.Utf8 } });
    expect(written.columns).toContain('cluster_before');
    expect(written.columns).toContain('cluster_after');
    expect(written.height).toBe(m.customers.height);
  }, 60_000);

  it('a model file that is not a model is refused before any data is read', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const program = new Command().exitOverride();
    register(program);
    const t = performance.now();
    await expect(program.parseAsync(['migrate', '-i', SAMPLE, '--as-of', D[0], '--as-of', D[1], '--model', SAMPLE], { from: 'user' })).rejects.toThrow();
    expect(performance.now() - t).toBeLessThan(3000);
  });
});
