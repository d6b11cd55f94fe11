/**
 * Does a notebook's parameters cell parse? `inspectParameters` reads declarations with a small scanner
 * that does not judge syntax (`let k: number = ;` would list `k` with no default), so `segkit inspect`
 * asks the TypeScript parser first: the one tslab compiles cells with (tslab depends on `typescript`),
 * loaded only when a cell is checked (it is large).
 */
import { createRequire } from 'node:module';
import { SegkitError } from '../errors';
import { findParametersCell } from './inspect';
import { type Notebook, cellSource } from './nbformat';

/** A syntax error in a cell: 1-based line and column within the cell, and the parser's message. */
export interface CellSyntaxError {
  line: number;
  column: number;
  message: string;
}

type TypeScript = typeof import('typescript');
let typescript: TypeScript | undefined;

/** tslab's TypeScript (the compiler that will see the cell), else the project's own. */
function loadTypeScript(): TypeScript {
  if (typescript) return typescript;
  let req = createRequire(__filename);
  try {
    req = createRequire(req.resolve('tslab/package.json'));
  } catch {
    /* tslab not resolvable from here: use whatever `typescript` resolves to */
  }
  typescript = req('typescript') as TypeScript;
  return typescript;
}

/** The first syntax error of TypeScript source `src` (as a notebook cell: a module, top-level await allowed), or undefined. */
export function syntaxError(src: string): CellSyntaxError | undefined {
  const ts = loadTypeScript();
  const out = ts.transpileModule(src, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
  const d = (out.diagnostics ?? []).find((x) => x.category === ts.DiagnosticCategory.Error);
  if (!d) return undefined;
  const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
  return { line: pos.line + 1, column: pos.character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') };
}

/**
 * Throw SegkitError('notebook', 'parameters_syntax') when the cell tagged "parameters" does not parse,
 * naming the notebook (`file`), the cell, the line and the offending source line. A notebook without a
 * parameters cell passes.
 */
export function checkParametersSyntax(nb: Notebook, file: string): void {
  const index = findParametersCell(nb);
  if (index === null) return;
  const src = cellSource(nb.cells[index]);
  const e = syntaxError(src);
  if (!e) return;
  const text = (src.split('\n')[e.line - 1] ?? '').trim();
  throw new SegkitError('notebook', 'parameters_syntax', `the parameters cell cannot be parsed: ${e.message.replace(/\.$/, '')} at line ${e.line}, column ${e.column} of the cell: ${JSON.stringify(text.length > 100 ? `${text.slice(0, 99)}…` : text)}`, {
    where: `${file}, cell ${index} tagged "parameters", line ${e.line}`,
    hint: 'fix the declaration in that cell, e.g. let k: number = 5; // clusters (tslab would stop at it too)',
  });
}
