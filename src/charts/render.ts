/**
 * Render Vega-Lite specs to SVG in Node (vega 5, no browser, no network), so charts survive notebook
 * export and need no JavaScript in the report.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { SegkitError } from '../errors';
import { VL_CONFIG } from './theme';

/** A Vega-Lite spec as plain JSON (so it can be snapshotted and embedded). */
export type ChartSpec = vl.TopLevelSpec;

/** Apply the segkit theme to a spec (the spec's own config wins). */
export function themed(spec: ChartSpec): ChartSpec {
  const own = (spec as { config?: object }).config ?? {};
  return { ...spec, config: { ...VL_CONFIG, ...own } } as unknown as ChartSpec;
}

/** Compile and render a Vega-Lite spec to an SVG string. Data must be inline (`data.values`). */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  let compiled: vega.Spec;
  try {
    compiled = vl.compile(themed(spec)).spec;
  } catch (e) {
    throw new SegkitError('charts', 'invalid_spec', `Vega-Lite could not compile the chart: ${(e as Error).message}`, {
      where: (spec as { title?: unknown }).title ? `chart "${JSON.stringify((spec as { title?: unknown }).title)}"` : undefined,
      cause: e,
    });
  }
  // A loader that refuses every URL: a chart must never fetch anything.
  const loader = vega.loader();
  loader.load = async (uri: string) => {
    throw new SegkitError('charts', 'network_forbidden', `a chart tried to load "${uri}"; segkit charts use inline data only`);
  };
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Render many specs, keyed by name, in order. */
export async function renderAll(specs: Record<string, ChartSpec>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = await renderSvg(spec);
  return out;
}
