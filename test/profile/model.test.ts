/**
 * Saved models: save → load → assign gives the fit's labels; one customer is scored by hand; model
 * files of another format or with missing fields are refused clearly.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { fitKMeans } from '../../src/cluster';
import { buildFeatures, type FeatureOptions } from '../../src/features';
import { MODEL_FORMAT_VERSION, assignSegments, createModel, loadModel, parseModel, profileSegments, saveModel, scoreValue, type SegmentModel } from '../../src/profile';
import { rfm, type RfmOptions } from '../../src/rfm';
import { mulberry32, normal } from '../../src/random';
import type { SegkitWarning } from '../../src/errors';
import { VERSION } from '../../src/version';
import { errorOf, fixtureRfm, quiet, rejection } from './helpers';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'segkit-model-'));

/** Fit the whole chain on a customer table and return the pieces plus the saved-and-loaded model. */
async function roundTrip(r: ReturnType<typeof rfm>, k: number, features: FeatureOptions = {}, name = 'model.json') {
  const X = quiet(() => buildFeatures(r, features));
  const fit = quiet(() => fitKMeans(X, { k, seed: 7, nInit: 4 }));
  const profiles = profileSegments(r, fit, { features: X });
  const model = createModel({ rfm: r, features: X, kmeans: fit, profiles, createdAt: '2025-01-01T00:00:00Z' });
  const file = path.join(tmp, name);
  await saveModel(model, file);
  const loaded = await loadModel(file);
  return { X, fit, profiles, model, loaded, file };
}

let fixtureFit: ReturnType<typeof roundTrip> | undefined;
/** The five-group fixture's round trip, done once for the tests that only read it. */
const fixture = (): ReturnType<typeof roundTrip> => (fixtureFit ??= roundTrip(fixtureRfm(), 5, {}, 'fixture.json'));

/** 600 customers from three overlapping lognormal groups (so some customers sit near cluster borders). */
function noisyCustomers(seed = 3): pl.DataFrame {
  const rand = mulberry32(seed);
  const rows = Array.from({ length: 600 }, (_, i) => {
    const g = i % 3;
    const recency = Math.max(0, Math.round(Math.exp([2, 4, 5.3][g] + 0.8 * normal(rand))));
    const frequency = Math.max(1, Math.round(Math.exp([2.5, 1.2, 0.3][g] + 0.7 * normal(rand))));
    const monetary = Math.round(100 * Math.exp([8, 6.5, 5][g] + 0.9 * normal(rand))) / 100;
    return { customer_id: `c${String(i).padStart(4, '0')}`, recency_days: recency, frequency, monetary };
  });
  return pl.DataFrame(rows);
}

describe('save → load → assign', () => {
  it('gives the same labels, scores and segments as the fit (five-group fixture)', async () => {
    const r = fixtureRfm();
    const { fit, X, loaded } = await roundTrip(r, 5);
    const scored = assignSegments(loaded, r.table);
    const byId = new Map(X.ids.map((id, i) => [id, fit.labels[i]]));
    const ids = scored.getColumn('customer_id').toArray() as string[];
    expect(scored.getColumn('cluster').toArray()).toEqual(ids.map((id) => byId.get(id)));
    for (const c of ['r_score', 'f_score', 'm_score', 'rfm_code', 'segment']) expect(scored.getColumn(c).toArray()).toEqual(r.table.getColumn(c).toArray());
    expect(new Set(scored.getColumn('cluster_name').toArray())).toEqual(new Set(['Champions', "Can't Lose Them", 'Loyal Customers', 'Need Attention', 'New Customers']));
  });

  for (const [label, opts, feats] of [
    ['rank scores, log + z-score', { bins: 5 }, {}],
    ['quantile scores, winsorized, robust scaling', { bins: 4, method: 'quantile' }, { winsorize: [0.02, 0.98], scale: 'robust' }],
    ['rank scores, recency and monetary logged, min-max', { bins: 3 }, { log: ['recency_days', 'monetary'], scale: 'minmax' }],
  ] as Array<[string, RfmOptions, FeatureOptions]>) {
    it(`gives the same labels and scores on 600 noisy customers (${label})`, async () => {
      const r = quiet(() => rfm(noisyCustomers(), { ...opts, asOf: '2024-06-30' }));
      const { fit, loaded } = await roundTrip(r, 4, feats, `noisy-${opts.bins}.json`);
      const scored = assignSegments(loaded, r.table);
      expect(scored.getColumn('cluster').toArray()).toEqual(fit.labels);
      for (const c of ['r_score', 'f_score', 'm_score', 'segment']) expect(scored.getColumn(c).toArray()).toEqual(r.table.getColumn(c).toArray());
      // The distance to the own centroid is the smallest, and the one reported.
      const d = (scored.getColumn('distance').toArray() as number[])[0];
      const all = [0, 1, 2, 3].map((c) => (scored.getColumn(`distance_${c}`).toArray() as number[])[0]);
      expect(d).toBe(Math.min(...all));
    });
  }

  it('holds everything needed to score again, written atomically', async () => {
    const { model, file, loaded, fit } = await fixture();
    expect(model).toMatchObject({ format: 'segkit-segment-model', formatVersion: MODEL_FORMAT_VERSION, segkitVersion: VERSION, createdAt: '2025-01-01T00:00:00Z' });
    expect(model.features.columns).toEqual(['recency_days', 'frequency', 'monetary']);
    expect(model.features.transform).toMatchObject({ log: true, scale: 'zscore' });
    expect(model.kmeans.centroids).toEqual(fit.centroids);
    expect(model.kmeans.order).toBe('mean monetary, descending');
    expect(model.clusters.map((c) => c.name)).toEqual(['Champions', "Can't Lose Them", 'Loyal Customers', 'Need Attention', 'New Customers']);
    expect(model.rfm).toMatchObject({ asOf: '2024-12-31', bins: 5, method: 'rank' });
    expect(model.rfm.rules.rules).toHaveLength(11);
    expect(model.training).toEqual({ customers: 30, asOf: '2024-12-31', source: null });
    expect(loaded).toEqual(model);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(model);
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('one customer', () => {
  it('is scored with the training thresholds and the model transform (worked by hand)', async () => {
    const { loaded } = await fixture();
    const a = assignSegments(loaded, { recency: 2, frequency: 30, monetary: 7000 });
    // Recency 2 lies in score 5's training range (1..6); 30 orders in F 5 (25..35); 7000 in M 5.
    expect([a.r_score, a.f_score, a.m_score, a.rfm_code, a.segment]).toEqual([5, 5, 5, '555', 'Champions']);
    expect([a.cluster, a.name, a.label]).toEqual([0, 'Champions', '1 · Champions']);
    // Distances by hand: z = (log1p(v) − center) / scale, then Euclid to each centroid.
    const t = loaded.features.transform;
    const z = [2, 30, 7000].map((v, j) => (Math.log1p(v) - t.center[j]) / t.scaleBy[j]);
    const want = loaded.kmeans.centroids.map((c) => Math.hypot(...c.map((cj, j) => z[j] - cj)));
    a.distances.forEach((d, c) => expect(d).toBeCloseTo(want[c], 12));
    expect(a.distance).toBe(Math.min(...a.distances));
    expect(a.customer_id).toBeNull();
  });

  it('accepts recency_days, an id and a list; scores the seed example (34, 55, 66)', async () => {
    const { loaded } = await fixture();
    const [x, y] = assignSegments(loaded, [
      { customer_id: 7, recency_days: 34, frequency: 55, monetary: 66 },
      { recency: 400, frequency: 1, monetary: 10 },
    ]);
    // 34 days: between the training ranges of R 4 (20..25) and R 3 (60..65) → the lower, 3.
    // 55 orders: above every training value → F 5; 66 spend: between M 1 (..45) and M 2 (100..) → 1.
    expect([x.customer_id, x.r_score, x.f_score, x.m_score, x.segment]).toEqual(['7', 3, 5, 1, 'Potential Loyalist']);
    // Older than anyone in training → R 1; one order → F 1; 10 → M 1: Lost.
    expect([y.r_score, y.f_score, y.m_score, y.segment]).toEqual([1, 1, 1, 'Lost']);
  });

  it('asks for every feature the model uses beyond R, F, M', async () => {
    const r = fixtureRfm();
    const { loaded, fit } = await roundTrip(r, 5, { columns: ['recency_days', 'frequency', 'monetary', 'tenure_days'] }, 'tenure.json');
    const e = errorOf(() => assignSegments(loaded, { recency: 3, frequency: 29, monetary: 7000 }));
    expect(e.message).toBe('the customers have no tenure_days (the model needs recency_days, frequency, monetary, tenure_days)');
    expect(assignSegments(loaded, { recency: 3, frequency: 29, monetary: 7000, tenure_days: 87 }).cluster).toBe(fit.labels[2]);
    expect(assignSegments(loaded, r.table).getColumn('cluster').toArray()).toEqual(fit.labels);
  });

  it('refuses missing and impossible values, naming the customer and field', async () => {
    const { loaded } = await fixture();
    const e = errorOf(() => assignSegments(loaded, { recency: 3, frequency: 2 } as never));
    expect(e.code).toBe('missing_column');
    expect(e.message).toMatch(/no monetary/);
    expect(errorOf(() => assignSegments(loaded, { recency: -1, frequency: 2, monetary: 5 })).message).toMatch(/recency_days cannot be negative/);
    const e2 = errorOf(() => assignSegments(loaded, [{ customer_id: 'x9', recency: 1, frequency: 2, monetary: Number.NaN }]));
    expect(e2.message).toMatch(/monetary must be a finite number/);
    expect(e2.where).toMatch(/customer 1 \("x9"\), monetary/);
    const df = pl.DataFrame({ id: ['a'], recency: [1], freq: [2], monetary: [3] });
    const e3 = errorOf(() => assignSegments(loaded, df));
    expect(e3.message).toMatch(/no frequency/);
    expect(e3.hint).toMatch(/closest fields: freq/);
    const notModel = errorOf(() => assignSegments({} as SegmentModel, { recency: 1, frequency: 1, monetary: 1 }));
    expect(notModel.code).toBe('not_a_model');
    // the hint spells every property out: tslab leaves shorthand properties naming another cell's variable undefined
    expect(notModel.hint).toContain('createModel({ rfm: rfm, features: features, kmeans: kmeans })');
  });
});

describe('scoreValue', () => {
  it('reproduces rank scores from the training ranges', () => {
    // Frequencies 10, 20, 20, 30, 40 with 5 bins: below = 0, 1, 1, 3, 4 → scores 1, 2, 2, 4, 5 (3 empty).
    const th = {
      dimension: 'frequency' as const,
      method: 'rank' as const,
      bins: 5,
      ranges: [
        { score: 1, min: 10, max: 10, customers: 1 },
        { score: 2, min: 20, max: 20, customers: 2 },
        { score: 3, min: null, max: null, customers: 0 },
        { score: 4, min: 30, max: 30, customers: 1 },
        { score: 5, min: 40, max: 40, customers: 1 },
      ],
    };
    expect([10, 20, 30, 40].map((v) => scoreValue(th, v))).toEqual([1, 2, 4, 5]);
    expect([5, 25, 35, 100].map((v) => scoreValue(th, v))).toEqual([1, 2, 4, 5]);
    // Recency is reversed: score 5 = fewest days.
    const rec = { ...th, dimension: 'recency' as const, ranges: [{ score: 1, min: 300, max: 400, customers: 1 }, { score: 2, min: 100, max: 200, customers: 1 }, { score: 3, min: 10, max: 50, customers: 1 }, { score: 4, min: null, max: null, customers: 0 }, { score: 5, min: 0, max: 5, customers: 1 }] };
    expect([0, 5, 6, 50, 75, 150, 250, 350, 999].map((v) => scoreValue(rec, v))).toEqual([5, 5, 3, 3, 2, 2, 1, 1, 1]);
  });

  it('applies cut points for quantile and breaks (recency reversed)', () => {
    const th = { dimension: 'monetary' as const, method: 'breaks' as const, bins: 3, cuts: [100, 500], ranges: [] };
    expect([0, 99.99, 100, 499, 500, 9999].map((v) => scoreValue(th, v))).toEqual([1, 1, 2, 2, 3, 3]);
    const rec = { ...th, dimension: 'recency' as const, cuts: [30, 90] };
    expect([0, 29, 30, 89, 90, 400].map((v) => scoreValue(rec, v))).toEqual([3, 3, 2, 2, 1, 1]);
  });
});

describe('model files', () => {
  async function saved(): Promise<{ model: SegmentModel; json: Record<string, unknown> }> {
    const { model } = await fixture();
    return { model, json: JSON.parse(JSON.stringify(model)) as Record<string, unknown> };
  }
  const write = (name: string, content: unknown): string => {
    const f = path.join(tmp, name);
    writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
    return f;
  };

  it('refuses a missing file, non-JSON and a file that is not a model', async () => {
    expect((await rejection(loadModel(path.join(tmp, 'nope.json')))).code).toBe('model_not_found');
    const e = await rejection(loadModel(write('cut.json', '{"format": "segkit-segment-mo')));
    expect(e.code).toBe('model_not_json');
    expect(e.where).toMatch(/cut\.json$/);
    const e2 = await rejection(loadModel(write('other.json', { hello: 1 })));
    expect(e2.code).toBe('not_a_model');
    expect(e2.message).toMatch(/"format" is missing/);
  });

  it('refuses another format version, with a hint that depends on the direction', async () => {
    const { json } = await saved();
    const newer = await rejection(loadModel(write('newer.json', { ...json, formatVersion: MODEL_FORMAT_VERSION + 1, segkitVersion: '9.0.0' })));
    expect(newer.code).toBe('model_version');
    expect(newer.message).toBe(`the model file has format ${MODEL_FORMAT_VERSION + 1} (written by segkit 9.0.0); this segkit (${VERSION}) reads format ${MODEL_FORMAT_VERSION} only`);
    expect(newer.hint).toMatch(/upgrade segkit to 9\.0\.0/);
    const older = await rejection(loadModel(write('older.json', { ...json, formatVersion: 0 })));
    expect(older.hint).toMatch(/fit the model again/);
    expect((await rejection(loadModel(write('nov.json', { ...json, formatVersion: '1' })))).message).toMatch(/no whole-number "formatVersion"/);
  });

  it('lists every missing or invalid field at once', async () => {
    const { json } = await saved();
    const broken = structuredClone(json) as { kmeans: Record<string, unknown>; rfm: Record<string, unknown> };
    delete broken.kmeans.centroids;
    delete broken.rfm.thresholds;
    broken.rfm.bins = 42;
    const e = await rejection(loadModel(write('broken.json', broken)));
    expect(e.code).toBe('model_invalid');
    expect(e.message).toMatch(/rfm\.bins \(not a whole number 2\.\.10\)/);
    expect(e.message).toMatch(/rfm\.thresholds \(missing\)/);
    expect(e.message).toMatch(/kmeans\.centroids \(missing\)/);
  });

  it('checks that the pieces fit together', async () => {
    const { json } = await saved();
    const m = structuredClone(json) as { kmeans: { centroids: number[][] }; clusters: unknown[] };
    m.kmeans.centroids = m.kmeans.centroids.map((c) => c.slice(0, 2));
    m.clusters = m.clusters.slice(1);
    const e = errorOf(() => parseModel(m, 'm.json'));
    expect(e.message).toMatch(/kmeans\.centroids must be k = 5 rows of 3 values/);
    expect(e.message).toMatch(/clusters has 4 entries for k = 5/);
  });

  it('reads a model of the same format from another segkit version, with a warning', async () => {
    const { json, model } = await saved();
    const warnings: SegkitWarning[] = [];
    const m = quiet(() => parseModel({ ...json, segkitVersion: '0.0.1' }), warnings);
    expect(m.kmeans).toEqual(model.kmeans);
    expect(warnings.map((w) => w.code)).toEqual(['other_version']);
  });

  it('records where the training data came from: a file by path and sha256, a database table by its label only', async () => {
    const { model } = await saved();
    const r = fixtureRfm();
    const X = quiet(() => buildFeatures(r));
    const kmeans = quiet(() => fitKMeans(X, { k: 5, seed: 7, nInit: 2 }));
    const sha = 'ab'.repeat(32);
    const file = { kind: 'file' as const, label: 'data/tx.csv', mapping: {}, orders: 'invoice' as const, columns: [], rowsRead: 40182, file: { path: 'data/tx.csv', format: 'csv' as const, compressed: false, rowsRead: 40182, columns: [], sha256: sha } };
    expect(createModel({ rfm: r, features: X, kmeans, source: file }).training).toEqual({ customers: 30, asOf: '2024-12-31', source: { kind: 'file', label: 'data/tx.csv', sha256: sha, rows: 40182 } });
    const db = { kind: 'postgres' as const, label: 'postgres://analyst@db:5432/shop?table=tx', table: 'tx', mapping: {}, orders: 'invoice' as const, columns: [], rowsRead: 10 };
    const m = createModel({ rfm: r, features: X, kmeans, source: db });
    expect(m.training.source).toEqual({ kind: 'postgres', label: 'postgres://analyst@db:5432/shop?table=tx', sha256: null, rows: 10 });
    expect(parseModel(JSON.parse(JSON.stringify(m))).training.source).toEqual(m.training.source);
    // a file written before provenance was recorded still reads; a malformed one is refused
    const { training: _t, ...old } = JSON.parse(JSON.stringify(model)) as SegmentModel;
    expect(parseModel({ ...old, training: { customers: 30 } }).training).toEqual({ customers: 30 });
    expect(errorOf(() => parseModel({ ...old, training: { customers: 30, source: { kind: 'file', sha256: 3 } } })).message).toContain('training.source (not { kind, label, sha256 } or null)');
  });

  it('refuses to save a broken model', async () => {
    const { model } = await saved();
    const e = await rejection(saveModel({ ...model, clusters: [] }, path.join(tmp, 'never.json')));
    expect(e.code).toBe('model_invalid');
    expect(readdirSync(tmp)).not.toContain('never.json');
  });
});
