/**
 * Parameter values from the command line and from parameter files (papermill's conventions).
 */
import { readFileSync } from 'node:fs';
import type YAMLModule from 'yaml';
import { SegkitError } from '../errors';
import type { JsonValue } from './nbformat';

/** Parameter values by name. */
export type Parameters = Record<string, JsonValue>;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parse a `-p NAME VALUE` value: a number (`4`, `-1.5`, `1e3`), a boolean (`true`/`false`,
 * also `True`/`False`), `null`, a JSON array or object (`[1,2]`, `{"a":1}`), else the string as given.
 * Text that starts with `[` or `{` but is not valid JSON is an error (use `-r` for a raw string).
 */
export function parseParameterValue(raw: string): JsonValue {
  const t = raw.trim();
  if (NUMBER.test(t)) return Number(t);
  if (t === 'true' || t === 'True') return true;
  if (t === 'false' || t === 'False') return false;
  if (t === 'null') return null;
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      return JSON.parse(t) as JsonValue;
    } catch (e) {
      throw new SegkitError('notebook', 'bad_parameter_value', `${raw} looks like JSON but does not parse (${(e as Error).message})`, {
        where: 'parameter value',
        hint: 'quote it for the shell as valid JSON (e.g. -p xs \'[1, 2]\'), or pass it with -r to keep the raw string',
      });
    }
  }
  return raw;
}

/** The JavaScript type name of a parameter value, as used in messages: number, string, boolean, null, array, object. */
export function valueTypeName(v: JsonValue | undefined): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Is `name` usable as a TypeScript variable name? */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name);
}

/**
 * Turn the values of a repeatable `-p NAME VALUE` option into [name, value] pairs.
 * A token `NAME=VALUE` is one pair on its own (handy for negative numbers: `-p seed=-1`).
 * Returns the pairs and a dangling last token, if any (commander swallows a notebook path placed after `-p`).
 */
export function pairTokens(tokens: readonly string[]): { pairs: Array<[string, string]>; dangling?: string } {
  const pairs: Array<[string, string]> = [];
  let i = 0;
  while (i < tokens.length) {
    const m = /^([A-Za-z_$][\w$]*)=([\s\S]*)$/.exec(tokens[i]);
    if (m) {
      pairs.push([m[1], m[2]]);
      i += 1;
    } else if (i + 1 < tokens.length) {
      pairs.push([tokens[i], tokens[i + 1]]);
      i += 2;
    } else {
      return { pairs, dangling: tokens[i] };
    }
  }
  return { pairs };
}

/** Read a parameters file: YAML (`.yaml`/`.yml`) or JSON, whose top level must be a mapping. */
export function loadParameterFile(file: string): Parameters {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SegkitError('notebook', 'parameter_file', `cannot read the parameters file: ${(e as Error).message}`, {
      where: file,
      hint: 'check the path given to -f',
    });
  }
  let data: unknown;
  try {
    // yaml is loaded only for a YAML file (a tenth of a second the CLI need not spend at every start)
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, on purpose
    data = /\.json$/i.test(file) ? JSON.parse(text) : (require('yaml') as typeof YAMLModule).parse(text);
  } catch (e) {
    throw new SegkitError('notebook', 'parameter_file', `the parameters file does not parse: ${(e as Error).message}`, {
      where: file,
      hint: 'fix the YAML/JSON syntax',
    });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new SegkitError('notebook', 'parameter_file', 'the parameters file must be a mapping of names to values', {
      where: file,
      hint: 'write one `name: value` per line (YAML) or a JSON object',
    });
  }
  return JSON.parse(JSON.stringify(data)) as Parameters;
}

/** A value as a TypeScript literal: JSON (which is valid TypeScript for every JSON value). */
export function toTsLiteral(v: JsonValue): string {
  return JSON.stringify(v);
}
