/**
 * Prepare a rendered chart SVG for inlining into an HTML document next to other charts:
 * - ids (vega's clip paths, gradients) are renamed `<prefix>-<n>` in order of appearance, so two charts
 *   never share one and the output does not depend on vega's global id counters (reruns are identical);
 * - the xmlns attributes are dropped (inline SVG in HTML needs none), so the report holds no URL at all.
 */
export function inlineSvg(svg: string, prefix: string): string {
  const p = prefix.replace(/[^A-Za-z0-9_-]/g, '_');
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) if (!ids.has(m[1])) ids.set(m[1], `${p}-${ids.size + 1}`);
  const rename = (id: string): string => ids.get(id) ?? id;
  return svg
    .replace(/\s+xmlns(:xlink)?="[^"]*"/g, '')
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${rename(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/\b(xlink:)?href="#([^"]+)"/g, (_, x: string | undefined, id: string) => `${x ?? ''}href="#${rename(id)}"`);
}

/** Geometry attributes whose numbers are rounded by `compactSvg`. */
const GEOMETRY = /\b(d|transform|x|y|x1|x2|y1|y2|width|height|cx|cy|r|points|viewBox)="([^"]*)"/g;

/**
 * Round the coordinates of a rendered chart to 2 decimals (0.01 px, far below what print or screen can
 * show): vega writes 15 significant digits, which triples the size of a scatter plot for nothing.
 * Text content is left exactly as rendered.
 */
export function compactSvg(svg: string): string {
  return svg.replace(GEOMETRY, (_, name: string, value: string) => `${name}="${value.replace(/-?\d*\.\d+(?:e[-+]?\d+)?/g, (n) => String(Math.round(Number(n) * 100) / 100))}"`);
}
