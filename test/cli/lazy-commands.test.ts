/**
 * The CLI loads a command's analysis modules only when that command runs (issue #19: the bad-input
 * catalogue spent most of its time starting the CLI, which loaded Polars, Vega, Handlebars, … for every
 * command). `segkit --help`, a command's `--help` and a bad flag load none of them; `segkit rfm` loads
 * Polars but no charts, templates, browser or k-means. Checked on the built CLI (dist/), by listing
 * the packages in Node's module cache when the process exits.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLV_FLAG_DEFAULTS } from '../../src/cli/commands/clv';
import { DEFAULT_RULE_NAMES } from '../../src/cli/commands/options';
import { DEFAULT_RULES, RULE_ORDER } from '../../src/clean/rules';
import { CLV_DEFAULTS } from '../../src/clv';
import { ensureBuilt } from '../helpers/build';
import { ROOT, SAMPLE } from '../helpers/shared';

const execFileP = promisify(execFile);
const BIN = path.join(ROOT, 'bin', 'segkit.js');
const HEAVY = ['nodejs-polars', 'vega', 'vega-lite', 'handlebars', 'puppeteer', 'ml-kmeans', '@resvg/resvg-js', 'pg', '@clickhouse/client', 'typescript', 'yaml'];

let dir = '';
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-lazy-'));
  // a preload script: at exit, write the packages in the module cache to $SEGKIT_LOADED
  writeFileSync(
    path.join(dir, 'loaded.js'),
    `process.on('exit', () => require('fs').writeFileSync(process.env.SEGKIT_LOADED, JSON.stringify([...new Set(Object.keys(require.cache).filter((k) => k.includes('/node_modules/')).map((k) => { const p = k.split('/node_modules/').pop().split('/'); return p[0].startsWith('@') ? p[0] + '/' + p[1] : p[0]; }))])));`,
  );
}, 300_000);

/** The packages `segkit …args` loaded, and its exit code. */
async function loaded(args: string[]): Promise<{ code: number; packages: string[] }> {
  const out = path.join(dir, `loaded-${Math.random().toString(36).slice(2)}.json`);
  let code = 0;
  try {
    await execFileP(process.execPath, ['-r', path.join(dir, 'loaded.js'), BIN, ...args], { cwd: dir, env: { ...process.env, SEGKIT_LOADED: out }, timeout: 120_000 });
  } catch (e) {
    code = (e as { code?: number }).code ?? -1;
  }
  return { code, packages: JSON.parse(readFileSync(out, 'utf8')) as string[] };
}

const heavyIn = (packages: string[]): string[] => HEAVY.filter((h) => packages.includes(h));

describe('what the CLI loads', () => {
  it.each([
    [['--help'], 0],
    [['--version'], 0],
    [['rfm', '--help'], 0],
    [['report', '--help'], 0],
    [['rfm', '-i', 'tx.csv', '--bins', 'abc'], 1],
    [['report', '-i', 'tx.csv', '--k-max', 'x'], 1],
    [['eda', '-i', 'tx.csv', '--top', '0'], 1],
    [['frobnicate'], 1],
  ])('segkit %j loads none of the analysis packages', async (args, code) => {
    const r = await loaded(args as string[]);
    expect(r.code).toBe(code);
    expect(heavyIn(r.packages)).toEqual([]);
  }, 120_000);

  it('segkit rfm loads Polars and nothing for charts, reports, browsers or notebooks', async () => {
    const r = await loaded(['rfm', '-i', SAMPLE]);
    expect(r.code).toBe(0);
    expect(heavyIn(r.packages)).toEqual(['nodejs-polars']);
  }, 120_000);
});

describe('help texts that copy a value of a module the help must not load', () => {
  it('--skip-rule names the default rules of src/clean/rules.ts', () => {
    expect(DEFAULT_RULE_NAMES).toEqual(DEFAULT_RULES);
    expect(DEFAULT_RULE_NAMES).toEqual(RULE_ORDER.slice(0, 5));
  });

  it('clv --horizon and --discount show CLV_DEFAULTS', () => {
    expect(CLV_FLAG_DEFAULTS).toEqual({ horizon: CLV_DEFAULTS.horizon, discount: CLV_DEFAULTS.discount });
  });
});
