/**
 * The error-code catalogue (src/error-codes.ts) is true: every code src/ throws is in it under its stage,
 * every code in it is thrown somewhere, and codes are snake_case. The codes are found by scanning src/
 * (./thrown-codes.ts), so a new `throw new SegkitError('rfm', 'new_code', …)` fails here until it is
 * catalogued.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/error-codes';
import { thrownCodes } from './thrown-codes';

/**
 * Sites whose code is not a literal the scan can follow, by file, function and code expression, with the
 * codes each can add (none: it re-throws a SegkitError's own code, e.g. to name a CLI flag as `where`).
 */
const FORWARDED: Record<string, { stage?: string; codes: string[] }> = {
  'cli/commands/assign.ts relocated e.code': { codes: [] },
  'cli/commands/options.ts atFlag e.code': { codes: [] },
  'cli/commands/run.ts parametersFromFlags e.code': { codes: [] },
  'cli/commands/run.ts checkParameterFiles e.code': { codes: [] },
  'cli/wording.ts cliError e.code': { codes: [] },
  // the first of the problems found in the parameters (codes pushed in validateParameters)
  'notebook/inject.ts validateParameters problems[0].code': { stage: 'notebook', codes: ['invalid_parameter_name', 'parameter_type', 'unknown_parameter'] },
  // the `fatal` event of src/notebook/execute.py
  'notebook/python.ts (anonymous) code_': { stage: 'notebook', codes: ['kernel_missing', 'kernel_start', 'python_deps'] },
};


const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

describe('the error-code catalogue', () => {
  const { thrown, unresolved } = thrownCodes();
  const catalogued = Object.entries(ERROR_CODES).flatMap(([stage, codes]) => (codes as readonly string[]).map((code) => `${stage}/${code}`));
  const forwarded = Object.values(FORWARDED).flatMap((f) => f.codes.map((code) => `${f.stage}/${code}`));
  const thrownPairs = new Set([...thrown.map((t) => `${t.stage}/${t.code}`), ...forwarded]);

  it('follows stages and codes passed in by callers back to their literals', () => {
    const pair = (stage: string, code: string, file: string): boolean => thrown.some((t) => t.stage === stage && t.code === code && t.at.startsWith(file));
    expect(pair('select-k', 'bad_k', 'options.ts')).toBe(true); // checkK(k, n, 'select-k') → wholeNumber({ stage, code: 'bad_k' })
    expect(pair('clv', 'bad_date', 'options.ts')).toBe(true); // parseClvDay → isoDate({ code: 'bad_date' })
    expect(pair('select-k', 'too_few_customers', 'messages.ts')).toBe(true); // tooFewCustomers('select-k', …)
    expect(pair('generate', 'seed_invalid', 'generate/options.ts')).toBe(true); // fail('seed_invalid', …)
    expect(pair('cluster', 'bad_k', 'options.ts') && !pair('clv', 'bad_k', 'options.ts')).toBe(true); // joint: no pair from two different calls
  });

  it('can tell the code of every throw, or the site is listed with the codes it forwards', () => {
    const keys = unresolved.map((u) => `${u.at.replace(/:\d+$/, '')} ${u.fn} ${u.text}`);
    expect(
      keys.filter((k) => !(k in FORWARDED)),
      'write the code as a literal (or list the site in FORWARDED)',
    ).toEqual([]);
    expect(
      Object.keys(FORWARDED).filter((k) => !keys.includes(k)),
      'remove the stale FORWARDED lines',
    ).toEqual([]);
  });

  it('lists every code thrown, under its stage', () => {
    const missing = [...thrownPairs].filter((p) => !catalogued.includes(p)).sort();
    const where = missing.map(
      (p) =>
        `${p} (${
          thrown
            .filter((t) => `${t.stage}/${t.code}` === p)
            .map((t) => t.at)
            .join(', ') || 'forwarded'
        })`,
    );
    expect(where, 'add these codes to src/error-codes.ts').toEqual([]);
  });

  it('lists no code that is thrown nowhere', () => {
    expect(catalogued.filter((p) => !thrownPairs.has(p))).toEqual([]);
  });

  it('has every code in snake_case', () => {
    const codes = new Set(catalogued.map((p) => p.slice(p.indexOf('/') + 1)));
    expect([...codes].filter((c) => !SNAKE.test(c))).toEqual([]);
  });
});
