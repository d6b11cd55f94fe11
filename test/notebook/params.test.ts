/** Parameter values, the parameters-cell parser and the type checker (no kernel needed). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkType, loadParameterFile, pairTokens, parseParameterValue, parseParametersSource } from '../../src/notebook';
import { parseLiteral } from '../../src/notebook/literal';

describe('parseParameterValue', () => {
  it('parses numbers, booleans, null, JSON and leaves other text as strings', () => {
    expect(parseParameterValue('4')).toBe(4);
    expect(parseParameterValue('-1.5')).toBe(-1.5);
    expect(parseParameterValue('1e3')).toBe(1000);
    expect(parseParameterValue('true')).toBe(true);
    expect(parseParameterValue('False')).toBe(false);
    expect(parseParameterValue('null')).toBeNull();
    expect(parseParameterValue('[1, "a"]')).toEqual([1, 'a']);
    expect(parseParameterValue('{"a": {"b": 2}}')).toEqual({ a: { b: 2 } });
    expect(parseParameterValue('auto')).toBe('auto');
    expect(parseParameterValue('data/x.csv')).toBe('data/x.csv');
    expect(parseParameterValue('1.2.3')).toBe('1.2.3');
    expect(parseParameterValue('')).toBe('');
  });

  it('rejects text that looks like JSON but does not parse, pointing at -r', () => {
    expect(() => parseParameterValue('[1, 2')).toThrow(/looks like JSON/);
    try {
      parseParameterValue('{a: 1}');
    } catch (e) {
      expect((e as { hint: string }).hint).toMatch(/-r/);
    }
  });
});

describe('pairTokens', () => {
  it('pairs NAME VALUE tokens, accepts NAME=VALUE, and reports a dangling token', () => {
    expect(pairTokens(['k', '4', 'seed=-1', 'input', 'a=b'])).toEqual({ pairs: [['k', '4'], ['seed', '-1'], ['input', 'a=b']] });
    expect(pairTokens(['k', '4', 'nb.ipynb'])).toEqual({ pairs: [['k', '4']], dangling: 'nb.ipynb' });
  });
});

describe('loadParameterFile', () => {
  it('reads YAML and JSON mappings and rejects lists', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-params-'));
    writeFileSync(path.join(dir, 'p.yaml'), 'k: 4\ninput: data/x.csv\nweights: [1, 2]\nflag: true\nnote: null\n');
    writeFileSync(path.join(dir, 'p.json'), '{"k": 5, "opts": {"a": 1}}');
    writeFileSync(path.join(dir, 'bad.yaml'), '- 1\n- 2\n');
    expect(loadParameterFile(path.join(dir, 'p.yaml'))).toEqual({ k: 4, input: 'data/x.csv', weights: [1, 2], flag: true, note: null });
    expect(loadParameterFile(path.join(dir, 'p.json'))).toEqual({ k: 5, opts: { a: 1 } });
    expect(() => loadParameterFile(path.join(dir, 'bad.yaml'))).toThrow(/mapping/);
    expect(() => loadParameterFile(path.join(dir, 'missing.yaml'))).toThrow(/cannot read/);
  });
});

describe('parseLiteral', () => {
  it('reads JS literals as JSON values and refuses expressions', () => {
    expect(parseLiteral("{ depth: 2, mode: 'fast', 'x-y': [1, -2.5, 1_000,], }")).toEqual({ depth: 2, mode: 'fast', 'x-y': [1, -2.5, 1000] });
    expect(parseLiteral("'it\\'s'")).toBe("it's");
    expect(parseLiteral('[1, 2] as const')).toEqual([1, 2]);
    expect(parseLiteral('new Date()')).toBeUndefined();
    expect(parseLiteral('`a${b}`')).toBeUndefined();
    expect(parseLiteral('undefined')).toBeUndefined();
  });
});

describe('parseParametersSource', () => {
  const src = `// Parameters for the run
let k: number | 'auto' = 'auto'; // number of clusters, or 'auto'
const input = '../data/x.csv';
// turn on logging
let verbose = false
const note = null; // anything
const weights = [1, 2,
  3]; // numbers
const opts = { depth: 2, mode: 'fast' }; // options
let label: string | null = null, n: Array<number> = [], f: (x: number) => number = (x) => x * 2; // fn
type Mode = 'a' | 'b';
let mode: Mode = 'a' // mode
const when = new Date()
  .toISOString();
const { a, b } = { a: 1, b: 2 };
console.log(k);
`;
  const { parameters, typeAliases } = parseParametersSource(src);
  const by = Object.fromEntries(parameters.map((p) => [p.name, p]));

  it('finds every declared name (not destructuring or statements) with its line', () => {
    expect(parameters.map((p) => p.name)).toEqual(['k', 'input', 'verbose', 'note', 'weights', 'opts', 'label', 'n', 'f', 'mode', 'when']);
    expect(by.k.line).toBe(2);
    expect(by.weights.line).toBe(7);
  });

  it('reads annotations, or infers number/string/boolean/null/array/object from the literal', () => {
    expect([by.k.type, by.k.annotated]).toEqual(["number | 'auto'", true]);
    expect(by.input.type).toBe('string');
    expect(by.verbose.type).toBe('boolean');
    expect(by.note.type).toBe('null');
    expect(by.weights.type).toBe('array');
    expect(by.opts.type).toBe('object');
    expect(by.f.type).toBe('(x: number) => number');
    expect(by.when.type).toBe('unknown');
    expect(typeAliases).toEqual({ Mode: "'a' | 'b'" });
  });

  it('keeps defaults as written and as values, and trailing or preceding comments as help', () => {
    expect(by.k).toMatchObject({ default: "'auto'", defaultValue: 'auto', help: "number of clusters, or 'auto'", keyword: 'let' });
    expect(by.weights.defaultValue).toEqual([1, 2, 3]);
    expect(by.opts.defaultValue).toEqual({ depth: 2, mode: 'fast' });
    expect(by.input.help).toBe('');
    expect(by.verbose.help).toBe('turn on logging');
    expect(by.f.help).toBe('fn');
    expect(by.mode.help).toBe('mode');
    expect(by.when.default).toBe('new Date()\n  .toISOString()');
    expect('defaultValue' in by.when).toBe(false);
  });
});

describe('checkType', () => {
  it('accepts values of the declared type, union members and literal types', () => {
    expect(checkType(4, "number | 'auto'")).toBe('match');
    expect(checkType('auto', "number | 'auto'")).toBe('match');
    expect(checkType('fast', "number | 'auto'")).toBe('mismatch');
    expect(checkType(null, 'string | null')).toBe('match');
    expect(checkType([1, 2], 'number[]')).toBe('match');
    expect(checkType([1, 'a'], 'Array<number>')).toBe('mismatch');
    expect(checkType([1, 'a'], '(number | string)[]')).toBe('match');
    expect(checkType([1, 2], '[number, number]')).toBe('match');
    expect(checkType([1], '[number, number]')).toBe('mismatch');
    expect(checkType({ a: 1 }, 'Record<string, number>')).toBe('match');
    expect(checkType([1], 'object')).toBe('match');
    expect(checkType({ a: 1 }, 'array')).toBe('mismatch');
    expect(checkType('b', 'Mode', { Mode: "'a' | 'b'" })).toBe('match');
    expect(checkType('c', 'Mode', { Mode: "'a' | 'b'" })).toBe('mismatch');
    expect(checkType({ a: 1 }, '{ a: number }')).toBe('unchecked');
    expect(checkType('2024-01-01', 'Date')).toBe('unchecked');
  });
});
