/** `segkit generate`: flags, the written file, the one-line summary on stderr, help and errors. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseCount, register } from '../../src/cli/commands/generate';
import { generateTransactions, NO_FAULTS, transactionsToCsv } from '../../src/generate';

const tmp = mkdtempSync(join(tmpdir(), 'segkit-generate-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function program(): Command {
  const p = new Command().name('segkit').exitOverride();
  register(p);
  return p;
}

async function run(args: string[]): Promise<string> {
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    await program().parseAsync(['node', 'segkit', 'generate', ...args]);
  } finally {
    spy.mockRestore();
  }
  return err;
}

describe('segkit generate', () => {
  it('writes the same file as the API and prints one summary line', async () => {
    const out = join(tmp, 'a.csv');
    const err = await run(['--out', out, '--rows', '3_000', '--customers', '150', '--seed', '9']);
    const expected = generateTransactions({ rows: 3000, customers: 150, seed: 9 });
    expect(readFileSync(out, 'utf8')).toBe(transactionsToCsv(expected.rows));
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(`wrote ${expected.summary.rows.toLocaleString('en-GB')} rows, 150 customers`);
    expect(err).toContain('seed 9');
  });

  it('--no-faults and dates are passed through', async () => {
    const out = join(tmp, 'b.csv');
    await run(['--out', out, '--rows', '1e3', '--customers', '50', '--no-faults', '--start', '2011-01-01', '--end', '2011-03-31']);
    const expected = generateTransactions({ rows: 1000, customers: 50, faults: NO_FAULTS, start: '2011-01-01', end: '2011-03-31' });
    expect(readFileSync(out, 'utf8')).toBe(transactionsToCsv(expected.rows));
  });

  it('has a description and examples in its help', () => {
    const cmd = program().commands.find((c) => c.name() === 'generate')!;
    expect(cmd.description()).toMatch(/synthetic transactions/);
    let help = '';
    cmd.configureOutput({ writeOut: (s) => (help += s) });
    cmd.outputHelp();
    expect(help).toContain('--out <file>');
    expect(help).toContain('Examples:');
    expect(help).toContain('segkit generate --out');
  });

  it('rejects a non-numeric count with the flag named', async () => {
    expect(parseCount('1,000,000', '--rows')).toBe(1000000);
    expect(() => parseCount('lots', '--rows')).toThrow(/--rows must be a whole number/);
    await expect(run(['--out', join(tmp, 'c.csv'), '--rows', '2.5'])).rejects.toMatchObject({ code: 'bad_option', where: '--rows' });
  });

  it('requires --out', async () => {
    await expect(run(['--rows', '100'])).rejects.toMatchObject({ code: 'commander.missingMandatoryOptionValue' });
  });
});
