/**
 * Check a parameter value against the type a parameters cell declares, before anything runs.
 *
 * Understood: number, string, boolean, null, undefined, object, any, unknown; string/number/boolean
 * literal types (`'auto'`, `3`, `true`); unions (`number | 'auto'`); arrays (`T[]`, `Array<T>`,
 * `readonly T[]`, tuples `[A, B]`); object types (`{ … }`, `Record<K, V>`); aliases from
 * `type X = …` in the parameters cell; the inferred names `array` and `object`. Anything else
 * (an interface, a function type, `Date`) cannot be checked here and is left to tslab's compiler,
 * which sees the injected declaration with the same annotation.
 */
import type { JsonValue } from './nbformat';

/** 'match', 'mismatch', or 'unchecked' (the type is beyond this checker). */
export type TypeVerdict = 'match' | 'mismatch' | 'unchecked';

/** Split `text` at top-level occurrences of `sep` (outside brackets, `<>` and quotes). */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      const q = c;
      for (i++; i < text.length && text[i] !== q; i++) if (text[i] === '\\') i++;
    } else if ('([{<'.includes(c)) depth++;
    else if (')]}'.includes(c) || (c === '>' && text[i - 1] !== '=')) depth--;
    else if (c === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p, i, all) => p !== '' || all.length === 1);
}

const isPlainObject = (v: JsonValue): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

function all(verdicts: TypeVerdict[]): TypeVerdict {
  if (verdicts.includes('mismatch')) return 'mismatch';
  return verdicts.includes('unchecked') ? 'unchecked' : 'match';
}

/** Check `value` against the declared type text (annotation or inferred name). */
export function checkType(value: JsonValue, type: string, aliases: Record<string, string> = {}, depth = 0): TypeVerdict {
  if (depth > 20) return 'unchecked';
  const members = splitTopLevel(type.trim(), '|');
  if (members.length > 1) {
    const v = members.map((m) => checkType(value, m, aliases, depth + 1));
    if (v.includes('match')) return 'match';
    return v.includes('unchecked') ? 'unchecked' : 'mismatch';
  }
  const t = members[0].replace(/^readonly\s+/, '');
  const ok = (b: boolean): TypeVerdict => (b ? 'match' : 'mismatch');
  if (/^\(.*\)$/s.test(t) && splitTopLevel(t.slice(1, -1), '|').length >= 1 && !/=>/.test(t)) return checkType(value, t.slice(1, -1), aliases, depth + 1);
  if (/^(['"]).*\1$/s.test(t)) return ok(value === t.slice(1, -1));
  if (/^-?\d+(\.\d+)?$/.test(t)) return ok(value === Number(t));
  switch (t) {
    case 'number': return ok(typeof value === 'number');
    case 'string': return ok(typeof value === 'string');
    case 'boolean': return ok(typeof value === 'boolean');
    case 'true': return ok(value === true);
    case 'false': return ok(value === false);
    case 'null': return ok(value === null);
    case 'undefined': case 'never': case 'void': return 'mismatch';
    case 'any': case 'unknown': return 'match';
    case 'object': return ok(typeof value === 'object' && value !== null);
    case 'array': return ok(Array.isArray(value));
  }
  const arrayOf = /^(.*)\[\]$/s.exec(t)?.[1] ?? /^(?:Readonly)?Array<(.*)>$/s.exec(t)?.[1];
  if (arrayOf !== undefined) {
    if (!Array.isArray(value)) return 'mismatch';
    return all(value.map((v) => checkType(v, arrayOf, aliases, depth + 1)));
  }
  if (t.startsWith('[') && t.endsWith(']')) {
    const elems = splitTopLevel(t.slice(1, -1), ',').map((e) => e.replace(/^[\w$]+\??\s*:\s*/, ''));
    if (!Array.isArray(value)) return 'mismatch';
    if (elems.some((e) => e.endsWith('?') || e.startsWith('...'))) return 'unchecked';
    if (value.length !== elems.length) return 'mismatch';
    return all(value.map((v, i) => checkType(v, elems[i], aliases, depth + 1)));
  }
  const record = /^Record<(.*)>$/s.exec(t);
  if (record) {
    if (!isPlainObject(value)) return 'mismatch';
    const [, valueType] = splitTopLevel(record[1], ',');
    return valueType === undefined ? 'unchecked' : all(Object.values(value as Record<string, JsonValue>).map((v) => checkType(v, valueType, aliases, depth + 1)));
  }
  if (t.startsWith('{') && t.endsWith('}')) return isPlainObject(value) ? 'unchecked' : 'mismatch';
  if (Object.prototype.hasOwnProperty.call(aliases, t)) return checkType(value, aliases[t], aliases, depth + 1);
  return 'unchecked';
}
