/**
 * `segkit inspect NB.ipynb`: list the parameters a notebook declares in its cell tagged "parameters".
 */
import type { Command } from 'commander';
import { type NotebookParameter, inspectParameters } from '../../notebook/inspect';
import { readNotebook } from '../../notebook/nbformat';
import { checkParametersSyntax } from '../../notebook/syntax';

const oneLine = (s: string, max: number): string => {
  const t = s.replace(/\s*\n\s*/g, ' ');
  return t.length <= max ? t : t.slice(0, max - 1) + '…';
};

/** The parameters as an aligned text table (NAME, TYPE, DEFAULT, DESCRIPTION). */
export function parameterTable(parameters: NotebookParameter[]): string {
  const rows = [
    ['NAME', 'TYPE', 'DEFAULT', 'DESCRIPTION'],
    ...parameters.map((p) => [p.name, p.annotated ? p.type : `${p.type} (inferred)`, oneLine(p.default || '(none)', 40), oneLine(p.help, 60)]),
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]) : cell)).join('  ').trimEnd()).join('\n') + '\n';
}

/** Register `segkit inspect`. */
export function register(program: Command): void {
  program
    .command('inspect')
    .description('List the parameters a notebook declares in its cell tagged "parameters" (name, type, default, description)')
    .argument('<notebook>', 'the .ipynb to inspect')
    .option('--json', 'print JSON instead of a table')
    .addHelpText(
      'after',
      `
The type is the declaration's annotation (let k: number | 'auto' = 'auto';) or is inferred from the
default literal (number, string, boolean, null, array, object); the description is the trailing
// comment. "segkit run" checks -p values against these types.

Examples:
  $ segkit inspect notebooks/segmentation.ipynb
  $ segkit inspect notebooks/segmentation.ipynb --json | jq '.parameters[].name'
`,
    )
    .action((notebook: string, flags: { json?: boolean }) => {
      const nb = readNotebook(notebook);
      // a cell that does not parse would be listed with made-up parameters (`k number (none)`)
      checkParametersSyntax(nb, notebook);
      const info = inspectParameters(nb);
      if (flags.json) {
        process.stdout.write(JSON.stringify({ notebook, ...info }, null, 2) + '\n');
        return;
      }
      if (info.cellIndex === null) {
        process.stdout.write(`${notebook} has no cell tagged "parameters" (segkit run would inject values at the top).\n`);
        return;
      }
      process.stdout.write(`Parameters of ${notebook} (cell ${info.cellIndex}, tagged "parameters"):\n`);
      process.stdout.write(info.parameters.length ? parameterTable(info.parameters) : '  (the cell declares no variables)\n');
    });
}
