/**
 * Segment rule tables: ordered rules on R, F, M score ranges, first match wins, unmatched → "Others".
 * The default (11 named segments) lives in src/data/segments.json; users pass their own as JSON.
 *
 * A table is checked before use: unknown fields and bad ranges are errors (with "did you mean");
 * rules that earlier rules shadow completely can never match, and are named in a warning.
 */
import { SegkitError, closest, warn, type SegkitWarning } from '../errors';
import defaultTable from '../data/segments.json';

export const OTHERS = 'Others';

export interface SegmentRule {
  segment: string;
  /** Inclusive score ranges; a missing dimension matches any score. */
  r?: [number, number];
  f?: [number, number];
  m?: [number, number];
  description?: string;
  action?: string;
}

export interface RuleTable {
  name?: string;
  description?: string;
  /** The score scale the ranges are written for (default: the bins of the scores). */
  bins?: number;
  rules: SegmentRule[];
}

const RULE_FIELDS = ['segment', 'r', 'f', 'm', 'description', 'action'];
const TABLE_FIELDS = ['name', 'description', 'bins', 'rules', 'notes'];

/** Parse and check a rule table given as JSON text, a parsed object, or a bare array of rules. */
export function parseSegmentRules(input: string | unknown, where = 'segment rules'): RuleTable {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new SegkitError('rfm', 'rules_not_json', `the segment rules are not valid JSON: ${(e as Error).message}`, { where, cause: e });
    }
  }
  const obj = (Array.isArray(raw) ? { rules: raw } : raw) as Record<string, unknown>;
  if (typeof obj !== 'object' || obj === null || !Array.isArray(obj.rules)) {
    throw new SegkitError('rfm', 'rules_invalid', 'a segment rule table is { "rules": [ { "segment": …, "r": [lo, hi], "f": …, "m": … }, … ] } or a bare list of rules', { where });
  }
  for (const k of Object.keys(obj)) {
    if (!TABLE_FIELDS.includes(k)) {
      throw new SegkitError('rfm', 'rules_unknown_field', `unknown field "${k}" in the rule table`, {
        where,
        hint: `table fields are ${TABLE_FIELDS.join(', ')} (did you mean "${closest(k, TABLE_FIELDS, 1)[0]}"?)`,
      });
    }
  }
  let bins: number | undefined;
  if (obj.bins !== undefined) {
    if (typeof obj.bins !== 'number' || !Number.isInteger(obj.bins) || obj.bins < 2 || obj.bins > 10) {
      throw new SegkitError('rfm', 'rules_invalid', `"bins" must be a whole number from 2 to 10, got ${JSON.stringify(obj.bins)}`, { where: `${where}, field bins` });
    }
    bins = obj.bins;
  }
  if (obj.rules.length === 0) throw new SegkitError('rfm', 'rules_invalid', 'the rule table has no rules', { where });
  const rules = (obj.rules as unknown[]).map((x, i) => parseRule(x, i, bins, where));
  return {
    ...(typeof obj.name === 'string' ? { name: obj.name } : {}),
    ...(typeof obj.description === 'string' ? { description: obj.description } : {}),
    ...(bins !== undefined ? { bins } : {}),
    rules,
  };
}

function parseRule(x: unknown, i: number, bins: number | undefined, where: string): SegmentRule {
  const at = `${where}, rule ${i + 1}`;
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    throw new SegkitError('rfm', 'rules_invalid', `rule ${i + 1} is not an object`, { where: at });
  }
  const o = x as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!RULE_FIELDS.includes(k)) {
      const aliases: Record<string, string> = { recency: 'r', frequency: 'f', monetary: 'm', name: 'segment', r_score: 'r', f_score: 'f', m_score: 'm' };
      throw new SegkitError('rfm', 'rules_unknown_field', `unknown field "${k}" in rule ${i + 1}${typeof o.segment === 'string' ? ` ("${o.segment}")` : ''}`, {
        where: at,
        hint: `rule fields are ${RULE_FIELDS.join(', ')} (did you mean "${aliases[k] ?? closest(k, RULE_FIELDS, 1)[0]}"?)`,
      });
    }
  }
  if (typeof o.segment !== 'string' || o.segment.trim() === '') {
    throw new SegkitError('rfm', 'rules_invalid', `rule ${i + 1} needs a "segment" name`, { where: at });
  }
  const rule: SegmentRule = { segment: o.segment };
  for (const d of ['r', 'f', 'm'] as const) {
    if (o[d] === undefined) continue;
    const v = typeof o[d] === 'number' ? [o[d], o[d]] : o[d];
    const ok = Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && (bins === undefined || n <= bins)) && (v[0] as number) <= (v[1] as number);
    if (!ok) {
      throw new SegkitError('rfm', 'rules_invalid_range', `rule ${i + 1} ("${o.segment}"): ${d} must be [low, high] whole scores with low <= high${bins ? ` within 1..${bins}` : ''}, got ${JSON.stringify(o[d])}`, {
        where: `${at}, field ${d}`,
      });
    }
    rule[d] = [v[0], v[1]] as [number, number];
  }
  if (typeof o.description === 'string') rule.description = o.description;
  if (typeof o.action === 'string') rule.action = o.action;
  return rule;
}

/** The default rule table (11 named segments on 1–5 scores), from src/data/segments.json. */
export const DEFAULT_SEGMENT_RULES: RuleTable = parseSegmentRules(defaultTable, 'src/data/segments.json');

/**
 * Score s of n mapped onto the table's scale of B scores: the score whose band holds the middle of s's
 * band, ceil(B × (s − ½) / n). With n = B it is s itself.
 */
export function mapScore(s: number, n: number, B: number): number {
  return n === B ? s : Math.ceil((B * (s - 0.5)) / n);
}

export interface CompiledRules {
  table: RuleTable;
  bins: number;
  /** Rule index (or -1 for Others) for each code, at index (r−1)·n² + (f−1)·n + (m−1). */
  lookup: Int16Array;
  /** Codes each rule wins. */
  wins: number[];
  /** Score codes no rule matches (→ Others), e.g. "115". */
  unmatchedCodes: string[];
  warnings: SegkitWarning[];
}

/**
 * Resolve which rule wins each of the n³ score codes, and warn about rules that can never match
 * (every code they cover is taken by earlier rules) and about a table written for another scale.
 */
export function compileRules(table: RuleTable, bins: number): CompiledRules {
  const warnings: SegkitWarning[] = [];
  const B = table.bins ?? bins;
  if (table.bins === undefined) {
    for (const [i, rule] of table.rules.entries()) {
      for (const d of ['r', 'f', 'm'] as const) {
        const range = rule[d];
        if (range && range[1] > bins) {
          throw new SegkitError('rfm', 'rules_invalid_range', `rule ${i + 1} ("${rule.segment}") asks for ${d} up to ${range[1]} but scores go from 1 to ${bins}`, {
            where: `segment rules, rule ${i + 1}, field ${d}`,
            hint: 'write the table for the number of bins you use, or declare "bins" in the table so scores are mapped onto it',
          });
        }
      }
    }
  } else if (B !== bins) {
    const map = Array.from({ length: bins }, (_, k) => `${k + 1}→${mapScore(k + 1, bins, B)}`).join(', ');
    warnings.push(warn('rfm', 'rules_rescaled', `the segment rules are written for ${B} scores and the data has ${bins}; scores were mapped onto the rules' scale (${map})`));
  }
  const inRange = (range: [number, number] | undefined, s: number): boolean => !range || (s >= range[0] && s <= range[1]);
  const lookup = new Int16Array(bins * bins * bins).fill(-1);
  const wins = new Array<number>(table.rules.length).fill(0);
  const unmatchedCodes: string[] = [];
  const sep = bins > 9 ? '-' : '';
  for (let r = 1; r <= bins; r++) {
    for (let f = 1; f <= bins; f++) {
      for (let m = 1; m <= bins; m++) {
        const [R, F, M] = [mapScore(r, bins, B), mapScore(f, bins, B), mapScore(m, bins, B)];
        const k = table.rules.findIndex((rule) => inRange(rule.r, R) && inRange(rule.f, F) && inRange(rule.m, M));
        lookup[(r - 1) * bins * bins + (f - 1) * bins + (m - 1)] = k;
        if (k >= 0) wins[k]++;
        else unmatchedCodes.push(`${r}${sep}${f}${sep}${m}`);
      }
    }
  }
  for (const [i, rule] of table.rules.entries()) {
    if (wins[i] > 0) continue;
    // The rules that won the codes this rule covers.
    const takers = new Set<string>();
    for (let c = 0; c < lookup.length; c++) {
      const [r, f, m] = [Math.floor(c / (bins * bins)) + 1, (Math.floor(c / bins) % bins) + 1, (c % bins) + 1];
      if (inRange(rule.r, mapScore(r, bins, B)) && inRange(rule.f, mapScore(f, bins, B)) && inRange(rule.m, mapScore(m, bins, B)) && lookup[c] >= 0) {
        takers.add(table.rules[lookup[c]].segment);
      }
    }
    const shadows = [...takers];
    const sameName = table.rules.some((o, j) => j !== i && o.segment === rule.segment && wins[j] > 0);
    warnings.push(
      warn(
        'rfm',
        'unreachable_segment',
        `segment "${rule.segment}" (rule ${i + 1}) can never match: ${shadows.length ? `every score it covers is taken by earlier rules (${shadows.join(', ')})` : `no ${bins}-score code falls in its ranges`}${sameName ? '; other rules of the same name still match' : ''}. Move it up or narrow the earlier rules`,
      ),
    );
  }
  return { table, bins, lookup, wins, unmatchedCodes, warnings };
}
