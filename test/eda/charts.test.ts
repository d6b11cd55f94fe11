/** Every EDA chart compiles and renders to SVG, on the fixture and on a file without country/product/invoice. */
import path from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { cancellationChart, missingChart } from '../../src/charts/eda';
import { renderSvg } from '../../src/charts/render';
import { explore } from '../../src/eda';
import { setWarningSink } from '../../src/errors';
import { readTransactions } from '../../src/io';

const FX = path.resolve(__dirname, '..', 'fixtures', 'io');
setWarningSink(() => undefined);

describe('EDA charts render', () => {
  it('all charts of the full fixture', async () => {
    const r = explore(await readTransactions(path.join(FX, 'eda_small.csv')));
    for (const [name, spec] of Object.entries(r.charts)) {
      const svg = await renderSvg(spec);
      expect(svg, name).toMatch(/^<svg/);
    }
    const monthly = await renderSvg(r.charts.monthly_revenue);
    expect(monthly).toContain('active customers');
    expect(await renderSvg(r.charts.overview)).toContain('85');
  });

  it('a minimal file (customer, date, amount): no country or product charts, notes say why', async () => {
    const r = explore(await readTransactions(path.join(FX, 'no_invoice.csv')));
    expect(r.charts.top_countries).toBeUndefined();
    expect(r.charts.top_products).toBeUndefined();
    expect(r.charts.unit_price).toBeUndefined();
    expect(r.notes.join(' ')).toContain('no invoice column');
    for (const spec of Object.values(r.charts)) expect(await renderSvg(spec)).toMatch(/^<svg/);
  });
});

describe('EDA chart labels', () => {
  it('labels missing values with the count and the share the axis shows', async () => {
    const missing = pl.DataFrame({ column: ['customer_id', 'invoice'], source: ['CustomerID', 'InvoiceNo'], missing: [1741, 0], missing_pct: [4.3328, 0] });
    const svg = await renderSvg(missingChart(missing));
    expect(svg).toContain('1,741 (4.3 %)');
    expect(svg).not.toContain('0 (0.0 %)');
  });

  it('draws one line when cancellations and returns are the same every month, two otherwise', async () => {
    const month = [new Date(Date.UTC(2024, 0, 1)), new Date(Date.UTC(2024, 1, 1))];
    const same = cancellationChart(pl.DataFrame({ month, cancel_rate: [0.02, 0.03], return_rate: [0.02, 0.03] }));
    const apart = cancellationChart(pl.DataFrame({ month, cancel_rate: [0.02, 0.03], return_rate: [0.01, 0.03] }));
    const [svgSame, svgApart] = [await renderSvg(same), await renderSvg(apart)];
    expect(svgSame).toContain('cancelled = returned lines');
    expect(svgSame).toContain('the two rates are equal every month');
    expect(svgApart).toContain('returned lines');
    expect(svgApart).not.toContain('equal every month');
    // the dashed (returned) line and its legend symbol only when the rates differ
    expect(svgSame).not.toContain('stroke-dasharray="4,3"');
    expect(svgApart).toContain('stroke-dasharray="4,3"');
  });
});
