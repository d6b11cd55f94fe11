/**
 * `buildReport(analysis, options)`: the report files for stakeholders, BI tools and scoring —
 * `<name>.html`, `<name>.pdf`, `<name>-segments.csv` (and `.parquet` on request) and the segment model
 * `<name>-model.json` (for `segkit assign`) in `outDir`, each written atomically. With `pseudonymize`,
 * customer ids become keyed hashes everywhere (the model holds no customer ids).
 */
import { createHmac } from 'node:crypto';
import path from 'node:path';
import pl from 'nodejs-polars';
import { SegkitError } from '../errors';
import { writeTable } from '../io/write';
import type { Analysis } from '../pipeline';
import { createModel, saveModel, withClusters } from '../profile';
import type { RfmRun } from '../rfm';
import { reportContext, type ReportOptions } from './assemble';
import { writeReport, type ReportFiles, type ReportFormat } from './write';
import { clvColumns, clvWithIds } from './sections/clv';

export interface BuildReportOptions extends ReportOptions {
  /** Output folder (default "reports"). */
  outDir?: string;
  /** Base name of the files (default "segmentation"). */
  name?: string;
  /** Any of html, pdf, csv, parquet, model (default html, pdf, csv, model). */
  formats?: Array<ReportFormat | 'csv' | 'parquet' | 'model'>;
  /** PDF paper (default A4). */
  pageSize?: 'A4' | 'Letter';
  /** A secret salt: customer ids in the report and exports become HMAC-SHA256(salt, id), 16 hex digits. */
  pseudonymize?: string;
  templatesDir?: string;
  onProgress?: (step: string) => void;
  /** Write the per-customer CSV's text cells as they are (no ' before cells starting with = + - @, tab, CR). Default false. */
  csvRaw?: boolean;
}

export interface BuiltReport extends ReportFiles {
  csv?: string;
  parquet?: string;
  /** The segment model (`segkit assign --model <this file>`). */
  model?: string;
}

export const BUILD_DEFAULTS = { outDir: 'reports', name: 'segmentation', formats: ['html', 'pdf', 'csv', 'model'] as const };

const FORMATS = ['html', 'pdf', 'csv', 'parquet', 'model'];

/** A keyed, stable pseudonym for a customer id. */
export function pseudonym(id: string, salt: string): string {
  return createHmac('sha256', salt).update(id).digest('hex').slice(0, 16);
}

function pseudonymized(a: Analysis, salt: string): Analysis {
  const ids = a.rfm.table.getColumn('customer_id').toArray() as string[];
  const table = a.rfm.table.withColumns(pl.Series('customer_id', ids.map((id) => pseudonym(id, salt)), pl.Utf8));
  const features = { ...a.features, ids: a.features.ids.map((id) => pseudonym(id, salt)) };
  const rfm: RfmRun = { ...a.rfm, table };
  return { ...a, rfm, features, clv: clvWithIds(a.clv, (id) => pseudonym(id, salt)) };
}

/**
 * Check the options of {@link buildReport} that need no analysis (formats, salt, file name), so a
 * caller can refuse them before the analysis runs. buildReport checks them again.
 */
export function checkBuildOptions(options: BuildReportOptions = {}): void {
  const formats = options.formats ?? [...BUILD_DEFAULTS.formats];
  const bad = formats.filter((f) => !FORMATS.includes(f));
  if (bad.length) {
    throw new SegkitError('report', 'bad_format', `unknown report format ${bad.map((b) => JSON.stringify(b)).join(', ')}`, { where: 'option formats', hint: `choose from ${FORMATS.join(', ')}` });
  }
  if (options.pseudonymize !== undefined && options.pseudonymize.length < 8) {
    throw new SegkitError('report', 'weak_salt', 'the pseudonymization salt is shorter than 8 characters', {
      where: 'option pseudonymize',
      hint: 'use a long random secret (and keep it out of the report): e.g. `openssl rand -hex 16`',
    });
  }
  const name = options.name ?? BUILD_DEFAULTS.name;
  if (name.trim() === '' || /[/\\\x00-\x1f]/.test(name) || name === '.' || name === '..' || name.length > 200) {
    throw new SegkitError('report', 'bad_name', `the file name ${JSON.stringify(name.slice(0, 80))}${name.length > 80 ? '…' : ''} cannot be used: it must be a plain name (no folders, no control characters, at most 200 characters)`, {
      where: 'option name',
      hint: 'choose the folder with outDir and a plain base name with name, e.g. "segmentation-2011"',
    });
  }
}

/** Decimals of a currency's minor unit (GBP 2, JPY 0, KWD 3; 2 for what is not an ISO 4217 code), for rounding money in CSV exports. */
export function currencyDecimals(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2; // not an ISO 4217 code (e.g. a symbol): cents
  }
}

/**
 * @throws SegkitError `report/bad_format`, `report/bad_name`, `report/weak_salt` (checked before any work), reportContext's and writeReport's errors, `io/write_failed`, `io/bad_output_path`, `io/output_is_input` (the CSV, Parquet and model files).
 */
export async function buildReport(analysis: Analysis, options: BuildReportOptions = {}): Promise<BuiltReport> {
  checkBuildOptions(options);
  const formats = options.formats ?? [...BUILD_DEFAULTS.formats];
  const a = options.pseudonymize ? pseudonymized(analysis, options.pseudonymize) : analysis;
  const outDir = options.outDir ?? BUILD_DEFAULTS.outDir;
  const name = options.name ?? BUILD_DEFAULTS.name;
  const progress = options.onProgress ?? (() => undefined);
  progress('assembling the report (charts to SVG)');
  const t = performance.now();
  const context = await reportContext(a, options);
  const assembleMs = performance.now() - t;
  const docFormats = formats.filter((f): f is ReportFormat => f === 'html' || f === 'pdf');
  const files: BuiltReport = docFormats.length
    ? await writeReport(context, { outDir, name, formats: docFormats, pageSize: options.pageSize, templatesDir: options.templatesDir, onProgress: progress })
    : { timings: {} };
  files.timings.assemble = assembleMs;
  if (formats.includes('csv') || formats.includes('parquet')) {
    const names = a.profiles.segments.map((p) => p.name);
    const table = clvColumns(a, withClusters(a.rfm, a.model, { features: a.features, names }));
    if (formats.includes('csv')) {
      files.csv = path.join(outDir, `${name}-segments.csv`);
      progress(`writing ${files.csv}`);
      await writeTable(table, files.csv, { csvRaw: options.csvRaw, moneyDecimals: currencyDecimals(options.currency ?? 'GBP') });
    }
    if (formats.includes('parquet')) {
      files.parquet = path.join(outDir, `${name}-segments.parquet`);
      await writeTable(table, files.parquet);
    }
  }
  if (formats.includes('model')) {
    // The model of the segments in the report, with its training data's provenance (sha256 or database URL label, as-of date, segkit version)
    files.model = path.join(outDir, `${name}-model.json`);
    progress(`writing ${files.model}`);
    const model = createModel({ rfm: a.rfm, features: a.features, kmeans: a.model, profiles: a.profiles, source: a.source, createdAt: options.generatedAt ?? new Date().toISOString() });
    await saveModel(model, files.model);
  }
  return files;
}
