/**
 * Read a JavaScript/TypeScript literal as written in a parameters cell (`'auto'`, `-1.5`, `[1, 2]`,
 * `{ depth: 2, mode: 'fast' }`, `null`) into a JSON value. Anything else (an expression, a template
 * with `${}`, `undefined`, a call) is not a literal and gives `undefined`.
 */
import type { JsonValue } from './nbformat';

class NotLiteral extends Error {}

/** Parse `text` as a JSON-compatible JS literal, or return undefined when it is not one. */
export function parseLiteral(text: string): JsonValue | undefined {
  const src = text.trim().replace(/\s+as\s+const\s*$/, '');
  let i = 0;
  const ws = (): void => {
    for (;;) {
      while (i < src.length && /\s/.test(src[i])) i++;
      if (src.startsWith('//', i)) while (i < src.length && src[i] !== '\n') i++;
      else if (src.startsWith('/*', i)) i = src.indexOf('*/', i) < 0 ? src.length : src.indexOf('*/', i) + 2;
      else return;
    }
  };
  const str = (): string => {
    const q = src[i++];
    let out = '';
    while (i < src.length && src[i] !== q) {
      if (q === '`' && src.startsWith('${', i)) throw new NotLiteral();
      if (src[i] === '\\') {
        const c = src[i + 1];
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };
        if (c === 'u' || c === 'x') {
          const m = /^(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))/.exec(src.slice(i + 1));
          if (!m) throw new NotLiteral();
          out += String.fromCodePoint(parseInt(m[1] ?? m[2] ?? m[3], 16));
          i += 1 + m[0].length;
          continue;
        }
        out += map[c] ?? c;
        i += 2;
      } else out += src[i++];
    }
    if (i >= src.length) throw new NotLiteral();
    i++;
    return out;
  };
  const value = (): JsonValue => {
    ws();
    const c = src[i];
    if (c === '"' || c === "'" || c === '`') return str();
    if (c === '[') {
      i++;
      const arr: JsonValue[] = [];
      for (ws(); src[i] !== ']'; ws()) {
        arr.push(value());
        ws();
        if (src[i] === ',') i++;
        else if (src[i] !== ']') throw new NotLiteral();
      }
      i++;
      return arr;
    }
    if (c === '{') {
      i++;
      const obj: Record<string, JsonValue> = {};
      for (ws(); src[i] !== '}'; ws()) {
        let key: string;
        if (src[i] === '"' || src[i] === "'") key = str();
        else {
          const m = /^[A-Za-z_$][\w$]*|^\d+/.exec(src.slice(i));
          if (!m) throw new NotLiteral();
          key = m[0];
          i += key.length;
        }
        ws();
        if (src[i++] !== ':') throw new NotLiteral();
        obj[key] = value();
        ws();
        if (src[i] === ',') i++;
        else if (src[i] !== '}') throw new NotLiteral();
      }
      i++;
      return obj;
    }
    const m = /^(?:[+-]?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)|true|false|null)(?![\w$])/.exec(src.slice(i));
    if (!m) throw new NotLiteral();
    i += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    if (m[0] === 'null') return null;
    const n = Number(m[0].replace(/_/g, ''));
    if (!Number.isFinite(n)) throw new NotLiteral();
    return n;
  };
  try {
    const v = value();
    ws();
    return i === src.length ? v : undefined;
  } catch (e) {
    if (e instanceof NotLiteral) return undefined;
    throw e;
  }
}
