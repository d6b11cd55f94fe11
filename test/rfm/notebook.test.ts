/**
 * notebooks/02-rfm.ipynb executes with real Jupyter + tslab, parameterized with the small fixture, and shows
 * the hand-worked results: codes, segments, thresholds, charts, the export. The notebook imports ../dist:
 * `make test` builds it first (run `npm run build` before running this file alone).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeNotebook, readNotebook, inspectParameters, type Notebook } from '../../src/notebook';
import { ROOT } from '../helpers/shared';

const NB = path.join(ROOT, 'notebooks', '02-rfm.ipynb');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'rfm', 'transactions.csv');

function texts(nb: Notebook): string {
  return nb.cells
    .flatMap((c) => c.outputs ?? [])
    .flatMap((o) => {
      const out = o as { text?: string | string[]; data?: Record<string, string | string[]> };
      const parts = [out.text ?? '', ...Object.values(out.data ?? {})];
      return parts.map((p) => (Array.isArray(p) ? p.join('') : String(p)));
    })
    .join('\n');
}

describe('notebooks/02-rfm.ipynb', () => {
  it('declares its parameters with types and descriptions, and is committed without outputs', () => {
    const nb = readNotebook(NB);
    const params = inspectParameters(nb).parameters.map((p) => p.name);
    expect(params).toEqual(['input', 'asOf', 'bins', 'method', 'rulesFile', 'output']);
    expect(nb.cells.every((c) => !c.outputs || c.outputs.length === 0)).toBe(true);
    expect(nb.cells[0].cell_type).toBe('markdown');
  });

  describe('executed on the fixture', () => {
    let out: string;
    let exported: string;
    let status: string;
    beforeAll(async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-rfm-nb-'));
      exported = path.join(dir, 'customers.csv');
      const r = await executeNotebook(NB, { parameters: { input: FIXTURE, bins: 5, output: exported }, output: path.join(dir, 'out.ipynb'), timeout: 300 });
      status = r.status;
      out = texts(readNotebook(r.output));
      if (r.status !== 'ok') console.error(r.error);
    }, 300_000);

    it('runs every cell', () => {
      expect(status).toBe('ok');
    });

    it('shows the cleaning, the analysis date, thresholds, segments and charts', () => {
      expect(out).toMatch(/Rows kept +7 +77\.8%/); // seg.show(quality): the cleaning record
      expect(out).toMatch(/analysis date +2024-01-11/); // seg.show(customers)
      expect(out).toMatch(/^customers +4$/m);
      expect(out).toContain('Method **rank**');
      expect(out).toContain('Loyal Customers');
      expect(out).toContain('**0** customers matched no rule');
      expect((out.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(7);
      expect(out).toContain('Wrote 4 customers');
    });

    it('exports the customer table with the hand-worked codes and segments', () => {
      const lines = readFileSync(exported, 'utf8').trim().split('\n');
      expect(lines[0]).toBe('customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,rfm_code,rfm_score,segment,first_purchase,last_purchase,tenure_days,avg_order_value,items');
      const rows = lines.slice(1).map((l) => l.split(','));
      expect(rows.map((r) => [r[0], r[7], r[9]])).toEqual([
        ['101', '333', 'Loyal Customers'],
        ['102', '214', 'Hibernating'],
        ['103', '432', 'Potential Loyalist'],
        ['104', '111', 'Lost'],
      ]);
    });
  });
});
