/**
 * notebooks/01-eda.ipynb executes with real Jupyter + tslab on the sample data (data/sample_transactions.csv;
 * the small hand-made fixture when the sample has not been generated) and shows every section.
 * The notebook imports ../dist: `make test` builds it first (run `npm run build` before running this file alone).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeNotebook, inspectParameters, readNotebook, type Notebook } from '../../src/notebook';
import { ROOT, SAMPLE } from '../helpers/shared';

const NB = path.join(ROOT, 'notebooks', '01-eda.ipynb');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'io', 'eda_small.csv');
const INPUT = existsSync(SAMPLE) ? SAMPLE : FIXTURE;
if (INPUT === FIXTURE) console.warn(`\n*** ${SAMPLE} is missing: the EDA notebook test runs on ${FIXTURE} instead ***\n`);

function texts(nb: Notebook): string {
  return nb.cells
    .flatMap((c) => c.outputs ?? [])
    .flatMap((o) => {
      const out = o as { text?: string | string[]; data?: Record<string, string | string[]> };
      return [out.text ?? '', ...Object.values(out.data ?? {})].map((p) => (Array.isArray(p) ? p.join('') : String(p)));
    })
    .join('\n');
}

describe('notebooks/01-eda.ipynb', () => {
  it('starts with an introduction, declares its parameters, and is committed without outputs', () => {
    const nb = readNotebook(NB);
    expect(nb.cells[0].cell_type).toBe('markdown');
    expect(inspectParameters(nb).parameters.map((p) => p.name)).toEqual(['input', 'dateFormat', 'top', 'logScale']);
    expect(nb.cells.every((c) => !c.outputs || c.outputs.length === 0)).toBe(true);
  });

  describe(`executed on ${path.basename(INPUT)}`, () => {
    let status: string;
    let out: string;
    beforeAll(async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-eda-nb-'));
      const r = await executeNotebook(NB, { parameters: { input: INPUT }, output: path.join(dir, 'out.ipynb'), timeout: 300 });
      status = r.status;
      if (r.status !== 'ok') console.error(r.error);
      out = texts(readNotebook(r.output));
    }, 300_000);

    it('runs every cell', () => {
      expect(status).toBe('ok');
    });

    it('shows the load, the cleaning record, the tables and the charts', () => {
      expect(out).toMatch(/lines +[\d,]+ \([\d,]+ read from the file\)/); // seg.show(tx)
      expect(out).toContain('Missing customer id');
      expect(out).toMatch(/Kept \*\*[\d,]+\*\* of \*\*[\d,]+\*\* rows/);
      expect(out).toContain('Monthly revenue and active customers');
      expect(out).toContain('active_customers');
      expect((out.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(15);
      expect(out).toMatch(/The top \d+ customers bring/);
      if (INPUT === FIXTURE) {
        expect(out).toContain('8 (8 read from the file)');
        expect(out).toContain('Kept **6** of **8** rows');
      }
    });
  });
});
