/** terminalSafe (src/cli/safe-text.ts): data quoted in a message cannot act on the terminal or flood it. */
import { describe, expect, it } from 'vitest';
import { MAX_LINE, terminalSafe } from '../../src/cli/safe-text';

describe('terminalSafe', () => {
  it('escapes control characters and bidi overrides, keeps newlines, tabs and ordinary Unicode', () => {
    expect(terminalSafe('text "\u001b]0;pwned\u0007\u001b[2J" (f.csv, line 5)\n  Hint: x\ty')).toBe('text "\\x1b]0;pwned\\x07\\x1b[2J" (f.csv, line 5)\n  Hint: x\ty');
    expect(terminalSafe('id "c1\u202Egnp.exe" ä £ 😀 \r\u0000')).toBe('id "c1\\u202egnp.exe" ä £ 😀 \\x0d\\x00');
  });

  it('cuts long quoted values to an excerpt with their length, and long lines in the middle', () => {
    const out = terminalSafe(`segkit io error [not_numeric]: text "${'z'.repeat(200000)}" in the numeric quantity column (f.csv, line 5)`);
    expect(out).toBe(`segkit io error [not_numeric]: text "${'z'.repeat(100)}…" (200,000 characters) in the numeric quantity column (f.csv, line 5)`);
    expect(terminalSafe(`"${'a'.repeat(120)}"`)).toBe(`"${'a'.repeat(120)}"`);
    const long = terminalSafe(`start ${'w '.repeat(10000)} (file.csv, line 9)`);
    expect(long.length).toBeLessThan(MAX_LINE + 100);
    expect(long).toMatch(/^start /);
    expect(long).toMatch(/\(file\.csv, line 9\)$/);
  });
});
