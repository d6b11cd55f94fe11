/**
 * SVG → PNG without a browser (resvg), for the places that cannot show SVG: untrusted notebooks, nbconvert's
 * HTML export (nbconvert 6.5 strips SVG elements), viewers that only know images.
 *
 * resvg draws the pixels; they are written here as a small lossless PNG: on white (charts are opaque),
 * with a palette when the chart has at most 256 colours (most do: 3× smaller than RGBA), else RGB with
 * per-row filters. The PNG shows exactly the pixels resvg drew.
 */
import { Resvg } from '@resvg/resvg-js';
import { crc32, deflateSync } from 'node:zlib';
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

/**
 * Render an SVG string to PNG (system fonts; the charts use DejaVu Sans).
 * @throws SegkitError `charts/png_failed`.
 */
export function svgToPng(svg: string, options: PngOptions = {}): Png {
  const zoom = options.zoom ?? PNG_DEFAULTS.zoom;
  let image: { width: number; height: number; pixels: Buffer };
  try {
    image = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: zoom } }).render();
  } catch (e) {
    throw new SegkitError('charts', 'png_failed', `the chart could not be rendered to PNG: ${(e as Error).message}`, { cause: e });
  }
  const { width, height } = image;
  return { bytes: encodePng(onWhite(image.pixels), width, height), width: Math.round(width / zoom), height: Math.round(height / zoom) };
}

/** RGBA (straight or premultiplied: equal when opaque) → RGB over a white background. */
export function onWhite(rgba: Buffer): Buffer {
  const rgb = Buffer.alloc((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    const a = rgba[i + 3];
    if (a === 255) {
      rgb[j] = rgba[i];
      rgb[j + 1] = rgba[i + 1];
      rgb[j + 2] = rgba[i + 2];
    } else {
      // resvg's pixels are premultiplied: colour + white × (1 − alpha)
      const w = 255 - a;
      rgb[j] = Math.min(255, rgba[i] + w);
      rgb[j + 1] = Math.min(255, rgba[i + 1] + w);
      rgb[j + 2] = Math.min(255, rgba[i + 2] + w);
    }
  }
  return rgb;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function png(width: number, height: number, colourType: 2 | 3, idat: Buffer, palette?: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colourType;
  const parts = [Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr)];
  if (palette) parts.push(chunk('PLTE', palette));
  parts.push(chunk('IDAT', deflateSync(idat, { level: 9, memLevel: 9 })), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** Indexed rows (filter 0, as PNG advises for palettes), or null when there are more than 256 colours. */
function indexed(rgb: Buffer, width: number, height: number): { idat: Buffer; palette: Buffer } | null {
  const index = new Map<number, number>();
  const palette: number[] = [];
  const idat = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const key = (rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2];
      let k = index.get(key);
      if (k === undefined) {
        if (index.size === 256) return null;
        k = index.size;
        index.set(key, k);
        palette.push(rgb[i], rgb[i + 1], rgb[i + 2]);
      }
      idat[y * (width + 1) + 1 + x] = k;
    }
  }
  return { idat, palette: Buffer.from(palette) };
}

/** RGB rows, each with the filter (none, sub, up, average, Paeth) of smallest absolute sum. */
function filtered(rgb: Buffer, width: number, height: number): Buffer {
  const stride = width * 3;
  const idat = Buffer.alloc((stride + 1) * height);
  const zero = Buffer.alloc(stride);
  const tries = Array.from({ length: 5 }, () => Buffer.alloc(stride));
  for (let y = 0; y < height; y++) {
    const row = rgb.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? rgb.subarray((y - 1) * stride, y * stride) : zero;
    let best = 0;
    let bestSum = Infinity;
    for (let f = 0; f < 5; f++) {
      const out = tries[f];
      let sum = 0;
      for (let x = 0; x < stride; x++) {
        const a = x >= 3 ? row[x - 3] : 0;
        const b = up[x];
        const c = x >= 3 ? up[x - 3] : 0;
        let p = 0;
        if (f === 1) p = a;
        else if (f === 2) p = b;
        else if (f === 3) p = (a + b) >> 1;
        else if (f === 4) {
          const pa = Math.abs(b - c);
          const pb = Math.abs(a - c);
          const pc = Math.abs(a + b - 2 * c);
          p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
        const v = (row[x] - p) & 0xff;
        out[x] = v;
        sum += v < 128 ? v : 256 - v;
      }
      if (sum < bestSum) {
        bestSum = sum;
        best = f;
      }
    }
    idat[y * (stride + 1)] = best;
    tries[best].copy(idat, y * (stride + 1) + 1);
  }
  return idat;
}

/** A lossless PNG of RGB pixels: a palette when at most 256 colours, else filtered RGB. */
export function encodePng(rgb: Buffer, width: number, height: number): Buffer {
  const pal = indexed(rgb, width, height);
  return pal ? png(width, height, 3, pal.idat, pal.palette) : png(width, height, 2, filtered(rgb, width, height));
}
