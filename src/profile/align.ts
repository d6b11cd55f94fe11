/**
 * Matching a model's labels to the rows of the customer table: by customer id through the feature
 * matrix when it is given (the model was fitted on its rows), else row by row.
 */
import pl from 'nodejs-polars';
import { SegkitError, warn } from '../errors';
import { labelsMismatch } from '../messages';
import type { FeatureMatrix, KMeansModel, RfmResult } from '../types';

/** The customer table of an RFM result (or the table itself). */
export function tableOf(rfm: RfmResult | pl.DataFrame): pl.DataFrame {
  if (rfm && typeof (rfm as pl.DataFrame).groupBy === 'function') return rfm as pl.DataFrame;
  const t = (rfm as RfmResult)?.table;
  if (!t || typeof t.groupBy !== 'function') {
    throw new SegkitError('profile', 'bad_input', 'expected an RFM result (from rfm / segmentRfm) or its customer table', {
      where: 'argument rfm',
      hint: 'pass the result of seg.rfm(clean) (or its .table)',
    });
  }
  return t;
}

/** Customer ids of the table as strings. */
export function idsOf(table: pl.DataFrame): string[] {
  if (!table.columns.includes('customer_id')) {
    throw new SegkitError('profile', 'missing_column', `the customer table has no customer_id column (columns: ${table.columns.join(', ')})`, {
      where: 'customer table',
      hint: 'pass the table made by rfm / computeRfm',
    });
  }
  return (table.getColumn('customer_id').toArray() as unknown[]).map((v) => (v === null || v === undefined ? '' : String(v)));
}

/** Check that labels are whole numbers 0..k-1. */
function checkLabels(model: Pick<KMeansModel, 'labels' | 'k'>): void {
  if (!model || !Array.isArray(model.labels) || typeof model.k !== 'number') {
    throw new SegkitError('profile', 'bad_input', 'expected a fitted k-means model (from fitKMeans) with labels and k', { where: 'argument model' });
  }
  const bad = model.labels.findIndex((l) => !Number.isInteger(l) || l < 0 || l >= model.k);
  if (bad >= 0) {
    throw new SegkitError('profile', 'bad_input', `label ${String(model.labels[bad])} at row ${bad} is not a cluster 0..${model.k - 1}`, { where: `model.labels, row ${bad}` });
  }
}

/**
 * The cluster of every row of the customer table. With `features`, labels follow `features.ids`
 * (customers of the table missing from it are an error); without, the table's rows are the model's rows.
 */
export function clustersOfRows(table: pl.DataFrame, model: Pick<KMeansModel, 'labels' | 'k'>, features?: FeatureMatrix | null): Int32Array {
  checkLabels(model);
  const ids = idsOf(table);
  if (!features) {
    if (model.labels.length !== table.height) {
      throw labelsMismatch('profile', model.labels.length, 'customer table', table.height, {
        where: 'arguments rfm and model',
        hint: 'pass { features } (the matrix the model was fitted on) so customers are matched by id, or fit the model on features built from this table',
      });
    }
    return Int32Array.from(model.labels);
  }
  if (features.ids.length !== model.labels.length) {
    throw labelsMismatch('profile', model.labels.length, 'feature matrix', features.ids.length, {
      where: 'options.features',
      hint: 'pass the feature matrix the model was fitted on',
    });
  }
  const byId = new Map<string, number>();
  features.ids.forEach((id, i) => byId.set(id, model.labels[i]));
  const out = new Int32Array(ids.length);
  const missing: string[] = [];
  ids.forEach((id, i) => {
    const l = byId.get(id);
    if (l === undefined) missing.push(id);
    else out[i] = l;
  });
  if (missing.length) {
    throw new SegkitError('profile', 'customers_not_clustered', `${missing.length} of ${ids.length} customers of the table are not in the feature matrix, so they have no cluster (e.g. ${missing.slice(0, 5).map((m) => `"${m}"`).join(', ')})`, {
      where: 'options.features',
      hint: 'build the features from the same RFM table (buildFeatures(rfm)) and fit the model on them',
    });
  }
  if (byId.size > ids.length) {
    warn('profile', 'extra_customers', `the feature matrix has ${byId.size - ids.length} customers that are not in the customer table; they are left out of the profiles`);
  }
  return out;
}

/**
 * The customer table with `cluster` (Int32, the model's label) and, given names, `cluster_name` columns.
 * @throws SegkitError `profile/bad_input`, `profile/missing_column`, `profile/size_mismatch`, `profile/customers_not_clustered` (customers and model do not match).
 */
export function withClusters(
  rfm: RfmResult | pl.DataFrame,
  model: Pick<KMeansModel, 'labels' | 'k'>,
  options: { features?: FeatureMatrix | null; names?: string[] } = {},
): pl.DataFrame {
  const table = tableOf(rfm);
  const labels = clustersOfRows(table, model, options.features);
  const cluster = pl.Series('cluster', labels, pl.Int32);
  if (!options.names) return table.withColumns(cluster);
  return table.withColumns(cluster, pl.Series('cluster_name', Array.from(labels, (l) => options.names![l] ?? `Cluster ${l + 1}`), pl.Utf8));
}
