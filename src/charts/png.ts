/**
 * SVG → PNG without a browser (resvg), for the places that cannot show SVG: untrusted notebooks, nbconvert's
 * HTML export (nbconvert 6.5 strips SVG elements), viewers that only know images.
 */
import { Resvg } from '@resvg/resvg-js';
import { SegkitError } from '../errors';

/** Options of {@link svgToPng}. */
export interface PngOptions {
  /** Pixels per SVG pixel. Default 2 (sharp on high-density screens; shown at the SVG's size). */
  zoom?: number;
}

export const PNG_DEFAULTS = { zoom: 2 } as const;

/** A rendered PNG and the size to show it at (the SVG's own size, in CSS pixels). */
export interface Png {
  bytes: Buffer;
  width: number;
  height: number;
}

/** Render an SVG string to PNG (system fonts; the charts use DejaVu Sans). */
export function svgToPng(svg: string, options: PngOptions = {}): Png {
  const zoom = options.zoom ?? PNG_DEFAULTS.zoom;
  try {
    const r = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: zoom } });
    const image = r.render();
    return { bytes: image.asPng(), width: Math.round(image.width / zoom), height: Math.round(image.height / zoom) };
  } catch (e) {
    throw new SegkitError('charts', 'png_failed', `the chart could not be rendered to PNG: ${(e as Error).message}`, { cause: e });
  }
}
