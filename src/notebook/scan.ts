/**
 * A tiny TypeScript scanner for parameters cells: find where a type annotation or an initializer
 * ends, skipping strings, template literals, comments and brackets. Not a parser: it knows just
 * enough to split `let k: number | 'auto' = 'auto'; // comment` into its parts.
 */

/** Index just after the string/template literal that starts at `i`. */
export function skipString(src: string, i: number): number {
  const q = src[i++];
  while (i < src.length && src[i] !== q) {
    if (src[i] === '\\') i += 2;
    else if (q === '`' && src.startsWith('${', i)) i = skipBalanced(src, i + 1);
    else i++;
  }
  return i + 1;
}

/** Index just after the bracket group that opens at `i` (`{`, `(` or `[`). */
function skipBalanced(src: string, i: number): number {
  const end = readUntil(src, i + 1, '', false, true);
  return end.stop + 1;
}

const OPENERS = '([{';
const CLOSERS = ')]}';
const CONTINUES_AFTER = '=+-*/%,|&?:!~^<({[';
const CONTINUES_BEFORE = '.?:|&,';

/** Where a read stopped (`stop`: index of the stop char or the end) and where its code ended (`codeEnd`, excluding comments/space). */
export interface ReadResult {
  stop: number;
  codeEnd: number;
}

/**
 * Read from `i` until a top-level character in `stops`, a top-level newline that ends the statement
 * (no operator before it, no `.`/`|`/`?` continuing it), or the end. `typeMode` also nests `<…>` and
 * ignores the `=` of `=>`. `closeOnly` (internal) reads to the bracket that closes the current one.
 */
export function readUntil(src: string, i: number, stops: string, typeMode: boolean, closeOnly = false): ReadResult {
  let depth = 0;
  let codeEnd = i;
  let lastCode = '';
  while (i < src.length) {
    const c = src[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(src, i);
      codeEnd = i;
      lastCode = c;
      continue;
    }
    if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const e = src.indexOf('*/', i + 2);
      i = e < 0 ? src.length : e + 2;
      continue;
    }
    if (depth === 0) {
      if (closeOnly && CLOSERS.includes(c)) return { stop: i, codeEnd };
      if (stops.includes(c) && !(c === '=' && (src[i + 1] === '>' || src[i + 1] === '='))) return { stop: i, codeEnd };
      if (c === '\n' && !closeOnly && !CONTINUES_AFTER.includes(lastCode)) {
        const next = /^\s*(\S)(\S)?/.exec(src.slice(i + 1));
        const continues = next !== null && (CONTINUES_BEFORE.includes(next[1]) || (next[1] === '=' && next[2] === '>'));
        if (!continues) return { stop: i, codeEnd };
      }
    }
    if (OPENERS.includes(c) || (typeMode && c === '<')) depth++;
    else if (CLOSERS.includes(c) || (typeMode && c === '>' && src[i - 1] !== '=')) depth = Math.max(0, depth - 1);
    if (!/\s/.test(c)) {
      codeEnd = i + 1;
      lastCode = c;
    }
    i++;
  }
  return { stop: i, codeEnd };
}

/** The `// comment` on the rest of the line from `i` (only spaces before it), trimmed; '' when none. */
export function trailingComment(src: string, i: number): string {
  const m = /^[ \t]*\/\/(.*)/.exec(src.slice(i).split('\n')[0]);
  return m ? m[1].trim() : '';
}
