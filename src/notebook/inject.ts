/**
 * Papermill-style parameter injection for TypeScript (tslab) notebooks.
 *
 * The values become a code cell tagged "injected-parameters" right after the cell tagged
 * "parameters". Each value RE-DECLARES the parameter with the same keyword and the declared type:
 *
 *     let k: number | 'auto' = 'auto';   // parameters cell (unchanged)
 *     let k: number | 'auto' = 4;        // injected cell
 *
 * tslab compiles each cell on its own against the declarations of earlier cells and drops an
 * earlier declaration that a later cell declares again, so re-declaring works for `let` and `const`
 * (checked with tslab 1.0.22). Keeping the declared type means later cells type-check exactly as
 * with the defaults (`if (k === 'auto')` still compiles) and tslab checks the value against it
 * too; keeping the keyword means a `let` parameter can still be reassigned by later cells.
 * Inferred types are widened (`const input: string = "x.csv"`), arrays/objects/null defaults
 * get no annotation.
 */
import { SegkitError, closest, warn } from '../errors';
import { type NotebookParameter, inspectParameters } from './inspect';
import { ERROR_BANNER_TAG, INJECTED_TAG, type Notebook, hasTag, newCell } from './nbformat';
import { checkType } from './typecheck';
import { type Parameters, isIdentifier, toTsLiteral, valueTypeName } from './values';

/** Options of {@link injectParameters}. */
export interface InjectOptions {
  /** Inject names the parameters cell does not declare instead of failing (default false). */
  allowUnknown?: boolean;
}

const UNCHECKED_INFERRED = new Set(['null', 'undefined', 'unknown']);

/** The annotation the injected declaration carries ('' for none). */
export function injectedAnnotation(p: NotebookParameter): string {
  if (p.annotated) return p.type;
  return ['number', 'string', 'boolean'].includes(p.type) ? p.type : '';
}

/** The TypeScript line that sets one parameter in the injected cell. */
export function injectedLine(name: string, value: Parameters[string], declared?: NotebookParameter): string {
  const keyword = declared?.keyword ?? 'const';
  const annotation = declared ? injectedAnnotation(declared) : '';
  return `${keyword} ${name}${annotation ? `: ${annotation}` : ''} = ${toTsLiteral(value)};`;
}

/**
 * Check `params` against the notebook's parameters cell, without changing anything.
 * Throws SegkitError('notebook', 'unknown_parameter' | 'parameter_type' | 'invalid_parameter_name')
 * listing every problem at once.
 */
export function validateParameters(nb: Notebook, params: Parameters, options: InjectOptions = {}): void {
  const { cellIndex, parameters, typeAliases } = inspectParameters(nb);
  const declared = new Map(parameters.map((p) => [p.name, p]));
  const problems: Array<{ code: string; message: string; hint: string }> = [];
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    const p = declared.get(name);
    if (!isIdentifier(name)) {
      problems.push({ code: 'invalid_parameter_name', message: `${JSON.stringify(name)} is not a valid TypeScript name`, hint: 'use letters, digits, _ and $ only' });
    } else if (!p) {
      if (options.allowUnknown || cellIndex === null) continue;
      unknown.push(name);
    } else if (!(!p.annotated && UNCHECKED_INFERRED.has(p.type)) && checkType(value, p.type, typeAliases) === 'mismatch') {
      const looksNumeric = typeof value !== 'string' && /string/.test(p.type);
      problems.push({
        code: 'parameter_type',
        message: `parameter ${name} is declared as ${p.type} but the value ${toTsLiteral(value)} is a ${valueTypeName(value)}`,
        hint: looksNumeric ? `pass it with -r ${name} VALUE to keep it as a string` : `pass a value of type ${p.type}`,
      });
    }
  }
  if (unknown.length) {
    // one problem for all unknown names: the parameter list and the hint are said once
    const names = parameters.map((q) => q.name);
    const guesses = unknown.flatMap((u) => closest(u, names, 1, Math.max(2, Math.ceil(u.length / 2))).map((n) => (unknown.length > 1 ? `${n} (for ${u})` : n)));
    problems.unshift({
      code: 'unknown_parameter',
      message: `unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u)).join(', ')}; the notebook's parameters are: ${names.join(', ') || '(none)'}`,
      hint: `${guesses.length ? `did you mean ${guesses.join(', ')}? ` : ''}Check the spelling, or pass --allow-unknown to inject ${unknown.length > 1 ? 'them' : 'it'} anyway`,
    });
  }
  if (problems.length) {
    throw new SegkitError('notebook', problems[0].code, problems.map((p) => p.message).join('; '), {
      where: `parameters of ${problems.length === 1 ? 'the notebook' : `the notebook (${problems.length} problems)`}`,
      hint: problems.map((p) => p.hint).join('; '),
    });
  }
}

/**
 * Return a copy of `nb` with `params` in a cell tagged "injected-parameters" after the cell tagged
 * "parameters" (see the module comment for the generated code). Earlier injected cells and error
 * banners (from a previous run of an executed notebook) are removed, so there is at most one
 * injected cell. With no parameters cell the values go first, with a warning. With no values,
 * no injected cell is added. Values are validated first (see {@link validateParameters}).
 */
export function injectParameters(nb: Notebook, params: Parameters, options: InjectOptions = {}): Notebook {
  validateParameters(nb, params, options);
  const out: Notebook = JSON.parse(JSON.stringify(nb)) as Notebook;
  out.cells = out.cells.filter((c) => !hasTag(c, INJECTED_TAG) && !hasTag(c, ERROR_BANNER_TAG));
  const names = Object.keys(params);
  if (names.length === 0) return out;
  const { cellIndex, parameters } = inspectParameters(out);
  const declared = new Map(parameters.map((p) => [p.name, p]));
  const lines = names.map((n) => injectedLine(n, params[n], declared.get(n)));
  const header = '// Parameters injected by segkit run (they override the cell tagged "parameters")\n';
  const cell = newCell(out, 'code', header + lines.join('\n') + '\n', [INJECTED_TAG]);
  if (cellIndex === null) {
    warn('notebook', 'NO_PARAMETERS_CELL', 'the notebook has no cell tagged "parameters"; the parameters were injected at the top (tag a cell "parameters" to set defaults)');
    out.cells.unshift(cell);
  } else {
    out.cells.splice(cellIndex + 1, 0, cell);
  }
  return out;
}
