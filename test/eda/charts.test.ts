/** Every EDA chart compiles and renders to SVG, on the fixture and on a file without country/product/invoice. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
