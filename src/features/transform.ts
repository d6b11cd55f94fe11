/**
 * The feature transform as data: winsorize → log1p → scale. Fitted once on the customer table by
 * `buildFeatures`, then applied unchanged to new customers (`applyTransform`) and undone for centroids
 * (`inverseTransform`), so a centroid can be shown in euros and days.
 */
import type pl from 'nodejs-polars';
import { SegkitError } from '../errors';
import { logDomain } from '../messages';
import type { FeatureTransform } from '../types';

/** Which columns get log1p (per column flags, falling back to the single `log` switch). */
export function loggedColumns(t: FeatureTransform): boolean[] {
  return t.logged ?? t.columns.map(() => t.log);
}

function rowsFrom(t: FeatureTransform, rows: number[][] | pl.DataFrame): number[][] {
  if (Array.isArray(rows)) return rows;
  const missing = t.columns.filter((c) => !rows.columns.includes(c));
  if (missing.length > 0) {
    throw new SegkitError('features', 'missing_column', `the table has no column ${missing.map((m) => `"${m}"`).join(', ')} needed by the feature transform`, {
      where: `columns ${rows.columns.join(', ')}`,
      hint: `the transform was fitted on ${t.columns.join(', ')}; give a table with those columns`,
    });
  }
  const cols = t.columns.map((c) => rows.getColumn(c).toArray() as Array<number | null>);
  return Array.from({ length: rows.height }, (_, i) => cols.map((col) => col[i] as number));
}

/**
 * Apply a fitted transform to raw rows (original units, columns in `transform.columns` order) or to a
 * table holding those columns. New values outside the winsorizing bounds are clipped to them, as in fitting.
 * @throws SegkitError `features/bad_row` (a row of another length than the transform's columns), `features/not_finite`, `features/log_domain`.
 */
export function applyTransform(transform: FeatureTransform, rows: number[][] | pl.DataFrame): number[][] {
  const data = rowsFrom(transform, rows);
  const d = transform.columns.length;
  const logged = loggedColumns(transform);
  const bounds = transform.winsorize?.bounds;
  return data.map((row, i) => {
    if (row.length !== d) {
      throw new SegkitError('features', 'bad_row', `row ${i} has ${row.length} values, expected ${d} (${transform.columns.join(', ')})`, { where: `row ${i}` });
    }
    const out = new Array<number>(d);
    for (let j = 0; j < d; j++) {
      let v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new SegkitError('features', 'not_finite', `column "${transform.columns[j]}" has ${String(v)} at row ${i}`, {
          where: `row ${i}, column ${transform.columns[j]}`,
          hint: 'fill or drop missing and infinite values before building features',
        });
      }
      if (bounds) v = Math.min(Math.max(v, bounds[j][0]), bounds[j][1]);
      if (logged[j]) {
        if (v <= -1) {
          throw logDomain(transform.columns[j], v, i, {
            where: `row ${i}, column ${transform.columns[j]}`,
            hint: 'use { log: false } or leave this column out of the log transform',
          });
        }
        v = Math.log1p(v);
      }
      out[j] = (v - transform.center[j]) / transform.scaleBy[j];
    }
    return out;
  });
}

/** Undo the scaling and log1p of feature-space rows (e.g. centroids) to get original units. Winsorizing cannot be undone. */
export function inverseTransform(transform: FeatureTransform, rows: number[][]): number[][] {
  const logged = loggedColumns(transform);
  return rows.map((row) =>
    row.map((z, j) => {
      const v = z * transform.scaleBy[j] + transform.center[j];
      return logged[j] ? Math.expm1(v) : v;
    }),
  );
}
