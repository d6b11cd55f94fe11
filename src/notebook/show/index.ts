/**
 * `views(x)`: what `show(x)` displays for any value: one or more MIME bundles (HTML or a chart, each
 * with text/plain), chosen by the shape of the value. Every segkit result has its own view; a big
 * object gets a summary, never a dump.
 */
import pl from 'nodejs-polars';
import { svgToPng } from '../../charts/png';
import type { ChartSpec } from '../../charts/render';
import { SegkitError } from '../../errors';
import type { EdaResult } from '../../eda/explore';
import type { Analysis } from '../../pipeline';
import type { Assignment } from '../../profile/assign';
import type { CustomerDetails } from '../../profile/lookup';
import type { SegmentModel } from '../../profile/model';
import type { ProfileResult, SegmentProfile } from '../../profile/profile';
import type { CleanResult, FeatureMatrix, KMeansModel, KSweep, QualityRecord, RfmResult, TransactionTable } from '../../types';
import type { DisplayMessage } from '../kernel';
import { analysisView, isAnalysis } from './analysis';
import { chartView } from './chart';
import { cleanResultView, edaView, featuresView, isCleanResult, isEdaResult, isFeatureMatrix, isQualityRecord, isTransactionTable, qualityView, transactionsView } from './data';
import { frameView, type FrameOptions } from './frame';
import { block, clip, esc } from './html';
import { assignmentsView, customerView, isAssignment, isCustomerDetails, isProfileResult, isSegmentModel, isSegmentProfile, modelView, profilesView, segmentProfileView } from './profile';
import { isRfmLike, rfmView } from './rfm';
import { isKMeansModel, isSweep, kmeansView, sweepView } from './select-k';

/** Options of `show`. */
export type ShowOptions = FrameOptions;

/** Largest JSON summary of an unknown object, in characters. */
export const JSON_LIMIT = 20_000;

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isFrame = (x: unknown): x is pl.DataFrame => isObj(x) && typeof (x as unknown as pl.DataFrame).toRecords === 'function' && Array.isArray((x as unknown as pl.DataFrame).columns);
const isSeries = (x: unknown): x is pl.Series => isObj(x) && typeof (x as unknown as pl.Series).toArray === 'function' && typeof (x as unknown as pl.Series).name === 'string' && 'dtype' in x;

/** A Vega-Lite spec (a top-level `$schema` naming vega-lite, or a mark / composition). */
export function isVegaLite(x: unknown): x is ChartSpec {
  if (!isObj(x)) return false;
  const schema = typeof x.$schema === 'string' && x.$schema.includes('vega-lite');
  return schema || 'mark' in x || 'layer' in x || 'hconcat' in x || 'vconcat' in x || 'concat' in x || 'facet' in x || 'repeat' in x;
}

/** A plain-text message (text/plain only). */
const textMessage = (text: string): DisplayMessage => ({ data: { 'text/plain': text } });

/** An SVG string: as a chart (SVG, a PNG for where SVG is not shown, and the PNG as Markdown for nbconvert). */
function svgView(svg: string): DisplayMessage {
  const png = svgToPng(svg);
  const b64 = png.bytes.toString('base64');
  return {
    data: { 'image/svg+xml': svg, 'image/png': b64, 'text/markdown': `<img src="data:image/png;base64,${b64}" width="${png.width}" height="${png.height}" alt="SVG image">`, 'text/plain': `[SVG image ${png.width}×${png.height} px]` },
    metadata: { 'image/png': { width: png.width, height: png.height } },
  };
}

function stringView(s: string): DisplayMessage {
  const t = s.trimStart();
  if (t.startsWith('<svg')) return svgView(s);
  if (t.startsWith('<')) return { data: { 'text/html': s, 'text/plain': t.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim() } };
  return { data: { 'text/markdown': s, 'text/plain': s } };
}

/** A bounded JSON form of anything: tables, long arrays and long strings are summarised. */
export function jsonSummary(x: unknown): string {
  const seen = new WeakSet<object>();
  const json = JSON.stringify(
    x,
    (_k, v: unknown) => {
      if (isFrame(v)) return `[DataFrame ${v.height} × ${v.width}: ${v.columns.slice(0, 8).join(', ')}${v.width > 8 ? ', …' : ''}]`;
      if (ArrayBuffer.isView(v)) return `[${v.constructor.name} of ${(v as unknown as ArrayLike<number>).length}]`;
      if (Array.isArray(v) && v.length > 20) return [...v.slice(0, 10), `… ${v.length - 10} more items`];
      if (typeof v === 'string' && v.length > 300) return clip(v, 300);
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'function') return `[function ${v.name}]`;
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[circular]';
        seen.add(v);
      }
      return v;
    },
    2,
  );
  return json === undefined ? String(x) : json.length > JSON_LIMIT ? `${json.slice(0, JSON_LIMIT)}\n… (${json.length.toLocaleString('en-GB')} characters in all; shown: the first ${JSON_LIMIT.toLocaleString('en-GB')})` : json;
}

const jsonView = (x: unknown): DisplayMessage => {
  const j = jsonSummary(x);
  return { data: { 'text/html': block(`<pre>${esc(j)}</pre>`), 'text/plain': j } };
};

/** Views of a segkit result object (null when `x` is none of them). */
function resultViews(x: Obj, options: ShowOptions): DisplayMessage[] | null {
  if (isVegaLite(x)) return [chartView(x)];
  const values = Object.values(x);
  if (values.length > 0 && values.every(isVegaLite)) return Object.entries(x).map(([name, spec]) => chartView(spec as ChartSpec, { name }));
  if (isAnalysis(x)) return [analysisView(x as unknown as Analysis)];
  if (isEdaResult(x)) return edaView(x as unknown as EdaResult);
  if (isCleanResult(x)) return cleanResultView(x as unknown as CleanResult);
  if (isTransactionTable(x)) return [transactionsView(x as unknown as TransactionTable, options)];
  if (isQualityRecord(x)) return [qualityView(x as unknown as QualityRecord)];
  if (isRfmLike(x)) return rfmView(x as unknown as RfmResult);
  if (isSweep(x)) return sweepView(x as unknown as KSweep);
  if (isSegmentModel(x)) return [modelView(x as unknown as SegmentModel)];
  if (isKMeansModel(x)) return [kmeansView(x as unknown as KMeansModel)];
  if (isFeatureMatrix(x)) return [featuresView(x as unknown as FeatureMatrix)];
  if (isProfileResult(x)) return profilesView(x as unknown as ProfileResult);
  if (isSegmentProfile(x)) return [segmentProfileView(x as unknown as SegmentProfile)];
  if (isCustomerDetails(x)) return customerView(x as unknown as CustomerDetails);
  if (isAssignment(x)) return [assignmentsView(x as unknown as Assignment)];
  return null;
}

/** What `show(x)` displays, as MIME bundles in order. Throws for a Promise (the value is not there yet). */
export function views(x: unknown, options: ShowOptions = {}): DisplayMessage[] {
  if (x === null || x === undefined) return [textMessage(String(x))];
  if (typeof (x as { then?: unknown }).then === 'function') {
    throw new SegkitError('notebook', 'show_promise', 'show() was given a Promise: the value is not computed yet', {
      where: 'show(value)',
      hint: 'await it first, e.g. seg.show(await seg.readTransactions(file)), or const tx = await …; seg.show(tx)',
    });
  }
  if (typeof x === 'string') return [stringView(x)];
  if (typeof x !== 'object') return [textMessage(String(x))];
  if (isFrame(x)) return [frameView(x, options)];
  if (isSeries(x)) return [frameView(pl.DataFrame([x]), options)];
  if (x instanceof Error) return [textMessage(`${x.name}: ${x.message}`)];
  if (Array.isArray(x)) {
    if (x.length === 0) return [textMessage('[] (an empty list)')];
    if (x.every(isVegaLite)) return x.map((spec) => chartView(spec));
    if (x.every((v) => isObj(v) && isSegmentProfile(v))) return profilesView(x as SegmentProfile[]);
    if (x.every((v) => isObj(v) && isAssignment(v))) return [assignmentsView(x as Assignment[])];
    if (x.every((v) => isObj(v) && !isFrame(v) && !isVegaLite(v))) {
      try {
        return [frameView(pl.DataFrame(x as Obj[]), options)];
      } catch {
        return [jsonView(x)];
      }
    }
    return [jsonView(x)];
  }
  return resultViews(x as Obj, options) ?? [jsonView(x)];
}
