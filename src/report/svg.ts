/**
 * Prepare a rendered chart SVG for inlining into an HTML document next to other charts:
 * - ids (vega's clip paths, gradients) are prefixed so two charts never share one;
 * - the xmlns attributes are dropped (inline SVG in HTML needs none), so the report holds no URL at all.
 */
export function inlineSvg(svg: string, prefix: string): string {
  const p = prefix.replace(/[^A-Za-z0-9_-]/g, '_');
  return svg
    .replace(/\s+xmlns(:xlink)?="[^"]*"/g, '')
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${p}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${p}-${id})`)
    .replace(/\b(xlink:)?href="#([^"]+)"/g, (_, x: string | undefined, id: string) => `${x ?? ''}href="#${p}-${id}"`);
}
