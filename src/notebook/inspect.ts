/**
 * What a notebook accepts as parameters: the declarations in its cell tagged "parameters".
 *
 * `let k: number | 'auto' = 'auto'; // clusters, or 'auto'` gives name `k`, type `number | 'auto'`
 * (the annotation), default `'auto'` and help `clusters, or 'auto'`. Without an annotation the type
 * is inferred from the literal: number, string, boolean, null, array or object (`unknown` for an
 * expression such as `new Date()`). A `// comment` on the lines just above a declaration is its help
 * when there is no trailing comment. `type Mode = 'a' | 'b';` lines are kept as aliases for type checks.
 */
import { parseLiteral } from './literal';
import { type JsonValue, type Notebook, PARAMETERS_TAG, cellSource, hasTag } from './nbformat';
import { readUntil, trailingComment } from './scan';

/** One parameter declared in the parameters cell. */
export interface NotebookParameter {
  name: string;
  /** The declared type: the annotation as written, or the type inferred from the default literal. */
  type: string;
  /** True when `type` is an explicit annotation. */
  annotated: boolean;
  /** The declaring keyword; the injected cell re-declares the name with the same one. */
  keyword: 'let' | 'const' | 'var';
  /** The default as written in the notebook ('' when the declaration has no initializer). */
  default: string;
  /** The default as a JSON value when it is a plain literal; absent for expressions. */
  defaultValue?: JsonValue;
  /** The trailing `// comment` (or the comment lines just above), '' when none. */
  help: string;
  /** 1-based line of the declaration in the parameters cell. */
  line: number;
}

/** The result of {@link inspectParameters}. */
export interface ParameterInspection {
  /** Index of the cell tagged "parameters", or null when the notebook has none. */
  cellIndex: number | null;
  parameters: NotebookParameter[];
  /** `type X = …` aliases declared in the parameters cell (name → type text). */
  typeAliases: Record<string, string>;
}

/** The type of a literal default: number, string, boolean, null, array, object, undefined or unknown. */
export function inferType(text: string, value: JsonValue | undefined): string {
  const t = text.trim();
  if (value === undefined) {
    if (t === 'undefined') return 'undefined';
    return /^`/.test(t) && t.endsWith('`') ? 'string' : 'unknown';
  }
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** Parse the source of a parameters cell (see the module comment). */
export function parseParametersSource(src: string): Omit<ParameterInspection, 'cellIndex'> {
  const parameters: NotebookParameter[] = [];
  const typeAliases: Record<string, string> = {};
  const lineAt = (i: number): number => src.slice(0, i).split('\n').length;
  let doc: string[] = [];
  let i = 0;
  while (i < src.length) {
    const ws = /^\s*/.exec(src.slice(i))![0];
    if ((ws.match(/\n/g) ?? []).length > 1) doc = [];
    i += ws.length;
    if (i >= src.length) break;
    const rest = src.slice(i);
    if (rest.startsWith('//')) {
      const end = src.indexOf('\n', i);
      const ownLine = /^\s*$/.test(src.slice(src.lastIndexOf('\n', i - 1) + 1, i));
      if (ownLine) doc.push(src.slice(i + 2, end < 0 ? src.length : end).trim());
      i = end < 0 ? src.length : end;
      continue;
    }
    if (rest.startsWith('/*')) {
      const end = src.indexOf('*/', i + 2) < 0 ? src.length : src.indexOf('*/', i + 2) + 2;
      doc = [src.slice(i + 2, end - 2).replace(/^\*|\n\s*\*/g, ' ').replace(/\s+/g, ' ').trim()];
      i = end;
      continue;
    }
    const alias = /^(?:export\s+)?type\s+([A-Za-z_$][\w$]*)\s*=/.exec(rest);
    const decl = /^(?:export\s+)?(let|const|var)\s+/.exec(rest);
    if (alias) {
      const r = readUntil(src, i + alias[0].length, ';', true);
      typeAliases[alias[1]] = src.slice(i + alias[0].length, r.codeEnd).trim();
      i = r.stop + 1;
    } else if (decl) {
      i = readDeclarators(src, i + decl[0].length, decl[1] as NotebookParameter['keyword'], doc.join(' '), lineAt, parameters);
    } else {
      i = readUntil(src, i, ';', false).stop + 1;
    }
    doc = [];
  }
  return { parameters, typeAliases };
}

function readDeclarators(
  src: string,
  i: number,
  keyword: NotebookParameter['keyword'],
  doc: string,
  lineAt: (i: number) => number,
  out: NotebookParameter[],
): number {
  for (;;) {
    i += /^\s*/.exec(src.slice(i))![0].length;
    const name = /^[A-Za-z_$][\w$]*/.exec(src.slice(i));
    if (!name) return readUntil(src, i, ';', false).stop + 1; // destructuring: not a parameter
    const line = lineAt(i);
    i += name[0].length;
    i += /^\s*!?\s*/.exec(src.slice(i))![0].length;
    let codeEnd = i;
    let type = '';
    if (src[i] === ':') {
      const r = readUntil(src, i + 1, '=,;', true);
      type = src.slice(i + 1, r.codeEnd).trim();
      i = r.stop;
      codeEnd = r.codeEnd;
    }
    let dflt = '';
    if (src[i] === '=') {
      const r = readUntil(src, i + 1, ',;', false);
      dflt = src.slice(i + 1, r.codeEnd).trim();
      i = r.stop;
      codeEnd = r.codeEnd;
    }
    const defaultValue = dflt === '' ? undefined : parseLiteral(dflt);
    const sep = src[i];
    if (sep === ',' || sep === ';') i++;
    const help = trailingComment(src, sep === ',' || sep === ';' ? i : codeEnd) || doc;
    out.push({
      name: name[0],
      type: type || (dflt === '' ? 'unknown' : inferType(dflt, defaultValue)),
      annotated: type !== '',
      keyword,
      default: dflt,
      ...(defaultValue === undefined ? {} : { defaultValue }),
      help,
      line,
    });
    if (sep !== ',') return i;
  }
}

/** Index of the first cell tagged "parameters", or null. */
export function findParametersCell(nb: Notebook): number | null {
  const i = nb.cells.findIndex((c) => c.cell_type === 'code' && hasTag(c, PARAMETERS_TAG));
  return i < 0 ? null : i;
}

/** List the parameters a notebook declares in its cell tagged "parameters" (empty when it has none). */
export function inspectParameters(nb: Notebook): ParameterInspection {
  const cellIndex = findParametersCell(nb);
  if (cellIndex === null) return { cellIndex, parameters: [], typeAliases: {} };
  return { cellIndex, ...parseParametersSource(cellSource(nb.cells[cellIndex])) };
}
