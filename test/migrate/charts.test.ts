/** Migration charts on the hand-worked fixture: specs carry the right data and colours, and render to SVG. */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderSvgSync } from '../../src/charts/render';
import { segmentColor } from '../../src/charts/theme';
import { cleanTransactions } from '../../src/clean';
import { readTransactions } from '../../src/io';
import { NEW, migrateAsOf, migrationCharts, type Migration } from '../../src/migrate';
import { ROOT } from '../helpers/shared';

const BREAKS = { recency: [30, 60, 90, 180], frequency: [2, 3, 4, 5], monetary: [100, 200, 500, 1000] };
let m: Migration;
beforeAll(async () => {
  const { clean } = cleanTransactions(await readTransactions(path.join(ROOT, 'test', 'fixtures', 'migrate', 'transactions.csv')));
  m = migrateAsOf(clean, ['2024-03-31', '2024-06-30'], { method: 'breaks', breaks: BREAKS });
});

type Layer = { data?: { values: Array<Record<string, unknown>> }; encoding?: Record<string, { scale?: { domain: string[]; range: string[] } }> };

describe('migration charts', () => {
  it('heatmap: one rect per non-empty cell, rows and columns in migration order, revenue in the tooltip', () => {
    const s = migrationCharts(m).heatmap as unknown as { data: { values: Array<Record<string, unknown>> }; encoding: Record<string, { sort: string[] }>; layer: Array<{ encoding?: { tooltip?: Array<{ field: string }> } }> };
    expect(s.data.values).toHaveLength(6);
    expect(s.encoding.y.sort[0]).toBe(NEW);
    expect(s.encoding.x.sort).toEqual(m.columns);
    expect(s.layer[0].encoding!.tooltip!.map((t) => t.field)).toEqual(['from', 'to', 'customers', 'revenueBefore', 'revenueAfter']);
    const svg = renderSvgSync(migrationCharts(m).heatmap);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('Segment migration: 2024-03-31 → 2024-06-30');
    expect(svg).toContain('Loyal Customers');
  });

  it('flows: one line per move (stayers left out), each segment in its fixed colour', () => {
    const s = migrationCharts(m).flows as unknown as { layer: Layer[] };
    expect(s.layer[0].data!.values.map((v) => `${v.from}→${v.to}`).sort()).toEqual(
      ['(new)→Promising', 'About To Sleep→Lost', 'Champions→Loyal Customers', 'Need Attention→At Risk', 'New Customers→Champions'],
    );
    const scale = s.layer[0].encoding!.color.scale!;
    expect(scale.range[scale.domain.indexOf('Champions')]).toBe(segmentColor('Champions'));
    const svg = renderSvgSync(migrationCharts(m).flows);
    expect(svg).toMatch(/^<svg/);
    expect((svg.match(/<line|<path/g) ?? []).length).toBeGreaterThan(0);
    expect(svg).toContain('About To Sleep');
  });

  it('net change: one bar per segment with customers at either date', () => {
    const s = migrationCharts(m).net as unknown as { data: { values: Array<{ segment: string; net: number }> } };
    expect(Object.fromEntries(s.data.values.map((v) => [v.segment, v.net]))).toEqual({
      Champions: 0, 'Loyal Customers': 1, 'New Customers': -1, Promising: 1, 'Need Attention': -1, 'About To Sleep': -1, 'At Risk': 1, Lost: 1,
    });
    const svg = renderSvgSync(migrationCharts(m).net);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('+1');
    expect(svg).toContain('−1');
  });
});
