/**
 * Clusters of a saved segment model (`<name>-model.json` of `segkit report`, src/profile/model.ts) in both
 * periods of a migration: each period's customers go through the model's own feature transform to the
 * nearest centroid, as `segkit assign` does (the transform and centroids do not depend on the date, so
 * both periods are on one scale), and a cross-tab counts cluster before × cluster after.
 */
import pl from 'nodejs-polars';
import { SegkitError } from '../errors';
import { applyTransform } from '../features/transform';
import type { SegmentModel } from '../profile/model';
import { GONE, NEW, type ClusterMigration } from './options';

/** The model's cluster (0..k−1) of every row of `table`, as assignSegments gives it (nearest centroid, first on ties). */
export function clustersOf(model: SegmentModel, table: pl.DataFrame, which: 'before' | 'after'): Int32Array {
  if (!model || model.format !== 'segkit-segment-model') {
    throw new SegkitError('migrate', 'not_a_model', 'option model is not a segment model', { where: 'option model', hint: 'load one with await loadModel(file) (segkit report writes <name>-model.json)' });
  }
  const missing = model.features.columns.filter((c) => !table.columns.includes(c));
  if (missing.length) {
    throw new SegkitError('migrate', 'missing_column', `the model needs ${missing.join(', ')}, which the ${which} table has not`, {
      where: `${which} table (columns: ${table.columns.join(', ')})`,
      hint: `the model was fitted on ${model.features.columns.join(', ')}: give customer tables with those columns (computeRfm's have them)`,
    });
  }
  const X = applyTransform(model.features.transform, table.select(...model.features.columns.map((c) => pl.col(c).cast(pl.Float64))));
  const centroids = model.kmeans.centroids;
  const out = new Int32Array(X.length);
  for (let i = 0; i < X.length; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < centroids.length; c++) {
      const d = Math.sqrt(centroids[c].reduce((s, cj, j) => s + (X[i][j] - cj) ** 2, 0));
      if (d < bestD) [best, bestD] = [c, d];
    }
    out[i] = best;
  }
  return out;
}

/** Cluster before × cluster after from the per-customer table (cluster_before / cluster_after, null = new / gone). */
export function clusterCrossTab(customers: pl.DataFrame, model: SegmentModel): ClusterMigration {
  const labels = model.clusters.map((c) => c.label ?? `${c.cluster + 1} · ${c.name}`);
  const g = customers.groupBy(['cluster_before', 'cluster_after']).agg(pl.len().alias('n')).toRecords() as Array<Record<string, number | null>>;
  const gone = g.some((r) => r.cluster_after === null);
  const rows = [NEW, ...labels];
  const columns = gone ? [...labels, GONE] : [...labels];
  const counts = rows.map(() => columns.map(() => 0));
  for (const r of g) {
    const i = r.cluster_before === null ? 0 : Number(r.cluster_before) + 1;
    const j = r.cluster_after === null ? labels.length : Number(r.cluster_after);
    counts[i][j] += Number(r.n);
  }
  const stayed = labels.reduce((s, _, k) => s + counts[k + 1][k], 0);
  return { labels, rows, columns, counts, stayed, model: { asOf: model.rfm.asOf, k: model.kmeans.k, createdAt: model.createdAt } };
}
