/**
 * A saved segment model: everything needed to score new customers again, as one JSON file.
 *
 *   createModel({ rfm, features, kmeans, profiles }) ─► SegmentModel ─► saveModel(model, file)
 *   loadModel(file) ─► SegmentModel ─► assignSegments(model, customers)
 *
 * The file carries `formatVersion` (an integer): a file of another format is refused with a clear
 * error, whatever segkit version wrote it; `segkitVersion` records the writer for people.
 */
import { SegkitError, warn } from '../errors';
import { readModelFile, writeModelFile } from '../io/model-file';
import { DEFAULT_SEGMENT_RULES, parseSegmentRules, type RuleTable } from '../rfm/rules';
import type { FeatureMatrix, FeatureTransform, KMeansModel, RfmResult, ScoreThresholds } from '../types';
import { VERSION } from '../version';
import { profileSegments, segmentsOf, type ProfileResult, type SegmentProfile } from './profile';

export const MODEL_FORMAT = 'segkit-segment-model';
/** Bump when a model file written by this version cannot be read correctly by the previous reader. */
export const MODEL_FORMAT_VERSION = 1;

export interface ModelCluster {
  cluster: number;
  label: string;
  name: string;
  segment: string | null;
  description: string;
  action: string;
}

export interface SegmentModel {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  segkitVersion: string;
  /** When it was made (given by the caller; segkit never reads the clock in a stage), or null. */
  createdAt: string | null;
  rfm: {
    /** The analysis date the training recencies were counted to (YYYY-MM-DD). */
    asOf: string;
    bins: number;
    method: 'rank' | 'quantile' | 'breaks';
    /** Per dimension: score ranges (and cut points for quantile/breaks) to score new values. */
    thresholds: ScoreThresholds[];
    /** The named-segment rules. */
    rules: RuleTable;
  };
  features: { columns: string[]; transform: FeatureTransform };
  kmeans: {
    k: number;
    /** k × d in feature space, in label order. */
    centroids: number[][];
    centroidsOriginal: number[][] | null;
    /** How labels are ordered, e.g. "mean monetary, descending". */
    order: string;
    orderValues: number[] | null;
    sizes: number[];
    inertia: number;
    seed: number;
    nInit: number;
  };
  /** One per cluster, in label order. */
  clusters: ModelCluster[];
  training: {
    customers: number;
    /** The analysis date of the training data (as rfm.asOf). Missing in files written before it was recorded. */
    asOf?: string;
    /** Where the training data came from, when known (null: not given to createModel). */
    source?: ModelSource | null;
  };
}

/** The training data's provenance: a file by its path and sha256, a database table by its URL without the password. */
export interface ModelSource {
  /** 'file', 'postgres', 'clickhouse'. */
  kind: string;
  /** The file path as given, or the database URL without its password. */
  label: string;
  /** sha256 of the file's bytes (hex); null for a database table. */
  sha256: string | null;
  /** Rows (lines) in the file or table. */
  rows?: number;
}

/**
 * What createModel reads of a source description (source/'s SourceDescription, `analysis.source`, has
 * these fields): stated here so profile/ does not import the source layer above it.
 */
export interface DescribedSource {
  kind: string;
  label: string;
  rowsRead: number;
  file?: { sha256?: string | null } | null;
}

export interface ModelParts {
  rfm: RfmResult;
  /** The feature matrix the model was fitted on (only its transform is stored). */
  features: FeatureMatrix | { transform: FeatureTransform };
  kmeans: KMeansModel;
  /** Profiles for the names; computed with profileSegments when left out. */
  profiles?: ProfileResult | SegmentProfile[];
  /** A timestamp to record (e.g. new Date().toISOString() in a notebook). Default null. */
  createdAt?: string | null;
  /** Where the training data came from: `analysis.source` (or a ModelSource). Default null. */
  source?: DescribedSource | ModelSource | null;
}

/** The provenance to record from a source description (only the path or URL label, the sha256 and the row count). */
export function modelSource(source: DescribedSource | ModelSource): ModelSource {
  if ('sha256' in source) return { kind: source.kind, label: source.label, sha256: source.sha256 ?? null, ...(source.rows !== undefined ? { rows: source.rows } : {}) };
  const d = source as DescribedSource;
  return { kind: d.kind, label: d.label, sha256: d.kind === 'file' ? (d.file?.sha256 ?? null) : null, rows: d.rowsRead };
}

/**
 * Gather a saveable model from the pipeline's results.
 * @throws SegkitError `model/bad_input` (the RFM result, feature matrix, k-means model or profiles missing or not fitting together), and profileSegments' errors when the profiles are computed here.
 */
export function createModel(parts: ModelParts): SegmentModel {
  const { rfm, features, kmeans } = parts;
  if (!rfm || !Array.isArray(rfm.thresholds)) {
    throw new SegkitError('model', 'bad_input', 'createModel needs the RFM result (with its thresholds) as rfm', { where: 'parts.rfm', hint: 'pass the result of rfm(clean)' });
  }
  const transform = features?.transform;
  if (!transform || !Array.isArray(transform.columns)) {
    throw new SegkitError('model', 'bad_input', 'createModel needs the feature matrix (with its transform) as features', { where: 'parts.features', hint: 'pass the result of buildFeatures(rfm)' });
  }
  if (!kmeans || !Array.isArray(kmeans.centroids) || kmeans.centroids.some((c) => c.length !== transform.columns.length)) {
    throw new SegkitError('model', 'bad_input', `the k-means centroids do not have one value per feature (${transform.columns.join(', ')})`, {
      where: 'parts.kmeans',
      hint: 'pass the model fitted on these features (fitKMeans(features, { k }))',
    });
  }
  const profiles = segmentsOf(parts.profiles ?? profileSegments(rfm, kmeans, 'ids' in features ? { features: features as FeatureMatrix } : {}));
  if (profiles.length !== kmeans.k) {
    throw new SegkitError('model', 'bad_input', `there are ${profiles.length} profiles for k = ${kmeans.k} clusters`, { where: 'parts.profiles', hint: 'profile this model: profileSegments(rfm, kmeans, { features })' });
  }
  const rules = (rfm as RfmResult & { rules?: RuleTable }).rules ?? DEFAULT_SEGMENT_RULES;
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    segkitVersion: VERSION,
    createdAt: parts.createdAt ?? null,
    rfm: { asOf: rfm.asOf, bins: rfm.bins, method: rfm.method, thresholds: structuredClone(rfm.thresholds), rules: structuredClone(rules) },
    features: { columns: [...transform.columns], transform: structuredClone(transform) },
    kmeans: {
      k: kmeans.k,
      centroids: kmeans.centroids.map((c) => [...c]),
      centroidsOriginal: kmeans.centroidsOriginal ? kmeans.centroidsOriginal.map((c) => [...c]) : null,
      order: kmeans.order,
      orderValues: kmeans.orderValues ? [...kmeans.orderValues] : null,
      sizes: [...kmeans.sizes],
      inertia: kmeans.inertia,
      seed: kmeans.seed,
      nInit: kmeans.nInit,
    },
    clusters: profiles.map((p) => ({ cluster: p.cluster, label: p.label, name: p.name, segment: p.segment, description: p.description, action: p.actions.summary })),
    training: { customers: kmeans.labels.length, asOf: rfm.asOf, source: parts.source ? modelSource(parts.source) : null },
  };
}

/**
 * Write the model as JSON, atomically (checked first, so a broken model is never written).
 * @throws SegkitError parseModel's errors (a model that would not load is not written), `io/write_failed`, `io/bad_output_path`, `io/output_is_input`.
 */
export async function saveModel(model: SegmentModel, file: string): Promise<void> {
  parseModel(JSON.parse(JSON.stringify(model)) as unknown, `model to save as ${file}`);
  await writeModelFile(file, model);
}

/**
 * Read and check a model file (the file is read by io/model-file.ts).
 * @throws SegkitError `model/model_not_found`, `model/model_unreadable`, `model/model_not_json` (the file), then parseModel's errors.
 */
export async function loadModel(file: string): Promise<SegmentModel> {
  return parseModel(await readModelFile(file), file);
}

type Check = [path: string, ok: (v: unknown) => boolean, want: string];
const isNum = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): boolean => Number.isInteger(v);
const isStr = (v: unknown): boolean => typeof v === 'string';
const isNumArr = (v: unknown): boolean => Array.isArray(v) && v.every(isNum);
const isMatrix = (v: unknown): boolean => Array.isArray(v) && v.length > 0 && v.every(isNumArr);

function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, key) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined), obj);
}

const CHECKS: Check[] = [
  ['segkitVersion', isStr, 'text'],
  ['rfm', (v) => typeof v === 'object' && v !== null, 'an object'],
  ['rfm.asOf', isStr, 'a date YYYY-MM-DD'],
  ['rfm.bins', (v) => isInt(v) && (v as number) >= 2 && (v as number) <= 10, 'a whole number 2..10'],
  ['rfm.method', (v) => v === 'rank' || v === 'quantile' || v === 'breaks', "'rank', 'quantile' or 'breaks'"],
  ['rfm.thresholds', (v) => Array.isArray(v) && v.length === 3, 'three score thresholds (recency, frequency, monetary)'],
  ['rfm.rules', (v) => typeof v === 'object' && v !== null && Array.isArray((v as RuleTable).rules), 'a rule table { rules: [...] }'],
  ['features.columns', (v) => Array.isArray(v) && v.length > 0 && v.every(isStr), 'a list of column names'],
  ['features.transform.columns', (v) => Array.isArray(v) && v.every(isStr), 'a list of column names'],
  ['features.transform.scale', (v) => ['zscore', 'robust', 'minmax', 'none'].includes(v as string), "'zscore', 'robust', 'minmax' or 'none'"],
  ['features.transform.log', (v) => typeof v === 'boolean', 'true or false'],
  ['features.transform.center', isNumArr, 'numbers'],
  ['features.transform.scaleBy', isNumArr, 'numbers'],
  ['kmeans.k', (v) => isInt(v) && (v as number) >= 1, 'a whole number'],
  ['kmeans.centroids', isMatrix, 'k rows of numbers'],
  ['kmeans.order', isStr, 'text'],
  ['clusters', (v) => Array.isArray(v) && v.every((c) => typeof c === 'object' && c !== null && isStr((c as ModelCluster).name)), 'one { name, … } per cluster'],
  ['training.asOf', (v) => v === undefined || isStr(v), 'a date YYYY-MM-DD'],
  [
    'training.source',
    (v) => v === undefined || v === null || (typeof v === 'object' && isStr((v as ModelSource).kind) && isStr((v as ModelSource).label) && ((v as ModelSource).sha256 === null || isStr((v as ModelSource).sha256))),
    '{ kind, label, sha256 } or null',
  ],
];

/**
 * Check a parsed model (from a file or memory): the format and its version first, then every field
 * needed to score, then that the pieces fit together (k, feature count, score scale).
 * @throws SegkitError `model/not_a_model` (not a segkit model), `model/model_version` (another format version), `model/model_invalid` (missing, invalid or inconsistent fields), `rfm/rules_*` (its segment rules).
 */
export function parseModel(raw: unknown, where = 'model'): SegmentModel {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SegkitError('model', 'not_a_model', 'this is not a segkit model (expected a JSON object)', { where, hint: 'save a model with saveModel(model, file)' });
  }
  const o = raw as Record<string, unknown>;
  if (o.format !== MODEL_FORMAT) {
    throw new SegkitError('model', 'not_a_model', `this is not a segkit model file: its "format" is ${o.format === undefined ? 'missing' : JSON.stringify(o.format)}, expected "${MODEL_FORMAT}"`, {
      where,
      hint: 'give the JSON file written by saveModel (notebooks/04-segments.ipynb saves one)',
    });
  }
  const fv = o.formatVersion;
  const writer = typeof o.segkitVersion === 'string' ? `segkit ${o.segkitVersion}` : 'an unknown segkit version';
  if (!isInt(fv)) {
    throw new SegkitError('model', 'model_invalid', `the model file has no whole-number "formatVersion" (got ${JSON.stringify(fv)})`, { where, hint: 'save the model again with saveModel' });
  }
  if (fv !== MODEL_FORMAT_VERSION) {
    const newer = (fv as number) > MODEL_FORMAT_VERSION;
    throw new SegkitError('model', 'model_version', `the model file has format ${fv as number} (written by ${writer}); this segkit (${VERSION}) reads format ${MODEL_FORMAT_VERSION} only`, {
      where,
      hint: newer
        ? `upgrade segkit to ${typeof o.segkitVersion === 'string' ? o.segkitVersion : 'the version that wrote it'} or later, or fit and save the model again with this version`
        : `fit the model again and save it with segkit ${VERSION} (the old format cannot be read safely)`,
    });
  }
  const bad = CHECKS.filter(([path, ok]) => !ok(at(o, path))).map(([path, , want]) => `${path} (${at(o, path) === undefined ? 'missing' : 'not ' + want})`);
  if (bad.length) {
    throw new SegkitError('model', 'model_invalid', `the model file is missing or has invalid fields: ${bad.join('; ')}`, {
      where,
      hint: 'the file may be cut short or edited by hand; save the model again with saveModel',
    });
  }
  const m = o as unknown as SegmentModel;
  const d = m.features.columns.length;
  const t = m.features.transform;
  const problems: string[] = [];
  if (t.columns.join('\u0000') !== m.features.columns.join('\u0000')) problems.push(`features.transform.columns (${t.columns.join(', ')}) differ from features.columns (${m.features.columns.join(', ')})`);
  if (t.center.length !== d || t.scaleBy.length !== d) problems.push(`features.transform.center/scaleBy need ${d} values each`);
  if (t.scaleBy.some((s) => s === 0)) problems.push('features.transform.scaleBy has a 0');
  if (m.kmeans.centroids.length !== m.kmeans.k || m.kmeans.centroids.some((c) => c.length !== d)) problems.push(`kmeans.centroids must be k = ${m.kmeans.k} rows of ${d} values`);
  if (m.clusters.length !== m.kmeans.k) problems.push(`clusters has ${m.clusters.length} entries for k = ${m.kmeans.k}`);
  const dims = m.rfm.thresholds.map((th) => th?.dimension);
  if (dims.join() !== 'recency,frequency,monetary') problems.push(`rfm.thresholds must be recency, frequency, monetary in that order (got ${dims.join(', ')})`);
  for (const th of m.rfm.thresholds) {
    if (!th || th.bins !== m.rfm.bins || !Array.isArray(th.ranges) || th.ranges.length !== m.rfm.bins) problems.push(`rfm.thresholds (${th?.dimension}) must have ${m.rfm.bins} score ranges`);
    else if (m.rfm.method !== 'rank' && !(isNumArr(th.cuts) && th.cuts!.length === m.rfm.bins - 1)) problems.push(`rfm.thresholds (${th.dimension}) needs ${m.rfm.bins - 1} cut points for method ${m.rfm.method}`);
    else if (m.rfm.method === 'rank' && !th.ranges.some((r) => isNum(r.min) && isNum(r.max))) problems.push(`rfm.thresholds (${th.dimension}) has no score range`);
  }
  if (problems.length) {
    throw new SegkitError('model', 'model_invalid', `the model file does not fit together: ${problems.join('; ')}`, { where, hint: 'save the model again with saveModel' });
  }
  m.rfm.rules = parseSegmentRules(m.rfm.rules, `${where}, rfm.rules`);
  if (m.segkitVersion !== VERSION) {
    warn('model', 'other_version', `the model was saved by segkit ${m.segkitVersion}; this is ${VERSION} (same model format ${MODEL_FORMAT_VERSION}, so it is read as is)`);
  }
  return m;
}
