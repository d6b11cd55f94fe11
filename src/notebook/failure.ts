/**
 * What went wrong in a failed cell, and the banner cell that says so at the top of the notebook.
 *
 * tslab reports a failure as execute_reply status "error" WITHOUT ename/evalue; the message is in
 * the cell's stderr stream: compiler diagnostics (`1:7 - Type 'string' is not assignable…`) or a
 * Node stack (`…\n\nReferenceError: x is not defined\n    at …`). We read it from there.
 */
import { ERROR_BANNER_TAG, type Notebook, type NotebookCell, type NotebookOutput, cellSource, firstLine, newCell } from './nbformat';

/** The error a cell raised. */
export interface CellError {
  /** Error class: `ReferenceError`, `Error`, `TypeScriptError` (compile errors), `CellTimeoutError`, … */
  ename: string;
  /** The message. */
  evalue: string;
  /** The error text as the kernel printed it, without tslab/Node internal stack frames. */
  traceback: string;
}

/** Which cell failed. */
export interface FailedCell {
  /** 0-based index in the written notebook (the banner is cell 0). */
  index: number;
  /** 1-based number among the notebook's code cells, as in the progress lines `[ordinal/total]`. */
  ordinal: number;
  total: number;
  /** Its first line of code (see nbformat's firstLine). */
  firstLine: string;
  source: string;
}

const text = (o: NotebookOutput): string => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? ''));
const INTERNAL = /^\s+at (evalmachine\.<anonymous>:\d+:\d+$|.*(\(node:|node_modules[\\/]tslab|sigintHandlersWrap))/;

/** Find the error in a failed cell's outputs; `reply` is what the runner reported (often empty for tslab). */
export function describeCellError(cell: NotebookCell, reply: { ename?: string; evalue?: string } = {}): CellError {
  const errorOut = (cell.outputs ?? []).find((o) => o.output_type === 'error');
  if (errorOut) {
    return { ename: errorOut.ename ?? 'Error', evalue: errorOut.evalue ?? '', traceback: (errorOut.traceback ?? []).join('\n') };
  }
  const stderr = (cell.outputs ?? []).filter((o) => o.output_type === 'stream' && o.name === 'stderr').map(text).join('');
  const lines = stderr.replace(/\s+$/, '').split('\n');
  const traceback = lines.filter((l) => !INTERNAL.test(l)).join('\n').trim();
  const known = reply.ename && reply.ename !== '<Error>' ? reply : undefined;
  if (known) return { ename: known.ename!, evalue: known.evalue ?? '', traceback };
  const diagnostics = lines.filter((l) => /^\d+:\d+ - /.test(l));
  if (diagnostics.length) return { ename: 'TypeScriptError', evalue: diagnostics.join('\n'), traceback };
  // The message block of the last stack: the lines between a blank line (or the start) and the `at` frames.
  let firstFrame = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^\s+at /.test(lines[i])) firstFrame = i;
    else if (firstFrame >= 0) break;
  }
  const end = firstFrame >= 0 ? firstFrame : lines.length;
  let start = end;
  while (start > 0 && lines[start - 1].trim() !== '') start--;
  const block = lines.slice(start, end).map((l) => l.replace(/^UncaughtException: /, ''));
  if (!block.join('').trim()) return { ename: 'Error', evalue: 'the cell failed without an error message', traceback };
  // The header `Name: message` (or a bare `Name`): prefer a name ending in Error/Exception, since
  // stderr written before the error may share the block.
  const header = firstFrame < 0 ? -1 : [/^[\w$.]*(Error|Exception)(: |$)/, /^[A-Za-z_$][\w$.]*(: |$)/].map((re) => block.findIndex((l) => re.test(l))).find((j) => j >= 0) ?? -1;
  if (header < 0) return { ename: 'Error', evalue: block.join('\n').trim(), traceback };
  const m = /^([A-Za-z_$][\w$.]*)(?:: ([\s\S]*))?$/.exec(block.slice(header).join('\n').trim())!;
  return { ename: m[1], evalue: m[2] ?? '', traceback };
}

/** Describe the failing cell `index` (an index into `nb`, before the banner is added). */
export function failedCellInfo(nb: Notebook, index: number): FailedCell {
  const code = nb.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === 'code' && cellSource(c).trim() !== '');
  const source = cellSource(nb.cells[index]);
  return {
    index: index + 1,
    ordinal: code.findIndex(({ i }) => i === index) + 1,
    total: code.length,
    firstLine: firstLine(nb.cells[index]),
    source,
  };
}

const fence = (s: string): string => {
  const ticks = '`'.repeat(Math.max(3, ...(s.match(/`+/g) ?? []).map((t) => t.length + 1)));
  return `${ticks}text\n${s}\n${ticks}`;
};
const inline = (s: string): string => (s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``);

/** The markdown banner cell (tagged "segkit-error-banner") for the top of a failed notebook. */
export function errorBannerCell(nb: Notebook, failed: FailedCell, error: CellError): NotebookCell {
  const md = [
    '## ⚠ segkit run failed',
    '',
    `Cell **[${failed.ordinal}/${failed.total}]** (index ${failed.index} in this notebook, where this banner is 0) raised **${error.ename}**: ${error.evalue.split('\n')[0]}`,
    '',
    `First line: ${inline(failed.firstLine.slice(0, 200))}`,
    '',
    fence(error.traceback || `${error.ename}: ${error.evalue}`),
    '',
    'Cells after it were not run.',
    '',
  ].join('\n');
  return newCell(nb, 'markdown', md, [ERROR_BANNER_TAG]);
}
