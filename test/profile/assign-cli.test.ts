/**
 * `segkit assign`: a file of customers, one customer from flags, and clear errors. Runs in-process on a
 * program with only this command registered (so other commands being written cannot break it), with
 * main.ts's error handling: a SegkitError becomes one line + hint on stderr and exit code 1.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pl from 'nodejs-polars';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCommands } from '../helpers/cli-in-process';
import { register } from '../../src/cli/commands/assign';
import { fitKMeans } from '../../src/cluster';
import { buildFeatures } from '../../src/features';
import { assignSegments, createModel, saveModel, type SegmentModel } from '../../src/profile';
import { fixtureRfm, quiet } from './helpers';

const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-assign-'));
const modelFile = path.join(dir, 'model.json');
let model: SegmentModel;

beforeAll(async () => {
  const r = fixtureRfm();
  const X = quiet(() => buildFeatures(r));
  model = createModel({ rfm: r, features: X, kmeans: quiet(() => fitKMeans(X, { k: 5, seed: 1 })) });
  await saveModel(model, modelFile);
});

afterEach(() => vi.restoreAllMocks());

/** Run the CLI, capturing stdout and stderr. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCommands([register], args);
}

describe('segkit assign', () => {
  it('scores a CSV of customers into a CSV, keeping zero-padded ids', async () => {
    const input = path.join(dir, 'customers.csv');
    writeFileSync(input, 'customer_id,recency,frequency,monetary\n007,2,30,7000\n008,400,1,10\n009,34,55,66\n');
    const out = path.join(dir, 'scored.csv');
    const res = await run('assign', '--model', modelFile, '--input', input, '--out', out);
    expect(res.code).toBe(0);
    expect(res.err).toMatch(/3 customers scored/);
    const scored = pl.readCSV(readFileSync(out), { inferSchemaLength: 0 });
    expect(scored.getColumn('customer_id').toArray()).toEqual(['007', '008', '009']);
    expect(scored.getColumn('cluster_name').toArray()[0]).toBe('Champions');
    expect(scored.getColumn('segment').toArray()).toEqual(['Champions', 'Lost', 'Potential Loyalist']);
    expect(scored.columns).toEqual(['customer_id', 'recency_days', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'rfm_code', 'segment', 'cluster', 'cluster_name', 'distance', 'distance_0', 'distance_1', 'distance_2', 'distance_3', 'distance_4']);
    // Same as the library call.
    const lib = assignSegments(model, [{ customer_id: '007', recency: 2, frequency: 30, monetary: 7000 }])[0];
    expect(Number(scored.getColumn('distance').toArray()[0])).toBeCloseTo(lib.distance, 9);
  });

  it('writes CSV to stdout without --out', async () => {
    const input = path.join(dir, 'two.csv');
    writeFileSync(input, 'id,recency_days,frequency,monetary\na,2,30,7000\n');
    const res = await run('assign', '-m', modelFile, '-i', input);
    expect(res.code).toBe(0);
    expect(res.out.split('\n')[0]).toMatch(/^customer_id,recency_days,/);
    expect(res.out).toMatch(/^a,2\.0,30\.0,7000\.0,5,5,5,555,Champions,0,Champions,/m);
  });

  it('scores one customer from flags (text and JSON)', async () => {
    const text = await run('assign', '--model', modelFile, '--recency', '34', '--frequency', '55', '--monetary', '66');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/RFM scores: R 3, F 5, M 1 \(code 351\) → segment "Potential Loyalist"/);
    expect(text.out).toMatch(/Distance to each centroid:/);
    expect(text.out).toMatch(/← nearest/);
    const json = await run('assign', '--model', modelFile, '--recency', '34', '--frequency', '55', '--monetary', '66', '--id', 'c1', '--json');
    const a = JSON.parse(json.out) as { customer_id: string; cluster: number; distances: number[] };
    expect(a.customer_id).toBe('c1');
    expect(a.distances).toHaveLength(5);
    expect(a).toEqual(JSON.parse(JSON.stringify(assignSegments(model, { customer_id: 'c1', recency: 34, frequency: 55, monetary: 66 }))));
  });

  it('fails with one clear line on bad input', async () => {
    const missing = await run('assign', '--model', modelFile, '--recency', '34');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/one customer needs --frequency, --monetary too/);
    const notNum = await run('assign', '--model', modelFile, '--recency', 'abc', '--frequency', '1', '--monetary', '2');
    expect(notNum.err).toMatch(/--recency must be a number, got "abc"/);
    const noModel = await run('assign', '--model', path.join(dir, 'nope.json'), '--recency', '1', '--frequency', '1', '--monetary', '1');
    expect(noModel.err).toMatch(/segkit model error \[model_not_found\]/);
    const old = path.join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ ...model, formatVersion: 99 }));
    const version = await run('assign', '--model', old, '--recency', '1', '--frequency', '1', '--monetary', '1');
    expect(version.code).toBe(1);
    expect(version.err).toMatch(/model file has format 99/);
    expect(version.err).toMatch(/Hint: upgrade segkit/);
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'customer_id,recency,frequency,monetary\nx,1,2,3\ny,1,two,3\n');
    const badRow = await run('assign', '--model', modelFile, '--input', bad);
    // the file and its line (row 2 of the data is line 3, after the header)
    expect(badRow.err).toMatch(/frequency must be a finite number, got "two" \(\S*bad\.csv, line 3 \(customer y\), frequency\)/);
  });
});
