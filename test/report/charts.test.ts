/**
 * How charts are prepared for the report page: coordinates rounded (text untouched), sizes fitted to the
 * A4 column and grid cell, currency on money axes, no per-point labels, long titles wrapped.
 */
import { describe, expect, it } from 'vitest';
import { renderSvg, textWidth } from '../../src/charts/render';
import { CHART_WIDTH, reportSpec } from '../../src/report/assemble';
import { compactSvg } from '../../src/report/svg';
import type { ChartSpec } from '../../src/charts/render';
import { MONEY_LABEL_EXPR } from '../../src/charts/theme';

const width = (svg: string): number => Number(/^<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);

describe('compactSvg', () => {
  it('rounds geometry to 0.01 px and leaves text as it was', () => {
    const svg = '<svg width="10.123456" height="5"><path transform="translate(38.85123,111.70019641966671)" d="M1.8714,0A1.8714,1.8714,0,1,1,-1.8714,0"/><text x="3.14159">0.659895165826 £1,234.5678</text></svg>';
    const out = compactSvg(svg);
    expect(out).toContain('width="10.12"');
    expect(out).toContain('transform="translate(38.85,111.7)"');
    expect(out).toContain('d="M1.87,0A1.87,1.87,0,1,1,-1.87,0"');
    expect(out).toContain('x="3.14"');
    expect(out).toContain('>0.659895165826 £1,234.5678</text>');
  });
});

describe('reportSpec', () => {
  const scatter = {
    title: { text: 'A title long enough that it has to be wrapped on a half-width chart cell', subtitle: 'and a subtitle that is also far too long for one line of a chart in the two-column grid of the report' },
    data: { values: Array.from({ length: 50 }, (_, i) => ({ x: i, y: (i * 37) % 101, id: `customer-${i}` })) },
    mark: { type: 'point', filled: true },
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative', axis: { labelExpr: MONEY_LABEL_EXPR } }, tooltip: [{ field: 'id' }] },
  } as unknown as ChartSpec;

  it('sets the plot size, wraps long titles, and turns per-mark labels off', async () => {
    const spec = reportSpec(scatter, { width: CHART_WIDTH.half }, 'GBP', { width: 200, height: 150 }) as unknown as { width: number; height: number; title: { text: unknown; subtitle: unknown } };
    expect(spec.width).toBe(200);
    expect(spec.height).toBe(150);
    expect(Array.isArray(spec.title.text)).toBe(true);
    expect(Array.isArray(spec.title.subtitle)).toBe(true);
    const svg = await renderSvg(spec as unknown as ChartSpec);
    // Without per-mark ARIA labels, the customer ids of the tooltip are nowhere in the picture.
    expect(svg).not.toContain('customer-7');
    expect(svg).not.toContain('aria-roledescription="point"');
    const plain = await renderSvg(scatter);
    expect(plain).toContain('customer-7');
    expect(plain).toContain('aria-roledescription="point"');
  });

  it('money axes carry the report currency', async () => {
    const gbp = await renderSvg(reportSpec(scatter, { width: CHART_WIDTH.half }, 'GBP'));
    const eur = await renderSvg(reportSpec(scatter, { width: CHART_WIDTH.half }, 'EUR'));
    expect(gbp).toMatch(/>£100</);
    expect(eur).toMatch(/>€100</);
    expect(eur).not.toMatch(/>£\d/);
  });
});

describe('text widths for layout', () => {
  it('measure DejaVu Sans, not 0.8 em per character', () => {
    // "iiii" is narrow and "MMMM" wide in any real font; vega's fallback gives both 0.8 em a character.
    expect(textWidth('iiii', 10)).toBeLessThan(textWidth('MMMM', 10) / 2);
    expect(textWidth('Champions', 11)).toBeGreaterThan(40);
    expect(textWidth('Champions', 11)).toBeLessThan(0.8 * 11 * 9);
    expect(textWidth('Champions', 11, true)).toBeGreaterThan(textWidth('Champions', 11));
  });

  it('a chart laid out with them fits its labels', async () => {
    const labels = ['Champions', 'Loyal Customers', 'Potential Loyalist', 'Hibernating'];
    const svg = await renderSvg({ data: { values: labels.map((s, i) => ({ s, v: i + 1 })) }, mark: 'bar', width: 200, encoding: { y: { field: 's', type: 'nominal' }, x: { field: 'v', type: 'quantitative' } } } as unknown as ChartSpec);
    for (const l of labels) expect(svg).toContain(`>${l}<`);
    // Axis room for the longest label, not 0.8 em × 18 characters.
    expect(width(svg)).toBeLessThan(200 + 0.8 * 11 * 18);
  });
});
