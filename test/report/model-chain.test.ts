/**
 * report → model → assign, as a user runs it after `make report`: `segkit report` on the bundled sample
 * with its defaults writes `<name>-model.json` beside the report; `segkit assign --model … --recency 30
 * --frequency 4 --monetary 500` scores a customer with it; scoring the report's own customers with the
 * model gives the clusters of the report's per-customer CSV. The model records the sha256 of the file it
 * was trained on, the as-of date and segkit's version. Both commands run in-process, with main.ts's
 * error handling.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pl from 'nodejs-polars';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCommands } from '../helpers/cli-in-process';
import { register as registerAssign } from '../../src/cli/commands/assign';
import { register as registerReport } from '../../src/cli/commands/report';
import { loadModel, type SegmentModel } from '../../src/profile';
import { VERSION } from '../../src/version';
import { SAMPLE } from '../helpers/shared';

const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-chain-'));
const out = path.join(dir, 'reports');

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCommands([registerReport, registerAssign], args);
}

afterEach(() => vi.restoreAllMocks());

describe('segkit report → reports/segmentation-model.json → segkit assign', () => {
  let report: Awaited<ReturnType<typeof run>>;
  let model: SegmentModel;
  const modelFile = path.join(out, 'segmentation-model.json');
  beforeAll(async () => {
    report = await run('report', '--input', SAMPLE, '--out-dir', out, '--quiet');
    model = await loadModel(modelFile);
  }, 600_000);

  it('writes the model beside the report by default, and lists it', () => {
    expect(report.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['segmentation-model.json', 'segmentation-segments.csv', 'segmentation.html', 'segmentation.pdf']);
    expect(report.out.trim().split('\n')).toContain(modelFile);
  });

  it("records the training data's sha256, the as-of date and segkit's version", () => {
    const sha = createHash('sha256').update(readFileSync(SAMPLE)).digest('hex');
    expect(model.training.source).toEqual({ kind: 'file', label: SAMPLE, sha256: sha, rows: 40182 });
    // the day after the sample's last transaction (2011-12-09 18:14)
    expect(model.training.asOf).toBe('2011-12-10');
    expect(model.rfm.asOf).toBe('2011-12-10');
    expect(model.segkitVersion).toBe(VERSION);
    expect(model.kmeans.k).toBeGreaterThanOrEqual(3);
    expect(model.kmeans.k).toBeLessThanOrEqual(8);
    // the report names the same segments
    const html = readFileSync(path.join(out, 'segmentation.html'), 'utf8');
    for (const c of model.clusters) expect(html).toContain(c.name.replace(/'/g, '&#x27;'));
  });

  it('segkit assign --model reports/segmentation-model.json --recency 30 --frequency 4 --monetary 500 scores one customer', async () => {
    const res = await run('assign', '--model', modelFile, '--recency', '30', '--frequency', '4', '--monetary', '500');
    expect(res.code).toBe(0);
    expect(res.err).toBe('');
    const cluster = /^Cluster: (\d+) · (.+) \(distance [\d.]+\)$/m.exec(res.out);
    expect(cluster, res.out).not.toBeNull();
    expect(model.clusters.map((c) => c.name)).toContain(cluster![2]);
    expect(res.out).toMatch(/^RFM scores: R \d, F \d, M \d \(code \d{3}\) → segment "[^"]+"$/m);
    expect(res.out).toContain(`Model: k = ${model.kmeans.k}, trained on ${model.training.customers.toLocaleString('en-GB')} customers of ${SAMPLE} (sha256 ${model.training.source!.sha256!.slice(0, 12)}…), as of 2011-12-10, segkit ${VERSION}`);
  });

  it("gives the report's customers the report's clusters", async () => {
    const scored = path.join(dir, 'scored.csv');
    const segments = path.join(out, 'segmentation-segments.csv');
    const res = await run('assign', '--model', modelFile, '--input', segments, '--out', scored);
    expect(res.code).toBe(0);
    const a = pl.readCSV(readFileSync(segments, 'utf8'), { inferSchemaLength: 0 }).select('customer_id', 'cluster', 'cluster_name').sort('customer_id');
    const b = pl.readCSV(readFileSync(scored, 'utf8'), { inferSchemaLength: 0 }).select('customer_id', 'cluster', 'cluster_name').sort('customer_id');
    expect(b.height).toBe(a.height);
    expect(b.getColumn('cluster').toArray()).toEqual(a.getColumn('cluster').toArray());
    expect(b.getColumn('cluster_name').toArray()).toEqual(a.getColumn('cluster_name').toArray());
  });

  it('bad --k-min / --k-max / --min-segment-share are refused before any work, naming the flag and the fix', async () => {
    for (const [flags, where] of [
      [['--k-min', '1'], '--k-min'],
      [['--k-max', '2'], '--k-max'],
      [['--k-min', '5', '--k-max', '4'], '--k-max'],
      [['--min-segment-share', '60'], '--min-segment-share'],
    ] as const) {
      const bad = await run('report', '--input', SAMPLE, '--out-dir', path.join(dir, 'bad'), ...flags);
      expect(bad.code, flags.join(' ')).toBe(1);
      expect(bad.err).toContain(`(${where})`);
      expect(bad.err).toContain('Hint: ');
    }
    expect(readdirSync(dir)).not.toContain('bad');
  }, 60_000);
});
